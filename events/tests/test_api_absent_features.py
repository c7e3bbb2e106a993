"""Features this project deliberately does not build (README, "Scope"): the event's relationships
to them answer empty, an include of them is a 200 with nothing included, their lists and
plain-JSON answers are empty — behind the same 404 as the event itself."""
import json

import pytest

from events.models import Event
from events.tests.factories import EventFactory
from events.tests.helpers import count_queries, staffed_event
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

# What the Open Event front end's event page asks for (app/routes/public.js).
FRONTEND_EVENT_INCLUDE = (
    "social-links,event-copyright,speakers-call,tax,owner,organizers,video-stream,custom-forms,group,"
    "group.followers,group.followers.user"
)
# What its home page asks for on event lists (app/routes/index.js).
FRONTEND_LIST_INCLUDE = "event-topic,event-sub-topic,event-type,speakers-call"

EMPTY_TO_ONE = ["tax", "video-stream", "group", "event-topic", "event-sub-topic", "event-type"]
EMPTY_TO_MANY = ["tickets", "exhibitors"]


@pytest.fixture
def event():
    return EventFactory(state=Event.State.PUBLISHED)


@pytest.mark.parametrize("fast", [True, False])
def test_the_relationships_answer_empty_on_both_read_paths(api, settings, event, fast):
    settings.API_FAST_READS = fast
    for url in (f"/v1/events/{event.pk}", "/v1/events"):
        response = api.get(url)
        assert response.status_code == 200, response.json_body
        data = response.json_body["data"]
        relationships = (data if isinstance(data, dict) else data[0])["relationships"]
        for name in EMPTY_TO_ONE:
            assert relationships[name] == {"data": None}, name
        for name in EMPTY_TO_MANY:
            assert relationships[name] == {
                "links": {"related": f"http://testserver/v1/events/{event.pk}/{name}"},
                "data": [],
            }, name


def test_both_read_paths_render_the_same_event_page(api, settings, event):
    url = f"/v1/events/{event.identifier}?include={FRONTEND_EVENT_INCLUDE}"
    fast = api.get(url).json_body
    settings.API_FAST_READS = False
    assert api.get(url).json_body == fast


def test_the_front_ends_event_page_include_is_a_200(api, event):
    response = api.get(f"/v1/events/{event.identifier}", include=FRONTEND_EVENT_INCLUDE)
    assert response.status_code == 200, response.json_body
    body = response.json_body
    assert body["data"]["id"] == str(event.pk)
    # Nothing of a feature not built is included; the owner and (for those who see the team,
    # not anonymous visitors) the organizers would be.
    assert {row["type"] for row in body["included"]} <= {"user"}
    assert "data" not in body["data"]["relationships"]["organizers"]


def test_the_home_pages_list_include_is_a_200(api, event):
    response = api.get("/v1/events", include=FRONTEND_LIST_INCLUDE, sort="starts-at", **{"page[size]": "12"})
    assert response.status_code == 200, response.json_body
    assert response.json_body["included"] == []


@pytest.mark.parametrize(
    "path", ["tickets-sold", "group.owner", "group.followers.event", "tax.event", "speakers-call.nothing"]
)
def test_an_unknown_include_path_stays_a_400(api, event, path):
    response = api.get(f"/v1/events/{event.pk}", include=path)
    error = assert_error(response, 400)
    assert error["source"] == {"parameter": "include"}


@pytest.mark.parametrize("segment", EMPTY_TO_MANY)
def test_the_lists_are_empty_and_take_the_clients_parameters(api, event, segment):
    response = api.get(
        f"/v1/events/{event.identifier}/{segment}",
        filter=json.dumps([{"name": "status", "op": "eq", "val": "accepted"}]),
        cache="true",
        public="true",
        **{"page[size]": "0"},
    )
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"] == []
    assert response.json_body["meta"]["count"] == 0


def test_has_streams_and_ticket_availability_answer_empty(api, event):
    response = api.get(f"/v1/events/{event.identifier}/has-streams")
    assert response.status_code == 200
    assert response.json() == {"exists": False, "can_access": False}
    response = api.get(f"/v1/events/{event.pk}/tickets/availability")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "suffix", ["tickets", "exhibitors", "has-streams", "tickets/availability"]
)
def test_a_draft_events_empty_answers_are_404_below_coorganizer(api, suffix):
    event, people = staffed_event(state=Event.State.DRAFT)
    for viewer in ("anonymous", "plain", "moderator"):
        assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.pk}/{suffix}"), 404)
    assert api.as_user(people["coorganizer"]).get(f"/v1/events/{event.pk}/{suffix}").status_code == 200
    assert_error(api.get(f"/v1/events/nothere1/{suffix}"), 404)


def test_the_event_page_runs_constant_queries(api):
    """The absent relationships and the includes of links-only relations read nothing."""
    first = EventFactory(state=Event.State.PUBLISHED)
    url = f"/v1/events/{first.identifier}?include={FRONTEND_EVENT_INCLUDE}"
    _, plain = count_queries(lambda: api.get(f"/v1/events/{first.identifier}?include=owner"))
    _, full = count_queries(lambda: api.get(url))
    assert full == plain
