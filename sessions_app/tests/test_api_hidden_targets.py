"""Sessions and speakers name no target in the trash (a track, session type, room, user) nor an
event the viewer may not see: their relationship ``data`` is null, the relationship route says
null, and the target is never included. Nested includes run a constant number of queries."""
import pytest

from events.models import Event, Role
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

PARTS = [("track", "track"), ("session_type", "session-type"), ("microlocation", "microlocation")]
PART_ATTRIBUTE = {"track": "track", "session-type": "session_type", "microlocation": "room"}


def included(response, type_):
    return [row["id"] for row in response.json_body.get("included", []) if row["type"] == type_]


def relationship(row, name):
    return row["relationships"][name]["data"]


# --- trashed targets ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("field", "name"), PARTS)
@pytest.mark.parametrize("viewer", ["owner", "anonymous", "admin"])
def test_a_trashed_part_is_null_and_never_included(api, program, field, name, viewer):
    session = program.own_session
    part = getattr(program, PART_ATTRIBUTE[name])
    Session.objects.filter(pk=session.pk).update(state="accepted", **{field: part})
    api.as_user(program.people[viewer])
    detail = api.get(f"/v1/sessions/{session.pk}", include=name)
    assert relationship(detail.json_body["data"], name) == {"type": name, "id": str(part.pk)}
    assert included(detail, name) == [str(part.pk)]

    part.soft_delete()
    detail = api.get(f"/v1/sessions/{session.pk}", include=name)
    assert detail.status_code == 200
    assert relationship(detail.json_body["data"], name) is None
    assert included(detail, name) == []
    listing = api.get(f"/v1/events/{program.event.pk}/sessions", include=name)
    row = next(row for row in listing.json_body["data"] if row["id"] == str(session.pk))
    assert relationship(row, name) is None
    assert included(listing, name) == []
    assert api.get(f"/v1/sessions/{session.pk}/relationships/{name}").json_body["data"] is None
    assert_error(api.get(f"/v1/sessions/{session.pk}/{name}"), 404)


def test_a_trashed_creator_is_null_and_never_included(api, program):
    session = program.own_session
    api.as_user(program.people["owner"])
    assert included(api.get(f"/v1/sessions/{session.pk}", include="creator"), "user") == [str(program.speaker_user.pk)]
    program.speaker_user.soft_delete()
    for url in (f"/v1/sessions/{session.pk}", f"/v1/events/{program.event.pk}/sessions"):
        response = api.get(url, include="creator")
        data = response.json_body["data"]
        row = data if isinstance(data, dict) else next(row for row in data if row["id"] == str(session.pk))
        assert relationship(row, "creator") is None
        assert included(response, "user") == []
    assert api.get(f"/v1/sessions/{session.pk}/relationships/creator").json_body["data"] is None
    assert_error(api.get(f"/v1/sessions/{session.pk}/creator"), 404)


def test_a_speakers_trashed_user_is_null_and_never_included(api, program):
    api.as_user(program.people["owner"])
    program.speaker_user.soft_delete()
    detail = api.get(f"/v1/speakers/{program.speaker.pk}", include="user")
    assert relationship(detail.json_body["data"], "user") is None
    assert included(detail, "user") == []
    nested = api.get(f"/v1/sessions/{program.own_session.pk}", include="speakers.user")
    assert included(nested, "speaker") == [str(program.speaker.pk)]
    assert included(nested, "user") == []
    assert api.get(f"/v1/speakers/{program.speaker.pk}/relationships/user").json_body["data"] is None


def test_live_targets_are_still_named(api, program):
    session = program.own_session
    api.as_user(program.people["owner"])
    response = api.get(f"/v1/sessions/{session.pk}", include="track,creator,event")
    data = response.json_body["data"]
    assert relationship(data, "track") == {"type": "track", "id": str(program.track.pk)}
    assert relationship(data, "creator") == {"type": "user", "id": str(program.speaker_user.pk)}
    assert relationship(data, "session-type") is None
    assert included(response, "event") == [str(program.event.pk)]
    assert api.get(f"/v1/sessions/{session.pk}/relationships/track").json_body["data"] == {
        "type": "track",
        "id": str(program.track.pk),
    }


