"""Nested lists (``/v1/events/<id>/sessions``…) are served by the related resource's list view
directly: the parent is found once, through its own viewset, and guarded as its detail is."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from events.tests.factories import TrackFactory
from openevent.api.tests.documents import assert_error
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.helpers import Program, ids

pytestmark = pytest.mark.django_db


def selects_by_pk(queries, table):
    """The queries that load one row of ``table`` by its primary key."""
    pattern = re.compile(rf'FROM "{table}".*WHERE .*"{table}"\."id" = ', re.S)
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and pattern.search(q["sql"])]


def test_the_event_and_the_user_are_loaded_once(api):
    program = Program()
    SessionFactory(event=program.event, track=program.track)
    api.as_user(program.people["organizer"])
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/v1/events/{program.event.pk}/sessions", include="speakers,track")
    assert response.status_code == 200
    assert len(response.json_body["data"]) == 2
    assert len(selects_by_pk(ctx.captured_queries, "events_event")) == 1
    assert len(selects_by_pk(ctx.captured_queries, "users_user")) == 1


@pytest.mark.parametrize("parent", ["event", "track", "session", "speaker"])
def test_a_hidden_parent_is_the_same_404_as_its_detail(api, parent):
    program = Program(state=Event.State.DRAFT)
    urls = {
        "event": (f"/v1/events/{program.event.pk}", "sessions"),
        "track": (f"/v1/tracks/{program.track.pk}", "sessions"),
        "session": (f"/v1/sessions/{program.own_session.pk}", "speakers"),
        "speaker": (f"/v1/speakers/{program.speaker.pk}", "sessions"),
    }
    detail, relation = urls[parent]
    api.as_user(program.people["moderator"] if parent != "event" else None)
    expected = assert_error(api.get(detail), 404)
    assert assert_error(api.get(f"{detail}/{relation}"), 404) == expected


def test_a_session_the_user_may_not_see_hides_its_speakers(api):
    program = Program()
    # A pending session is not public: anonymous users see neither it nor its speakers list.
    url = f"/v1/sessions/{program.own_session.pk}"
    assert_error(api.get(url), 404)
    assert_error(api.get(f"{url}/speakers"), 404)
    assert ids(api.as_user(program.speaker_user).get(f"{url}/speakers")) == {str(program.speaker.pk)}


def test_an_event_identifier_names_the_parent_too(api):
    program = Program()
    track = TrackFactory(event=program.event)
    response = api.get(f"/v1/events/{program.event.identifier.upper()}/tracks")
    assert sorted(ids(response)) == sorted([str(program.track.pk), str(track.pk)])
    assert response.json_body["links"]["first"].startswith(
        f"http://testserver/v1/events/{program.event.identifier.upper()}/tracks?"
    )
    assert_error(api.get("/v1/events/0badc0de/tracks"), 404)


def test_other_methods_stay_those_of_the_related_route(api):
    program = Program()
    api.as_user(program.people["owner"])
    url = f"/v1/events/{program.event.pk}/sessions"
    assert_error(api.post(url, {"data": {"type": "session", "attributes": {"title": "x"}}}), 405)
    response = api.client.options(url, HTTP_ACCEPT="application/vnd.api+json")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_patch_loads_its_object_once(api):
    program = Program()
    api.as_user(program.people["owner"])
    body = {"data": {"type": "track", "id": str(program.track.pk), "attributes": {"name": "Renamed"}}}
    with CaptureQueriesContext(connection) as ctx:
        response = api.patch(f"/v1/tracks/{program.track.pk}", body)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["name"] == "Renamed"
    loads = [sql for sql in selects_by_pk(ctx.captured_queries, "events_track") if "FOR UPDATE" not in sql]
    assert len(loads) == 1, loads
