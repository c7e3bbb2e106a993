"""/v1/speakers-calls and /v1/events/<id>/speakers-call: one live call per event, dates in
order, and the private link's hash for co-organizers only (security lesson 9)."""
import json

import pytest

from events.models import SpeakersCall
from events.tests.helpers import staffed_event
from events.tests.program import RESOURCES, create_doc, make, part_doc, pointers
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

CALL = RESOURCES["speakers-call"]
HASH_READERS = ["owner", "organizer", "coorganizer", "admin"]
NOT_HASH_READERS = ["anonymous", "plain", "other_organizer", "track_organizer", "moderator", "registrar"]


@pytest.fixture
def staffed():
    return staffed_event()


@pytest.fixture
def private_call(staffed):
    event, people = staffed
    return event, people, make(CALL, event, privacy=SpeakersCall.Privacy.PRIVATE)


def call_documents(api, event, call):
    """Every way a client meets the call: detail, the event's route, the top-level list, and as
    the only row of a filtered list."""
    return [
        api.get(f"/v1/speakers-calls/{call.pk}").json_body["data"],
        api.get(f"/v1/events/{event.identifier}/speakers-call").json_body["data"],
        *[row for row in api.get("/v1/speakers-calls").json_body["data"] if row["id"] == str(call.pk)],
    ]


@pytest.mark.parametrize("viewer", HASH_READERS)
def test_coorganizers_and_up_see_the_hash(api, private_call, viewer):
    event, people, call = private_call
    documents = call_documents(api.as_user(people[viewer]), event, call)
    assert len(documents) == 3
    for document in documents:
        assert document["attributes"]["hash"] == call.hash


@pytest.mark.parametrize("viewer", NOT_HASH_READERS)
def test_nobody_else_sees_the_hash(api, private_call, viewer):
    event, people, call = private_call
    api.as_user(people[viewer])
    documents = call_documents(api, event, call)
    assert documents
    for document in documents:
        assert "hash" not in document["attributes"]
        assert document["attributes"]["privacy"] == "private"
    for url in (f"/v1/speakers-calls/{call.pk}", f"/v1/events/{event.pk}/speakers-call", "/v1/speakers-calls"):
        assert call.hash not in api.get(url).content.decode()


def test_the_hash_is_shown_per_event_in_a_list(api):
    """A co-organizer of one event lists calls of several: the hash of theirs only."""
    event, people = staffed_event()
    other, _ = staffed_event()
    mine, theirs = make(CALL, event), make(CALL, other)
    rows = {
        row["id"]: row["attributes"]
        for row in api.as_user(people["coorganizer"]).get("/v1/speakers-calls").json_body["data"]
    }
    assert rows[str(mine.pk)]["hash"] == mine.hash
    assert "hash" not in rows[str(theirs.pk)]


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "HASH"},
        {"filter[hash]": "HASH"},
        {"sort": "hash"},
    ],
)
def test_the_hash_cannot_be_guessed_through_filters_or_sorting(api, private_call, params):
    event, _people, call = private_call
    params = {
        name: (
            json.dumps([{"name": "hash", "op": "startswith", "val": call.hash[:1]}])
            if name == "filter"
            else value.replace("HASH", call.hash)
        )
        for name, value in params.items()
    }
    for url in ("/v1/speakers-calls", f"/v1/events/{event.pk}/speakers-call"):
        response = api.get(url, **params)
        if url.endswith("/speakers-call"):
            # A to-one route serves one object: list parameters are not for it.
            assert "hash" not in response.json_body["data"]["attributes"]
            continue
        assert_error(response, 400)
        assert response.json_body["errors"][0]["source"]["parameter"] in {"filter", "filter[hash]", "sort"}


def test_events_cannot_be_filtered_by_their_call(api, private_call):
    _event, _people, call = private_call
    nodes = [{"name": "speakers-call", "op": "has", "val": {"name": "hash", "op": "eq", "val": call.hash}}]
    assert_error(api.get("/v1/events", filter=json.dumps(nodes)), 400)


