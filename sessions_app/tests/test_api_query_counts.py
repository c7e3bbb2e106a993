"""Every list under /v1 runs the same, literal number of queries for 1 row and for many rows.

One table (``QUERIES``) holds the expected count of each (endpoint, viewer): a change that adds a
query to a list shows up here as a changed number, and a change that makes the count grow with
the rows fails whatever the number. The rows are built so that every listed row, and every row
named by ``include``, is a distinct one (many sessions have many tracks and speakers), so an
``include`` that loads per row is caught too.

The numbers are counted after one warm-up request (which may stamp last-access times) and with an
empty cache (the cold path; a cached document costs less, and is pinned where the cache is).
Lower a number when a change makes a list cheaper; never raise one without a reason.
"""
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.core.cache import cache

from events import services as event_services
from events.models import Event, Role, UsersEventsRoles
from events.tests.factories import (
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    event_with_owner,
    give_role,
)
from events.tests.helpers import staffed_event
from events.tests.program import RESOURCES, make
from openevent.api.tests.documents import ids
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

#: The "many" of "1 and many rows".
MANY = 30

SESSION_INCLUDES = "speakers,track,microlocation,session-type"

# Rows that render events for a logged-in viewer read the events' team once (+1: the team
# relationships, ``events.api.team``), and included users the viewer may see privately (their own
# row; admins: all) their roles once (+1: ``is-user-…`` and the user's events).
# (url, viewer, rows) -> queries. ``url`` is formatted with the world ``w`` (``{w.event.pk}``);
# ``rows`` names the builder in ``ROWS`` that adds the listed rows.
QUERIES = {
    # --- events ------------------------------------------------------------------------------
    ("/v1/events?include=owner", "anonymous", "events"): 2,
    ("/v1/events?include=owner", "plain", "events"): 4,
    ("/v1/events?include=owner", "owner", "own_events"): 5,
    ("/v1/events?include=owner", "admin", "own_events"): 5,
    # Events carry their team (organizers…, ``events.api.team``): one query reads the team of the
    # page's events for a logged-in viewer, one the roles of included users the viewer may see
    # privately (their own row; admins: all), one the included team members' rows.
    ("/v1/events?include=owner,organizers,moderators", "anonymous", "events"): 2,
    ("/v1/events?include=owner,organizers,moderators", "owner", "own_events"): 7,
    ("/v1/events?include=owner,organizers,moderators", "admin", "own_events"): 9,
    ("/v1/events/{w.event.pk}/organizers", "organizer", "organizers"): 7,
    ("/v1/events/{w.event.pk}/moderators", "admin", "moderators"): 6,
    ("/v1/users/{w.people[owner].pk}/events", "owner", "own_events"): 5,
    ("/v1/users/{w.people[owner].pk}/owner-events", "admin", "own_events"): 5,
    # --- roles, invites, team ----------------------------------------------------------------
    ("/v1/roles", "anonymous", "roles"): 2,
    ("/v1/role-invites?include=event,role", "invitee", "invites_to_me"): 5,
    ("/v1/role-invites?include=event,role", "coorganizer", "invites"): 5,
    ("/v1/events/{w.event.pk}/role-invites?include=event,role", "coorganizer", "invites"): 8,
    ("/v1/users-events-roles?include=event,user,role", "organizer", "my_memberships"): 6,
    ("/v1/users-events-roles?include=event,user,role", "admin", "memberships"): 6,
    ("/v1/events/{w.event.pk}/users-events-roles?include=event,user,role", "organizer", "memberships"): 9,
    ("/v1/events/{w.event.pk}/users-events-roles?include=event,user,role", "moderator", "memberships"): 9,
    # --- the program's parts -----------------------------------------------------------------
    ("/v1/tracks?include=event", "anonymous", "tracks_everywhere"): 2,
    ("/v1/tracks?include=event", "coorganizer", "tracks_everywhere"): 4,
    ("/v1/events/{w.event.pk}/tracks?include=event", "anonymous", "tracks"): 4,
    ("/v1/events/{w.event.pk}/tracks?include=event", "coorganizer", "tracks"): 6,
    ("/v1/session-types?include=event", "anonymous", "session_types_everywhere"): 2,
    ("/v1/events/{w.event.pk}/session-types?include=event", "anonymous", "session_types"): 4,
    ("/v1/events/{w.event.pk}/session-types?include=event", "coorganizer", "session_types"): 6,
    ("/v1/microlocations?include=event", "anonymous", "microlocations_everywhere"): 2,
    ("/v1/events/{w.event.pk}/microlocations?include=event", "anonymous", "microlocations"): 4,
    ("/v1/events/{w.event.pk}/microlocations?include=event", "coorganizer", "microlocations"): 6,
    ("/v1/sponsors?include=event", "anonymous", "sponsors_everywhere"): 2,
    ("/v1/events/{w.event.pk}/sponsors?include=event", "anonymous", "sponsors"): 4,
    ("/v1/events/{w.event.pk}/sponsors?include=event", "coorganizer", "sponsors"): 6,
    ("/v1/social-links?include=event", "anonymous", "social_links_everywhere"): 2,
    ("/v1/events/{w.event.pk}/social-links?include=event", "anonymous", "social_links"): 4,
    ("/v1/events/{w.event.pk}/social-links?include=event", "coorganizer", "social_links"): 6,
    ("/v1/speakers-calls?include=event", "anonymous", "speakers_calls_everywhere"): 2,
    ("/v1/speakers-calls?include=event", "coorganizer", "speakers_calls_everywhere"): 4,
    # --- sessions ----------------------------------------------------------------------------
    (f"/v1/sessions?include={SESSION_INCLUDES}", "anonymous", "sessions_everywhere"): 4,
    (f"/v1/sessions?include={SESSION_INCLUDES}", "speaker", "my_sessions"): 5,
    (f"/v1/sessions?include={SESSION_INCLUDES}", "organizer", "sessions_everywhere"): 5,
    (f"/v1/sessions?include={SESSION_INCLUDES}", "admin", "sessions_everywhere"): 5,
    (f"/v1/events/{{w.event.pk}}/sessions?include={SESSION_INCLUDES}", "anonymous", "sessions"): 6,
    (f"/v1/events/{{w.event.pk}}/sessions?include={SESSION_INCLUDES}", "speaker", "my_sessions"): 7,
    (f"/v1/events/{{w.event.pk}}/sessions?include={SESSION_INCLUDES}", "moderator", "pending_sessions"): 7,
    (f"/v1/events/{{w.event.pk}}/sessions?include={SESSION_INCLUDES}", "organizer", "pending_sessions"): 7,
    (f"/v1/events/{{w.event.pk}}/sessions?include={SESSION_INCLUDES}", "admin", "pending_sessions"): 7,
    ("/v1/events/{w.event.pk}/sessions?include=speakers.user,creator", "organizer", "pending_sessions"): 7,
    ("/v1/tracks/{w.track.pk}/sessions?include=speakers", "anonymous", "sessions_of_track"): 6,
    ("/v1/session-types/{w.session_type.pk}/sessions?include=speakers", "anonymous", "sessions_of_type"): 6,
    ("/v1/microlocations/{w.room.pk}/sessions?include=speakers", "anonymous", "sessions_of_room"): 6,
    ("/v1/speakers/{w.speaker.pk}/sessions?include=track", "anonymous", "sessions_of_speaker"): 4,
    ("/v1/speakers/{w.speaker.pk}/sessions?include=track", "organizer", "sessions_of_speaker"): 5,
    ("/v1/users/{w.speaker_user.pk}/sessions", "speaker", "my_sessions"): 5,
    ("/v1/users/{w.speaker_user.pk}/sessions", "admin", "my_sessions"): 5,
    ("/v1/speakers/{w.speaker.pk}/relationships/sessions", "organizer", "sessions_of_speaker"): 4,
    ("/v1/speakers/{w.speaker.pk}?include=sessions", "anonymous", "sessions_of_speaker"): 4,
    # --- speakers ----------------------------------------------------------------------------
    ("/v1/speakers?include=sessions,user", "anonymous", "speakers_everywhere"): 4,
    ("/v1/speakers?include=sessions,user", "organizer", "speakers_everywhere"): 5,
    ("/v1/speakers?include=sessions,user", "admin", "speakers_everywhere"): 6,
    ("/v1/events/{w.event.pk}/speakers?include=sessions,user", "anonymous", "speakers"): 6,
    ("/v1/events/{w.event.pk}/speakers?include=sessions,user", "organizer", "speakers"): 7,
    ("/v1/events/{w.event.pk}/speakers?include=sessions.speakers", "speaker", "speakers"): 9,
    ("/v1/sessions/{w.session.pk}/speakers?include=user", "anonymous", "speakers_of_session"): 4,
    ("/v1/sessions/{w.session.pk}/speakers?include=user", "organizer", "speakers_of_session"): 5,
    ("/v1/sessions/{w.session.pk}/relationships/speakers", "organizer", "speakers_of_session"): 4,
    ("/v1/sessions/{w.session.pk}?include=speakers", "anonymous", "speakers_of_session"): 4,
    ("/v1/users/{w.speaker_user.pk}/speakers?include=sessions", "speaker", "my_speaker_profiles"): 7,
    ("/v1/users/{w.speaker_user.pk}/speakers", "admin", "my_speaker_profiles"): 5,
    # --- users -------------------------------------------------------------------------------
    ("/v1/users", "admin", "users"): 4,
    # --- sorted lists (a sort through a relation is a subquery, never a query per row) --------
    ("/v1/events?include=owner&sort=-identifier", "anonymous", "events"): 2,
    ("/v1/events/{w.event.pk}/sessions?include=track&sort=track.name,-starts-at", "organizer", "sessions"): 6,
    ("/v1/events/{w.event.pk}/sessions?sort=-creator.last-name", "anonymous", "sessions"): 4,
    ("/v1/events/{w.event.pk}/speakers?sort=-speaking-experience,email", "organizer", "speakers"): 6,
    ("/v1/users-events-roles?include=user&sort=role.name,-event.starts-at", "admin", "memberships"): 4,
    # --- statistics --------------------------------------------------------------------------
    ("/v1/events/{w.event.pk}/general-statistics", "coorganizer", "sessions"): 7,
    ("/v1/admin/statistics/events", "admin", "events"): 2,
    ("/v1/admin/statistics/sessions", "admin", "sessions_everywhere"): 2,
    ("/v1/admin/statistics/users", "admin", "users"): 3,
    # /v1/admin/statistics/mails: mailing/tests/test_api_statistics.py (mailing sits above this app).
}


