"""``GET /v1/sessions/mails``: the state-change mails in the blueprint's shape, public."""
import pytest

from events.tests.helpers import count_queries
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

STATES = {"pending", "accepted", "confirmed", "rejected", "withdrawn", "canceled"}


def test_anyone_reads_the_state_change_mails_in_the_blueprints_shape(api):
    response = api.get("/v1/sessions/mails")
    assert response.status_code == 200
    body = response.json_body
    assert set(body) == STATES | {"recipient"}
    assert body["recipient"] == "Speaker"
    for state in STATES:
        assert set(body[state]) == {"subject", "message"}
    accepted = body["accepted"]
    assert accepted["subject"] == "Your session “{session_title}” was accepted at {event_name}"
    assert accepted["message"].startswith("<p>Hello {speaker_name},</p>")
    assert 'href="{session_link}"' in accepted["message"]
    # The mail's content, not the layout around it.
    assert "<html" not in accepted["message"]


def test_a_logged_in_client_asking_for_json_api_gets_the_same(api):
    response = api.as_user(UserFactory()).get("/v1/sessions/mails")
    assert response.status_code == 200
    assert response.json_body["recipient"] == "Speaker"


def test_mails_is_not_taken_for_a_sessions_id(api):
    SessionFactory()
    assert api.get("/v1/sessions/mails").status_code == 200
    assert api.get("/v1/sessions/states").status_code == 200


def test_it_is_read_only(api):
    assert api.post("/v1/sessions/mails", {}).status_code == 405


def test_it_runs_no_query(api):
    _, queries = count_queries(lambda: api.get("/v1/sessions/mails"))
    assert queries == 0
