"""/v1/sessions/<id>/conflicts, the ``last-modified-at`` precondition of a session PATCH (409 when
stale), a double booking refused over the API, and the rooms' ``allows-parallel`` attribute."""
import datetime

import pytest

from events.models import Microlocation
from events.tests.factories import MicrolocationFactory
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, pointers, resource_doc, session_doc

pytestmark = pytest.mark.django_db

PLANNERS = ["owner", "organizer", "coorganizer", "track_organizer", "admin"]
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def clash(program):
    """Two accepted sessions in the program's room at overlapping times, sharing a speaker."""
    first = SessionFactory(
        event=program.event, title="First", microlocation=program.room, starts_at=program.at(1), ends_at=program.at(3)
    )
    second = SessionFactory(
        event=program.event, title="Second", microlocation=program.room, starts_at=program.at(2), ends_at=program.at(4)
    )
    SpeakerFactory(event=program.event, name="Ada", sessions=[first, second])
    return first, second


def conflicts_url(session):
    return f"/v1/sessions/{getattr(session, 'pk', session)}/conflicts"


# --- GET /v1/sessions/<id>/conflicts -----------------------------------------------------------------
@pytest.mark.parametrize("viewer", PLANNERS)
def test_planners_read_a_sessions_conflicts(api, program, clash, viewer):
    first, second = clash
    response = api.as_user(program.people[viewer]).get(conflicts_url(first))
    assert response.status_code == 200, response.json_body
    body = response.json_body
    assert [(item["kind"], item["severity"], item["other-session"]) for item in body["data"]] == [
        ("room", "error", {"id": str(second.pk), "title": "Second"}),
        ("speaker", "warning", {"id": str(second.pk), "title": "Second"}),
    ]
    assert body["data"][1]["message"].startswith("Ada also speaks in “Second” at that time (")
    assert body["meta"] == {"session": str(first.pk), "errors": 1, "warnings": 1}


def test_a_session_without_conflicts_answers_an_empty_list(api, program):
    session = SessionFactory(event=program.event, microlocation=program.room, starts_at=program.at(1),
                             ends_at=program.at(2))  # fmt: skip
    response = api.as_user(program.people["owner"]).get(conflicts_url(session))
    assert response.status_code == 200
    assert response.json_body == {"data": [], "meta": {"session": str(session.pk), "errors": 0, "warnings": 0}}
    unscheduled = api.get(conflicts_url(program.own_session))
    assert unscheduled.json_body["data"] == []


@pytest.mark.parametrize("viewer", ["moderator", "registrar", "plain", "other_organizer"])
def test_those_who_do_not_plan_the_schedule_are_refused(api, program, clash, viewer):
    """They see the (accepted) session, but not its conflicts."""
    first, _ = clash
    api.as_user(program.people[viewer])
    assert api.get(f"/v1/sessions/{first.pk}").status_code == 200
    error = assert_error(api.get(conflicts_url(first)), 403)
    assert error["detail"] == "Only the event's track organizers and up see a session's conflicts."


def test_a_speaker_is_refused_the_conflicts_of_their_own_session(api, program):
    api.as_user(program.speaker_user)
    assert api.get(f"/v1/sessions/{program.own_session.pk}").status_code == 200
    assert_error(api.get(conflicts_url(program.own_session)), 403)


def test_anonymous_readers_must_log_in(api, program, clash):
    assert api.get(f"/v1/sessions/{clash[0].pk}").status_code == 200
    assert_error(api.get(conflicts_url(clash[0])), 401)


@pytest.mark.parametrize("viewer", ["plain", "other_organizer", "anonymous"])
def test_a_session_the_viewer_does_not_see_is_not_found(api, program, viewer):
    draft = SessionFactory(event=program.event, state="draft")
    api.as_user(program.people[viewer])
    assert_error(api.get(conflicts_url(draft)), 404)


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999999999999999", "1.5"])
def test_bad_and_unknown_ids_are_not_found(api, program, bad):
    api.as_user(program.people["owner"])
    assert_error(api.get(conflicts_url(bad)), 404)


def test_a_trashed_session_is_not_found(api, program, clash):
    clash[0].soft_delete()
    assert_error(api.as_user(program.people["owner"]).get(conflicts_url(clash[0])), 404)


def test_the_conflicts_route_is_read_only(api, program, clash):
    api.as_user(program.people["owner"])
    for method in (api.post, api.patch, api.delete):
        assert_error(method(conflicts_url(clash[0]), {}), 405)


def test_the_conflicts_of_another_events_organizer_are_refused(api, program, clash):
    other = Program()
    assert_error(api.as_user(other.people["owner"]).get(conflicts_url(clash[0])), 403)


