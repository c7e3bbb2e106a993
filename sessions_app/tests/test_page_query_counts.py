"""Every page runs the same, literal number of queries for 1 row and for many rows.

One table (``QUERIES``) holds the expected count of each (page, viewer): a page that starts to
load per row fails whatever the number, and one that gains a query shows up as a changed number.
Pages without a list (login, forms) are pinned too: their count must not grow with the data.

The numbers are counted after one warm-up request (which may stamp last-access times) and with an
empty cache. Lower a number when a change makes a page cheaper; never raise one without a reason.
"""
from functools import cached_property

import pytest
from django.core.cache import cache

from events import services as event_services
from events.models import Event, Role, UsersEventsRoles
from events.services import reviews as reviewer_services
from events.tests.factories import (
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    event_with_owner,
)
from events.tests.helpers import staffed_event
from events.tests.program import RESOURCES, make
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.queries import REVIEWABLE_STATES
from sessions_app.services import write_review
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

#: The "many" of "1 and many rows" (below the sessions page's page size).
MANY = 30

EVENT = "/events/{w.event.identifier}"

# (url, viewer, rows) -> queries. ``url`` is formatted with the world ``w``; ``rows`` names the
# builder in ``ROWS`` that adds the rows the page lists.
QUERIES = {
    # Every logged-in page counts its user's unread notifications for the header's bell (one
    # query, issue 8). The program navigation asks whether a team member below co-organizer
    # reviews (its "Reviews" link, issue 9): one query more on the moderator's pages.
    # --- pages without a list ------------------------------------------------------------------
    ("/login", "anonymous", "users"): 0,
    ("/register", "anonymous", "users"): 0,
    ("/events/new", "owner", "own_events"): 4,
    (f"{EVENT}/tracks/new", "coorganizer", "tracks"): 6,
    (f"{EVENT}/tracks/{{w.track.pk}}/edit", "coorganizer", "tracks"): 7,
    (f"{EVENT}/tracks/{{w.track.pk}}/delete", "coorganizer", "tracks"): 7,
    (f"{EVENT}/speakers/new", "coorganizer", "speakers"): 6,
    # The speaker's edit page shows its custom answers: one query more for the speaker form's fields (issue 9).
    (f"{EVENT}/speakers/{{w.speaker.pk}}/edit", "coorganizer", "speakers"): 8,
    # --- my events, my invites, the dashboard ----------------------------------------------------
    ("/events/", "owner", "own_events"): 6,
    ("/invites/", "invitee", "invites_to_me"): 5,
    # The dashboard lists the team; invites moved to the team page (issue 7), one query less.
    (f"{EVENT}/", "owner", "team"): 8,
    (f"{EVENT}/", "moderator", "team"): 9,
    # --- the team page, the settings page, the trash ---------------------------------------------
    (f"{EVENT}/team/", "owner", "team"): 9,
    (f"{EVENT}/team/", "owner", "pending_invites"): 9,
    (f"{EVENT}/team/", "organizer", "team"): 9,
    (f"{EVENT}/team/", "moderator", "team"): 9,
    # The Payments section reads the platform's Stripe settings and the event's authorization.
    (f"{EVENT}/settings/", "coorganizer", "team"): 8,
    (f"{EVENT}/settings/hand-over", "owner", "team"): 7,
    ("/events/trash/", "organizer", "trashed_events"): 5,
    # --- the program's parts ---------------------------------------------------------------------
    (f"{EVENT}/tracks/", "coorganizer", "tracks"): 7,
    (f"{EVENT}/tracks/", "moderator", "tracks"): 8,
    (f"{EVENT}/rooms/", "coorganizer", "rooms"): 7,
    (f"{EVENT}/session-types/", "coorganizer", "session_types"): 7,
    (f"{EVENT}/sponsors/", "coorganizer", "sponsors"): 7,
    (f"{EVENT}/social-links/", "coorganizer", "social_links"): 7,
    # One call per event: its page lists one row whatever happens elsewhere.
    (f"{EVENT}/speakers-call/", "coorganizer", "other_events"): 8,
    # --- sessions and speakers -------------------------------------------------------------------
    (f"{EVENT}/sessions/", "organizer", "sessions"): 15,
    (f"{EVENT}/sessions/", "moderator", "sessions"): 16,
    (f"{EVENT}/sessions/?sort=-track", "organizer", "sessions"): 15,
    (f"{EVENT}/sessions/?sort=speakers&q=session", "organizer", "sessions"): 15,
    (f"{EVENT}/sessions/new", "organizer", "speakers"): 10,
    # The session page shows its custom answers: one query more for the session form's fields (issue 9).
    (f"{EVENT}/sessions/{{w.session.pk}}/", "organizer", "speakers_of_session"): 10,
    (f"{EVENT}/sessions/{{w.session.pk}}/", "moderator", "speakers_of_session"): 11,
    (f"{EVENT}/sessions/{{w.session.pk}}/edit", "organizer", "speakers"): 13,
    (f"{EVENT}/speakers/", "organizer", "speakers"): 8,
    (f"{EVENT}/speakers/", "moderator", "speakers"): 9,
    # The review figures (count, mean score) are subqueries of the row query: no query more.
    (f"{EVENT}/sessions/", "organizer", "reviewed_sessions"): 15,
    (f"{EVENT}/sessions/?sort=-score", "organizer", "reviewed_sessions"): 15,
    (f"{EVENT}/sessions/?sort=reviews", "organizer", "reviewed_sessions"): 15,
    # A moderator who reviews: the navigation loads their reviewer row with its tracks, one query more.
    (f"{EVENT}/sessions/?sort=-score", "moderator", "reviewed_sessions"): 17,
    # --- reviews -----------------------------------------------------------------------------------
    # The queue's next proposal (its speakers, answers) and the reviewer's own reviews.
    (f"{EVENT}/reviews/", "moderator", "reviews_to_write"): 13,
    (f"{EVENT}/reviews/settings", "coorganizer", "reviewers"): 11,
}