# --- nested includes run a constant number of queries -------------------------------------------------------
def add_sessions(program, count):
    """``count`` accepted sessions, each with a speaker who has an account, and the shared track."""
    event = program.event
    for _ in range(count):
        user = UserFactory()
        speaker = SpeakerFactory(event=event, user=user, email=user.email)
        session = SessionFactory(event=event, state="accepted", track=program.track, creator=user)
        session.speakers.add(speaker, program.speaker)


SESSION_INCLUDES = [
    "speakers.user",
    "speakers.sessions.speakers",
    "speakers.event.owner",
    "event.owner",
    "track.event.owner",
    "creator,track,session-type,microlocation",
]
SPEAKER_INCLUDES = [
    "sessions.speakers",
    "sessions.speakers.user",
    "sessions.track",
    "user,event.owner",
    "sessions.creator",
]


@pytest.mark.parametrize("include", SESSION_INCLUDES)
@pytest.mark.parametrize("viewer", ["owner", "anonymous", "speaker"])
def test_session_list_with_nested_includes_runs_constant_queries(api, program, include, viewer):
    api.as_user(program.people[viewer])
    Session.objects.filter(pk=program.own_session.pk).update(state="accepted")

    def fetch():
        return api.get(f"/v1/events/{program.event.pk}/sessions", include=include, **{"page[size]": "0"})

    _, one = count_queries(fetch)
    add_sessions(program, 6)
    response, seven = count_queries(fetch)
    assert response.status_code == 200
    assert len(response.json_body["data"]) == 7
    if include == "speakers.user":
        assert len(included(response, "user")) == 7
    assert one == seven, (one, seven)


@pytest.mark.parametrize("include", SPEAKER_INCLUDES)
@pytest.mark.parametrize("viewer", ["owner", "anonymous"])
def test_speaker_list_with_nested_includes_runs_constant_queries(api, program, include, viewer):
    api.as_user(program.people[viewer])
    Session.objects.filter(pk=program.own_session.pk).update(state="accepted")

    def fetch():
        return api.get(f"/v1/events/{program.event.pk}/speakers", include=include, **{"page[size]": "0"})

    _, one = count_queries(fetch)
    add_sessions(program, 6)
    response, seven = count_queries(fetch)
    assert response.status_code == 200
    assert len(response.json_body["data"]) == 7
    if include.startswith("sessions"):
        assert len(included(response, "session")) == 7
    assert one == seven, (one, seven)


def test_nested_speakers_follow_the_same_visibility(api, program):
    """A speaker of a session included under a speaker is one the viewer may see: an anonymous
    reader never gets a speaker whose only sessions are not public."""
    hidden = SpeakerFactory(event=program.event, name="Hidden")
    pending = SessionFactory(event=program.event, state="pending")
    pending.speakers.add(hidden, program.speaker)
    public = SessionFactory(event=program.event, state="accepted")
    public.speakers.add(program.speaker)
    response = api.get(f"/v1/events/{program.event.pk}/speakers", include="sessions.speakers")
    assert str(hidden.pk) not in included(response, "speaker") + [row["id"] for row in response.json_body["data"]]
    assert included(response, "session") == [str(public.pk)]
    owner = api.as_user(program.people["owner"]).get(f"/v1/speakers/{program.speaker.pk}", include="sessions.speakers")
    assert str(hidden.pk) in included(owner, "speaker")


def test_sessions_of_many_draft_events_cost_the_same_queries(api):
    """Whether each session's event may be seen is answered for the whole page at once."""
    user = UserFactory()
    api.as_user(user)

    def add(count):
        for _ in range(count):
            event = EventFactory(state=Event.State.DRAFT)
            give_role(user, event, Role.COORGANIZER)
            SessionFactory(event=event, state="pending")

    def fetch():
        return api.get("/v1/sessions", include="event", **{"page[size]": "0"})

    add(1)
    _, one = count_queries(fetch)
    add(6)
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert len(included(response, "event")) == 7
    assert one == seven, (one, seven)
