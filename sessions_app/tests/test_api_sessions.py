"""/v1/sessions, nested session lists, session relationships: who sees, proposes, edits, deletes."""
import datetime
import json

import pytest

from events.models import Event
from events.tests.factories import EventFactory, MicrolocationFactory, SessionTypeFactory, TrackFactory, give_role
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, close_call, ids, pointers, rel, session_doc

pytestmark = pytest.mark.django_db

STATES = [state for state, _ in Session.State.choices]
PUBLIC = {"accepted", "confirmed"}
ROLES = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"]
ORGANIZERS = ["owner", "organizer", "coorganizer", "admin"]
READERS_ONLY = ["track_organizer", "moderator", "registrar"]


def one_per_state(event, **kwargs):
    return {state: SessionFactory(event=event, state=state, **kwargs) for state in STATES}


# --- reading ------------------------------------------------------------------------------------
@pytest.mark.parametrize("viewer", ["anonymous", "plain", "other_organizer"])
def test_public_readers_see_accepted_and_confirmed_sessions_only(api, program, viewer):
    sessions = one_per_state(program.event)
    api.as_user(program.people[viewer])
    public = {str(sessions[state].pk) for state in PUBLIC}
    for url in (
        f"/v1/events/{program.event.pk}/sessions",
        f"/v1/events/{program.event.identifier}/sessions",
        "/v1/sessions",
    ):
        response = api.get(url)
        assert response.status_code == 200, response.json_body
        assert ids(response) == public
        assert response.json_body["meta"]["count"] == 2
    for state, session in sessions.items():
        response = api.get(f"/v1/sessions/{session.pk}")
        if state in PUBLIC:
            assert response.status_code == 200
        else:
            assert_error(response, 404)


@pytest.mark.parametrize("viewer", ROLES)
def test_every_role_at_the_event_reads_every_session(api, program, viewer):
    sessions = one_per_state(program.event)
    api.as_user(program.people[viewer])
    response = api.get(f"/v1/events/{program.event.pk}/sessions", **{"page[size]": "0"})
    assert ids(response) == {str(s.pk) for s in sessions.values()} | {str(program.own_session.pk)}
    assert api.get(f"/v1/sessions/{sessions['draft'].pk}").status_code == 200


def test_a_speaker_sees_their_own_sessions_in_any_state_and_nobody_elses(api, program):
    others = one_per_state(program.event)
    program.own_session.state = "draft"
    program.own_session.save()
    api.as_user(program.speaker_user)
    listed = ids(api.get(f"/v1/events/{program.event.pk}/sessions"))
    assert listed == {str(program.own_session.pk)} | {str(others[s].pk) for s in PUBLIC}
    assert api.get(f"/v1/sessions/{program.own_session.pk}").status_code == 200
    assert_error(api.get(f"/v1/sessions/{others['pending'].pk}"), 404)


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "track_organizer", "moderator", "registrar", "speaker"])
def test_a_draft_events_sessions_are_404_below_coorganizer(api, viewer):
    program = Program(state=Event.State.DRAFT)
    session = SessionFactory(event=program.event, state="accepted")
    api.as_user(program.people[viewer])
    assert_error(api.get(f"/v1/events/{program.event.pk}/sessions"), 404)
    assert_error(api.get(f"/v1/sessions/{session.pk}"), 404)
    assert_error(api.get(f"/v1/sessions/{program.own_session.pk}"), 404)
    assert str(session.pk) not in ids(api.get("/v1/sessions"))


@pytest.mark.parametrize("viewer", ["owner", "coorganizer", "admin"])
def test_coorganizers_read_a_draft_events_sessions(api, viewer):
    program = Program(state=Event.State.DRAFT)
    session = SessionFactory(event=program.event, state="pending")
    api.as_user(program.people[viewer])
    assert str(session.pk) in ids(api.get(f"/v1/events/{program.event.pk}/sessions"))
    assert api.get(f"/v1/sessions/{session.pk}").status_code == 200


def test_private_fields_are_for_program_readers_and_the_sessions_own_speakers(api, program):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(
        state="accepted", comments="Please no morning slot", complex_field_values={"diet": "vegan"}
    )
    for viewer, private in [
        ("anonymous", False), ("plain", False), ("other_organizer", False),
        ("moderator", True), ("registrar", True), ("owner", True), ("admin", True), ("speaker", True),
    ]:  # fmt: skip
        api.as_user(program.people[viewer])
        for response in (api.get(f"/v1/sessions/{session.pk}"), api.get(f"/v1/events/{program.event.pk}/sessions")):
            data = response.json_body["data"]
            row = data if isinstance(data, dict) else next(r for r in data if r["id"] == str(session.pk))
            attributes = row["attributes"]
            assert ("comments" in attributes) is private, viewer
            assert ("complex-field-values" in attributes) is private, viewer
            assert "title" in attributes


def test_private_event_sessions_are_listed_only_under_the_event(api):
    program = Program(privacy=Event.Privacy.PRIVATE)
    session = SessionFactory(event=program.event, state="accepted")
    assert str(session.pk) not in ids(api.get("/v1/sessions"))
    assert ids(api.get(f"/v1/events/{program.event.identifier}/sessions")) == {str(session.pk)}
    assert api.get(f"/v1/sessions/{session.pk}").status_code == 200


def test_sessions_of_a_deleted_event_vanish(api, program):
    session = SessionFactory(event=program.event, state="accepted")
    program.event.soft_delete()
    assert_error(api.get(f"/v1/sessions/{session.pk}"), 404)
    assert str(session.pk) not in ids(api.get("/v1/sessions"))
    api.as_user(program.people["owner"])
    assert_error(api.get(f"/v1/sessions/{session.pk}"), 404)


