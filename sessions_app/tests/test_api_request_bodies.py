"""Request bodies are bounded: deeply nested JSON is a 400 and a body past
DATA_UPLOAD_MAX_MEMORY_SIZE a 413, each one JSON:API error object, on every kind of write endpoint;
nothing is stored."""
import json

import pytest

from events.models import Event
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

NESTED = "[" * 5000 + "]" * 5000
DEEP_ATTRIBUTE = json.dumps(
    {"data": {"type": "user", "attributes": {"email": "deep@example.org", "password": "s3cret-pass!",
                                             "details": "x", "contact": None}}}
)[:-3] + ', "extra": ' + "[" * 200 + "]" * 200 + "}}}"  # fmt: skip


@pytest.fixture
def program(db):
    return Program()


def assert_one_error(response, status):
    assert response.status_code == status, response.content[:300]
    body = json.loads(response.content)
    (error,) = body["errors"]
    assert error["status"] == str(status)
    assert error["detail"]
    return error


def write_endpoints(program):
    """(method, url, user) for a write endpoint of each kind: registration, login, a resource
    PATCH and a relationship route."""
    owner = program.people["owner"]
    return [
        ("post", "/v1/users", None),
        ("post", "/v1/auth/login", None),
        ("post", "/auth/session", None),
        ("patch", f"/v1/events/{program.event.pk}", owner),
        ("patch", f"/v1/sessions/{program.own_session.pk}/relationships/speakers", owner),
        ("post", "/v1/tracks", owner),
    ]


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("body", [NESTED, DEEP_ATTRIBUTE], ids=["nested-5000", "deep-attribute"])
def test_deeply_nested_json_is_400(api, program, index, body):
    method, url, user = write_endpoints(program)[index]
    api.as_user(user)
    name = program.event.name
    error = assert_one_error(getattr(api, method)(url, raw=body), 400)
    assert "nests more than" in error["detail"]
    program.event.refresh_from_db()
    assert program.event.name == name
    assert list(program.own_session.speakers.all()) == [program.speaker]
    assert not User.objects.filter(email="deep@example.org").exists()


def test_json_nested_at_the_limit_still_parses(api, program):
    api.as_user(program.people["owner"])
    body = {"data": {"type": "event", "id": str(program.event.pk), "attributes": {"name": "Still fine"}}}
    assert api.patch(f"/v1/events/{program.event.pk}", body).status_code == 200
    assert Event.objects.get(pk=program.event.pk).name == "Still fine"


def test_a_10_mb_registration_is_413_and_stores_nothing(api):
    body = {"data": {"type": "user", "attributes": {
        "email": "big@example.org", "password": "s3cret-pass!", "details": "x" * 10_000_000}}}  # fmt: skip
    error = assert_one_error(api.post("/v1/users", body), 413)
    assert "larger than 1048576 bytes" in error["detail"]
    assert not User.objects.filter(email="big@example.org").exists()


def test_the_limit_is_a_setting(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    UserFactory(email="known@example.org")
    body = {"email": "known@example.org", "password": "x" * 300}
    assert_one_error(api.post("/v1/auth/login", body, content_type="application/json"), 413)
    body = {"data": {"type": "user", "attributes": {"email": "new@example.org", "password": "x" * 300}}}
    assert_one_error(api.post("/v1/users", body), 413)
    assert not User.objects.filter(email="new@example.org").exists()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    assert api.post("/v1/users", body).status_code == 201
