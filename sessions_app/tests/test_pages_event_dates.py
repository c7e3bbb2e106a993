"""Moving an event's dates on its settings page warns of the sessions left outside them."""
import datetime
import zoneinfo

import pytest
from django.urls import reverse

from events.models import Event
from events.tests.factories import event_with_owner
from events.tests.test_pages_manage import page_messages, settings_data
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")


def test_moving_the_dates_warns_of_the_sessions_left_outside(client):
    event, owner = event_with_owner(
        timezone="Asia/Singapore",
        starts_at=datetime.datetime(2031, 4, 10, 9, 0, tzinfo=SINGAPORE),
        ends_at=datetime.datetime(2031, 4, 12, 18, 0, tzinfo=SINGAPORE),
    )
    first_day = datetime.datetime(2031, 4, 10, 10, 0, tzinfo=SINGAPORE)
    SessionFactory(event=event, starts_at=first_day, ends_at=first_day + datetime.timedelta(hours=1))
    SessionFactory(event=event, starts_at=None, ends_at=None)  # unscheduled: never outside
    client.force_login(owner)
    page = reverse("event-settings", args=[event.identifier])

    response = client.post(page, settings_data(event, starts_at="2031-04-11T09:00"), follow=True)
    assert "1 scheduled session now lies outside the event's dates; move them in the sessions list." in (
        page_messages(response)
    )
    back = settings_data(Event.objects.get(pk=event.pk), starts_at="2031-04-10T09:00")
    response = client.post(page, back, follow=True)
    assert not any("outside" in message for message in page_messages(response))