# --- optimistic concurrency ------------------------------------------------------------------------------
def test_a_patch_with_the_last_modified_at_it_read_goes_through(api, program):
    session = SessionFactory(event=program.event, title="Talk")
    api.as_user(program.people["coorganizer"])
    read = api.get(f"/v1/sessions/{session.pk}").json_body["data"]["attributes"]["last-modified-at"]
    body = session_doc(id=session.pk, title="Moved", **{"last-modified-at": read})
    response = api.patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["title"] == "Moved"
    assert response.json_body["data"]["attributes"]["last-modified-at"] != read
    # Read back as a browser keeps it: milliseconds only.
    fresh = Session.objects.get(pk=session.pk).last_modified_at
    millis = fresh.replace(microsecond=fresh.microsecond - fresh.microsecond % 1000).isoformat()
    response = api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, title="Again",
                                                                   **{"last-modified-at": millis}))  # fmt: skip
    assert response.status_code == 200, response.json_body


def test_a_stale_patch_is_refused_with_409_and_changes_nothing(api, program):
    session = SessionFactory(event=program.event, title="Talk", microlocation=program.room,
                             starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    api.as_user(program.people["coorganizer"])
    read = api.get(f"/v1/sessions/{session.pk}").json_body["data"]["attributes"]["last-modified-at"]
    # Someone else moves it meanwhile.
    moved = session_doc(id=session.pk, **{"starts-at": program.iso(5), "ends-at": program.iso(6)})
    assert api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", moved).status_code == 200
    before = Session.objects.values().get(pk=session.pk)
    body = session_doc(id=session.pk, title="Mine", **{"starts-at": program.iso(7), "ends-at": program.iso(8),
                                                        "last-modified-at": read})  # fmt: skip
    error = assert_error(api.as_user(program.people["coorganizer"]).patch(f"/v1/sessions/{session.pk}", body), 409)
    assert error["detail"].startswith("This session was changed by someone else since you read it")
    assert Session.objects.values().get(pk=session.pk) == before


def test_a_patch_without_the_precondition_behaves_as_before(api, program):
    session = SessionFactory(event=program.event, title="Talk")
    Session.objects.filter(pk=session.pk).update(last_modified_at=session.last_modified_at - HOUR)
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}",
                                                          session_doc(id=session.pk, title="Renamed"))  # fmt: skip
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).title == "Renamed"


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-45T00:00:00Z", 12])
def test_an_unreadable_precondition_is_a_422_on_its_attribute(api, program, bad):
    session = SessionFactory(event=program.event, title="Talk")
    body = session_doc(id=session.pk, title="Renamed", **{"last-modified-at": bad})
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body)
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/last-modified-at"]
    assert Session.objects.get(pk=session.pk).title == "Talk"


# --- a double booking over the API ----------------------------------------------------------------------
def test_a_patch_that_double_books_a_room_is_a_422_on_starts_at(api, program, clash):
    other_room = MicrolocationFactory(event=program.event)
    third = SessionFactory(event=program.event, title="Third", microlocation=other_room, starts_at=program.at(6),
                           ends_at=program.at(7))  # fmt: skip
    body = session_doc(
        id=third.pk,
        relationships={"microlocation": {"data": {"type": "microlocation", "id": str(program.room.pk)}}},
        **{"starts-at": program.iso(3, 30), "ends-at": program.iso(5)},
    )
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{third.pk}", body)
    error = assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/starts-at"]
    assert f"{program.room.name} is already booked for “Second” at that time (" in error["detail"]
    third.refresh_from_db()
    assert (third.microlocation_id, third.starts_at) == (other_room.pk, program.at(6))
    # Right after "Second" ends, it fits.
    body["data"]["attributes"] = {"starts-at": program.iso(4), "ends-at": program.iso(5)}
    assert api.patch(f"/v1/sessions/{third.pk}", body).status_code == 200


# --- rooms: allows-parallel -------------------------------------------------------------------------------
def test_rooms_show_and_take_allows_parallel(api, program):
    api.as_user(program.people["coorganizer"])
    response = api.get(f"/v1/microlocations/{program.room.pk}")
    assert response.json_body["data"]["attributes"]["allows-parallel"] is False
    body = resource_doc("microlocation", {"allows-parallel": True}, id=program.room.pk)
    response = api.patch(f"/v1/microlocations/{program.room.pk}", body)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["allows-parallel"] is True
    assert Microlocation.objects.get(pk=program.room.pk).allows_parallel is True
    listed = api.get(f"/v1/events/{program.event.pk}/microlocations", **{"filter[allows-parallel]": "true"})
    assert [item["id"] for item in listed.json_body["data"]] == [str(program.room.pk)]


def test_the_conflicts_route_runs_a_constant_number_of_queries(api, program, clash):
    first, _ = clash
    api.as_user(program.people["owner"])
    _, one = count_queries(lambda: api.get(conflicts_url(first)))
    for minutes in (10, 20, 30):
        other = SessionFactory(event=program.event, microlocation=program.room, starts_at=program.at(1, minutes),
                               ends_at=program.at(2))  # fmt: skip
        SpeakerFactory(event=program.event, sessions=[first, other])
    response, many = count_queries(lambda: api.get(conflicts_url(first)))
    assert response.json_body["meta"]["errors"] == 4
    assert many == one