def test_dasherized_attributes_and_relationship_links(api, program):
    session = SessionFactory(
        event=program.event, track=program.track, microlocation=program.room, session_type=program.session_type,
        starts_at=program.at(1), ends_at=program.at(2), short_abstract="Short",
    )  # fmt: skip
    session.speakers.add(program.speaker)
    data = api.get(f"/v1/sessions/{session.pk}").json_body["data"]
    assert data["type"] == "session"
    assert data["id"] == str(session.pk)
    assert data["attributes"]["short-abstract"] == "Short"
    assert data["attributes"]["starts-at"].startswith(str(program.at(1).date()))
    assert "send-email" not in data["attributes"]
    relationships = data["relationships"]
    assert relationships["speakers"]["data"] == [{"type": "speaker", "id": str(program.speaker.pk)}]
    assert relationships["session-type"]["data"] == {"type": "session-type", "id": str(program.session_type.pk)}
    assert relationships["microlocation"]["data"] == {"type": "microlocation", "id": str(program.room.pk)}
    links = relationships["speakers"]["links"]
    assert links["self"].endswith(f"/v1/sessions/{session.pk}/relationships/speakers")
    assert links["related"].endswith(f"/v1/sessions/{session.pk}/speakers")


# --- related routes and nested lists ------------------------------------------------------------
def test_to_one_related_and_relationship_routes(api, program):
    session = SessionFactory(
        event=program.event, track=program.track, microlocation=program.room, session_type=program.session_type,
        creator=program.people["plain"],
    )  # fmt: skip
    for rel_name, type_, pk in [
        ("event", "event", program.event.pk), ("track", "track", program.track.pk),
        ("microlocation", "microlocation", program.room.pk), ("session-type", "session-type", program.session_type.pk),
        ("creator", "user", program.people["plain"].pk),
    ]:  # fmt: skip
        related = api.get(f"/v1/sessions/{session.pk}/{rel_name}")
        assert related.status_code == 200, (rel_name, related.json_body)
        assert related.json_body["data"]["type"] == type_
        assert related.json_body["data"]["id"] == str(pk)
        relationship = api.get(f"/v1/sessions/{session.pk}/relationships/{rel_name}")
        assert relationship.json_body["data"] == {"type": type_, "id": str(pk)}
    # The creator's private fields stay private.
    assert "email" not in api.get(f"/v1/sessions/{session.pk}/creator").json_body["data"]["attributes"]
    empty = SessionFactory(event=program.event)
    assert api.get(f"/v1/sessions/{empty.pk}/track").json_body["data"] is None


def test_related_routes_are_guarded_like_the_session(api, program):
    pending = SessionFactory(event=program.event, state="pending", track=program.track)
    for url in (
        f"/v1/sessions/{pending.pk}/track",
        f"/v1/sessions/{pending.pk}/speakers",
        f"/v1/sessions/{pending.pk}/relationships/speakers",
    ):
        assert_error(api.as_user(program.people["plain"]).get(url), 404)
        assert api.as_user(program.people["moderator"]).get(url).status_code == 200


def test_sessions_nested_under_track_room_type_and_speaker(api, program):
    other_track, other_room, other_type = (
        TrackFactory(event=program.event), MicrolocationFactory(event=program.event),
        SessionTypeFactory(event=program.event),
    )  # fmt: skip
    inside = SessionFactory(
        event=program.event, track=program.track, microlocation=program.room, session_type=program.session_type
    )
    inside.speakers.add(program.speaker)
    SessionFactory(event=program.event, track=other_track, microlocation=other_room, session_type=other_type)
    hidden = SessionFactory(event=program.event, track=program.track, microlocation=program.room, state="pending")
    for url in (
        f"/v1/tracks/{program.track.pk}/sessions",
        f"/v1/microlocations/{program.room.pk}/sessions",
        f"/v1/session-types/{program.session_type.pk}/sessions",
        f"/v1/speakers/{program.speaker.pk}/sessions",
    ):
        response = api.as_user(None).get(url)
        assert response.status_code == 200, (url, response.json_body)
        assert ids(response) == {str(inside.pk)}, url
    organizer_view = api.as_user(program.people["organizer"]).get(f"/v1/tracks/{program.track.pk}/sessions")
    assert ids(organizer_view) == {str(inside.pk), str(hidden.pk), str(program.own_session.pk)}


def test_nested_lists_of_a_draft_events_parts_are_404(api):
    program = Program(state=Event.State.DRAFT)
    for url in (
        f"/v1/tracks/{program.track.pk}/sessions",
        f"/v1/microlocations/{program.room.pk}/sessions",
        "/v1/tracks/99999/sessions",
        "/v1/tracks/abc/sessions",
    ):
        assert_error(api.as_user(program.people["moderator"]).get(url), 404)
    assert api.as_user(program.people["coorganizer"]).get(f"/v1/tracks/{program.track.pk}/sessions").status_code == 200


@pytest.mark.parametrize(
    ("viewer", "status"), [("speaker", 200), ("admin", 200), ("plain", 403), ("owner", 403), ("anonymous", 401)]
)
def test_a_users_sessions_are_for_that_user_and_admins(api, program, viewer, status):
    co_spoken = SessionFactory(event=program.event, state="draft")
    co_spoken.speakers.add(program.speaker)
    SessionFactory(event=program.event, state="accepted")
    response = api.as_user(program.people[viewer]).get(f"/v1/users/{program.speaker_user.pk}/sessions")
    if status != 200:
        assert_error(response, status)
        return
    assert ids(response) == {str(program.own_session.pk), str(co_spoken.pk)}


