"""The fast read path (openevent/api/fast) renders exactly the library's documents.

Every URL below is fetched twice per viewer, once with ``API_FAST_READS`` off (the library path)
and once on (the fast path), and the two documents must be equal as parsed JSON with their keys
in the same order. The fixture has what hides or shapes rows: trashed rows of every kind, a
draft, a private and a trashed event, private fields, speakers shared by sessions, sessions
without track or room, rejected, pending and draft sessions, a speaker with no session, a
trashed owner.
"""
import datetime
import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Event, Microlocation, Role, SocialLink, SpeakersCall, Sponsor
from events.tests.factories import (
    EventFactory,
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    give_role,
)
from openevent.users.services import issue_tokens
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

JSONAPI = "application/vnd.api+json"
VIEWERS = ("anonymous", "speaker", "moderator", "organizer", "admin")


class World:
    def __init__(self):
        now = timezone.now()
        self.organizer = UserFactory(email="organizer@example.org")
        self.moderator = UserFactory(email="moderator@example.org")
        self.speaker_user = UserFactory(email="speaker@example.org")
        self.admin = UserFactory(email="admin@example.org", is_admin=True)
        gone = UserFactory(email="gone@example.org")

        main = self.main = EventFactory(name="Main", privacy=Event.Privacy.PUBLIC)
        give_role(self.organizer, main, Role.OWNER)
        give_role(self.moderator, main, Role.MODERATOR)
        draft = self.draft = EventFactory(name="Draft", state=Event.State.DRAFT)
        give_role(self.organizer, draft, Role.OWNER)
        give_role(self.moderator, draft, Role.MODERATOR)
        private = self.private = EventFactory(name="Private", privacy=Event.Privacy.PRIVATE)
        give_role(gone, private, Role.OWNER)
        gone.soft_delete()
        trashed_event = EventFactory(name="Trashed")
        give_role(self.organizer, trashed_event, Role.OWNER)
        trashed_event.soft_delete()

        t1, t2 = TrackFactory(event=main, color="#ff0000"), TrackFactory(event=main, position=1)
        t3 = TrackFactory(event=main)
        t3.soft_delete()
        r1 = MicrolocationFactory(event=main, allows_parallel=True)
        r2 = MicrolocationFactory(event=main, hidden_in_scheduler=True)
        r3 = MicrolocationFactory(event=main)
        r3.soft_delete()
        s1, s2 = SessionTypeFactory(event=main), SessionTypeFactory(event=main, length="01:30")
        Sponsor.objects.create(event=main, name="Gold Co", level=1, type="gold")
        Sponsor.objects.create(event=main, name="Gone Co", level=2).soft_delete()
        SocialLink.objects.create(event=main, name="Mastodon", link="https://example.social/@main")
        SpeakersCallFactory(event=main, privacy=SpeakersCall.Privacy.PRIVATE)
        SpeakersCallFactory(event=private)
        self.tracks, self.rooms = [t1, t2, t3], [r1, r2, r3]

        a = SpeakerFactory(event=main, name="Ada", complex_field_values={"tshirt": "S"})
        b = SpeakerFactory(event=main, name="Bob", organisation="Lab")
        c = self.own_speaker = SpeakerFactory(
            event=main, name="Cy", user=self.speaker_user, email="speaker@example.org"
        )
        d = SpeakerFactory(event=main, name="Dee")
        e = SpeakerFactory(event=main, name="Eve")
        SpeakerFactory(event=main, name="Fay (no session)")
        g = SpeakerFactory(event=draft, name="Gus")
        h = SpeakerFactory(event=private, name="Hal")
        start = main.starts_at
        hour = datetime.timedelta(hours=1)

        def session(state, speakers=(), **kwargs):
            made = SessionFactory(event=kwargs.pop("event", main), state=state, **kwargs)
            made.speakers.add(*speakers)
            return made

        self.sessions = [
            session("accepted", [a, b], track=t1, microlocation=r1, session_type=s1, starts_at=start,
                    ends_at=start + hour, comments="Needs a projector", complex_field_values={"q": 1}),
            session("confirmed", [a], starts_at=start + hour, ends_at=start + 2 * hour, title="Zeta talk"),
            session("pending", [c], track=t2, creator=self.speaker_user, comments="Mine"),
            session("rejected", [d], track=t1, session_type=s2),
            session("draft", [], creator=self.speaker_user),
            session("withdrawn", [c, a]),
            session("accepted", [b], track=t3, microlocation=r3, title="On trashed parts"),
            session("accepted", [e, a], microlocation=r2, session_type=s2, submitted_at=now, title="alpha"),
            session("accepted", [g], event=draft, track=TrackFactory(event=draft)),
            session("accepted", [h], event=private),
            session("confirmed", [a, b, d], track=t2, microlocation=r1, title="Panel"),
        ]  # fmt: skip
        trashed = session("accepted", [a], track=t1, title="Trashed session")
        trashed.soft_delete()
        e.soft_delete()
        self.speakers = [a, b, c, d, e, g, h]

    def user(self, viewer):
        return {
            "anonymous": None,
            "speaker": self.speaker_user,
            "moderator": self.moderator,
            "organizer": self.organizer,
            "admin": self.admin,
        }[viewer]

    def urls(self):
        main, draft, private = self.main.pk, self.draft.pk, self.private.pk
        s0, s2, s3, s8 = (self.sessions[i].pk for i in (0, 2, 3, 8))
        a, c, g = self.speakers[0].pk, self.speakers[2].pk, self.speakers[5].pk
        t1, r1 = self.tracks[0].pk, self.rooms[0].pk
        every = "event,track,session-type,microlocation,speakers,creator"
        session_includes = [
            "", "event", "track", "session-type", "microlocation", "speakers", "creator", every,
            "speakers.sessions", "speakers.user", "speakers.event", "event.owner", "track.event",
            "speakers.sessions.speakers", "event,track.event.owner", "speakers,speakers", "track,track.event",
        ]  # fmt: skip
        urls = [f"/v1/events/{main}/sessions?include={quote(inc, safe=',.-')}&page[size]=0" for inc in session_includes]
        urls += [
            f"/v1/sessions?include={every}",
            "/v1/sessions",
            f"/v1/events/{main}/sessions",
            f"/v1/events/{draft}/sessions?include=speakers,track",
            f"/v1/events/{private}/sessions?include=speakers,event.owner",
            f"/v1/events/{main}/sessions?fields[session]=title,speakers,track&include=speakers,track",
            f"/v1/events/{main}/sessions?fields[session]=title&include=speakers,track",
            f"/v1/events/{main}/sessions?fields[session]=title,%20state,speakers&include=speakers",
            f"/v1/events/{main}/sessions?fields[speaker]=name,email,sessions&include=speakers",
            f"/v1/events/{main}/sessions?fields[session]=title,comments,complex-field-values,starts-at",
            f"/v1/events/{main}/sessions?fields[track]=name,font-color&fields[microlocation]=&include=track,microlocation",
            f"/v1/events/{main}/sessions?sort=-title&include=speakers",
            f"/v1/events/{main}/sessions?sort=track.name,-starts-at",
            # Ties, nulls, hidden (trashed) targets, private fields, computed attributes.
            f"/v1/events/{main}/sessions?sort=-track.name,microlocation.name&include=track,microlocation",
            f"/v1/events/{main}/sessions?sort=-submitted-at,session-type.length&page[size]=3&page[number]=2",
            f"/v1/events/{main}/sessions?sort=comments,-creator.email",
            f"/v1/events/{main}/sessions?sort=-is-locked,event.starts-at",
            f"/v1/events/{main}/speakers?sort=-organisation,email&include=sessions",
            f"/v1/events/{main}/speakers?sort=mobile",
            f"/v1/events/{main}/speakers?sort=user.first-name",
            "/v1/events?sort=identifier",
            "/v1/events?sort=-ical-url",
            "/v1/speakers-calls?sort=-hash",
            "/v1/speakers-calls?sort=-privacy,event.name&include=event",
            f"/v1/events/{main}/sessions?filter[state]=accepted&include=track",
            f"/v1/events/{main}/sessions?filter[track.name.icontains]=track",
            f"/v1/events/{main}/sessions?filter=" + quote('[{"name":"title","op":"ilike","val":"%a%"}]'),
            f"/v1/events/{main}/sessions?filter="
            + quote('[{"name":"speakers","op":"any","val":{"name":"name","op":"eq","val":"Ada"}}]'),
            f"/v1/events/{main}/sessions?page[size]=2&page[number]=2&include=speakers",
            f"/v1/events/{main}/sessions?page[size]=3&page[number]=last",
            f"/v1/events/{main}/sessions?page[size]=3&page[number]=9",
            f"/v1/events/{main}/sessions?get_trashed=true&include=speakers",
            f"/v1/events/{main}/sessions?filter[nope]=1",
            f"/v1/events/{main}/sessions?include=nope",
            f"/v1/tracks/{t1}/sessions?include=speakers",
            f"/v1/microlocations/{r1}/sessions",
            f"/v1/speakers/{a}/sessions?include=track",
            f"/v1/sessions/{s0}/speakers?include=sessions",
            f"/v1/users/{self.speaker_user.pk}/sessions",
            f"/v1/sessions/{s0}?include={every}",
            f"/v1/sessions/{s0}?include=speakers.sessions.speakers&fields[speaker]=name,sessions",
            f"/v1/sessions/{s2}",
            f"/v1/sessions/{s3}?include=speakers",
            f"/v1/sessions/{s8}?include=event",
            f"/v1/sessions/{s0}?get_trashed=true",
            "/v1/sessions/999999",
            "/v1/sessions/x1",
            # speakers
            "/v1/speakers?include=event,user,sessions",
            f"/v1/events/{main}/speakers?page[size]=0",
            f"/v1/events/{main}/speakers?include=sessions.speakers,sessions.track,event.owner,user",
            f"/v1/events/{main}/speakers?include=sessions&fields[session]=title&fields[speaker]=name,email,mobile",
            f"/v1/events/{main}/speakers?sort=-name&filter[organisation]=Lab",
            f"/v1/events/{main}/speakers?get_trashed=true",
            f"/v1/events/{draft}/speakers",
            f"/v1/speakers/{a}?include=sessions,event",
            f"/v1/speakers/{c}?include=user",
            f"/v1/speakers/{g}",
            # events
            "/v1/events",
            "/v1/events?include=owner",
            "/v1/events?include=owner&fields[event]=name,starts-at,owner&fields[user]=email,first-name",
            "/v1/events?sort=-name&filter[state]=draft",
            "/v1/events?get_trashed=true&include=owner",
            "/v1/events?page[size]=1&page[number]=2",
            f"/v1/events/{main}?include=owner",
            f"/v1/events/{self.main.identifier}",
            f"/v1/events/{draft}?include=owner",
            f"/v1/events/{private}?include=owner",
            # the team relationships (data for the team only) and users' events (self and admins)
            "/v1/events?include=owner,organizers,moderators",
            "/v1/events?fields[event]=name,moderators&include=moderators&fields[user]=email,is-user-owner",
            f"/v1/events/{main}?include=owner,organizers,coorganizers,track-organizers,moderators,registrars",
            f"/v1/events/{draft}?include=moderators.sessions",
            f"/v1/events/{private}?include=owner,registrars",
            f"/v1/users/{self.organizer.pk}/events?include=owner,moderators",
            f"/v1/users/{self.moderator.pk}/moderator-events?include=moderators",
        ]  # fmt: skip
        for plural in ("tracks", "session-types", "microlocations", "sponsors", "social-links", "speakers-calls"):
            urls += [
                f"/v1/{plural}",
                f"/v1/{plural}?include=event.owner",
                f"/v1/events/{main}/{plural}?include=event&sort=-id",
                f"/v1/events/{main}/{plural}?get_trashed=true&page[size]=1",
                f"/v1/events/{draft}/{plural}",
                f"/v1/events/{private}/{plural}",
            ]
        urls += [
            f"/v1/tracks/{t1}?include=event",
            f"/v1/tracks/{self.tracks[2].pk}?get_trashed=true",
            f"/v1/microlocations/{r1}",
            f"/v1/speakers-calls/{SpeakersCall.objects.get(event=self.main).pk}",
            f"/v1/sponsors/{Sponsor.objects.filter(event=self.main).first().pk}?include=event",
            f"/v1/social-links/{SocialLink.objects.first().pk}",
            "/v1/tracks?fields[track]=name,color,sessions",
            "/v1/microlocations?filter[hidden-in-scheduler]=true&fields[microlocation]=name",
            "/v1/microlocations?filter[allows-parallel]=true&fields[microlocation]=name,allows-parallel",
        ]
        assert Microlocation.objects.exists()
        return urls


