"""The public site: the start page, an event's page, its schedule, sessions, speakers, tracks
and rooms; what anyone may see of them, and what no one outside the team does."""
import datetime
import re

import icalendar
import pytest
from django.core.cache import cache
from django.utils import timezone

from events import versions
from events.models import Event, SpeakersCall
from events.tests.factories import EventFactory, give_role
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.public_world import LONG_ABSTRACT, PublicWorld

pytestmark = pytest.mark.django_db

PRIVATE_TEXTS = ("alice-private@example.org", "+65 1234 9876", "XL-SECRET", "Pending secret talk",
                 "Rejected secret talk", "Unscheduled accepted talk", "Pending Person")  # fmt: skip


@pytest.fixture
def w():
    return PublicWorld()


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def shown_titles(html):
    """Titles of the session cards the page shows (cards marked ``hidden`` left out)."""
    titles = []
    for match in re.finditer(r"<(li|article)([^>]*data-session[^>]*)>(.*?)</\1>", html, re.S):
        if " hidden" not in match.group(2):
            titles += re.findall(r'class="session-card__title"><a [^>]*>([^<]+)</a>', match.group(3))
    return titles


# --- the start page ------------------------------------------------------------------------------------
def test_the_start_page_lists_published_public_events_upcoming_first_then_past(client):
    now = timezone.now()
    later = EventFactory(name="Later Conf", starts_at=now + datetime.timedelta(days=40))
    sooner = EventFactory(name="Sooner Conf", starts_at=now + datetime.timedelta(days=3))
    old = EventFactory(name="Old Conf", starts_at=now - datetime.timedelta(days=400))
    recent = EventFactory(name="Recent Conf", starts_at=now - datetime.timedelta(days=20))
    EventFactory(name="Draft Conf", state=Event.State.DRAFT)
    EventFactory(name="Private Conf", privacy=Event.Privacy.PRIVATE)
    html = text_of(client.get("/"))
    order = list(re.findall(r">([A-Za-z]+ Conf)</a>", html))
    assert order == ["Sooner Conf", "Later Conf", "Recent Conf", "Old Conf"]
    assert html.index("Upcoming events") < html.index("Sooner Conf") < html.index("Past events")
    assert html.index("Past events") < html.index("Recent Conf")
    assert f'href="/e/{later.identifier}/"' in html
    assert f"/e/{sooner.identifier}/" in html
    assert f"/e/{old.identifier}/" in html
    assert f"/e/{recent.identifier}/" in html


def test_the_start_page_searches_by_name_case_insensitively(client):
    EventFactory(name="PyCon Asia")
    EventFactory(name="RustConf")
    html = text_of(client.get("/", {"q": "pycon"}))
    assert "PyCon Asia" in html
    assert "RustConf" not in html
    assert "No matching results found." in text_of(client.get("/", {"q": "nothing-like-this"}))


def test_the_start_page_is_paged(client):
    for i in range(26):
        EventFactory(name=f"Paged {i:02d}", starts_at=timezone.now() + datetime.timedelta(days=i + 1))
    first = text_of(client.get("/"))
    second = text_of(client.get("/", {"page": "2"}))
    assert "Paged 00" in first
    assert "Paged 23" in first
    assert "Paged 24" not in first
    assert "Paged 24" in second
    assert "Paged 25" in second
    assert "Paged 00" not in second
    assert "Page 2 of 2" in second
    assert client.get("/", {"page": "nonsense"}).status_code == 200


def test_logged_in_visitors_see_the_public_list_and_reach_my_events(client):
    user = UserFactory()
    EventFactory(name="Public Conf")
    client.force_login(user)
    html = text_of(client.get("/"))
    assert "Public Conf" in html
    assert 'href="/events/"' in html


# --- the event page ----------------------------------------------------------------------------------
def test_the_event_page_shows_the_event_in_its_time_zone(client, w):
    Event.objects.filter(pk=w.event.pk).update(
        description="<p>All about <strong>open</strong> things</p>", code_of_conduct="<p>Be excellent.</p>",
        latitude=1.2966, longitude=103.7764, logo_url="https://example.org/logo.png",
    )  # fmt: skip
    html = text_of(client.get(w.url()))
    assert "<h1>" in html
    assert w.event.name in html
    assert "<strong>open</strong>" in html
    assert "Be excellent." in html
    # 01:00 UTC is 09:00 in Singapore; the element carries the moment for the visitor's zone.
    assert '<time datetime="2031-05-06T01:00:00+00:00" data-local="datetime">Tue 6 May 2031, 09:00</time>' in html
    assert "Asia/Singapore" in html
    assert "https://www.openstreetmap.org/?mlat=1.296600&amp;mlon=103.776400#map=17/1.296600/103.776400" in html
    assert 'src="https://example.org/logo.png"' in html
    assert "<iframe" not in html