# Pages that list none of the rows their builder adds (forms, login): only the count is held.
UNLISTED = {
    url
    for url, _, _ in QUERIES
    if url.endswith(("/new", "/edit", "/delete")) or url in ("/login", "/register", f"{EVENT}/settings/")
}
# …except the session forms, whose speakers field lists every speaker of the event.
UNLISTED -= {f"{EVENT}/sessions/new", f"{EVENT}/sessions/{{w.session.pk}}/edit"}


class World:
    """A published event with one user in every role (``staffed_event``), a call for speakers,
    and the rows the forms and detail pages open, made when first asked for."""

    def __init__(self):
        self.event, self.people = staffed_event(is_sessions_speakers_enabled=True)
        SpeakersCallFactory(event=self.event)
        self.people["invitee"] = UserFactory(email="invitee@example.org")

    @cached_property
    def track(self):
        return TrackFactory(event=self.event)

    @cached_property
    def speaker(self):
        return SpeakerFactory(event=self.event, user=UserFactory())

    @cached_property
    def session(self):
        return SessionFactory(event=self.event, state=Session.State.PENDING, track=self.track)

    @cached_property
    def reviewers(self):
        """Two reviewers of every track: the moderator and the registrar."""
        people = [self.people["moderator"], self.people["registrar"]]
        for user in people:
            reviewer_services.mark_reviewer(self.people["owner"], self.event, user)
        return people


# --- builders: ``rows(w, n)`` adds ``n`` rows and returns a text of each that the page shows -------
def users(w, n):
    UserFactory.create_batch(n)
    return []


def own_events(w, n):
    """Events of the owner: drafts and published ones (each listed with the owner's roles)."""
    made = [
        event_with_owner(w.people["owner"], state=Event.State.DRAFT if i % 2 else Event.State.PUBLISHED)[0]
        for i in range(n)
    ]
    return [event.name for event in made]


def other_events(w, n):
    return [SpeakersCallFactory(event=event_with_owner()[0]).event.name for _ in range(n)]


def invites_to_me(w, n):
    made = []
    for _ in range(n):
        event, owner = event_with_owner()
        made.append(event_services.invite(owner, event, w.people["invitee"].email, Role.MODERATOR).event.name)
    return made


def team(w, n):
    registrar = Role.objects.get(name=Role.REGISTRAR)
    made = [UsersEventsRoles.objects.create(user=UserFactory(), event=w.event, role=registrar) for _ in range(n)]
    return [membership.user.email for membership in made]


def pending_invites(w, n):
    first = w.event.role_invites.count()
    owner = w.people["owner"]
    return [
        event_services.invite(owner, w.event, f"guest{first + i}@example.org", Role.REGISTRAR).email for i in range(n)
    ]


def trashed_events(w, n):
    """Trashed events where the organizer is organizer (the trash lists them to restore)."""
    made = []
    for _ in range(n):
        event, _ = event_with_owner()
        UsersEventsRoles.objects.create(
            user=w.people["organizer"], event=event, role=Role.objects.get(name="organizer")
        )
        event.soft_delete()
        made.append(event.name)
    return made


def part_rows(key):
    def rows(w, n):
        first = RESOURCES[key].model.objects.count()
        return [make(RESOURCES[key], w.event, name=f"{key} {first + i}").name for i in range(n)]

    return rows


