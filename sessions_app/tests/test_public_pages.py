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
from events.tests.factories import EventFactory, event_with_owner, give_role
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.services.schedule import release_schedule, unpublish_schedule
from sessions_app.services.sessions import update_session
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


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("how", ["draft", "private", "trashed"])
def test_drafts_private_and_trashed_events_are_not_found(client, w, address, how):
    if how == "trashed":
        w.event.soft_delete()
    else:
        changes = {"state": Event.State.DRAFT} if how == "draft" else {"privacy": Event.Privacy.PRIVATE}
        Event.objects.filter(pk=w.event.pk).update(**changes)
    assert client.get(page_url(w, address)).status_code == 404
    client.force_login(UserFactory())  # a logged-in stranger: no better
    assert client.get(page_url(w, address)).status_code == 404


@pytest.mark.parametrize("address", PAGES)
def test_the_team_checks_a_draft_before_publishing_it(client, w, address):
    Event.objects.filter(pk=w.event.pk).update(state=Event.State.DRAFT)
    client.force_login(w.owner)
    assert client.get(page_url(w, address)).status_code == 200


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


def test_before_the_first_release_the_schedule_says_it_is_not_published(client):
    event, _owner = event_with_owner(is_sessions_speakers_enabled=True)
    SessionFactory(event=event, title="Work in progress talk", starts_at=event.starts_at,
                   ends_at=event.starts_at + datetime.timedelta(hours=1))  # fmt: skip
    html = text_of(client.get(f"/e/{event.identifier}/schedule/"))
    assert "The schedule is not published yet." in html
    assert "Work in progress talk" not in html
    assert f'href="/e/{event.identifier}/schedule/"' not in text_of(client.get(f"/e/{event.identifier}/"))


def test_a_released_schedule_without_sessions_says_so(client):
    event, owner = event_with_owner(is_sessions_speakers_enabled=True)
    release_schedule(owner, event, send_email=False)
    html = text_of(client.get(f"/e/{event.identifier}/schedule/"))
    assert "The schedule has no sessions yet." in html
    assert "not published" not in html


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


def test_the_schedule_links_the_calendar_feed_which_answers(client, w):
    html = text_of(client.get(w.url("schedule/")))
    assert f'<a href="/v1/events/{w.event.identifier}.ics">Calendar feed (iCal)</a>' in html
    assert client.get(f"/v1/events/{w.event.identifier}.ics").status_code == 200


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
    uid = f"session-{w.talk.pk}@open-event.invalid"  # the one UID of the session (its feed's too)
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


def test_the_speaker_page_names_each_sessions_day_above_its_card(client, w):
    # The day heads the card it belongs to, not the end of it (below "Add to calendar").
    html = text_of(client.get(w.url(f"speakers/{w.alice.pk}/")))
    day = re.search(r'<p class="muted public-speaker__day">([^<]+)</p>\s*<h3 class="session-card__title">', html)
    assert day is not None
    assert html.index(day.group(0)) < html.index("Open hardware for all")

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


# --- the released version, not work in progress ------------------------------------------------------
def schedule_html(client, w, **params):
    return text_of(client.get(w.url("schedule/"), params))


def talk_card(html, w):
    """The talk's card in the list: its time element and its room."""
    card = re.search(rf'<li[^>]*data-session[^>]*>\s*<h3 class="session-card__title"><a href="[^"]*/{w.talk.pk}/">'
                     r'.*?</li>', html, re.S).group(0)  # fmt: skip
    return re.search(r"<time [^>]*>[^<]*</time>", card).group(0), re.search(r'card__room">([^<]*)<', card).group(1)


def test_a_session_moved_after_the_release_keeps_its_released_time_until_the_next(client, w):
    later = w.talk.starts_at + datetime.timedelta(hours=5)
    update_session(w.owner, w.talk, {"starts_at": later, "ends_at": later + datetime.timedelta(hours=1),
                                     "microlocation": w.other_room}, send_email=False)  # fmt: skip
    time, room = talk_card(schedule_html(client, w), w)
    assert 'datetime="2031-05-06T02:00:00+00:00"' in time
    assert ">10:00–11:00</time>" in time
    assert room == "Hall A"
    page = text_of(client.get(w.url(f"sessions/{w.talk.pk}/")))
    assert "Tue 6 May 2031, 10:00" in page
    assert "Hall A" in page
    ics = icalendar.Calendar.from_ical(client.get(w.url(f"sessions/{w.talk.pk}.ics")).content)
    assert ics.walk("VEVENT")[0].decoded("DTSTART") == w.event.starts_at + datetime.timedelta(hours=1)
    css = text_of(client.get(w.url("schedule/grid.css")))
    assert f"#grid-s{w.talk.pk} {{ grid-column: 2; grid-row: 2 / 14; }}" in css
    w.release()
    time, room = talk_card(schedule_html(client, w), w)
    assert ">15:00–16:00</time>" in time
    assert room == "Lab B"
    page = text_of(client.get(w.url(f"sessions/{w.talk.pk}/")))
    assert "Tue 6 May 2031, 15:00" in page
    assert "Lab B" in page


