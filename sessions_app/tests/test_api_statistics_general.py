"""``/v1/events/<id>/general-statistics``: the blueprint's ``event-statistics-general`` resource."""
import pytest

from events.tests.factories import EventFactory
from events.tests.helpers import staffed_event
from openevent.api.tests.documents import assert_error
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

#: The attributes of the blueprint's "Show Event Statistics General" response.
BLUEPRINT_ATTRIBUTES = {
    "speakers", "sessions", "sessions-pending", "sponsors", "sessions-submitted", "sessions-rejected",
    "sessions-confirmed", "identifier", "sessions-accepted", "sessions-draft",
}  # fmt: skip


def test_the_overview_has_the_blueprints_attributes_with_identifier_and_submitted_sessions(api):
    event, people = staffed_event()
    submitted_at = event.starts_at
    SessionFactory(event=event, state=Session.State.DRAFT)
    SessionFactory(event=event, state=Session.State.PENDING, submitted_at=submitted_at)
    SessionFactory(event=event, state=Session.State.ACCEPTED, submitted_at=submitted_at)
    SessionFactory(event=event, state=Session.State.ACCEPTED)  # added by the organizers, never proposed
    SessionFactory(event=event, state=Session.State.PENDING, submitted_at=submitted_at).soft_delete()
    SessionFactory(event=EventFactory(), state=Session.State.PENDING, submitted_at=submitted_at)
    response = api.as_user(people["organizer"]).get(f"/v1/events/{event.identifier}/general-statistics")
    assert response.status_code == 200
    data = response.json_body["data"]
    assert data["type"] == "event-statistics-general"
    assert data["id"] == str(event.pk)
    attributes = data["attributes"]
    assert set(attributes) >= BLUEPRINT_ATTRIBUTES
    assert attributes["identifier"] == event.identifier
    assert attributes["sessions-submitted"] == 2
    assert attributes["sessions"] == 4
    assert attributes["sessions-draft"] == 1


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 401), ("plain", 403), ("moderator", 403)])
def test_the_overview_is_refused_below_coorganizer(api, viewer, status):
    event, people = staffed_event()
    error = assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.identifier}/general-statistics"), status)
    assert "identifier" not in str(error)