def test_no_creating_through_list_only_nested_routes(api, program):
    api.as_user(program.people["owner"])
    for url in (f"/v1/tracks/{program.track.pk}/sessions", f"/v1/users/{program.people['owner'].pk}/sessions"):
        assert_error(api.post(url, session_doc(program.event, title="Nested")), 405)
        assert_error(api.post(url, session_doc(program.event)), 405)  # not a 422 first
    assert not Session.objects.filter(title="Nested").exists()


# --- proposing and creating -----------------------------------------------------------------------
@pytest.mark.parametrize("creator", ORGANIZERS)
def test_organizers_create_sessions_in_any_state_with_schedule_and_speakers(api, program, creator):
    body = session_doc(
        program.event,
        relationships={
            "track": rel("track", program.track.pk),
            "microlocation": rel("microlocation", program.room.pk),
            "session-type": rel("session-type", program.session_type.pk),
            "speakers": {"data": [{"type": "speaker", "id": str(program.speaker.pk)}]},
        },
        title="Keynote", state="confirmed", **{"starts-at": program.iso(1), "ends-at": program.iso(2),
            "is-locked": True},
    )  # fmt: skip
    response = api.as_user(program.people[creator]).post("/v1/sessions", body)
    assert response.status_code == 201, response.json_body
    session = Session.objects.get(title="Keynote")
    assert response["Location"].endswith(f"/v1/sessions/{session.pk}")
    assert session.state == "confirmed"
    assert session.is_locked
    assert session.starts_at == program.at(1)
    assert (session.track, session.microlocation, session.session_type) == (
        program.track,
        program.room,
        program.session_type,
    )
    assert list(session.speakers.all()) == [program.speaker]
    assert session.creator == program.people[creator]
    assert response.json_body["data"]["relationships"]["creator"]["data"]["id"] == str(program.people[creator].pk)


def test_a_logged_in_user_proposes_while_the_call_is_open(api, program):
    proposer = program.people["plain"]
    response = api.as_user(proposer).post("/v1/sessions", session_doc(program.event, title="My idea", state="pending"))
    assert response.status_code == 201, response.json_body
    session = Session.objects.get(title="My idea")
    assert session.state == "pending"
    assert session.creator == proposer
    assert session.submitted_at is not None
    # The proposer sees it, with its private fields; the public does not.
    assert api.get(f"/v1/sessions/{session.pk}").status_code == 200
    assert_error(api.as_user(None).get(f"/v1/sessions/{session.pk}"), 404)


def test_a_proposal_defaults_to_draft(api, program):
    response = api.as_user(program.people["plain"]).post("/v1/sessions", session_doc(program.event, title="Draft idea"))
    assert response.status_code == 201, response.json_body
    assert Session.objects.get(title="Draft idea").state == "draft"
    assert Session.objects.get(title="Draft idea").submitted_at is None




@pytest.mark.parametrize("how", ["closed", "not_open_yet", "private", "no_call", "sessions_disabled"])
def test_proposals_respect_the_call_for_papers(api, program, how):
    close_call(program, how)
    response = api.as_user(program.people["plain"]).post("/v1/sessions", session_doc(program.event, title="Late"))
    assert_error(response, 403)
    assert not Session.objects.filter(title="Late").exists()


def test_a_private_call_takes_proposals_with_its_hash(api, program):
    close_call(program, "private")
    program.call.refresh_from_db()
    api.as_user(program.people["plain"])
    assert_error(api.post("/v1/sessions?hash=wrong", session_doc(program.event, title="Hashed")), 403)
    response = api.post(f"/v1/sessions?hash={program.call.hash}", session_doc(program.event, title="Hashed"))
    assert response.status_code == 201, response.json_body
    assert Session.objects.filter(title="Hashed").count() == 1


def test_organizers_create_sessions_whatever_the_call(api, program):
    close_call(program, "closed")
    close_call(program, "sessions_disabled")
    response = api.as_user(program.people["coorganizer"]).post(
        "/v1/sessions", session_doc(program.event, title="Invited")
    )
    assert response.status_code == 201, response.json_body


def test_proposals_to_a_draft_event_are_refused(api):
    program = Program(state=Event.State.DRAFT)
    response = api.as_user(program.people["plain"]).post("/v1/sessions", session_doc(program.event, title="Hidden"))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/event"]
    assert not Session.objects.filter(title="Hidden").exists()


def test_anonymous_cannot_propose(api, program):
    assert_error(api.post("/v1/sessions", session_doc(program.event, title="Anon")), 401)
    assert not Session.objects.filter(title="Anon").exists()


@pytest.mark.parametrize(
    ("attributes", "relationships", "field"),
    [
        ({"state": "accepted"}, {}, "state"),
        ({"state": "confirmed"}, {}, "state"),
        ({"starts-at": "START", "ends-at": "END"}, {}, "starts_at"),
        ({}, {"microlocation": "ROOM"}, "microlocation"),
        ({"is-locked": True}, {}, "is_locked"),
        ({"is-mail-sent": True}, {}, "is_mail_sent"),
    ],
)
@pytest.mark.parametrize("proposer", ["plain", "moderator", "speaker"])
def test_a_proposal_cannot_accept_schedule_or_lock_itself(api, program, attributes, relationships, field, proposer):
    attributes = {k: {"START": program.iso(1), "END": program.iso(2)}.get(v, v) for k, v in attributes.items()}
    relationships = {k: rel("microlocation", program.room.pk) for k in relationships}
    body = session_doc(program.event, relationships=relationships, title="Sneaky", **attributes)
    response = api.as_user(program.people[proposer]).post("/v1/sessions", body)
    assert_error(response, 403)
    assert not Session.objects.filter(title="Sneaky").exists()