# Builders whose rows all include the same few rows (their event, its owner, the same role).
SHARED_INCLUDES = {"own_events", "invites", "tracks", "session_types", "microlocations", "sponsors", "social_links"}


class World:
    """A published event with one user in every role (``staffed_event``), a speaker user with a
    profile at the event, and the parents of the nested lists, made when first asked for."""

    def __init__(self):
        self.event, self.people = staffed_event(is_sessions_speakers_enabled=True)
        SpeakersCallFactory(event=self.event)
        self.speaker_user = UserFactory(email=f"speaker-{self.event.pk}@example.org")
        self.people["speaker"] = self.speaker_user
        self.people["invitee"] = UserFactory(email="invitee@example.org")

    @cached_property
    def speaker(self):
        """The speaker user's profile at the event."""
        return SpeakerFactory(event=self.event, user=self.speaker_user, email=self.speaker_user.email)

    @cached_property
    def track(self):
        return TrackFactory(event=self.event)

    @cached_property
    def session_type(self):
        return SessionTypeFactory(event=self.event)

    @cached_property
    def room(self):
        return MicrolocationFactory(event=self.event)

    @cached_property
    def session(self):
        return SessionFactory(event=self.event, state=Session.State.ACCEPTED)

    def program_session(self, event=None, state=Session.State.ACCEPTED, **kwargs):
        """A session with its own track, room, session type and speaker (who has a user)."""
        event = event or self.event
        kwargs.setdefault("track", TrackFactory(event=event))
        kwargs.setdefault("microlocation", MicrolocationFactory(event=event))
        kwargs.setdefault("session_type", SessionTypeFactory(event=event))
        session = SessionFactory(event=event, state=state, **kwargs)
        session.speakers.add(SpeakerFactory(event=event, user=UserFactory()))
        return session


