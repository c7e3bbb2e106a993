"""Bad input of every shape is a JSON:API error object, never a 500; client quirks are tolerated."""
import json

import pytest

from events.models import Event, Track
from events.tests.factories import event_with_owner
from events.tests.helpers import valid_event_attributes
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_api(api):
    event, owner = event_with_owner()
    api.as_user(owner)
    return api, event


@pytest.mark.parametrize(
    "data",
    [
        "x",
        [],
        {"type": "track", "attributes": "x"},
        {"type": "track", "attributes": ["name"]},
        {"type": "track", "attributes": {"name": "T"}, "relationships": "x"},
        {"type": "track", "attributes": {"name": "T"}, "relationships": {"event": "x"}},
        {"type": "track", "attributes": {"name": "T"}, "relationships": {"event": {"id": "1"}}},
        {"type": "track", "attributes": {"name": "T"}, "relationships": {"event": {"data": {"id": "1"}}}},
        {"type": "track", "attributes": {"name": "T"}, "relationships": {"event": {"data": [1, 2]}}},
        {"type": "track", "attributes": {"name": "T"}, "meta": 3},
    ],
)
def test_malformed_documents_are_400(owner_api, data):
    api, _event = owner_api
    assert_error(api.post("/v1/tracks", {"data": data}), 400)
    assert not Track.objects.exists()


def test_malformed_relationship_documents_are_400(owner_api):
    api, event = owner_api
    session = Session.objects.create(event=event, title="Talk")
    for body in (
        {"data": "x"},
        {"data": [{"id": "1"}]},
        {"nodata": []},
        {"data": [{"type": "speaker", "id": "9" * 30}]},
    ):
        response = api.patch(f"/v1/sessions/{session.pk}/relationships/speakers", body)
        # An id of 30 digits finds nothing: 404 on PostgreSQL, 400 where the driver overflows.
        assert response.status_code in (400, 404, 422), response.json_body
        assert response.json_body["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/v1/events/99999999999999999999999",
        "/v1/users/99999999999999999999999",
        "/v1/events/99999999999999999999999/owner",
    ],
)
def test_ids_out_of_range_are_errors_not_500(api, url):
    response = api.get(url)
    assert response.status_code in (400, 404)
    assert response.json_body["errors"][0]["status"] == str(response.status_code)


def test_filter_values_out_of_range_are_no_500(api):
    event_with_owner()
    flt = json.dumps([{"name": "id", "op": "in_", "val": [99999999999999999999999]}])
    response = api.get("/v1/events", filter=flt)
    # PostgreSQL's backend matches nothing; SQLite's driver overflows, which is a 400.
    if response.status_code == 200:
        assert response.json_body["data"] == []
    else:
        assert_error(response, 400)


def test_relationship_ids_out_of_range_are_errors(owner_api):
    api, _event = owner_api
    body = {
        "data": {
            "type": "track",
            "attributes": {"name": "T"},
            "relationships": {"event": {"data": {"type": "event", "id": "99999999999999999999999"}}},
        }
    }
    response = api.post("/v1/tracks", body)
    assert response.status_code in (400, 422)
    assert not Track.objects.exists()


def test_non_ascii_digits_are_not_ids(api):
    _event, owner = event_with_owner()
    assert_error(api.get("/v1/events/\u0661"), 404)
    assert_error(api.get(f"/v1/users/{owner.pk}\u0661"), 404)


def test_delete_answers_a_meta_only_document(owner_api):
    api, event = owner_api
    track = Track.objects.create(event=event, name="T")
    body = api.delete(f"/v1/tracks/{track.pk}").json_body
    assert body == {"meta": {"message": "Object successfully deleted"}, "jsonapi": {"version": "1.0"}}


def test_open_event_frontend_cache_hints_are_ignored(api):
    _event, _owner = event_with_owner()
    response = api.get("/v1/events", cache="true", public="true")
    assert response.status_code == 200
    assert response.json_body["meta"]["count"] == 1
    assert api.get("/v1/events", nocache="true").status_code == 200
    assert_error(api.get("/v1/events", cachez="true"), 400)


def test_a_garbage_token_is_one_401_error_object(api):
    api.client.credentials(HTTP_AUTHORIZATION="JWT garbage")
    response = api.get("/v1/events")
    assert_error(response, 401)
    assert len(response.json_body["errors"]) == 1
    assert "source" not in response.json_body["errors"][0]


def test_wrongly_typed_attribute_values_are_422(owner_api):
    api, _event = owner_api
    attributes = valid_event_attributes(name=["a", "list"], latitude="north")
    response = api.as_user(UserFactory()).post("/v1/events", {"data": {"type": "event", "attributes": attributes}})
    assert_error(response, 422)


def test_accept_application_json_gets_the_same_document(api):
    event, _owner = event_with_owner()
    response = api.client.get(f"/v1/events/{event.pk}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["data"]["type"] == "event"


def test_restore_with_other_changes_is_refused_and_changes_nothing(api):
    event, owner = event_with_owner()
    event.soft_delete()
    body = {"data": {"type": "event", "id": str(event.pk), "attributes": {"deleted-at": None, "name": "New"}}}
    error = assert_error(api.as_user(owner).patch(f"/v1/events/{event.pk}", body), 422)
    assert error["source"]["pointer"] == "/data/attributes/name"
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775807", "4611686018427387904"])
def test_a_page_number_past_any_offset_is_invalid_not_a_server_error(api, settings, fast, number):
    """The fast path fetched a page's rows before checking the number: an OFFSET past 64 bits."""
    settings.API_FAST_READS = fast
    event, _ = event_with_owner(state=Event.State.PUBLISHED)
    for url in (f"/v1/events/{event.pk}/sessions", "/v1/sessions"):
        assert_error(api.get(url, **{"page[number]": number}), 404)