def test_titles_and_speakers_come_from_todays_rows(client, w):
    update_session(w.owner, w.talk, {"title": "Open hardware, renamed"}, send_email=False)
    assert shown_titles(schedule_html(client, w)) == ["Open hardware, renamed", "Keynote: the road ahead"]


def test_a_session_accepted_after_the_release_is_absent_until_released(client, w):
    newcomer = SpeakerFactory(event=w.event, name="Newcomer Nguyen")
    w.pending.speakers.add(newcomer)
    update_session(w.owner, w.pending, {"state": Session.State.ACCEPTED}, send_email=False)
    assert "Pending secret talk" not in schedule_html(client, w)
    assert client.get(w.url(f"sessions/{w.pending.pk}/")).status_code == 404
    assert client.get(w.url(f"speakers/{newcomer.pk}/")).status_code == 404
    assert "Newcomer Nguyen" not in text_of(client.get(w.url("speakers/")))
    w.release()
    assert "Pending secret talk" in shown_titles(schedule_html(client, w))
    assert client.get(w.url(f"sessions/{w.pending.pk}/")).status_code == 200
    assert "Newcomer Nguyen" in text_of(client.get(w.url("speakers/")))


@pytest.mark.parametrize("how", ["rejected", "deleted"])
def test_a_released_session_rejected_or_deleted_since_leaves_the_schedule_at_once(client, w, how):
    if how == "deleted":
        w.talk.soft_delete()
    else:
        Session.objects.filter(pk=w.talk.pk).update(state=Session.State.REJECTED)
    assert shown_titles(schedule_html(client, w)) == ["Keynote: the road ahead"]
    assert client.get(w.url(f"sessions/{w.talk.pk}/")).status_code == 404
    assert "Alice Jansen" not in text_of(client.get(w.url("speakers/")))


def test_unpublishing_hides_the_schedule(client, w):
    unpublish_schedule(w.owner, w.event)
    html = schedule_html(client, w)
    assert "The schedule is not published yet." in html
    assert "Open hardware for all" not in html
    assert "data-session" not in html
    for page in (f"sessions/{w.talk.pk}/", f"sessions/{w.talk.pk}.ics", f"speakers/{w.alice.pk}/"):
        assert client.get(w.url(page)).status_code == 404, page
    assert "Alice Jansen" not in text_of(client.get(w.url("speakers/")))
    assert "No speakers on the schedule yet." in text_of(client.get(w.url("speakers/")))
    assert "Open hardware for all" not in text_of(client.get(w.url("tracks/")))
    assert "Keynote" not in text_of(client.get(w.url("rooms/")))
    event_page = text_of(client.get(w.url()))
    assert f'href="/e/{w.event.identifier}/schedule/"' not in event_page
    assert f'href="/e/{w.event.identifier}/speakers/"' not in event_page
    # The next release publishes it again.
    w.event.refresh_from_db()
    w.release()
    assert "Open hardware for all" in schedule_html(client, w)
    assert f'href="/e/{w.event.identifier}/schedule/"' in text_of(client.get(w.url()))