def other_event(**kwargs):
    """Another published event, with an owner (every included event renders its owner)."""
    event, _ = event_with_owner(**kwargs)
    return event


# --- builders: ``rows(w, n)`` adds ``n`` rows the viewer sees in the list -------------------------
def part_rows(key, everywhere=False):
    def rows(w, n):
        return [make(RESOURCES[key], other_event() if everywhere else w.event) for _ in range(n)]

    return rows


def speakers_call_rows(w, n):
    return [SpeakersCallFactory(event=other_event()) for _ in range(n)]


def events(w, n):
    return [other_event() for _ in range(n)]


def own_events(w, n):
    """Draft events the owner holds, which only their team (and admins) see."""
    return [event_with_owner(w.people["owner"], state=Event.State.DRAFT)[0] for _ in range(n)]


def roles(w, n):
    return [Role.objects.create(name=f"extra-{Role.objects.count()}", title_name="Extra") for _ in range(n)]


def invites(w, n):
    owner = w.people["owner"]
    first = w.event.role_invites.count()
    return [
        event_services.invite(owner, w.event, f"guest{first + i}@example.org", Role.REGISTRAR) for i in range(n)
    ]


def invites_to_me(w, n):
    email = w.people["invitee"].email
    made = []
    for _ in range(n):
        event, owner = event_with_owner()
        made.append(event_services.invite(owner, event, email, Role.MODERATOR))
    return made