def sessions(w, n):
    """Sessions in every state, each with its own track, room, type and two speakers."""
    states = list(Session.State)
    made = []
    for i in range(n):
        session = SessionFactory(
            event=w.event,
            state=states[i % len(states)],
            track=TrackFactory(event=w.event),
            microlocation=MicrolocationFactory(event=w.event),
            session_type=SessionTypeFactory(event=w.event),
        )
        session.speakers.add(SpeakerFactory(event=w.event), SpeakerFactory(event=w.event))
        made.append(session.title)
    return made


def reviewed_sessions(w, n):
    """Sessions as ``sessions``, those in a reviewable state scored by both reviewers."""
    reviewers = w.reviewers
    titles = sessions(w, n)
    for session in Session.objects.filter(event=w.event, title__in=titles, state__in=REVIEWABLE_STATES):
        for score, reviewer in enumerate(reviewers):
            write_review(reviewer, session, score + session.pk % 2)
    return titles


def reviews_to_write(w, n):
    """Pending proposals the moderator reviews, each with a track, type, two speakers and custom
    answers, and as many others the moderator scored already (their "My reviews")."""
    reviewer = w.reviewers[0]
    made = []
    for i in range(n):
        queued = SessionFactory(
            event=w.event, state=Session.State.PENDING, track=TrackFactory(event=w.event),
            session_type=SessionTypeFactory(event=w.event), complex_field_values={"level": f"Level {i}"},
        )  # fmt: skip
        queued.speakers.add(SpeakerFactory(event=w.event), SpeakerFactory(event=w.event))
        scored = SessionFactory(event=w.event, state=Session.State.PENDING, track=TrackFactory(event=w.event))
        write_review(reviewer, scored, i % 4, f"Comment {i}")
        made.append(scored.title)
    return made


def reviewers(w, n):
    """Team members (registrars) marked as reviewers, each of a track of their own."""
    registrar = Role.objects.get(name=Role.REGISTRAR)
    made = []
    for _ in range(n):
        user = UserFactory()
        UsersEventsRoles.objects.create(user=user, event=w.event, role=registrar)
        reviewer_services.mark_reviewer(w.people["owner"], w.event, user, tracks=[TrackFactory(event=w.event)])
        made.append(user.email)
    return made


def speakers(w, n):
    """Speakers, each in a session of their own."""
    made = []
    for _ in range(n):
        speaker = SpeakerFactory(event=w.event)
        SessionFactory(event=w.event, state=Session.State.PENDING).speakers.add(speaker)
        made.append(speaker.name)
    return made


def speakers_of_session(w, n):
    made = [SpeakerFactory(event=w.event) for _ in range(n)]
    w.session.speakers.add(*made)
    return [speaker.name for speaker in made]


ROWS = {
    "users": users,
    "own_events": own_events,
    "other_events": other_events,
    "invites_to_me": invites_to_me,
    "team": team,
    "pending_invites": pending_invites,
    "trashed_events": trashed_events,
    "tracks": part_rows("track"),
    "rooms": part_rows("microlocation"),
    "session_types": part_rows("session-type"),
    "sponsors": part_rows("sponsor"),
    "social_links": part_rows("social-link"),
    "sessions": sessions,
    "reviewed_sessions": reviewed_sessions,
    "reviews_to_write": reviews_to_write,
    "reviewers": reviewers,
    "speakers": speakers,
    "speakers_of_session": speakers_of_session,
}


def measure(client, url, django_assert_num_queries, expected):
    client.get(url)  # warm-up: last-access stamps and the like
    cache.clear()
    with django_assert_num_queries(expected) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), len(captured)


@pytest.mark.parametrize(("url", "viewer", "rows"), list(QUERIES), ids=str)
def test_pages_run_the_listed_number_of_queries_for_one_and_many_rows(
    client, url, viewer, rows, django_assert_num_queries
):
    key = (url, viewer, rows)
    expected = QUERIES[key]
    w = World()
    if viewer != "anonymous":
        client.force_login(w.people[viewer])
    build = ROWS[rows]

    first = build(w, 1)
    page = url.format(w=w)
    one, one_queries = measure(client, page, django_assert_num_queries, expected)
    more = build(w, MANY - 1)
    many, many_queries = measure(client, page, django_assert_num_queries, expected)

    # The rows are really on the page.
    if url in UNLISTED:
        pass
    elif page.endswith("/speakers-call/"):
        assert not [name for name in first + more if name in many], "another event's call is not on this page"
    else:
        assert all(text in one for text in first)
        assert all(text in many for text in first + more)
    assert one_queries == many_queries == expected