def fetch(user, url, fast, accept=JSONAPI):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"JWT {issue_tokens(user)['access_token']}")
    with override_settings(API_FAST_READS=fast):
        return client.get(url, HTTP_ACCEPT=accept)


def ordered(response):
    """The document with every object as a list of (key, value) pairs: equal means equal with
    the same key order."""
    return json.loads(response.content, object_pairs_hook=list)


@pytest.fixture
def world(db):
    return World()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_fast_path_renders_the_library_documents(world, viewer):
    user = world.user(viewer)
    fast_ok = 0
    for url in world.urls():
        library, fast = fetch(user, url, fast=False), fetch(user, url, fast=True)
        assert getattr(library, "read_path", "library") == "library"
        assert fast.status_code == library.status_code, url
        assert ordered(fast) == ordered(library), url
        if library.status_code == 200:
            # Every successful GET of these resources takes the fast path.
            assert getattr(fast, "read_path", "library") == "fast", url
            fast_ok += 1
    assert fast_ok > 60


def test_documents_are_not_trivially_equal(world):
    """The comparison sees what differs between viewers: private fields and hidden rows."""
    url = f"/v1/events/{world.main.pk}/sessions?include=speakers&page[size]=0"
    anonymous, organizer = ordered(fetch(None, url, True)), ordered(fetch(world.organizer, url, True))
    assert anonymous != organizer
    body = fetch(world.organizer, url, True).json()
    assert any("comments" in row["attributes"] for row in body["data"])
    assert {row["attributes"]["state"] for row in body["data"]} >= {"accepted", "rejected", "draft"}
    assert all("comments" not in row["attributes"] for row in fetch(None, url, True).json()["data"])