def test_the_map_link_searches_the_location_name_without_coordinates(client, w):
    Event.objects.filter(pk=w.event.pk).update(location_name="Marina Bay Sands, Singapore")
    assert "https://www.openstreetmap.org/search?query=Marina+Bay+Sands%2C+Singapore" in text_of(client.get(w.url()))


def test_the_event_page_groups_sponsors_by_level_and_lists_social_links(client, w):
    w.event.sponsors.create(name="Gold Corp", level=1, logo_url="https://example.org/gold.png", url="https://gold.example")
    w.event.sponsors.create(name="Silver Inc", level=2)
    w.event.sponsors.create(name="Friendly Org", level=None)
    w.event.social_links.create(name="Mastodon", link="https://social.example/@conf")
    html = text_of(client.get(w.url()))
    assert html.index("Level 1") < html.index("Gold Corp") < html.index("Level 2") < html.index("Silver Inc")
    assert html.index("Silver Inc") < html.index("Friendly Org")
    assert 'src="https://example.org/gold.png" alt="Gold Corp"' in html
    assert 'href="https://social.example/@conf"' in html
    assert "Mastodon" in html


def test_the_call_for_papers_link_shows_while_the_call_is_open(client, w):
    cfp = f'href="/e/{w.event.identifier}/cfp/"'
    assert cfp in text_of(client.get(w.url()))
    SpeakersCall.objects.filter(pk=w.call.pk).update(ends_at=timezone.now() - datetime.timedelta(hours=1),
                                                     starts_at=timezone.now() - datetime.timedelta(days=3))  # fmt: skip
    assert cfp not in text_of(client.get(w.url()))


def test_a_private_call_is_not_linked(client, w):
    SpeakersCall.objects.filter(pk=w.call.pk).update(privacy="private")
    assert f"/e/{w.event.identifier}/cfp/" not in text_of(client.get(w.url()))


PAGES = ["", "schedule/", "schedule/?view=grid", "schedule/grid.css", "speakers/", "tracks/", "rooms/",
         "sessions/{talk}/", "sessions/{talk}.ics", "speakers/{alice}/"]  # fmt: skip


def page_url(w, page):
    return w.url(page, talk=w.talk.pk, alice=w.alice.pk)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("how", ["draft", "private", "trashed"])
