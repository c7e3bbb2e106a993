"""/v1/event-copyrights (also spelled /v1/event-copyright) and /v1/events/<id>/event-copyright:
the blueprint's attributes, one live copyright per event, who may write it. The generic part
behaviour (who creates, edits, deletes, trash, relationship routes) is covered with every other
part in test_api_program.py (``RESOURCES["event-copyright"]``)."""
import pytest
from django.utils import timezone

from events.models import Event, EventCopyright
from events.tests.helpers import staffed_event
from events.tests.program import RESOURCES, create_doc, make, part_doc, pointers
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

COPYRIGHT = RESOURCES["event-copyright"]
# The blueprint's attribute set (copyright.apib), plus our created-at.
BLUEPRINT_KEYS = {"holder", "holder-url", "licence", "licence-url", "year", "logo-url", "deleted-at", "created-at"}


@pytest.fixture
def staffed():
    return staffed_event()


def test_created_as_the_blueprint_shows(api, staffed):
    event, people = staffed
    response = api.as_user(people["coorganizer"]).post("/v1/event-copyrights", create_doc(COPYRIGHT, event))
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == "event-copyright"
    assert set(data["attributes"]) == BLUEPRINT_KEYS
    assert data["attributes"]["year"] == 2027
    assert data["attributes"]["licence"] == "CC BY-SA 4.0"
    assert set(data["relationships"]["event"]["links"]) == {"self", "related"}
    row = EventCopyright.objects.get()
    assert (row.event, row.holder, row.holder_url) == (event, "FOSSASIA", "https://fossasia.org")


def test_the_singular_spelling_serves_the_same_routes(api, staffed):
    event, people = staffed
    copyright = make(COPYRIGHT, event)
    detail = api.get(f"/v1/event-copyright/{copyright.pk}")
    assert detail.status_code == 200
    assert detail.json_body["data"]["id"] == str(copyright.pk)
    api.as_user(people["owner"])
    changed = api.patch(f"/v1/event-copyright/{copyright.pk}", part_doc(COPYRIGHT, id=copyright.pk, holder="New"))
    assert changed.status_code == 200, changed.json_body
    assert api.post("/v1/event-copyright", create_doc(COPYRIGHT, staffed_event()[0])).status_code == 403


def test_the_event_route_and_relationship_name_the_live_copyright(api, staffed):
    event, _people = staffed
    assert api.get(f"/v1/events/{event.identifier}/event-copyright").json_body["data"] is None
    copyright = make(COPYRIGHT, event)
    body = api.get(f"/v1/events/{event.identifier}/event-copyright", include="event").json_body
    assert body["data"]["id"] == str(copyright.pk)
    assert body["included"][0]["id"] == str(event.pk)
    relationship = api.get(f"/v1/events/{event.pk}/relationships/event-copyright").json_body
    assert relationship["data"] == {"type": "event-copyright", "id": str(copyright.pk)}
    links = api.get(f"/v1/events/{event.pk}").json_body["data"]["relationships"]["event-copyright"]["links"]
    assert links["related"].endswith(f"/v1/events/{event.pk}/event-copyright")


def test_a_second_live_copyright_is_a_conflict(api, staffed):
    event, people = staffed
    api.as_user(people["owner"])
    assert api.post("/v1/event-copyrights", create_doc(COPYRIGHT, event)).status_code == 201
    error = assert_error(api.post("/v1/event-copyrights", create_doc(COPYRIGHT, event)), 409)
    assert error["detail"] == "This event already has a copyright."
    assert EventCopyright.all_objects.count() == 1


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"licence": ""}, "/data/attributes/licence"),
        ({"year": 1800}, "/data/attributes/year"),
        ({"year": "soon"}, "/data/attributes/year"),
        ({"holder-url": "not a url"}, "/data/attributes/holder-url"),
        ({"licence-url": "ftp:/nowhere"}, "/data/attributes/licence-url"),
    ],
)
def test_bad_input_is_a_422_naming_the_attribute(api, staffed, attributes, pointer):
    event, people = staffed
    response = api.as_user(people["owner"]).post("/v1/event-copyrights", create_doc(COPYRIGHT, event, **attributes))
    assert_error(response, 422)
    assert pointers(response) == [pointer]
    assert not EventCopyright.all_objects.exists()


def test_a_year_far_ahead_is_refused(api, staffed):
    event, people = staffed
    year = timezone.now().year + 2
    response = api.as_user(people["owner"]).post("/v1/event-copyrights", create_doc(COPYRIGHT, event, year=year))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/year"]


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 404), ("plain", 404), ("moderator", 404)])
def test_a_drafts_copyright_is_hidden_below_coorganizer(api, viewer, status):
    event, people = staffed_event(state=Event.State.DRAFT)
    copyright = make(COPYRIGHT, event)
    assert_error(api.as_user(people[viewer]).get(f"/v1/event-copyrights/{copyright.pk}"), status)
    assert api.as_user(people["coorganizer"]).get(f"/v1/event-copyrights/{copyright.pk}").status_code == 200
