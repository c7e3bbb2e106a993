"""The forms builder (events/forms_views.py) refuses a speaker of the event: the page and its save.

Here rather than in events/tests because speakers live in sessions_app (imports point down)."""
import json

import pytest
from django.urls import reverse

from events.models import CustomForm
from events.queries import form_fields
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_a_speaker_of_the_event_is_refused(client):
    event, _ = staffed_event()
    user = UserFactory()
    speaker = SpeakerFactory(event=event, user=user, email=user.email)
    SessionFactory(event=event).speakers.add(speaker)
    client.force_login(user)
    url = reverse("event-forms", args=[event.identifier, "session"])
    assert client.get(url).status_code in (403, 404)
    rows = [{"name": field.name, "type": field.type, "field_identifier": field.field_identifier}
            for field in form_fields(event, "session")]
    response = client.post(url, data=json.dumps({"fields": rows}), content_type="application/json")
    assert response.status_code in (403, 404)
    assert not CustomForm.objects.filter(event=event).exists()