def test_drafts_private_and_trashed_events_are_not_found(client, w, page, how):
    if how == "trashed":
        w.event.soft_delete()
    else:
        changes = {"state": Event.State.DRAFT} if how == "draft" else {"privacy": Event.Privacy.PRIVATE}
        Event.objects.filter(pk=w.event.pk).update(**changes)
    assert client.get(page_url(w, page)).status_code == 404
    client.force_login(UserFactory())  # a logged-in stranger: no better
    assert client.get(page_url(w, page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_the_team_checks_a_draft_before_publishing_it(client, w, page):
    Event.objects.filter(pk=w.event.pk).update(state=Event.State.DRAFT)
    client.force_login(w.owner)
    assert client.get(page_url(w, page)).status_code == 200


def test_an_unknown_event_is_not_found(client):
    assert client.get("/e/nosuchev/").status_code == 404
    assert client.get("/e/nosuchev/schedule/").status_code == 404


# --- the schedule ----------------------------------------------------------------------------------------
def test_the_schedule_lists_accepted_and_confirmed_scheduled_sessions_by_day(client, w):
    html = text_of(client.get(w.url("schedule/")))
    assert shown_titles(html) == ["Open hardware for all", "Keynote: the road ahead"]
    assert html.index("Tuesday 6 May 2031") < html.index("Open hardware") < html.index("Wednesday 7 May 2031")
    # Times in the event's zone: the talk starts 02:00 UTC, 10:00 in Singapore.
    assert (
        '<time datetime="2031-05-06T02:00:00+00:00" data-local="time" data-until="2031-05-06T03:00:00+00:00">'
        "10:00–11:00</time>"
    ) in html
    assert "Alice Jansen" in html
    assert "Sensor Works" in html
    assert "Firmware Lead" in html
    for private in PRIVATE_TEXTS:
        assert private not in html


def test_the_schedule_says_so_when_it_is_empty(client):
    event = EventFactory()
    html = text_of(client.get(f"/e/{event.identifier}/schedule/"))
    assert "The schedule has no sessions yet." in html


@pytest.mark.parametrize(("query", "expected"), [
    ("alice", ["Open hardware for all"]),
    ("ALICE JANSEN", ["Open hardware for all"]),
    ("sensor works", ["Open hardware for all"]),
    ("firmware lead", ["Open hardware for all"]),
    ("community labs", ["Open hardware for all", "Keynote: the road ahead"]),
    ("KEYNOTE", ["Keynote: the road ahead"]),
])  # fmt: skip
def test_search_looks_in_titles_speakers_positions_and_organisations(client, w, query, expected):
    html = text_of(client.get(w.url("schedule/"), {"q": query}))
    assert shown_titles(html) == expected
    assert 'hidden>No matching results found.' in html


def test_search_without_a_match_says_so(client, w):
    html = text_of(client.get(w.url("schedule/"), {"q": "no such talk"}))
    assert shown_titles(html) == []
    assert re.search(r'<p class="empty" data-no-results>No matching results found.</p>', html)
    assert "0 of 2 sessions" in html


def test_search_does_not_look_in_private_fields(client, w):
    for private in ("alice-private@example.org", "1234 9876", "xl-secret"):
        assert shown_titles(text_of(client.get(w.url("schedule/"), {"q": private}))) == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"track": "{track}"}, ["Open hardware for all"]),
    ({"track": "{other_track}"}, ["Keynote: the road ahead"]),
    ({"room": "{other_room}"}, ["Keynote: the road ahead"]),
    ({"type": "{type}"}, ["Open hardware for all"]),
    ({"day": "2031-05-07"}, ["Keynote: the road ahead"]),
    ({"day": "2031-05-06", "q": "keynote"}, []),
    # Values that mean nothing are ignored, never an error.
    ({"track": "abc", "room": "-3", "type": "", "day": "tuesday"},
     ["Open hardware for all", "Keynote: the road ahead"]),
    # A well-formed id of no track here matches nothing.
    ({"track": "99999999999999999999"}, []),
])  # fmt: skip
def test_filters_by_track_room_type_and_day(client, w, params, expected):
    ids = {"track": w.track.pk, "other_track": w.other_track.pk, "other_room": w.other_room.pk, "type": w.type.pk}
    query = {key: value.format(**ids) for key, value in params.items()}
    for view in ("list", "grid"):
        assert shown_titles(text_of(client.get(w.url("schedule/"), {**query, "view": view}))) == expected


def test_the_filters_are_a_get_form_and_the_views_are_links(client, w):
    html = text_of(client.get(w.url("schedule/"), {"track": w.track.pk}))
    assert '<form class="schedule-filters" method="get"' in html
    assert f'<option value="{w.track.pk}" selected>Hardware</option>' in html
    assert f'href="?track={w.track.pk}&amp;view=grid"' in html
    assert "Clear filters" in html


def test_abstracts_are_cut_at_200_characters_on_a_word_boundary_with_more(client, w):
    html = text_of(client.get(w.url("schedule/")))
    shown = re.search(r'<p class="session-card__abstract">([^<]*)<a href="([^"]+)"[^>]*>more</a>', html)
    assert shown is not None
    text = shown.group(1).strip()
    assert len(text) <= 200
    assert text.endswith("…")
    assert LONG_ABSTRACT.startswith(text[:-1])
    assert LONG_ABSTRACT[len(text) - 1] in " ,;"  # the cut falls between words
    assert shown.group(2) == f"/e/{w.event.identifier}/sessions/{w.talk.pk}/"


def test_a_short_abstract_has_no_more_link(client, w):
    Session.objects.filter(pk=w.keynote.pk).update(short_abstract="<p>Brief.</p>")
    html = text_of(client.get(w.url("schedule/"), {"q": "keynote"}))
    assert '<p class="session-card__abstract">Brief.</p>' in html