def test_a_proposer_may_attach_only_their_own_speaker_row(api, program):
    someone = SpeakerFactory(event=program.event)
    api.as_user(program.speaker_user)
    body = session_doc(
        program.event, relationships={"speakers": {"data": [{"type": "speaker", "id": str(someone.pk)}]}}, title="Mine"
    )
    assert_error(api.post("/v1/sessions", body), 403)
    assert not Session.objects.filter(title="Mine").exists()
    body["data"]["relationships"]["speakers"]["data"][0]["id"] = str(program.speaker.pk)
    assert api.post("/v1/sessions", body).status_code == 201
    assert list(Session.objects.get(title="Mine").speakers.all()) == [program.speaker]


def other_event_parts():
    other = EventFactory()
    return {
        "track": TrackFactory(event=other),
        "microlocation": MicrolocationFactory(event=other),
        "session-type": SessionTypeFactory(event=other),
        "speakers": SpeakerFactory(event=other),
    }


def broken_attributes(case, program):
    """The attributes of an invalid session for ``case`` (the times, URL, state, title, answers)."""
    attributes = {"title": "Broken"}
    event_start, event_end = program.event.starts_at, program.event.ends_at
    if case == "ends_before_starts":
        attributes.update({"starts-at": program.iso(3), "ends-at": program.iso(2)})
    elif case == "ends_equal_starts":
        attributes.update({"starts-at": program.iso(3), "ends-at": program.iso(3)})
    elif case == "starts_before_event":
        attributes.update(
            {"starts-at": (event_start - datetime.timedelta(hours=1)).isoformat(), "ends-at": program.iso(1)}
        )
    elif case == "ends_after_event":
        attributes.update(
            {"starts-at": program.iso(1), "ends-at": (event_end + datetime.timedelta(minutes=1)).isoformat()}
        )
    elif case == "start_without_end":
        attributes.update({"starts-at": program.iso(1)})
    elif case == "bad_url":
        attributes["slides-url"] = "not a url"
    elif case == "bad_state":
        attributes["state"] = "maybe"
    elif case == "no_title":
        del attributes["title"]
    elif case == "bad_datetime":
        attributes.update({"starts-at": "tomorrow", "ends-at": program.iso(2)})
    elif case == "custom_answers_not_an_object":
        attributes["complex-field-values"] = ["a"]
    return attributes


def broken_relationships(case):
    """The relationships of an invalid session for ``case`` (parts of another event, unknown ids)."""
    relationships = {}
    if case.endswith("of_another_event"):
        parts = other_event_parts()
        name = {"track": "track", "room": "microlocation", "type": "session-type", "speaker": "speakers"}[
            case.split("_")[0]
        ]
        part = parts[name]
        if name == "speakers":
            relationships["speakers"] = {"data": [{"type": "speaker", "id": str(part.pk)}]}
        else:
            relationships[name] = rel(name, part.pk)
    elif case == "unknown_track":
        relationships["track"] = rel("track", 99999)
    return relationships


@pytest.mark.parametrize(
    ("case", "pointer"),
    [
        ("ends_before_starts", "/data/attributes/ends-at"),
        ("ends_equal_starts", "/data/attributes/ends-at"),
        ("starts_before_event", "/data/attributes/starts-at"),
        ("ends_after_event", "/data/attributes/ends-at"),
        ("start_without_end", "/data/attributes/ends-at"),
        ("track_of_another_event", "/data/relationships/track"),
        ("room_of_another_event", "/data/relationships/microlocation"),
        ("type_of_another_event", "/data/relationships/session-type"),
        ("speaker_of_another_event", "/data/relationships/speakers"),
        ("unknown_track", "/data/relationships/track"),
        ("bad_url", "/data/attributes/slides-url"),
        ("bad_state", "/data/attributes/state"),
        ("no_title", "/data/attributes/title"),
        ("no_event", "/data/relationships/event"),
        ("bad_datetime", "/data/attributes/starts-at"),
        ("custom_answers_not_an_object", "/data/attributes/complex-field-values"),
    ],
)
def test_invalid_sessions_are_422_with_a_pointer(api, program, case, pointer):
    event = program.event
    attributes = broken_attributes(case, program)
    relationships = broken_relationships(case)
    body = session_doc(None if case == "no_event" else event, relationships=relationships, **attributes)
    response = api.as_user(program.people["owner"]).post("/v1/sessions", body)
    assert_error(response, 422)
    assert pointer in pointers(response), response.json_body
    assert Session.objects.count() == 1  # the program's own session only


def test_garbage_wrong_type_and_wrong_media_type(api, program):
    api.as_user(program.people["owner"])
    assert_error(api.post("/v1/sessions", raw="{not json"), 400)
    wrong = session_doc(program.event, title="Typed")
    wrong["data"]["type"] = "speaker"
    assert_error(api.post("/v1/sessions", wrong), 409)
    raw = json.dumps(session_doc(program.event, title="Typed"))
    assert_error(api.post("/v1/sessions", raw=raw, content_type="application/json-patch+json"), 415)
    assert_error(api.post("/v1/sessions", raw=raw, content_type="multipart/form-data; boundary=x"), 415)
    assert not Session.objects.filter(title="Typed").exists()
    session = program.own_session
    assert_error(api.patch(f"/v1/sessions/{session.pk}", raw="[1,"), 400)
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk + 1, title="Other")), 409)
    typed = session_doc(id=session.pk, title="Other")
    typed["data"]["type"] = "event"
    assert_error(api.patch(f"/v1/sessions/{session.pk}", typed), 409)
    session.refresh_from_db()
    assert session.title != "Other"