def test_the_hash_is_read_only(api, staffed):
    event, people = staffed
    api.as_user(people["owner"])
    response = api.post("/v1/speakers-calls", create_doc(CALL, event, hash="my-own-secret", privacy="private"))
    assert response.status_code == 201, response.json_body
    call = SpeakersCall.objects.get()
    assert call.hash != "my-own-secret"
    assert len(call.hash) >= 24
    before = call.hash
    api.patch(f"/v1/speakers-calls/{call.pk}", part_doc(CALL, id=call.pk, hash="another"))
    call.refresh_from_db()
    assert call.hash == before


# --- one live call per event ------------------------------------------------------------------------
def test_a_second_live_call_is_a_conflict(api, staffed):
    event, people = staffed
    api.as_user(people["owner"])
    assert api.post("/v1/speakers-calls", create_doc(CALL, event)).status_code == 201
    assert_error(api.post("/v1/speakers-calls", create_doc(CALL, event)), 409)
    assert SpeakersCall.all_objects.count() == 1
    # Another event has its own.
    other, other_people = staffed_event()
    assert api.as_user(other_people["owner"]).post("/v1/speakers-calls", create_doc(CALL, other)).status_code == 201


def test_a_trashed_call_makes_room_but_cannot_come_back_beside_a_new_one(api, staffed):
    event, people = staffed
    old = make(CALL, event)
    api.as_user(people["coorganizer"])
    assert api.delete(f"/v1/speakers-calls/{old.pk}").status_code == 200
    created = api.post("/v1/speakers-calls", create_doc(CALL, event))
    assert created.status_code == 201, created.json_body
    new_id = created.json_body["data"]["id"]
    assert api.get(f"/v1/events/{event.pk}/speakers-call").json_body["data"]["id"] == new_id
    assert_error(api.patch(f"/v1/speakers-calls/{old.pk}", part_doc(CALL, id=old.pk, **{"deleted-at": None})), 409)
    assert SpeakersCall.all_objects.get(pk=old.pk).deleted_at is not None
    assert SpeakersCall.objects.get().pk == int(new_id)


# --- dates ------------------------------------------------------------------------------------------------
def test_updates_check_dates_against_stored_values(api, staffed):
    event, people = staffed
    call = make(CALL, event)
    api.as_user(people["owner"])
    response = api.patch(
        f"/v1/speakers-calls/{call.pk}", part_doc(CALL, id=call.pk, **{"starts-at": call.ends_at.isoformat()})
    )
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/ends-at"]
    soft = (call.ends_at.replace(year=call.ends_at.year + 1)).isoformat()
    response = api.patch(f"/v1/speakers-calls/{call.pk}", part_doc(CALL, id=call.pk, **{"soft-ends-at": soft}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/soft-ends-at"]
    fine = api.patch(
        f"/v1/speakers-calls/{call.pk}", part_doc(CALL, id=call.pk, **{"soft-ends-at": call.ends_at.isoformat()})
    )
    assert fine.status_code == 200, fine.json_body
    call.refresh_from_db()
    assert call.soft_ends_at == call.ends_at


def test_the_event_route_serves_the_live_call_with_includes(api, staffed):
    event, _people = staffed
    call = make(CALL, event, announcement="<p>Send talks</p>")
    body = api.get(f"/v1/events/{event.identifier}/speakers-call", include="event").json_body
    assert body["data"]["type"] == "speakers-call"
    assert body["data"]["id"] == str(call.pk)
    assert body["data"]["attributes"]["announcement"] == "<p>Send talks</p>"
    assert body["included"][0]["id"] == str(event.pk)
    relationship = api.get(f"/v1/events/{event.pk}/relationships/speakers-call").json_body
    assert relationship["data"] == {"type": "speakers-call", "id": str(call.pk)}