def memberships(w, n):
    registrar = Role.objects.get(name=Role.REGISTRAR)
    return [UsersEventsRoles.objects.create(user=UserFactory(), event=w.event, role=registrar) for _ in range(n)]


def my_memberships(w, n):
    return [give_role(w.people["organizer"], other_event(), Role.MODERATOR) for _ in range(n)]


def sessions(w, n):
    return [w.program_session() for _ in range(n)]


def sessions_everywhere(w, n):
    return [w.program_session(other_event()) for _ in range(n)]


def pending_sessions(w, n):
    return [w.program_session(state=Session.State.PENDING) for _ in range(n)]


def my_sessions(w, n):
    """Pending sessions of the speaker user: seen by them (and the team), not by the public."""
    made = []
    for _ in range(n):
        session = w.program_session(state=Session.State.PENDING, creator=w.speaker_user)
        session.speakers.add(w.speaker)
        made.append(session)
    return made


def sessions_of(part):
    def rows(w, n):
        return [w.program_session(**{part: getattr(w, {"microlocation": "room"}.get(part, part))}) for _ in range(n)]

    return rows


def sessions_of_speaker(w, n):
    made = []
    for _ in range(n):
        session = w.program_session()
        session.speakers.add(w.speaker)
        made.append(session)
    return made


def speakers(w, n):
    """Speakers with a user and a public session each (the public sees speakers of public sessions)."""
    return [w.program_session().speakers.get() for _ in range(n)]


def speakers_everywhere(w, n):
    return [w.program_session(other_event()).speakers.get() for _ in range(n)]


def speakers_of_session(w, n):
    made = [SpeakerFactory(event=w.event, user=UserFactory()) for _ in range(n)]
    w.session.speakers.add(*made)
    return made


def my_speaker_profiles(w, n):
    made = []
    for _ in range(n):
        event = other_event()
        SessionFactory(event=event, state=Session.State.ACCEPTED).speakers.add(
            speaker := SpeakerFactory(event=event, user=w.speaker_user)
        )
        made.append(speaker)
    return made