def test_a_release_changes_what_a_cached_page_shows(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    assert "Late addition" not in schedule_html(client, w)
    w.session("Late addition", 6)
    assert "Late addition" not in schedule_html(client, w)
    w.release()
    assert "Late addition" in shown_titles(schedule_html(client, w))
    assert "Late addition" in schedule_html(client, w, view="grid")
    unpublish_schedule(w.owner, w.event)
    assert "The schedule is not published yet." in schedule_html(client, w)
    cache.clear()


# --- blocks: breaks, lunch… ---------------------------------------------------------------------------
@pytest.fixture
def blocks(w):
    """Lunch across all rooms (12:00–13:00 on the first day), coffee in Lab B (14:00–14:30), released."""
    lunch = w.block("Lunch", 3, kind="lunch")
    coffee = w.block("Coffee", 5, 30, kind="coffee", room=w.other_room)
    w.release()
    return lunch, coffee


def shown_blocks(html):
    found = []
    for match in re.finditer(r"<(li|div)([^>]*data-block[^>]*)>(.*?)</\1>", html, re.S):
        if " hidden" not in match.group(2):
            found.append(re.search(r'class="schedule-block__title">([^<]+) ·', match.group(3)).group(1))
    return found


def test_blocks_show_in_the_list_in_time_order_and_are_not_links(client, w, blocks):
    html = schedule_html(client, w)
    assert shown_blocks(html) == ["Lunch", "Coffee"]
    assert html.index("Open hardware for all") < html.index("Lunch ·") < html.index("Coffee ·")
    assert html.index("Coffee ·") < html.index("Wednesday 7 May 2031")
    lunch = re.search(r'<li class="schedule-block schedule-block--lunch"[^>]*>(.*?)</li>', html, re.S).group(1)
    assert ">12:00–13:00</time>" in lunch
    assert "All rooms" in lunch
    assert "<a " not in lunch
    coffee = re.search(r'<li class="schedule-block schedule-block--coffee"[^>]*>(.*?)</li>', html, re.S).group(1)
    assert ">14:00–14:30</time>" in coffee
    assert "Lab B" in coffee
    assert "2 of 2 sessions" in html  # blocks are not counted as sessions


def test_blocks_show_in_the_grid_across_all_rooms_or_in_their_room(client, w, blocks):
    lunch, coffee = blocks
    html = schedule_html(client, w, view="grid")
    assert shown_blocks(html) == ["Lunch", "Coffee"]
    css = text_of(client.get(w.url("schedule/grid.css")))
    # The day's rows start at 10:00 (its first item), five minutes each: 12:00 is row 2 + 24;
    # across every room column, or in Lab B's.
    assert f"#grid-b{lunch.pk} {{ grid-column: 2 / -1; grid-row: 26 / 38; }}" in css
    assert f"#grid-b{coffee.pk} {{ grid-column: 3; grid-row: 50 / 56; }}" in css
    assert f'id="grid-b{lunch.pk}"' in html


def test_unreleased_blocks_are_not_shown(client, w, blocks):
    w.block("Unreleased tea", 7)
    assert "Unreleased tea" not in schedule_html(client, w)


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["Lunch", "Coffee"]),
    ({"day": "2031-05-06"}, ["Lunch", "Coffee"]),
    ({"day": "2031-05-07"}, []),
    ({"room": "{room}"}, ["Lunch"]),  # across all rooms, so in Hall A too; the coffee is in Lab B
    ({"room": "{other_room}"}, ["Lunch", "Coffee"]),
    ({"q": "lunch"}, []),  # searching asks for sessions
    ({"track": "{track}"}, []),
    ({"type": "{type}"}, []),
])  # fmt: skip
def test_blocks_follow_the_day_and_room_filters_and_leave_with_search_track_or_type(client, w, blocks, params,
                                                                                    expected):
    ids = {"room": w.room.pk, "other_room": w.other_room.pk, "track": w.track.pk, "type": w.type.pk}
    query = {key: value.format(**ids) for key, value in params.items()}
    for view in ("list", "grid"):
        assert shown_blocks(schedule_html(client, w, view=view, **query)) == expected, view


def test_a_block_whose_room_was_trashed_since_the_release_is_left_out(client, w, blocks):
    w.other_room.soft_delete()
    assert shown_blocks(schedule_html(client, w)) == ["Lunch"]


# --- the event's settings ----------------------------------------------------------------------------
PROGRAM_PAGES = [page for page in PAGES if page]


@pytest.mark.parametrize("address", PROGRAM_PAGES)
def test_without_sessions_and_speakers_enabled_the_program_pages_are_not_found(client, w, address):
    Event.objects.filter(pk=w.event.pk).update(is_sessions_speakers_enabled=False)
    assert client.get(page_url(w, address)).status_code == 404
    client.force_login(w.owner)  # the team too: the setting is what the public site shows
    assert client.get(page_url(w, address)).status_code == 404


def test_without_sessions_and_speakers_enabled_the_event_page_links_no_program(client, w):
    identifier = w.event.identifier
    links = [f'href="/e/{identifier}/{name}/"' for name in ("schedule", "speakers", "tracks", "rooms")]
    html = text_of(client.get(w.url()))
    assert all(link in html for link in links)
    Event.objects.filter(pk=w.event.pk).update(is_sessions_speakers_enabled=False)
    html = text_of(client.get(w.url()))
    assert not any(link in html for link in links)
    assert f"/e/{identifier}/cfp/" not in html


def test_the_map_link_shows_only_when_the_map_is_switched_on(client, w):
    Event.objects.filter(pk=w.event.pk).update(location_name="Marina Bay Sands, Singapore")
    assert "data-map-link" in text_of(client.get(w.url()))
    Event.objects.filter(pk=w.event.pk).update(is_map_shown=False)
    html = text_of(client.get(w.url()))
    assert "data-map-link" not in html
    assert "openstreetmap.org" not in html
    assert "Marina Bay Sands, Singapore" in html


def test_sponsors_show_only_when_switched_on(client, w):
    w.event.sponsors.create(name="Gold Corp", level=1)
    assert "Gold Corp" in text_of(client.get(w.url()))
    Event.objects.filter(pk=w.event.pk).update(is_sponsors_enabled=False)
    html = text_of(client.get(w.url()))
    assert "Gold Corp" not in html
    assert "Sponsors" not in html


def test_cards_escape_what_speakers_and_organizers_typed(client, w):
    """The cards are built in Python (sessions_app.templatetags.schedule_cards): every value is
    escaped there, in text and in attributes."""
    Session.objects.filter(pk=w.talk.pk).update(title='<script>alert("t")</script> & "quoted"')
    w.alice.name = '<img src=x onerror="alert(1)">'
    w.alice.organisation = "R&D <b>Labs</b>"
    w.alice.save()
    versions.bump([w.event.pk])
    html = client.get(w.url("schedule/")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "R&amp;D &lt;b&gt;Labs&lt;/b&gt;" in html
    # The search haystack in the data attribute is escaped too (quotes cannot end the attribute).
    assert 'data-search="&lt;script&gt;alert(&quot;t&quot;)' in html