def test_html_in_abstracts_and_comments_is_sanitized(api, program):
    body = session_doc(
        program.event,
        title="<b>Bold</b> title",
        **{
            "short-abstract": '<p onclick="x()">Hi<script>alert(1)</script></p>',
            "long-abstract": '<a href="javascript:alert(1)">link</a><em>ok</em>',
            "comments": "<img src=x onerror=alert(1)>note",
        },
    )
    response = api.as_user(program.people["plain"]).post("/v1/sessions", body)
    assert response.status_code == 201, response.json_body
    session = Session.objects.get(creator=program.people["plain"])
    assert session.short_abstract == "<p>Hi</p>"
    assert "javascript" not in session.long_abstract
    assert "<em>ok</em>" in session.long_abstract
    assert session.comments == "note"


# --- editing ------------------------------------------------------------------------------------
@pytest.mark.parametrize("editor", ORGANIZERS)
def test_organizers_edit_schedule_and_state(api, program, editor):
    session = program.own_session
    session.is_locked = True
    session.save()
    body = session_doc(
        id=session.pk,
        relationships={"microlocation": rel("microlocation", program.room.pk)},
        state="accepted", title="Renamed", **{"starts-at": program.iso(2), "ends-at": program.iso(3)},
    )  # fmt: skip
    response = api.as_user(program.people[editor]).patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    session.refresh_from_db()
    assert (session.state, session.title, session.microlocation, session.starts_at) == (
        "accepted",
        "Renamed",
        program.room,
        program.at(2),
    )
    assert response.json_body["data"]["attributes"]["state"] == "accepted"


@pytest.mark.parametrize(("editor", "status"), [
    ("track_organizer", 403), ("moderator", 403), ("registrar", 403),
    ("other_organizer", 403), ("plain", 403), ("anonymous", 401),
])  # fmt: skip
def test_readers_and_outsiders_cannot_edit_or_delete(api, program, editor, status):
    session = SessionFactory(event=program.event, state="accepted", title="Stable")
    api.as_user(program.people[editor])
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Changed")), status)
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="rejected")), status)
    assert_error(api.delete(f"/v1/sessions/{session.pk}"), status)
    session.refresh_from_db()
    assert (session.title, session.state, session.deleted_at) == ("Stable", "accepted", None)


def test_outsiders_get_404_for_sessions_they_cannot_see(api, program):
    session = SessionFactory(event=program.event, state="pending", title="Stable")
    api.as_user(program.people["plain"])
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Changed")), 404)
    assert_error(api.delete(f"/v1/sessions/{session.pk}"), 404)
    session.refresh_from_db()
    assert session.title == "Stable"


def test_a_speaker_edits_their_own_unlocked_session(api, program):
    session = program.own_session
    body = session_doc(id=session.pk, title="Better title", **{"long-abstract": "<p>More<script>x</script></p>"})
    response = api.as_user(program.speaker_user).patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    session.refresh_from_db()
    assert session.title == "Better title"
    assert session.long_abstract == "<p>More</p>"


def test_a_co_speaker_who_did_not_create_the_session_may_edit_it(api, program):
    session = SessionFactory(event=program.event, state="pending", creator=program.people["plain"])
    session.speakers.add(program.speaker)
    response = api.as_user(program.speaker_user).patch(
        f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Ours")
    )
    assert response.status_code == 200, response.json_body


def test_a_speaker_cannot_edit_someone_elses_session(api, program):
    other_speaker = SpeakerFactory(event=program.event, user=UserFactory())
    session = SessionFactory(event=program.event, state="accepted", title="Theirs")
    session.speakers.add(other_speaker)
    response = api.as_user(program.speaker_user).patch(
        f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Mine now")
    )
    assert_error(response, 403)
    session.refresh_from_db()
    assert session.title == "Theirs"


def test_a_speaker_at_another_event_gains_nothing_here(api, program):
    session = SessionFactory(event=program.event, state="accepted", title="Theirs")
    elsewhere = Program()  # the same kind of speaker, at another event
    response = api.as_user(elsewhere.speaker_user).patch(
        f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Hijacked")
    )
    assert_error(response, 403)
    session.refresh_from_db()
    assert session.title == "Theirs"


def test_a_speaker_cannot_edit_a_locked_session(api, program):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(is_locked=True)
    api.as_user(program.speaker_user)
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Changed")), 403)
    assert_error(api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="withdrawn")), 403)
    session.refresh_from_db()
    assert session.title != "Changed"
    assert session.state == "pending"


@pytest.mark.parametrize(
    ("attributes", "relationships"),
    [
        ({"starts-at": "START", "ends-at": "END"}, {}),
        ({}, {"microlocation": "ROOM"}),
        ({"is-locked": True}, {}),
        ({"is-mail-sent": True}, {}),
        ({}, {"event": "OTHER"}),
    ],
)
def test_a_speaker_cannot_schedule_lock_or_move_their_session(api, program, attributes, relationships):
    session = program.own_session
    attributes = {k: {"START": program.iso(1), "END": program.iso(2)}.get(v, v) for k, v in attributes.items()}
    values = {"ROOM": rel("microlocation", program.room.pk), "OTHER": rel("event", EventFactory().pk)}
    relationships = {k: values[v] for k, v in relationships.items()}
    body = session_doc(id=session.pk, relationships=relationships, title="Changed", **attributes)
    assert_error(api.as_user(program.speaker_user).patch(f"/v1/sessions/{session.pk}", body), 403)
    session.refresh_from_db()
    assert (session.title, session.starts_at, session.microlocation, session.is_locked) == (
        session.title,
        None,
        None,
        False,
    )
    assert session.title != "Changed"
    assert session.event == program.event


