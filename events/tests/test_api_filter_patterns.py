"""``like``/``ilike`` of the JSON filter go to the database's own matcher: no backtracking blow-up
(``%e%e%e%e%e%e%Q`` took 48 s as a Python regex on SQLite), capped in length and wildcards, and
every character but the wildcards is literal."""
import json
import time

import pytest

from events.models import Event
from events.tests.factories import EventFactory
from openevent.api import like

pytestmark = pytest.mark.django_db


def matching(api, op, pattern, name="name"):
    response = api.get("/v1/events", filter=json.dumps([{"name": name, "op": op, "val": pattern}]), sort="name")
    assert response.status_code == 200, response.json_body
    return [item["attributes"]["name"] for item in response.json_body["data"]]


def assert_refused(response, words):
    assert response.status_code == 400, response.json_body
    (error,) = response.json_body["errors"]
    assert error["source"] == {"parameter": "filter"}
    assert words in error["detail"]


@pytest.mark.parametrize("op", ["like", "ilike"])
def test_a_pattern_at_the_wildcard_cap_answers_quickly_over_long_text(api, op):
    EventFactory.create_batch(200, description="e" * 5000, state=Event.State.PUBLISHED)
    pattern = "%e" * like.MAX_WILDCARDS + "Q"
    started = time.monotonic()
    assert matching(api, op, pattern, name="description") == []
    assert time.monotonic() - started < 2


def test_the_evil_pattern_is_refused_at_once(api):
    EventFactory(description="e" * 5000, state=Event.State.PUBLISHED)
    started = time.monotonic()
    response = api.get(
        "/v1/events", filter=json.dumps([{"name": "description", "op": "like", "val": "%e%e%e%e%e%e%Q"}])
    )
    assert time.monotonic() - started < 1
    assert_refused(response, "at most 5 '%' wildcards")


def test_patterns_are_capped_in_length(api):
    EventFactory(name="x" * 10, state=Event.State.PUBLISHED)
    assert matching(api, "like", "x_" + "_" * 198) == []
    response = api.get("/v1/events", filter=json.dumps([{"name": "name", "op": "like", "val": "x" * 201}]))
    assert_refused(response, "at most 200 characters")


@pytest.fixture
def odd_names():
    for name in ("A*B?C", "A[B]C", "AxByC", "50% off_now", "50 percent off", "back\\slash day", "Ünïcode Day"):
        EventFactory(name=name, state=Event.State.PUBLISHED)


@pytest.mark.parametrize(
    ("op", "pattern", "expected"),
    [
        # GLOB's own wildcards and classes are literals of a LIKE pattern.
        ("like", "A*B_C", ["A*B?C"]),
        ("like", "A_B?C", ["A*B?C"]),
        ("like", "A[B]_", ["A[B]C"]),
        ("like", "A_B_C", ["A*B?C", "A[B]C", "AxByC"]),
        ("like", "A%C", ["A*B?C", "A[B]C", "AxByC"]),
        ("like", "a%c", []),
        ("ilike", "a%c", ["A*B?C", "A[B]C", "AxByC"]),
        ("ilike", "a[b]_", ["A[B]C"]),
        # Escaped wildcards and backslashes are literals.
        ("like", "50\\% off\\_%", ["50% off_now"]),
        ("like", "50_%off%", ["50 percent off", "50% off_now"]),
        ("like", "back\\\\slash%y", ["back\\slash day"]),
        ("ilike", "BACK\\\\SLASH _A_", ["back\\slash day"]),
        ("like", "Ü_ïcode%y", ["Ünïcode Day"]),
    ],
)
def test_pattern_characters(api, odd_names, op, pattern, expected):
    assert matching(api, op, pattern) == expected


def test_not_like_keeps_rows_without_a_value(api):
    EventFactory(name="Alpha", location_name="Berlin", state=Event.State.PUBLISHED)
    EventFactory(name="Beta", location_name="", state=Event.State.PUBLISHED)
    EventFactory(name="Gamma", location_name="Bonn", state=Event.State.PUBLISHED)
    nodes = [{"not": {"name": "location-name", "op": "like", "val": "B_r%n"}}]
    response = api.get("/v1/events", filter=json.dumps(nodes), sort="name")
    assert [item["attributes"]["name"] for item in response.json_body["data"]] == ["Beta", "Gamma"]
