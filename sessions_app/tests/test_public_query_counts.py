"""The public site's pages run the same, literal number of queries for 1 and for many sessions
(each with its own track, room, type and two speakers) and blocks of the released schedule, for an
anonymous visitor and a logged-in one (whose header adds the session, the user and the bell's
count). Counted with an empty cache; the schedule's body from the cache needs none of the
schedule's queries (the last test)."""
import datetime

import pytest
from django.core.cache import cache

from events.tests.factories import MicrolocationFactory, SessionTypeFactory, TrackFactory
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.services.schedule import unpublish_schedule
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db

MANY = 30

#: page -> queries for an anonymous visitor. The event (1); the schedule: the current release (1),
#: the event's rooms (1), the release's sessions with their track and type joined (1) and their
#: speakers (1); the event page: sponsors, social links, the call (3); a session or speaker page:
#: the form's fields for the public answers (1), and the speaker page looks the speaker up among
#: the schedule's (1) before loading their sessions only.
QUERIES = {
    "": 4,
    "schedule/": 5,
    "schedule/?view=grid": 5,
    "schedule/?q=speaker&track=1&view=grid": 5,
    "schedule/grid.css": 5,
    "sessions/{first}/": 6,
    "sessions/{first}.ics": 5,
    "speakers/": 5,
    "speakers/{speaker}/": 7,
    "tracks/": 5,
    "rooms/": 5,
}
#: The start page: the count of the page's events and the page of them.
HOME_QUERIES = 2
#: A logged-in visitor's header: their session and user, the pending invites and the unread
#: notifications (the bell). The grid's stylesheet and the .ics have no header: nothing more.
LOGGED_IN_EXTRA = 4
HEADERLESS = ("schedule/grid.css", "sessions/{first}.ics")


def add_sessions(w, n):
    """``n`` sessions and ``n`` blocks (every other one across all rooms), then a release."""
    titles = []
    first = w.event.starts_at + datetime.timedelta(hours=30)
    for i in range(n):
        session = SessionFactory(
            event=w.event, state=Session.State.CONFIRMED if i % 2 else Session.State.ACCEPTED,
            track=TrackFactory(event=w.event), microlocation=MicrolocationFactory(event=w.event),
            session_type=SessionTypeFactory(event=w.event),
            starts_at=first + datetime.timedelta(minutes=30 * i),
            ends_at=first + datetime.timedelta(minutes=30 * i + 25),
        )  # fmt: skip
        session.speakers.add(SpeakerFactory(event=w.event), SpeakerFactory(event=w.event))
        titles.append(session.title)
        block = w.block(f"Break {i}", 30 + i / 2, 5, room=None if i % 2 else session.microlocation)
        titles.append(f"{block.title} ·")
    w.release()
    return titles


def measure(client, url, django_assert_num_queries, expected):
    client.get(url)
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("address", list(QUERIES))
@pytest.mark.parametrize("viewer", ["anonymous", "user"])
def test_public_pages_run_the_listed_number_of_queries_for_one_and_many_sessions(
    client, address, viewer, django_assert_num_queries
):
    w = PublicWorld()
    expected = QUERIES[address] + (LOGGED_IN_EXTRA if viewer == "user" and address not in HEADERLESS else 0)
    if viewer == "user":
        client.force_login(UserFactory())
    url = w.url(address, first=w.talk.pk, speaker=w.alice.pk)
    one = measure(client, url, django_assert_num_queries, expected)
    titles = add_sessions(w, MANY)
    many = measure(client, url, django_assert_num_queries, expected)
    if address in ("schedule/", "schedule/?view=grid"):
        assert "Open hardware for all" in one
        assert all(title in many for title in titles)
    if address in ("tracks/", "rooms/"):
        assert all(title in many for title in titles if not title.startswith("Break"))


@pytest.mark.parametrize("viewer", ["anonymous", "user"])
def test_the_start_page_runs_the_same_queries_for_one_and_many_events(client, viewer, django_assert_num_queries):
    expected = HOME_QUERIES + (LOGGED_IN_EXTRA if viewer == "user" else 0)
    if viewer == "user":
        client.force_login(UserFactory())
    PublicWorld()
    measure(client, "/", django_assert_num_queries, expected)
    for _ in range(MANY):
        PublicWorld()
    measure(client, "/", django_assert_num_queries, expected)


def test_a_cached_schedule_runs_only_the_events_query(client, settings, django_assert_num_queries):
    settings.API_DOCUMENT_CACHE = True
    w = PublicWorld()
    add_sessions(w, MANY)
    client.get(w.url("schedule/"))
    client.get(w.url("schedule/grid.css"))
    with django_assert_num_queries(1):
        assert "Open hardware for all" in client.get(w.url("schedule/")).content.decode()
    with django_assert_num_queries(1):
        assert client.get(w.url("schedule/grid.css")).status_code == 200
    cache.clear()


def test_an_unpublished_schedule_runs_only_the_events_query(client, django_assert_num_queries):
    w = PublicWorld()
    add_sessions(w, 3)
    unpublish_schedule(w.owner, w.event)
    with django_assert_num_queries(1):
        assert "not published" in client.get(w.url("schedule/")).content.decode()
    with django_assert_num_queries(1):
        assert client.get(w.url(f"sessions/{w.talk.pk}/")).status_code == 404
    with django_assert_num_queries(1):
        assert client.get(w.url("speakers/")).status_code == 200