def test_the_grid_places_sessions_by_room_and_time(client, w):
    html = text_of(client.get(w.url("schedule/"), {"view": "grid"}))
    assert f'href="/e/{w.event.identifier}/schedule/grid.css?v={w.event.program_version}"' in html
    assert 'id="grid-20310506-c1">Hall A<' in html
    assert 'id="grid-20310506-c2">Lab B<' in html
    css = client.get(w.url("schedule/grid.css"))
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    # The talk (10:00–11:00, Hall A) in the first room column, from the first row under the
    # heading for twelve five-minute rows; the keynote (next day, Lab B) in the second.
    assert f"#grid-s{w.talk.pk} {{ grid-column: 2; grid-row: 2 / 14; }}" in body
    assert f"#grid-s{w.keynote.pk} {{ grid-column: 3; grid-row: 2 / 14; }}" in body
    assert "#grid-20310506 { grid-template-columns: 4.5rem repeat(2, minmax(11rem, 1fr));" in body
    # The page's link names the version, so browsers may keep that address; a bare one they ask again.
    versioned = client.get(w.url("schedule/grid.css"), {"v": str(w.event.program_version)})
    assert "max-age=86400" in versioned["Cache-Control"]
    assert "max-age" not in css.get("Cache-Control", "")


def test_no_feed_link_while_the_feed_route_does_not_exist(client, w):
    Event.objects.filter(pk=w.event.pk).update(schedule_published_on=timezone.now())
    html = text_of(client.get(w.url("schedule/")))
    assert "Calendar feed" not in html
    assert ".ics\">Calendar" not in html