@pytest.mark.parametrize(
    ("accept", "path"), [(JSONAPI, "fast"), ("application/json", "fast"), ("text/html", "library")]
)
def test_browsable_api_keeps_the_library_path(world, accept, path):
    response = fetch(world.organizer, f"/v1/events/{world.main.pk}/tracks", True, accept=accept)
    assert response.status_code == 200
    assert getattr(response, "read_path", "library") == path


def test_the_setting_sends_everything_to_the_library(world):
    response = fetch(world.organizer, f"/v1/events/{world.main.pk}/sessions?include=speakers", False)
    assert response.status_code == 200
    assert getattr(response, "read_path", "library") == "library"


def test_deeper_includes_cost_no_more_queries_once_every_row_is_read(world, settings):
    """Each included type is read once by its ids: going deeper than the rows reach adds no
    query (the library re-walked every path per row, growing about 2.4x a level). The include
    cap is raised for this test, to look past where the rows end."""
    settings.API_MAX_INCLUDE_DEPTH = 5
    base = f"/v1/events/{world.main.pk}/sessions?page[size]=0&include="

    def run(include):
        with CaptureQueriesContext(connection) as queries:
            response = fetch(world.organizer, base + include, fast=True)
        assert response.status_code == 200
        assert response.read_path == "fast"
        return response.json(), len(queries)

    run("speakers")  # the first request of a token does more (last access)
    shallow, shallow_queries = run("speakers.sessions.speakers")
    deep, deep_queries = run("speakers.sessions.speakers.sessions.speakers")
    assert deep_queries == shallow_queries
    assert {(r["type"], r["id"]) for r in deep["included"]} == {(r["type"], r["id"]) for r in shallow["included"]}
    assert len(deep["included"]) >= 4
