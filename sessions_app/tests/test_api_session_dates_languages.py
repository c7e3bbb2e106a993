"""/v1/events/<id>/sessions/dates and /sessions/languages: plain JSON lists as the Open Event
front end reads them, over the sessions the viewer may see, with constant queries."""
import datetime

import pytest

from events.models import Event
from events.tests.helpers import count_queries, staffed_event
from openevent.api.tests.documents import assert_error
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day, hour):
    return datetime.datetime(2027, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def staffed():
    # Singapore is UTC+8: 20:00 UTC on the 17th is the 18th there.
    return staffed_event(timezone="Asia/Singapore", starts_at=at(17, 20), ends_at=at(20, 10))


def test_dates_are_days_in_the_events_timezone_of_public_sessions(api, staffed):
    event, people = staffed
    SessionFactory(event=event, starts_at=at(17, 20), ends_at=at(17, 21), language="English")
    SessionFactory(event=event, starts_at=at(18, 2), ends_at=at(18, 3), state=Session.State.CONFIRMED)
    SessionFactory(event=event, starts_at=at(19, 1), ends_at=at(19, 2), state=Session.State.PENDING)
    SessionFactory(event=event, starts_at=None, ends_at=None)
    SessionFactory(event=event, starts_at=at(20, 1), ends_at=at(20, 2)).soft_delete()
    for viewer in ("anonymous", "owner"):
        response = api.as_user(people[viewer]).get(f"/v1/events/{event.identifier}/sessions/dates")
        assert response.status_code == 200
        # Pending sessions are in no public schedule, whoever asks (as Open Event).
        assert response.json() == ["2027-03-18"], viewer


def test_languages_of_the_sessions_the_viewer_sees(api, staffed):
    event, people = staffed
    SessionFactory(event=event, language="English")
    SessionFactory(event=event, language="English")
    SessionFactory(event=event, language="Bahasa Indonesia", state=Session.State.CONFIRMED)
    SessionFactory(event=event, language="")
    SessionFactory(event=event, language="German", state=Session.State.PENDING)
    assert api.get(f"/v1/events/{event.pk}/sessions/languages").json() == ["Bahasa Indonesia", "English"]
    organizer = api.as_user(people["organizer"]).get(f"/v1/events/{event.pk}/sessions/languages")
    assert organizer.json() == ["Bahasa Indonesia", "English", "German"]


@pytest.mark.parametrize("suffix", ["dates", "languages"])
def test_a_draft_events_lists_are_404_below_coorganizer(api, suffix):
    event, people = staffed_event(state=Event.State.DRAFT)
    SessionFactory(event=event, language="English", starts_at=at(18, 9), ends_at=at(18, 10))
    for viewer in ("anonymous", "plain", "registrar"):
        assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.pk}/sessions/{suffix}"), 404)
    assert api.as_user(people["coorganizer"]).get(f"/v1/events/{event.pk}/sessions/{suffix}").json() != []
    assert_error(api.get(f"/v1/events/nothere1/sessions/{suffix}"), 404)


@pytest.mark.parametrize("suffix", ["dates", "languages"])
@pytest.mark.parametrize("viewer", ["anonymous", "organizer"])
def test_constant_queries(api, staffed, suffix, viewer):
    event, people = staffed
    api.as_user(people[viewer])
    url = f"/v1/events/{event.pk}/sessions/{suffix}"
    SessionFactory(event=event, language="English", starts_at=at(18, 9), ends_at=at(18, 10))
    _, one = count_queries(lambda: api.get(url))
    for day in range(18, 21):
        for hour in range(1, 9):
            SessionFactory(event=event, language=f"L{day}{hour}", starts_at=at(day, hour), ends_at=at(day, hour + 1))
    response, many = count_queries(lambda: api.get(url))
    assert len(response.json()) > 1
    assert many == one
