"""The simple management pages of an event's program: tracks, rooms, session types, sponsors,
social links and the speakers call (list, create, edit, delete with confirmation)."""
import datetime
import zoneinfo

import pytest
from django.urls import reverse

from events.models import (
    Event,
    Microlocation,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
)
from events.tests.factories import EventFactory, SpeakersCallFactory
from events.tests.helpers import staffed_event

pytestmark = pytest.mark.django_db

TEAM = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"]
COORGANIZERS = ["owner", "organizer", "coorganizer", "admin"]

# slug -> (model, valid form data, the attribute shown in the list)
PARTS = {
    "tracks": (Track, {"name": "Web", "description": "<p>All things <b>web</b></p>", "color": "#1f6feb",
        "position": "1"}),
    "rooms": (Microlocation, {"name": "Hall A", "room": "A1", "floor": "2", "latitude": "1.3", "longitude": "103.8",
        "position": "0"}),
    "session-types": (SessionType, {"name": "Talk", "length": "00:45", "position": "0"}),
    "sponsors": (Sponsor, {"name": "ACME", "description": "Rockets", "url": "https://acme.example", "level": "1",
        "type": "Gold"}),
    "social-links": (SocialLink, {"name": "Mastodon", "link": "https://social.example/@conf", "identifier": "@conf"}),
    "speakers-call": (SpeakersCall, {"announcement": "Send talks", "starts_at": "2031-01-01T09:00",
                                     "ends_at": "2031-02-01T18:00", "privacy": "public"}),
}  # fmt: skip


def managers_of(slug):
    return [*COORGANIZERS, "track_organizer"] if slug == "tracks" else COORGANIZERS


def url(name, event, slug, *args):
    return reverse(name, args=[event.identifier, slug, *args])


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def staffed():
    return staffed_event()


def make(slug, event, **overrides):
    model = PARTS[slug][0]
    values = {"name": f"Existing {slug}"} if model is not SpeakersCall else {}
    if model is SessionType:
        values["length"] = "00:30"
    if model is SocialLink:
        values["link"] = "https://example.org/x"
    if model is SpeakersCall:
        return SpeakersCallFactory(event=event, **overrides)
    return model.objects.create(event=event, **{**values, **overrides})


# --- who may see and change what ----------------------------------------------------------------
@pytest.mark.parametrize("slug", PARTS)
@pytest.mark.parametrize("role", TEAM)
def test_every_role_at_the_event_sees_the_list_and_managers_get_the_controls(client, staffed, slug, role):
    event, people = staffed
    part = make(slug, event)
    as_user(client, people[role])
    response = client.get(url("part-list", event, slug))
    assert response.status_code == 200
    html = response.content.decode()
    manages = role in managers_of(slug)
    assert response.context["manages"] is manages
    assert (url("part-edit", event, slug, part.pk) in html) is manages
    assert (url("part-delete", event, slug, part.pk) in html) is manages


@pytest.mark.parametrize("slug", PARTS)
def test_readers_are_refused_every_page_that_changes_a_part(client, staffed, slug):
    event, people = staffed
    part = make(slug, event)
    _, data = PARTS[slug]
    readers = [role for role in TEAM if role not in managers_of(slug)]
    for role in readers:
        as_user(client, people[role])
        for address in (
            url("part-create", event, slug),
            url("part-edit", event, slug, part.pk),
            url("part-delete", event, slug, part.pk),
        ):
            assert client.get(address).status_code == 403, (role, address)
            assert client.post(address, data).status_code == 403, (role, address)
    part.refresh_from_db()
    assert part.deleted_at is None
    assert type(part).objects.filter(event=event).count() == 1


@pytest.mark.parametrize("slug", PARTS)
@pytest.mark.parametrize("role", ["plain", "other_organizer"])
def test_people_without_a_role_are_refused_a_published_events_parts(client, staffed, slug, role):
    event, people = staffed
    part = make(slug, event)
    as_user(client, people[role])
    for address in (
        url("part-list", event, slug),
        url("part-create", event, slug),
        url("part-edit", event, slug, part.pk),
    ):
        assert client.get(address).status_code == 403
    assert client.post(url("part-delete", event, slug, part.pk)).status_code == 403
    part.refresh_from_db()
    assert part.deleted_at is None


@pytest.mark.parametrize("slug", PARTS)
def test_anonymous_visitors_are_sent_to_log_in(client, staffed, slug):
    event, _ = staffed
    address = url("part-list", event, slug)
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={address}"


