"""Long text (descriptions, abstracts, biographies, details) is capped at LONG_TEXT_MAX_LENGTH on
every way in: a 422 pointing at the attribute on the API, a form error on the pages; nothing is
stored. Text at the cap is fine."""
import json

import pytest
from django.urls import reverse

from events.models import Event, Track
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker
from sessions_app.tests.helpers import Program, session_doc, speaker_doc

pytestmark = pytest.mark.django_db
TOO_LONG = "x" * (LONG_TEXT_MAX_LENGTH + 1)
AT_THE_CAP = "y" * LONG_TEXT_MAX_LENGTH


@pytest.fixture
def program(db):
    return Program()


def assert_too_long(response, attribute):
    assert response.status_code == 422, response.content[:300]
    errors = json.loads(response.content)["errors"]
    assert {error["source"]["pointer"] for error in errors} == {f"/data/attributes/{attribute}"}
    assert f"no more than {LONG_TEXT_MAX_LENGTH} characters" in errors[0]["detail"]


def test_registration_details(api):
    body = {"data": {"type": "user", "attributes": {"email": "a@example.org", "password": "s3cret-pass!"}}}
    body["data"]["attributes"]["details"] = TOO_LONG
    assert_too_long(api.post("/v1/users", body), "details")
    assert not User.objects.filter(email="a@example.org").exists()
    body["data"]["attributes"]["details"] = AT_THE_CAP
    assert api.post("/v1/users", body).status_code == 201


@pytest.mark.parametrize("attribute", ["description", "owner-description", "code-of-conduct"])
def test_event_texts(api, program, attribute):
    api.as_user(program.people["owner"])
    url = f"/v1/events/{program.event.pk}"
    body = {"data": {"type": "event", "id": str(program.event.pk), "attributes": {attribute: TOO_LONG}}}
    assert_too_long(api.patch(url, body), attribute)
    assert Event.objects.get(pk=program.event.pk).description == program.event.description
    body["data"]["attributes"][attribute] = AT_THE_CAP
    assert api.patch(url, body).status_code == 200


@pytest.mark.parametrize("attribute", ["short-abstract", "long-abstract", "comments"])
def test_session_texts(api, program, attribute):
    api.as_user(program.people["organizer"])
    doc = session_doc(program.event, title="Long", **{attribute: TOO_LONG})
    assert_too_long(api.post("/v1/sessions", doc), attribute)
    assert not Session.objects.filter(title="Long").exists()


@pytest.mark.parametrize("attribute", ["short-biography", "long-biography", "speaking-experience"])
def test_speaker_texts(api, program, attribute):
    api.as_user(program.people["organizer"])
    doc = speaker_doc(program.event, name="Longwinded", email="long@example.org", **{attribute: TOO_LONG})
    assert_too_long(api.post("/v1/speakers", doc), attribute)
    assert not Speaker.objects.filter(name="Longwinded").exists()


def test_track_description(api, program):
    api.as_user(program.people["organizer"])
    doc = {"data": {"type": "track", "attributes": {"name": "Long track", "description": TOO_LONG},
                    "relationships": {"event": {"data": {"type": "event", "id": str(program.event.pk)}}}}}  # fmt: skip
    assert_too_long(api.post("/v1/tracks", doc), "description")
    assert not Track.objects.filter(name="Long track").exists()


def test_event_page_form(client):
    client.force_login(UserFactory())
    data = {"name": "Long", "starts_at": "2031-04-10T09:00", "ends_at": "2031-04-12T18:00", "timezone": "UTC",
            "description": TOO_LONG, "privacy": "public", "state": "draft"}  # fmt: skip
    response = client.post(reverse("event-create"), data)
    assert response.status_code == 200
    assert "at most 20000 characters" in response.context["form"].errors["description"][0]
    assert not Event.objects.filter(name="Long").exists()


def test_track_page_form(client, program):
    client.force_login(program.people["owner"])
    url = reverse("part-create", args=[program.event.identifier, "tracks"])
    response = client.post(url, {"name": "Long track", "description": TOO_LONG, "color": "#112233", "position": 0})
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Track.objects.filter(name="Long track").exists()