def test_a_speaker_may_send_the_whole_object_back_unchanged(api, program):
    session = program.own_session
    api.as_user(program.speaker_user)
    data = api.get(f"/v1/sessions/{session.pk}").json_body["data"]
    data["attributes"]["title"] = "Edited in a form"
    for name in ("created-at", "submitted-at", "last-modified-at"):
        data["attributes"].pop(name)
    data["relationships"] = {k: {"data": v["data"]} for k, v in data["relationships"].items() if k != "creator"}
    response = api.patch(f"/v1/sessions/{session.pk}", {"data": data})
    assert response.status_code == 200, response.json_body
    session.refresh_from_db()
    assert session.title == "Edited in a form"


@pytest.mark.parametrize("scheduled", [False, True])
@pytest.mark.parametrize("wanted", ["accepted", "confirmed", "rejected", "canceled"])
def test_a_speaker_cannot_accept_their_own_session(api, program, wanted, scheduled):
    session = program.own_session
    if scheduled:
        Session.objects.filter(pk=session.pk).update(starts_at=program.at(1), ends_at=program.at(2))
    response = api.as_user(program.speaker_user).patch(
        f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state=wanted)
    )
    assert_error(response, 403)
    session.refresh_from_db()
    assert session.state == "pending"


def test_organizer_update_validation_has_pointers(api, program):
    session = program.own_session
    other = other_event_parts()
    api.as_user(program.people["owner"])
    cases = [
        (
            session_doc(id=session.pk, **{"starts-at": program.iso(3), "ends-at": program.iso(1)}),
            "/data/attributes/ends-at",
        ),
        (
            session_doc(id=session.pk, relationships={"track": rel("track", other["track"].pk)}),
            "/data/relationships/track",
        ),
        (session_doc(id=session.pk, **{"video-url": "nope"}), "/data/attributes/video-url"),
        (session_doc(id=session.pk, state="teleported"), "/data/attributes/state"),
    ]
    for body, pointer in cases:
        response = api.patch(f"/v1/sessions/{session.pk}", body)
        assert_error(response, 422)
        assert pointer in pointers(response)
    assert_error(
        api.patch(
            f"/v1/sessions/{session.pk}",
            session_doc(id=session.pk, relationships={"event": rel("event", EventFactory().pk)}),
        ),
        403,
    )
    session.refresh_from_db()
    assert session.track == program.track
    assert session.starts_at is None
    assert session.state == "pending"


def test_organizers_cannot_skip_the_organizer_table(api, program):
    session = SessionFactory(event=program.event, state="withdrawn")
    response = api.as_user(program.people["owner"]).patch(
        f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="accepted")
    )
    assert_error(response, 403)
    session.refresh_from_db()
    assert session.state == "withdrawn"


# --- deleting -----------------------------------------------------------------------------------
def test_organizers_soft_delete_restore_and_only_admins_delete_for_good(api, program):
    session = SessionFactory(event=program.event, state="accepted")
    owner = program.people["owner"]
    response = api.as_user(owner).delete(f"/v1/sessions/{session.pk}")
    assert response.status_code == 200
    assert response.json_body["meta"] == {"message": "Object successfully deleted"}
    assert_error(api.get(f"/v1/sessions/{session.pk}"), 404)
    assert str(session.pk) not in ids(api.get(f"/v1/events/{program.event.pk}/sessions"))
    assert str(session.pk) in ids(api.get(f"/v1/events/{program.event.pk}/sessions?get_trashed=true"))
    # get_trashed is honoured only for those who manage the rows.
    for viewer in ("anonymous", "plain", "moderator", "speaker"):
        listing = api.as_user(program.people[viewer]).get(f"/v1/events/{program.event.pk}/sessions?get_trashed=true")
        assert str(session.pk) not in ids(listing), viewer
    restore = {"data": {"type": "session", "id": str(session.pk), "attributes": {"deleted-at": None}}}
    assert api.as_user(program.people["moderator"]).patch(f"/v1/sessions/{session.pk}", restore).status_code == 404
    response = api.as_user(owner).patch(f"/v1/sessions/{session.pk}", restore)
    assert response.status_code == 200, response.json_body
    assert api.as_user(None).get(f"/v1/sessions/{session.pk}").status_code == 200
    assert_error(api.as_user(owner).delete(f"/v1/sessions/{session.pk}?permanent=true"), 403)
    assert Session.all_objects.filter(pk=session.pk).exists()
    assert api.as_user(program.people["admin"]).delete(f"/v1/sessions/{session.pk}?permanent=true").status_code == 200
    assert not Session.all_objects.filter(pk=session.pk).exists()


def test_a_speaker_deletes_their_own_draft_but_withdraws_anything_further(api, program):
    session = program.own_session
    api.as_user(program.speaker_user)
    assert_error(api.delete(f"/v1/sessions/{session.pk}"), 403)
    assert Session.objects.filter(pk=session.pk).exists()
    Session.objects.filter(pk=session.pk).update(state="draft")
    assert api.delete(f"/v1/sessions/{session.pk}").status_code == 200
    assert not Session.objects.filter(pk=session.pk).exists()
    assert Session.all_objects.filter(pk=session.pk).exists()


# --- the speakers relationship ------------------------------------------------------------------
def speakers_body(*speakers, type_="speaker"):
    return {"data": [{"type": type_, "id": str(s.pk)} for s in speakers]}


def test_organizers_add_replace_and_remove_speakers(api, program):
    session = SessionFactory(event=program.event)
    first, second, third = (SpeakerFactory(event=program.event) for _ in range(3))
    url = f"/v1/sessions/{session.pk}/relationships/speakers"
    api.as_user(program.people["coorganizer"])
    response = api.post(url, speakers_body(first, second))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"] == [{"type": "speaker", "id": str(s.pk)} for s in (first, second)]
    assert response.json_body["links"]["related"].endswith(f"/v1/sessions/{session.pk}/speakers")
    assert api.patch(url, speakers_body(third)).status_code == 200
    assert list(session.speakers.all()) == [third]
    assert api.post(url, speakers_body(first)).status_code == 200
    assert api.delete(url, speakers_body(third)).status_code == 200
    assert list(session.speakers.all()) == [first]
    assert api.get(url).json_body["data"] == [{"type": "speaker", "id": str(first.pk)}]
    assert ids(api.get(f"/v1/sessions/{session.pk}/speakers")) == {str(first.pk)}
    assert api.patch(url, {"data": []}).status_code == 200
    assert not session.speakers.exists()


