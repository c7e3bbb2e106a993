"""/v1/schedule-blocks and /v1/events/<id>/schedule-blocks: the work in progress's breaks and
other blocks, read and written by co-organizers and up only."""

import pytest

from events.tests.factories import EventFactory, MicrolocationFactory
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error
from sessions_app.models import ScheduleBlock
from sessions_app.services import schedule
from sessions_app.tests.helpers import ids, pointers, rel, resource_doc

pytestmark = pytest.mark.django_db
MANAGERS = ["owner", "organizer", "coorganizer", "admin"]
OTHERS = ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"]


def block_doc(program, id=None, relationships=None, event=None, **attributes):
    attributes = {
        "title": "Lunch",
        "kind": "lunch",
        "starts-at": program.iso(3),
        "ends-at": program.iso(4),
        **attributes,
    }
    event = event or (program.event if id is None else None)
    return resource_doc("schedule-block", attributes, id=id, event=event, relationships=relationships)


def a_block(program, **changes):
    data = {"title": "Coffee", "kind": "coffee", "starts_at": program.at(2), "ends_at": program.at(2, 30), **changes}
    return schedule.create_block(program.people["organizer"], program.event, data)


@pytest.mark.parametrize("role", MANAGERS)
def test_organizers_create_read_change_and_delete_blocks(api, program, role):
    api.as_user(program.people[role])
    body = block_doc(program, relationships={"microlocation": rel("microlocation", program.room.pk)})
    response = api.post("/v1/schedule-blocks", body)
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["attributes"]["title"] == "Lunch"
    assert data["relationships"]["microlocation"]["data"] == {"type": "microlocation", "id": str(program.room.pk)}
    pk = data["id"]
    assert ids(api.get(f"/v1/events/{program.event.identifier}/schedule-blocks")) == {pk}
    assert api.get(f"/v1/schedule-blocks/{pk}").status_code == 200
    changed = resource_doc(
        "schedule-block", {"title": "Long lunch"}, id=pk, relationships={"microlocation": rel("microlocation", None)}
    )
    response = api.patch(f"/v1/schedule-blocks/{pk}", changed)
    assert response.status_code == 200, response.json_body
    block = ScheduleBlock.objects.get(pk=pk)
    assert (block.title, block.microlocation, block.kind) == ("Long lunch", None, "lunch")
    assert api.delete(f"/v1/schedule-blocks/{pk}").status_code == 200
    assert not ScheduleBlock.objects.exists()


def test_a_nested_create_takes_its_event_from_the_url(api, program):
    api.as_user(program.people["coorganizer"])
    response = api.post(f"/v1/events/{program.event.pk}/schedule-blocks", block_doc(program))
    assert response.status_code == 201, response.json_body
    assert ScheduleBlock.objects.get().event == program.event


@pytest.mark.parametrize("role", OTHERS)
def test_nobody_else_reads_or_writes_the_work_in_progress(api, program, role):
    block = a_block(program)
    api.as_user(program.people[role])
    assert_error(api.get(f"/v1/events/{program.event.pk}/schedule-blocks"), 403)
    assert ids(api.get("/v1/schedule-blocks")) == set()
    assert_error(api.get(f"/v1/schedule-blocks/{block.pk}"), 404)
    assert_error(api.post("/v1/schedule-blocks", block_doc(program)), 403)
    assert_error(api.post(f"/v1/events/{program.event.pk}/schedule-blocks", block_doc(program)), 403)
    patch = resource_doc("schedule-block", {"title": "Mine"}, id=block.pk)
    assert api.patch(f"/v1/schedule-blocks/{block.pk}", patch).status_code == 404
    assert api.delete(f"/v1/schedule-blocks/{block.pk}").status_code == 404
    block.refresh_from_db()
    assert block.title == "Coffee"
    assert ScheduleBlock.objects.count() == 1


def test_anonymous_readers_are_asked_to_log_in(api, program):
    block = a_block(program)
    assert_error(api.get("/v1/schedule-blocks"), 401)
    assert_error(api.get(f"/v1/events/{program.event.pk}/schedule-blocks"), 401)
    assert_error(api.get(f"/v1/schedule-blocks/{block.pk}"), 401)
    assert_error(api.post("/v1/schedule-blocks", block_doc(program)), 401)


def test_organizers_of_another_event_see_none_of_its_blocks(api, program):
    mine = a_block(program)
    other = EventFactory()
    foreign = schedule.create_block(
        program.people["admin"],
        other,
        {"title": "Elsewhere", "starts_at": other.starts_at, "ends_at": other.ends_at},
    )
    api.as_user(program.people["organizer"])
    assert ids(api.get("/v1/schedule-blocks")) == {str(mine.pk)}
    assert_error(api.get(f"/v1/schedule-blocks/{foreign.pk}"), 404)
    assert_error(api.post("/v1/schedule-blocks", block_doc(program, event=other)), 403)
    assert ScheduleBlock.objects.count() == 2


@pytest.mark.parametrize(
    ("attributes", "pointer", "words"),
    [
        ({"title": " "}, "/data/attributes/title", "may not be blank"),
        ({"kind": "nap"}, "/data/attributes/kind", "nap"),
        ({"starts-at": "not a time"}, "/data/attributes/starts-at", None),
        ({"ends-at": "SAME"}, "/data/attributes/ends-at", "must end after it starts"),
        ({"starts-at": "2000-01-01T10:00:00Z"}, "/data/attributes/starts-at", "must start within its event"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, program, attributes, pointer, words):
    api.as_user(program.people["organizer"])
    attributes = {name: program.iso(3) if value == "SAME" else value for name, value in attributes.items()}
    response = api.post("/v1/schedule-blocks", block_doc(program, **attributes))
    error = assert_error(response, 422)
    assert pointer in pointers(response)
    if words:
        assert words in error["detail"]
    assert not ScheduleBlock.objects.exists()


def test_a_room_of_another_event_is_refused(api, program):
    api.as_user(program.people["organizer"])
    room = MicrolocationFactory(event=EventFactory())
    body = block_doc(program, relationships={"microlocation": rel("microlocation", room.pk)})
    response = api.post("/v1/schedule-blocks", body)
    error = assert_error(response, 422)
    assert "another event" in error["detail"]
    assert pointers(response) == ["/data/relationships/microlocation"]


def test_a_block_without_event_is_refused(api, program):
    api.as_user(program.people["organizer"])
    response = api.post("/v1/schedule-blocks", resource_doc("schedule-block", {"title": "Lunch"}))
    assert_error(response, 422)
    assert not ScheduleBlock.objects.exists()


@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(api, program, rows):
    for index in range(rows):
        a_block(program, microlocation=None if index % 2 else program.room, title=f"Block {index}")
    api.as_user(program.people["coorganizer"])
    url = f"/v1/events/{program.event.pk}/schedule-blocks"
    response, queries = count_queries(lambda: api.get(url, include="microlocation"))
    assert response.status_code == 200
    assert len(response.json_body["data"]) == rows
    assert queries == QUERIES


# The user, the parent event, their roles at it, the count, and the page (the included rooms'
# events joined: their ``event`` relationship was one query per room, found by the query walk).
QUERIES = 5