@pytest.mark.parametrize("role", ["plain", "track_organizer", "moderator"])
def test_a_drafts_parts_are_not_found_below_coorganizer(client, role):
    event, people = staffed_event(state=Event.State.DRAFT)
    track = make("tracks", event)
    as_user(client, people[role])
    assert client.get(url("part-list", event, "tracks")).status_code == 404
    assert client.post(url("part-edit", event, "tracks", track.pk), PARTS["tracks"][1]).status_code == 404


def test_another_events_part_is_not_found(client, staffed):
    event, people = staffed
    foreign = make("rooms", EventFactory())
    as_user(client, people["owner"])
    assert client.get(url("part-edit", event, "rooms", foreign.pk)).status_code == 404
    assert client.post(url("part-delete", event, "rooms", foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.deleted_at is None


def test_unknown_part_kinds_are_not_pages(client, staffed):
    event, people = staffed
    as_user(client, people["owner"])
    assert client.get(f"/events/{event.identifier}/gadgets/").status_code == 404


def test_the_dashboard_and_every_program_page_link_to_each_other(client, staffed):
    event, people = staffed
    as_user(client, people["registrar"])
    for address in (reverse("event-dashboard", args=[event.identifier]), url("part-list", event, "rooms")):
        html = client.get(address).content.decode()
        assert 'aria-label="Event pages"' in html
        for slug in PARTS:
            assert f'href="{url("part-list", event, slug)}"' in html
    html = client.get(url("part-list", event, "rooms")).content.decode()
    assert f'<a href="{url("part-list", event, "rooms")}" aria-current="page">Rooms</a>' in html


def test_on_the_releases_page_only_releases_is_the_current_page(client, staffed):
    # /schedule/releases starts with the scheduler's /schedule/: "Schedule" is not marked as well.
    event, people = staffed
    as_user(client, people["organizer"])
    releases = reverse("schedule-releases", args=[event.identifier])
    scheduler = reverse("scheduler", args=[event.identifier])
    html = client.get(releases).content.decode()
    assert f'<a href="{releases}" aria-current="page">Releases</a>' in html
    assert f'<a href="{scheduler}">Schedule</a>' in html
    html = client.get(scheduler).content.decode()
    assert f'<a href="{scheduler}" aria-current="page">Schedule</a>' in html
    assert f'<a href="{releases}">Releases</a>' in html


# --- create, edit, delete ---------------------------------------------------------------------------
@pytest.mark.parametrize("slug", PARTS)
def test_a_manager_creates_a_part(client, staffed, slug):
    event, people = staffed
    model, data = PARTS[slug]
    as_user(client, people["track_organizer" if slug == "tracks" else "coorganizer"])
    page = client.get(url("part-create", event, slug))
    assert page.status_code == 200
    html = page.content.decode()
    for name in data:
        assert f'for="id_{name}' in html, name

    response = client.post(url("part-create", event, slug), data)

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == url("part-list", event, slug)
    created = model.objects.get(event=event)
    listing = client.get(response["Location"]).content.decode()
    assert "was created." in listing
    if model is not SpeakersCall:
        assert created.name in listing


def test_html_descriptions_are_sanitized_and_listed_as_plain_text(client, staffed):
    event, people = staffed
    as_user(client, people["coorganizer"])
    data = {
        **PARTS["tracks"][1],
        "description": '<p onclick="x()">Fish &amp; <b>chips</b><script>alert(1)</script></p>',
    }
    client.post(url("part-create", event, "tracks"), data)
    track = Track.objects.get(event=event)
    assert track.description == "<p>Fish &amp; <b>chips</b></p>"
    html = client.get(url("part-list", event, "tracks")).content.decode()
    assert "Fish &amp; chips" in html
    assert "<b>chips</b>" not in html
    assert "alert(1)" not in html


def test_a_manager_edits_a_part(client, staffed):
    event, people = staffed
    room = make("rooms", event, name="Hall A", floor=1)
    as_user(client, people["coorganizer"])
    form = client.get(url("part-edit", event, "rooms", room.pk)).context["form"]
    assert form.initial["name"] == "Hall A"
    response = client.post(
        url("part-edit", event, "rooms", room.pk), {**PARTS["rooms"][1], "name": "Hall B", "hidden_in_scheduler": "on"}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.floor, room.hidden_in_scheduler, room.event) == ("Hall B", 2, True, event)
    assert "The room “Hall B” was saved." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("slug", PARTS)
def test_delete_asks_first_then_moves_the_part_to_the_trash(client, staffed, slug):
    event, people = staffed
    part = make(slug, event)
    model = type(part)
    as_user(client, people["owner"])
    page = client.get(url("part-delete", event, slug, part.pk))
    assert page.status_code == 200
    assert "goes to the trash" in page.content.decode()
    part.refresh_from_db()
    assert part.deleted_at is None

    response = client.post(url("part-delete", event, slug, part.pk))

    assert response["Location"] == url("part-list", event, slug)
    assert not model.objects.filter(pk=part.pk).exists()
    assert model.all_objects.get(pk=part.pk).deleted_at is not None
    assert "was deleted." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("slug", "overrides", "field"),
    [
        ("tracks", {"color": "red"}, "color"),
        ("tracks", {"color": "#12345"}, "color"),
        ("tracks", {"name": ""}, "name"),
        ("tracks", {"position": "-1"}, "position"),
        ("session-types", {"length": "1:30"}, "length"),
        ("session-types", {"length": "00:75"}, "length"),
        ("session-types", {"length": "100:00"}, "length"),
        ("session-types", {"length": "half an hour"}, "length"),
        ("rooms", {"latitude": "91"}, "latitude"),
        ("rooms", {"floor": "second"}, "floor"),
        ("sponsors", {"url": "not a url"}, "url"),
        ("sponsors", {"level": "-3"}, "level"),
        ("social-links", {"link": ""}, "link"),
        ("speakers-call", {"ends_at": "2030-12-31T09:00"}, "ends_at"),  # ends before it starts
        ("speakers-call", {"ends_at": "2031-01-01T09:00"}, "ends_at"),  # ends when it starts
        ("speakers-call", {"soft_ends_at": "2031-03-01T09:00"}, "soft_ends_at"),  # soft end after the end
        ("speakers-call", {"starts_at": "soon"}, "starts_at"),
        ("speakers-call", {"privacy": "secret"}, "privacy"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(client, staffed, slug, overrides, field):
    event, people = staffed
    model, data = PARTS[slug]
    as_user(client, people["owner"])
    response = client.post(url("part-create", event, slug), {**data, **overrides})
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not model.all_objects.exists()
    if slug != "speakers-call":
        existing = make(slug, event)
        response = client.post(url("part-edit", event, slug, existing.pk), {**data, **overrides})
        assert field in response.context["form"].errors
        existing.refresh_from_db()
        assert existing.name == f"Existing {slug}"


# --- the speakers call ---------------------------------------------------------------------------------
def test_an_event_has_one_speakers_call(client, staffed):
    event, people = staffed
    SpeakersCallFactory(event=event)
    as_user(client, people["owner"])
    response = client.get(url("part-list", event, "speakers-call"))
    assert response.context["can_add"] is False
    assert url("part-create", event, "speakers-call") not in response.content.decode()
    response = client.post(url("part-create", event, "speakers-call"), PARTS["speakers-call"][1])
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["This event already has a speakers call."]
    assert SpeakersCall.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("role", TEAM)
def test_the_private_link_hash_is_shown_to_coorganizers_only(client, staffed, role):
    event, people = staffed
    call = SpeakersCallFactory(event=event, privacy=SpeakersCall.Privacy.PRIVATE)
    as_user(client, people[role])
    html = client.get(url("part-list", event, "speakers-call")).content.decode()
    assert (call.hash in html) is (role in COORGANIZERS)
    assert ("Private link hash" in html) is (role in COORGANIZERS)


def test_speakers_call_times_are_clock_times_at_the_event(client):
    event, people = staffed_event(timezone="Asia/Singapore")
    as_user(client, people["coorganizer"])
    response = client.post(url("part-create", event, "speakers-call"), PARTS["speakers-call"][1])
    assert response.status_code == 302
    call = SpeakersCall.objects.get(event=event)
    singapore = zoneinfo.ZoneInfo("Asia/Singapore")
    assert call.starts_at == datetime.datetime(2031, 1, 1, 9, 0, tzinfo=singapore)
    form = client.get(url("part-edit", event, "speakers-call", call.pk)).context["form"]
    assert 'value="2031-01-01T09:00"' in str(form["starts_at"])
    html = client.get(url("part-list", event, "speakers-call")).content.decode()
    assert "Wed 1 Jan 2031, 09:00" in html


def test_a_track_organizer_manages_tracks_but_not_rooms(client, staffed):
    event, people = staffed
    as_user(client, people["track_organizer"])
    assert client.post(url("part-create", event, "tracks"), PARTS["tracks"][1]).status_code == 302
    assert client.post(url("part-create", event, "rooms"), PARTS["rooms"][1]).status_code == 403
    assert Track.objects.filter(event=event).count() == 1
    assert not Microlocation.objects.exists()