def test_a_speaker_links_only_their_own_row_on_their_own_session(api, program):
    session = program.own_session
    url = f"/v1/sessions/{session.pk}/relationships/speakers"
    stranger = SpeakerFactory(event=program.event)
    api.as_user(program.speaker_user)
    assert_error(api.post(url, speakers_body(stranger)), 403)
    assert_error(api.patch(url, speakers_body(program.speaker, stranger)), 403)
    assert list(session.speakers.all()) == [program.speaker]
    assert api.delete(url, speakers_body(program.speaker)).status_code == 200
    assert not session.speakers.exists()
    # Still the creator: may put themself back.
    assert api.post(url, speakers_body(program.speaker)).status_code == 200
    assert list(session.speakers.all()) == [program.speaker]
    # Not on someone else's session.
    theirs = SessionFactory(event=program.event, state="accepted")
    assert_error(api.post(f"/v1/sessions/{theirs.pk}/relationships/speakers", speakers_body(program.speaker)), 403)
    assert not theirs.speakers.exists()


def test_speakers_relationship_refusals(api, program):
    session = SessionFactory(event=program.event, state="accepted")
    url = f"/v1/sessions/{session.pk}/relationships/speakers"
    elsewhere = SpeakerFactory()
    ours = SpeakerFactory(event=program.event)
    api.as_user(program.people["owner"])
    response = api.post(url, speakers_body(elsewhere))
    assert_error(response, 422)
    assert_error(api.post(url, speakers_body(ours, type_="user")), 409)
    assert_error(api.post(url, {"data": [{"type": "speaker", "id": "99999"}]}), 404)
    assert_error(api.post(url, {"data": {"type": "speaker", "id": str(ours.pk)}}), 400)
    assert_error(api.post(url, raw="{]"), 400)
    for viewer, status in (("moderator", 403), ("registrar", 403), ("plain", 403), ("anonymous", 401)):
        assert_error(api.as_user(program.people[viewer]).post(url, speakers_body(ours)), status)
    assert not session.speakers.exists()


@pytest.mark.parametrize("relation", ["track", "event", "microlocation", "session-type", "creator"])
def test_to_one_relationships_are_changed_by_patching_the_session_only(api, program, relation):
    session = SessionFactory(event=program.event, track=program.track)
    response = api.as_user(program.people["owner"]).patch(
        f"/v1/sessions/{session.pk}/relationships/{relation}", {"data": None}
    )
    assert_error(response, 403)
    session.refresh_from_db()
    assert session.track == program.track


# --- filters, sorting, includes, fieldsets --------------------------------------------------------
def test_the_typical_client_query(api, program):
    scheduled = {}
    for offset, state in enumerate(STATES):
        scheduled[state] = SessionFactory(
            event=program.event, state=state, starts_at=program.at(offset + 1), ends_at=program.at(offset + 2),
            microlocation=program.room, track=program.track,
        )  # fmt: skip
        scheduled[state].speakers.add(program.speaker)
    SessionFactory(event=program.event, state="accepted")  # not scheduled
    query = json.dumps(
        [{"and": [{"name": "starts-at", "op": "ne", "val": None},
                  {"or": [{"name": "state", "op": "eq", "val": "accepted"},
                          {"name": "state", "op": "eq", "val": "confirmed"}]}]}]
    )  # fmt: skip
    for viewer in ("anonymous", "owner"):
        response = api.as_user(program.people[viewer]).get(
            f"/v1/events/{program.event.identifier}/sessions",
            include="speakers,microlocation,track", filter=query, **{"page[size]": "0"},
        )  # fmt: skip
        assert response.status_code == 200, response.json_body
        assert ids(response) == {str(scheduled["accepted"].pk), str(scheduled["confirmed"].pk)}
        included = {(row["type"], row["id"]) for row in response.json_body["included"]}
        assert included == {
            ("speaker", str(program.speaker.pk)),
            ("microlocation", str(program.room.pk)),
            ("track", str(program.track.pk)),
        }
        speaker = next(row for row in response.json_body["included"] if row["type"] == "speaker")
        assert ("email" in speaker["attributes"]) is (viewer == "owner")
        assert ("mobile" in speaker["attributes"]) is (viewer == "owner")