def team(role_name):
    def rows(w, n):
        made = [UserFactory() for _ in range(n)]
        for user in made:
            give_role(user, w.event, role_name)
        return made

    return rows


def users(w, n):
    return [UserFactory() for _ in range(n)]


ROWS = {
    "events": events,
    "own_events": own_events,
    "roles": roles,
    "invites": invites,
    "invites_to_me": invites_to_me,
    "memberships": memberships,
    "my_memberships": my_memberships,
    "tracks": part_rows("track"),
    "tracks_everywhere": part_rows("track", everywhere=True),
    "session_types": part_rows("session-type"),
    "session_types_everywhere": part_rows("session-type", everywhere=True),
    "microlocations": part_rows("microlocation"),
    "microlocations_everywhere": part_rows("microlocation", everywhere=True),
    "sponsors": part_rows("sponsor"),
    "sponsors_everywhere": part_rows("sponsor", everywhere=True),
    "social_links": part_rows("social-link"),
    "social_links_everywhere": part_rows("social-link", everywhere=True),
    "speakers_calls_everywhere": speakers_call_rows,
    "sessions": sessions,
    "sessions_everywhere": sessions_everywhere,
    "pending_sessions": pending_sessions,
    "my_sessions": my_sessions,
    "sessions_of_track": sessions_of("track"),
    "sessions_of_type": sessions_of("session_type"),
    "sessions_of_room": sessions_of("microlocation"),
    "sessions_of_speaker": sessions_of_speaker,
    "speakers": speakers,
    "speakers_everywhere": speakers_everywhere,
    "speakers_of_session": speakers_of_session,
    "my_speaker_profiles": my_speaker_profiles,
    "users": users,
    "organizers": team(Role.ORGANIZER),
    "moderators": team(Role.MODERATOR),
}


@dataclass
class Measure:
    status: int
    queries: int
    listed: set  # ids of the primary data, or of the included rows for a detail
    included: int  # how many included rows
    attributes: dict  # of a single resource (the statistics)


def measure(api, url, django_assert_num_queries, expected):
    separator = "&" if "?" in url else "?"
    url = f"{url}{separator}page[size]=0" if "/statistics" not in url else url
    api.get(url)  # warm-up: last-access stamps and the like
    cache.clear()
    with django_assert_num_queries(expected) as captured:
        response = api.get(url)
    body = response.json_body
    data = body.get("data")
    if isinstance(data, dict) and "relationships" in data:
        listed = {row["id"] for row in body.get("included", [])}
    else:
        listed = ids(response)
    attributes = data.get("attributes", {}) if isinstance(data, dict) else {}
    return Measure(response.status_code, len(captured), listed, len(body.get("included", [])), attributes)


@pytest.mark.parametrize(("url", "viewer", "rows"), list(QUERIES), ids=str)
def test_lists_run_the_listed_number_of_queries_for_one_and_many_rows(
    api, url, viewer, rows, django_assert_num_queries
):
    key = (url, viewer, rows)
    expected = QUERIES[key]
    w = World()
    api.as_user(w.people[viewer] if viewer != "anonymous" else None)
    build = ROWS[rows]

    first = build(w, 1)
    url = url.format(w=w)
    one = measure(api, url, django_assert_num_queries, expected)
    assert one.status == 200, one
    more = build(w, MANY - 1)
    many = measure(api, url, django_assert_num_queries, expected)
    assert many.status == 200, many

    # The rows are really listed (statistics count them instead)…
    if "statistics" in url:
        assert one.attributes != many.attributes
    else:
        assert {str(row.pk) for row in first} <= one.listed, (one.listed, first)
        assert {str(row.pk) for row in first + more} <= many.listed
        assert len(many.listed) - len(one.listed) >= MANY - 1  # a membership brings its team along
    # …with what they include: distinct rows for each listed row, unless they share one parent.
    if "include=" in url:
        assert one.included >= 1
        assert many.included > one.included or rows in SHARED_INCLUDES
    assert one.queries == many.queries == expected
