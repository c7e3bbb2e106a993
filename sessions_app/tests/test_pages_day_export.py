"""Exports of the scheduler's shown day: the iCalendar file of one local day."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.models import Event
from events.tests.factories import MicrolocationFactory, TrackFactory
from events.tests.helpers import count_queries
from sessions_app.services.schedule import create_block
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/New_York")
DAY_1 = datetime.date(2031, 3, 10)
DAY_2 = DAY_1 + datetime.timedelta(days=1)


def local(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), ZONE)


def program():
    """A three-day event in New York, whose local evening is the next day in UTC."""
    last_day = DAY_1 + datetime.timedelta(days=2)
    return Program(timezone="America/New_York", starts_at=local(DAY_1, 9), ends_at=local(last_day, 18))


def session(program, starts_at, minutes=45, **kwargs):
    kwargs.setdefault("microlocation", program.room)
    kwargs.setdefault("track", program.track)
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    return SessionFactory(event=program.event, starts_at=starts_at, ends_at=ends_at, **kwargs)


def ics_url(event, day):
    return f"/events/{event.identifier}/schedule/day/{day}.ics"


def events_of(response):
    calendar = Calendar.from_ical(response.content)
    return {str(item["uid"]): item for item in calendar.walk("VEVENT")}, calendar


@pytest.fixture
def world():
    world = program()
    world.talk = session(world, local(DAY_1, 10), title="Opening talk",
                         long_abstract="<p>Why <strong>open</strong> matters.</p><p>And how &amp; when.</p>")
    world.late = session(world, local(DAY_1, 23, 30), minutes=60, title="Night owls")
    world.next_day = session(world, local(DAY_2, 0, 30), title="After midnight")
    session(world, local(DAY_1, 11), state="pending", title="Still pending")
    session(world, local(DAY_1, 12), state="rejected", title="Rejected")
    lunch = {"title": "Lunch", "kind": "lunch", "starts_at": local(DAY_1, 12), "ends_at": local(DAY_1, 13)}
    world.block = create_block(world.people["owner"], world.event, lunch)
    create_block(world.people["owner"], world.event,
                 {"title": "Coffee", "kind": "coffee", "starts_at": local(DAY_2, 15), "ends_at": local(DAY_2, 15, 30)})
    return world


def test_the_ics_holds_that_local_days_scheduled_sessions_and_breaks(client, world):
    client.force_login(world.people["coorganizer"])
    response = client.get(ics_url(world.event, DAY_1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{world.event.identifier}-{DAY_1}.ics"'
    found, calendar = events_of(response)
    # The 23:30 session (04:30 UTC the next day) is day 1's; 00:30 on day 2 is not; pending and
    # rejected sessions are not on the schedule.
    assert sorted(str(item["summary"]) for item in found.values()) == ["Lunch", "Night owls", "Opening talk"]
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    talk = found[f"session-{world.talk.pk}@open-event.invalid"]
    assert talk.decoded("dtstart") == local(DAY_1, 10)
    assert talk.decoded("dtstart").tzinfo.key == "America/New_York"
    assert "DTSTART;TZID=America/New_York:20310310T100000" in response.content.decode()
    assert talk.decoded("dtend") == local(DAY_1, 10, 45)
    assert "dtstamp" in talk
    assert str(talk["location"]) == world.room.name
    assert [str(name) for name in talk["categories"].cats] == [world.track.name]
    assert str(talk["description"]) == "Why open matters. And how & when."
    assert str(talk["url"]) == f"http://testserver/events/{world.event.identifier}/sessions/{world.talk.pk}/"
    lunch = found[f"block-{world.block.pk}@open-event.invalid"]
    assert lunch.decoded("dtstart") == local(DAY_1, 12)
    assert str(lunch["location"]) == "All rooms"
    assert [str(name) for name in lunch["categories"].cats] == ["Lunch"]


def test_the_next_day_has_its_own_sessions_only(client, world):
    client.force_login(world.people["owner"])
    found, _ = events_of(client.get(ics_url(world.event, DAY_2)))
    assert sorted(str(item["summary"]) for item in found.values()) == ["After midnight", "Coffee"]


def test_uids_are_stable_across_requests(client, world, settings):
    client.force_login(world.people["organizer"])
    first, _ = events_of(client.get(ics_url(world.event, DAY_1)))
    second, _ = events_of(client.get(ics_url(world.event, DAY_1)))
    assert set(first) == set(second)
    assert {uid: str(item["dtstamp"].to_ical()) for uid, item in first.items()} == {
        uid: str(item["dtstamp"].to_ical()) for uid, item in second.items()
    }
    settings.ICAL_UID_DOMAIN = "events.example.org"
    third, _ = events_of(client.get(ics_url(world.event, DAY_1)))
    assert f"session-{world.talk.pk}@events.example.org" in third


def test_a_day_without_sessions_is_an_empty_calendar(client):
    world = program()
    client.force_login(world.people["owner"])
    response = client.get(ics_url(world.event, DAY_2))
    assert response.status_code == 200
    found, calendar = events_of(response)
    assert found == {}
    assert len(calendar.walk("VTIMEZONE")) == 1


@pytest.mark.parametrize("day", ["2031-03-09", "2031-03-13", "2031-02-30", "2031-3-10", "tomorrow"])
def test_a_day_outside_the_event_or_not_a_date_is_not_found(client, world, day):
    client.force_login(world.people["owner"])
    assert client.get(ics_url(world.event, day)).status_code == 404


@pytest.mark.parametrize("role", ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"])
def test_everyone_below_coorganizer_is_refused(client, world, role):
    client.force_login(world.people[role])
    response = client.get(ics_url(world.event, DAY_1))
    assert response.status_code == 403
    assert b"Night owls" not in response.content


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(ics_url(world.event, DAY_1))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_hidden_draft_is_not_found_for_outsiders(client):
    world = Program(state=Event.State.DRAFT)
    client.force_login(world.people["plain"])
    assert client.get(ics_url(world.event, world.event.starts_at.date())).status_code == 404


def test_only_get_is_answered(client, world):
    client.force_login(world.people["owner"])
    assert client.post(ics_url(world.event, DAY_1)).status_code == 405


def test_the_ics_runs_constant_queries(client):
    world = program()
    client.force_login(world.people["owner"])
    session(world, local(DAY_1, 10))
    create_block(world.people["owner"], world.event,
                 {"title": "Break", "starts_at": local(DAY_1, 15), "ends_at": local(DAY_1, 15, 15)})
    response, one = count_queries(lambda: client.get(ics_url(world.event, DAY_1)))
    assert len(events_of(response)[0]) == 2
    for hour in range(11, 21):
        room = MicrolocationFactory(event=world.event)
        session(world, local(DAY_1, hour), microlocation=room, track=TrackFactory(event=world.event))
        create_block(world.people["owner"], world.event,
                     {"title": "Break", "starts_at": local(DAY_1, hour, 45), "ends_at": local(DAY_1, hour, 50),
                      "microlocation": room})
    response, many = count_queries(lambda: client.get(ics_url(world.event, DAY_1)))
    assert len(events_of(response)[0]) == 22
    assert one == many