def test_the_schedule_body_is_cached_per_version_and_query(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    assert "Open hardware for all" in text_of(client.get(w.url("schedule/")))
    Session.objects.filter(pk=w.talk.pk).update(title="Renamed without a bump")
    assert "Open hardware for all" in text_of(client.get(w.url("schedule/")))
    # Parameters the page ignores name the same entry (and its links do not carry them)…
    junk = text_of(client.get(w.url("schedule/"), {"utm_source": "<b>mail</b>"}))
    assert "Open hardware for all" in junk
    assert "utm_source" not in junk
    # …another query is another entry…
    assert "Renamed without a bump" in text_of(client.get(w.url("schedule/"), {"q": "renamed"}))
    # …and a new version of the program another key.
    versions.bump([w.event.pk])
    assert "Renamed without a bump" in text_of(client.get(w.url("schedule/")))
    cache.clear()


def test_a_cached_schedule_keeps_each_visitors_own_header(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    text_of(client.get(w.url("schedule/")))
    client.force_login(w.owner)
    html = text_of(client.get(w.url("schedule/")))
    assert "Log out" in html
    assert "Open hardware for all" in html


# --- a session, its calendar file ----------------------------------------------------------------------
def test_the_session_page(client, w):
    Session.objects.filter(pk=w.talk.pk).update(
        slides_url="https://slides.example/talk", video_url="https://video.example/talk",
        long_abstract="<p>The <em>long</em> story.</p>", complex_field_values={"audience": "Makers", "secret": "HUSH"},
    )  # fmt: skip
    w.public_field("session", "audience", "Audience")
    w.public_field("session", "secret", "Internal note", public=False)
    html = text_of(client.get(w.url(f"sessions/{w.talk.pk}/")))
    assert "<h1>Open hardware for all</h1>" in html
    assert "Hall A" in html
    assert "Hardware" in html
    assert "Talk" in html
    assert f'href="/e/{w.event.identifier}/speakers/{w.alice.pk}/">Alice Jansen</a>' in html
    assert "<em>long</em>" in html
    assert LONG_ABSTRACT in html
    assert 'href="https://slides.example/talk"' in html
    assert 'href="https://video.example/talk"' in html
    assert f'href="/e/{w.event.identifier}/sessions/{w.talk.pk}.ics"' in html
    assert "Audience" in html
    assert "Makers" in html
    assert "HUSH" not in html
    assert "Internal note" not in html
    assert "Tue 6 May 2031, 10:00" in html


@pytest.mark.parametrize("which", ["pending", "rejected", "unscheduled"])
def test_sessions_the_public_does_not_see_are_not_found(client, w, which):
    session = getattr(w, which)
    assert client.get(w.url(f"sessions/{session.pk}/")).status_code == 404
    assert client.get(w.url(f"sessions/{session.pk}.ics")).status_code == 404


def test_another_events_session_is_not_found_here(client, w):
    other = SessionFactory(starts_at=w.talk.starts_at, ends_at=w.talk.ends_at)
    assert client.get(w.url(f"sessions/{other.pk}/")).status_code == 404


def test_the_calendar_file_of_a_session(client, w):
    response = client.get(w.url(f"sessions/{w.talk.pk}.ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Open hardware for all"
    assert entry["DTSTART"].params["TZID"] == "Asia/Singapore"
    start = entry.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime.datetime(2031, 5, 6, 10, 0)
    assert start == w.talk.starts_at
    assert entry.decoded("DTEND") == w.talk.ends_at
    assert str(entry["LOCATION"]) == "Hall A"
    assert str(entry["URL"]).endswith(f"/e/{w.event.identifier}/sessions/{w.talk.pk}/")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Singapore"]
    # Downloading it again names the same entry (calendars update it instead of adding another).
    again = icalendar.Calendar.from_ical(client.get(w.url(f"sessions/{w.talk.pk}.ics")).content)
    uid = f"session-{w.talk.pk}@{w.event.identifier}.open-event"
    assert str(again.walk("VEVENT")[0]["UID"]) == str(entry["UID"]) == uid


# --- speakers, tracks, rooms ---------------------------------------------------------------------------
def test_the_speakers_list_holds_the_speakers_of_the_schedule_only(client, w):
    SpeakerFactory(event=w.event, name="Speaker Without Sessions")
    html = text_of(client.get(w.url("speakers/")))
    assert html.index("Alice Jansen") < html.index("Bob Okafor")
    assert "Speaker Without Sessions" not in html
    for private in PRIVATE_TEXTS:
        assert private not in html


def test_the_speaker_page(client, w):
    type(w.alice).objects.filter(pk=w.alice.pk).update(
        photo_url="https://example.org/alice.jpg", long_biography="<p>Builds <strong>boards</strong>.</p>",
        complex_field_values={"tshirt": "XL-SECRET", "pronouns": "she/her"},
    )  # fmt: skip
    w.public_field("speaker", "pronouns", "Pronouns")
    w.public_field("speaker", "tshirt", "T-shirt size", public=False)
    html = text_of(client.get(w.url(f"speakers/{w.alice.pk}/")))
    assert "<h1>Alice Jansen</h1>" in html
    assert 'src="https://example.org/alice.jpg"' in html
    assert "<strong>boards</strong>" in html
    assert "Firmware Lead, Sensor Works" in html
    assert "Pronouns" in html
    assert "she/her" in html
    assert shown_titles_of_list(html) == ["Open hardware for all"]
    for private in PRIVATE_TEXTS:
        assert private not in html
    assert "T-shirt size" not in html


def shown_titles_of_list(html):
    return re.findall(r'class="session-card__title"><a [^>]*>([^<]+)</a>', html)


def test_speakers_without_public_sessions_are_not_found(client, w):
    assert client.get(w.url(f"speakers/{w.hidden_speaker.pk}/")).status_code == 404
    assert client.get(w.url("speakers/999999/")).status_code == 404


def test_the_tracks_page_lists_each_tracks_sessions(client, w):
    html = text_of(client.get(w.url("tracks/")))
    assert html.index("Hardware") < html.index("Open hardware for all") < html.index("Community")
    assert html.index("Community</h2>") < html.index("Keynote: the road ahead")
    assert "Pending secret talk" not in html


def test_the_rooms_page_lists_each_rooms_sessions(client, w):
    html = text_of(client.get(w.url("rooms/")))
    assert html.index("Hall A</h2>") < html.index("Open hardware for all") < html.index("Lab B</h2>")
    assert html.index("Lab B</h2>") < html.index("Keynote: the road ahead")
    assert "Pending secret talk" not in html


def test_a_trashed_room_or_track_is_not_shown(client, w):
    w.room.soft_delete()
    w.track.soft_delete()
    html = text_of(client.get(w.url("rooms/")))
    assert "Hall A" not in html
    assert "Lab B" in html
    assert "Hardware</h2>" not in text_of(client.get(w.url("tracks/")))
    assert "Open hardware for all" in text_of(client.get(w.url("schedule/")))


def test_a_moderator_of_a_draft_sees_nothing(client, w):
    moderator = UserFactory()
    give_role(moderator, w.event, "moderator")
    Event.objects.filter(pk=w.event.pk).update(state=Event.State.DRAFT)
    client.force_login(moderator)
    assert client.get(w.url("schedule/")).status_code == 404