def test_jsonapi_filters_sorting_and_sparse_fieldsets(api, program):
    early = SessionFactory(
        event=program.event,
        title="Early",
        starts_at=program.at(1),
        ends_at=program.at(2),
        track=TrackFactory(event=program.event, name="B"),
    )
    late = SessionFactory(
        event=program.event,
        title="Late",
        starts_at=program.at(5),
        ends_at=program.at(6),
        track=TrackFactory(event=program.event, name="A"),
    )
    SessionFactory(event=program.event, title="Rejected", state="rejected")
    url = f"/v1/events/{program.event.pk}/sessions"
    api.as_user(program.people["owner"])
    assert ids(api.get(url, **{"filter[state]": "rejected"})) == {str(Session.objects.get(title="Rejected").pk)}
    assert ids(api.get(url, **{"filter[starts-at.gte]": program.iso(4)})) == {str(late.pk)}
    titles = [
        row["attributes"]["title"]
        for row in api.get(url, sort="-starts-at", **{"filter[starts-at.isnull]": "false"}).json_body["data"]
    ]
    assert titles == ["Late", "Early"]
    by_track = api.get(
        url, sort="track.name", **{"filter[track.isnull]": "false", "filter[title.icontains]": "a"}
    ).json_body["data"]
    assert [row["id"] for row in by_track] == [str(late.pk), str(early.pk)]
    sparse = api.get(url, **{"fields[session]": "title,starts-at", "filter[title]": "Early"}).json_body["data"][0]
    assert set(sparse["attributes"]) == {"title", "starts-at"}
    speakers_any = json.dumps(
        [{"name": "speakers", "op": "any", "val": {"name": "name", "op": "eq", "val": program.speaker.name}}]
    )
    assert ids(api.get(url, filter=speakers_any)) == {str(program.own_session.pk)}
    track_has = json.dumps([{"name": "track", "op": "has", "val": {"name": "name", "op": "eq", "val": "A"}}])
    assert ids(api.get(url, filter=track_has)) == {str(late.pk)}
    assert_error(api.get(url, sort="email"), 400)
    assert_error(api.get(url, **{"filter[bogus]": "1"}), 400)


def test_private_fields_cannot_be_probed_with_filters(api, program):
    Session.objects.filter(pk=program.own_session.pk).update(state="accepted", comments="secret")
    SpeakerFactory(event=program.event, email="hidden@example.org").sessions.add(program.own_session)
    probes = [
        ("/v1/sessions", [{"name": "comments", "op": "eq", "val": "secret"}]),
        (f"/v1/events/{program.event.pk}/sessions", [{"name": "complex-field-values", "op": "eq", "val": {}}]),
        (f"/v1/events/{program.event.pk}/sessions",
         [{"name": "speakers", "op": "any", "val": {"name": "email", "op": "eq", "val": "hidden@example.org"}}]),
    ]  # fmt: skip
    for viewer in ("anonymous", "plain", "other_organizer"):
        api.as_user(program.people[viewer])
        for url, nodes in probes:
            response = api.get(url, filter=json.dumps(nodes))
            assert_error(response, 400)
            assert response.json_body["errors"][0]["source"] == {"parameter": "filter"}
    # Program readers filter their own event's private fields.
    response = api.as_user(program.people["moderator"]).get(probes[1][0], filter=json.dumps([probes[0][1][0]]))
    assert ids(response) == {str(program.own_session.pk)}


def test_unknown_include_is_400(api, program):
    assert_error(api.get("/v1/sessions", include="secrets"), 400)


def make_sessions(program, count):
    """``count`` accepted, scheduled sessions, each with its own speaker, in bulk."""
    event = program.event
    tracks = [TrackFactory(event=event) for _ in range(3)]
    rooms = [MicrolocationFactory(event=event) for _ in range(3)]
    types = [SessionTypeFactory(event=event) for _ in range(2)]
    start = Session.objects.count()
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Bulk {start + n}", state="accepted" if n % 2 else "confirmed",
            starts_at=program.at(1), ends_at=program.at(2), track=tracks[n % 3], microlocation=rooms[n % 3],
            session_type=types[n % 2],
        )
        for n in range(count)
    )  # fmt: skip
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, name=f"Bulk speaker {start + n}", email=f"bulk{start + n}@example.org")
        for n in range(count)
    )
    Link = Session.speakers.through
    Link.objects.bulk_create(
        [Link(session_id=s.pk, speaker_id=sp.pk) for s, sp in zip(sessions, speakers, strict=True)]
        + [Link(session_id=s.pk, speaker_id=program.speaker.pk) for s in sessions[:5]]
    )
    return sessions


@pytest.mark.parametrize("include", ["speakers,track,microlocation,session-type", "speakers.sessions,event,creator"])
@pytest.mark.parametrize("viewer", ["anonymous", "owner", "moderator", "speaker", "admin"])
def test_the_session_list_runs_the_same_queries_for_1_and_200_sessions(api, program, viewer, include):
    Session.objects.all().delete()
    api.as_user(program.people[viewer])

    def fetch():
        return api.get(f"/v1/events/{program.event.pk}/sessions", include=include, **{"page[size]": "0"})

    make_sessions(program, 1)
    response, one = count_queries(fetch)
    assert len(response.json_body["data"]) == 1
    make_sessions(program, 199)
    response, many = count_queries(fetch)
    assert response.status_code == 200
    assert len(response.json_body["data"]) == 200
    assert len([row for row in response.json_body["included"] if row["type"] == "speaker"]) == 201
    assert one == many, (one, many)


def test_speakers_relationship_shows_only_speakers_the_viewer_may_see(api, program):
    session = SessionFactory(event=program.event, state="accepted")
    session.speakers.add(program.speaker)
    hidden = SpeakerFactory(event=program.event)
    hidden.soft_delete()
    session.speakers.add(hidden)
    data = api.get(f"/v1/sessions/{session.pk}").json_body["data"]
    assert data["relationships"]["speakers"]["data"] == [{"type": "speaker", "id": str(program.speaker.pk)}]


def test_organizer_of_two_events_sees_private_fields_only_where_they_are_organizer(api, program):
    elsewhere = Program()
    give_role(program.people["owner"], elsewhere.event, "registrar")
    mine = SessionFactory(event=program.event, state="accepted", comments="ours")
    theirs = SessionFactory(event=EventFactory(), state="accepted", comments="theirs")
    api.as_user(program.people["owner"])
    rows = {row["id"]: row["attributes"] for row in api.get("/v1/sessions", **{"page[size]": "0"}).json_body["data"]}
    assert rows[str(mine.pk)]["comments"] == "ours"
    assert "comments" not in rows[str(theirs.pk)]
