"""The scheduler page: who opens it, what its JSON blob holds, and its constant queries."""
import datetime
import json
import re

import pytest
from django.utils import timezone

from events.models import Event
from events.tests.factories import EventFactory, MicrolocationFactory, SessionTypeFactory, TrackFactory
from events.tests.helpers import count_queries
from sessions_app.models import ScheduleBlock
from sessions_app.services.schedule import release_schedule
from sessions_app.services.scheduler import schedule_days, type_minutes
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


def url(event):
    return f"/events/{event.identifier}/schedule/"


def blob(response):
    pattern = r'<script id="scheduler-data" type="application/json">(.*?)</script>'
    found = re.search(pattern, response.content.decode(), re.S)
    assert found, "the page has no scheduler data"
    return json.loads(found.group(1))


@pytest.mark.parametrize("role", ["owner", "organizer", "coorganizer", "admin"])
def test_coorganizers_and_up_open_the_scheduler(client, role):
    program = Program()
    client.force_login(program.people[role])
    response = client.get(url(program.event))
    assert response.status_code == 200
    assert b'<h1>Schedule</h1>' in response.content
    assert b"js/scheduler.js" in response.content
    # The program navigation links it, marked as the current page.
    assert f'<a href="{url(program.event)}" aria-current="page">Schedule</a>'.encode() in response.content


@pytest.mark.parametrize("role", ["track_organizer", "moderator", "registrar"])
def test_team_members_below_coorganizer_are_refused_and_not_linked(client, role):
    """They read the program but do not schedule it (``can_manage_program``): 403, and the
    navigation on their other pages has no Schedule link."""
    program = Program()
    client.force_login(program.people[role])
    response = client.get(url(program.event))
    assert response.status_code == 403
    assert b"Only co-organizers and up change sessions and speakers." in response.content
    sessions_page = client.get(f"/events/{program.event.identifier}/sessions/")
    assert sessions_page.status_code == 200
    assert url(program.event).encode() not in sessions_page.content


@pytest.mark.parametrize(("who", "status"), [("speaker", 403), ("plain", 403), ("other_organizer", 403)])
def test_outsiders_are_refused(client, who, status):
    program = Program()
    client.force_login(program.people[who])
    assert client.get(url(program.event)).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    program = Program()
    response = client.get(url(program.event))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_draft_event_is_hidden_from_those_without_a_role(client):
    program = Program(state=Event.State.DRAFT)
    client.force_login(program.people["plain"])
    assert client.get(url(program.event)).status_code == 404


def test_the_page_only_answers_get(client):
    program = Program()
    client.force_login(program.people["owner"])
    assert client.post(url(program.event)).status_code == 405


def test_the_blob_holds_the_event_rooms_tracks_types_and_schedulable_sessions(client):
    starts = datetime.datetime(2027, 3, 10, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Singapore
    program = Program(starts_at=starts, ends_at=starts + datetime.timedelta(hours=8), timezone="Asia/Singapore")
    event = program.event
    hall = MicrolocationFactory(event=event, name="Hall", position=0)
    hidden = MicrolocationFactory(event=event, name="Storage", position=1, hidden_in_scheduler=True)
    MicrolocationFactory(event=event, name="Attic", position=2)
    program.room.position = 3
    program.room.save()
    track = TrackFactory(event=event, name="Web", color="#123456")
    talk = SessionTypeFactory(event=event, name="Talk", length="00:45")
    broken = SessionTypeFactory(event=event, name="Odd", length="00:00")
    ends = starts + datetime.timedelta(minutes=45)
    placed = SessionFactory(event=event, title="Placed", state="confirmed", track=track, session_type=talk,
                            microlocation=hall, starts_at=starts, ends_at=ends)  # fmt: skip
    gone = SpeakerFactory(event=event, name="Trashed speaker", deleted_at=timezone.now())
    placed.speakers.add(SpeakerFactory(event=event, name="grace"), SpeakerFactory(event=event, name="Ada"), gone)
    in_hidden = SessionFactory(event=event, title="Hidden room", microlocation=hidden, starts_at=starts,
                               ends_at=starts + datetime.timedelta(minutes=30))  # fmt: skip
    for state in ("draft", "rejected", "withdrawn", "canceled"):
        SessionFactory(event=event, title=f"Not schedulable {state}", state=state)
    trashed = SessionFactory(event=event, title="Trashed")
    trashed.deleted_at = timezone.now()
    trashed.save()
    SessionFactory(title="Another event's")

    client.force_login(program.people["owner"])
    data = blob(client.get(url(event)))

    assert data["event"] == {
        "id": event.pk, "identifier": event.identifier, "name": event.name, "timezone": "Asia/Singapore",
        "starts_at": starts.isoformat(), "ends_at": (starts + datetime.timedelta(hours=8)).isoformat(),
    }  # fmt: skip
    assert data["days"] == [{"date": "2027-03-10", "label": "Wed 10 Mar", "start": "2027-03-10T09:00:00+08:00",
                             "minutes": 8 * 60}]  # fmt: skip
    # Rooms in their order, the hidden one left out.
    assert [room["name"] for room in data["rooms"]] == ["Hall", "Attic", program.room.name]
    assert {"id": track.pk, "name": "Web", "color": "#123456", "font_color": "#ffffff"} in data["tracks"]
    assert {"id": talk.pk, "name": "Talk", "minutes": 45} in data["types"]
    assert {"id": broken.pk, "name": "Odd", "minutes": None} in data["types"]
    assert data["default_minutes"] == 30
    titles = [session["title"] for session in data["sessions"]]
    # Accepted, confirmed and pending sessions (the speaker's own pending proposal), by title.
    assert titles == ["Hidden room", "Placed", program.own_session.title]
    entry = next(session for session in data["sessions"] if session["id"] == placed.pk)
    placed.refresh_from_db()
    assert entry == {
        "id": placed.pk, "title": "Placed", "state": "confirmed", "track": track.pk, "type": talk.pk,
        "room": hall.pk, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
        "speakers": ["Ada", "grace"], "last_modified_at": placed.last_modified_at.isoformat(),
    }  # fmt: skip
    # The session in the hidden room keeps its room id (the page shows it as unscheduled).
    assert next(s for s in data["sessions"] if s["id"] == in_hidden.pk)["room"] == hidden.pk
    # The session in the hidden room: its room is hidden from the scheduler (the conflicts service).
    assert data["conflicts"] == {str(in_hidden.pk): [{
        "kind": "hidden-room", "severity": "warning", "other-session": None,
        "message": "Its room, Storage, is hidden from the scheduler.",
    }]}  # fmt: skip
    assert data["blocks"] == []
    assert {"value": "lunch", "label": "Lunch"} in data["block_kinds"]
    assert data["rooms"][0] == {"id": hall.pk, "name": "Hall", "position": 0, "allows_parallel": False}
    assert data["urls"] == {
        "api": "/v1/sessions/", "edit": f"/events/{event.identifier}/sessions/0/edit",
        "conflicts": f"/events/{event.identifier}/schedule/conflicts", "blocks": "/v1/schedule-blocks",
        "rooms": "/v1/microlocations", "day": f"/events/{event.identifier}/schedule/day/",
    }  # fmt: skip


def test_session_titles_cannot_break_out_of_the_blob(client):
    program = Program()
    SessionFactory(event=program.event, title="</script><script>alert(1)</script>")
    client.force_login(program.people["owner"])
    response = client.get(url(program.event))
    assert b"</script><script>alert(1)" not in response.content
    assert "</script><script>alert(1)</script>" in [s["title"] for s in blob(response)["sessions"]]


def _fill(event, rooms, n):
    starts = event.starts_at
    room_rows = [MicrolocationFactory(event=event) for _ in range(rooms)]
    track, kind = TrackFactory(event=event), SessionTypeFactory(event=event)
    for i in range(n):
        session = SessionFactory(event=event, track=track, session_type=kind, microlocation=room_rows[i % rooms],
                                 starts_at=starts + datetime.timedelta(hours=i),
                                 ends_at=starts + datetime.timedelta(hours=i, minutes=30))  # fmt: skip
        session.speakers.add(SpeakerFactory(event=event), SpeakerFactory(event=event))


def test_the_page_runs_the_same_queries_for_one_and_many_sessions(client):
    """Session, user, notifications, the event, roles, the reviewer row (navigation), rooms,
    tracks, types, sessions, their speakers, the conflicts (sessions, speakers), the blocks (the
    schedule is not published: no release is read)."""
    few, many = Program(), Program()
    _fill(few.event, 1, 1)
    _fill(many.event, 6, 30)
    for hours in (2, 4):
        ScheduleBlock.objects.create(event=many.event, title="Break", starts_at=many.at(hours),
                                     ends_at=many.at(hours, 15))  # fmt: skip
    counts = []
    for program in (few, many):
        client.force_login(program.people["owner"])
        response, queries = count_queries(lambda p=program: client.get(url(p.event)))
        assert response.status_code == 200
        counts.append(queries)
    assert len(blob(response)["sessions"]) == 31
    assert len(blob(response)["blocks"]) == 2
    assert len(blob(response)["conflicts"]) == 30  # each outside the event's hours or its type's length
    assert counts == [14, 14]


def test_the_blob_grows_linearly_with_the_sessions(client):
    program = Program()
    _fill(program.event, 3, 10)
    client.force_login(program.people["owner"])
    # (The conflicts grow with the conflicts found, not measured here: these sessions have several.)
    ten = len(json.dumps({**blob(client.get(url(program.event))), "conflicts": None}))
    _fill(program.event, 3, 10)
    twenty = len(json.dumps({**blob(client.get(url(program.event))), "conflicts": None}))
    per_session = (twenty - ten) / 10
    assert per_session < 400
    assert ten > 10 * per_session * 0.5


def test_type_lengths_in_minutes():
    assert type_minutes("01:30") == 90
    assert type_minutes("00:05") == 5
    assert type_minutes("00:00") is None
    assert type_minutes("") is None
    assert type_minutes("ab:cd") is None


def test_days_run_over_the_event_hours_in_its_timezone():
    """A three-day event from 09:00 to 18:00 Berlin time shows 09:00–18:00 on each day; a session
    placed at 19:00 on the second day widens that day to 20:00."""
    zone = datetime.timezone(datetime.timedelta(hours=1))
    event = EventFactory(
        timezone="Europe/Berlin",
        starts_at=datetime.datetime(2027, 1, 12, 9, 0, tzinfo=zone),
        ends_at=datetime.datetime(2027, 1, 14, 18, 0, tzinfo=zone),
    )
    late = {"starts_at": datetime.datetime(2027, 1, 13, 19, 0, tzinfo=zone),
            "ends_at": datetime.datetime(2027, 1, 13, 19, 30, tzinfo=zone)}  # fmt: skip
    days = schedule_days(event, [late])
    assert [(day["date"], day["label"], day["start"], day["minutes"]) for day in days] == [
        ("2027-01-12", "Tue 12 Jan", "2027-01-12T09:00:00+01:00", 540),
        ("2027-01-13", "Wed 13 Jan", "2027-01-13T09:00:00+01:00", 660),
        ("2027-01-14", "Thu 14 Jan", "2027-01-14T09:00:00+01:00", 540),
    ]


def test_a_day_that_changes_its_clocks_counts_elapsed_minutes():
    """Berlin leaves summer time on 31 October 2027: midnight to midnight is 25 hours."""
    event = EventFactory(
        timezone="Europe/Berlin",
        starts_at=datetime.datetime(2027, 10, 30, 22, 0, tzinfo=datetime.UTC),  # 00:00 local
        ends_at=datetime.datetime(2027, 11, 1, 23, 0, tzinfo=datetime.UTC),  # 00:00 local, winter time
    )
    days = schedule_days(event)
    assert [(day["date"], day["minutes"]) for day in days] == [("2027-10-31", 25 * 60), ("2027-11-01", 24 * 60)]


# --- the page's conflicts endpoint, blocks and release line -------------------------------------
def conflicts_url(event):
    return f"/events/{event.identifier}/schedule/conflicts"


def _double_booking(program):
    """Two sessions in a room that allows parallel sessions, then made exclusive (a room conflict
    each: the service refuses a double booking, so it is made before the flag changes)."""
    room = program.room
    room.allows_parallel = True
    room.save()
    first = SessionFactory(event=program.event, title="First", microlocation=room, starts_at=program.at(1),
                           ends_at=program.at(1, 30))  # fmt: skip
    second = SessionFactory(event=program.event, title="Second", microlocation=room, starts_at=program.at(1, 15),
                            ends_at=program.at(1, 45))  # fmt: skip
    room.allows_parallel = False
    room.save()
    return first, second


def test_the_conflicts_endpoint_answers_every_conflict_of_the_event(client):
    program = Program()
    first, second = _double_booking(program)
    client.force_login(program.people["coorganizer"])
    response = client.get(conflicts_url(program.event))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {str(first.pk), str(second.pk)}
    room_conflict = next(item for item in body[str(second.pk)] if item["kind"] == "room")
    assert room_conflict["severity"] == "error"
    assert room_conflict["other-session"] == {"id": str(first.pk), "title": "First"}
    assert "is also booked for “First”" in room_conflict["message"]
    # The page's blob carries the same map.
    assert blob(client.get(url(program.event)))["conflicts"] == body


@pytest.mark.parametrize("who", ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"])
def test_the_conflicts_endpoint_refuses_everyone_below_coorganizer(client, who):
    program = Program()
    _double_booking(program)
    client.force_login(program.people[who])
    response = client.get(conflicts_url(program.event))
    assert response.status_code == 403
    assert b"First" not in response.content


def test_the_conflicts_endpoint_sends_anonymous_visitors_to_log_in_and_only_answers_get(client):
    program = Program()
    response = client.get(conflicts_url(program.event))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    client.force_login(program.people["owner"])
    assert client.post(conflicts_url(program.event)).status_code == 405
    assert client.get("/events/no-such-event/schedule/conflicts").status_code == 404


def test_the_conflicts_endpoint_runs_the_same_queries_for_few_and_many_conflicts(client):
    """Session, user, the event, roles, the conflicts' sessions and their speakers."""
    few, many = Program(), Program()
    _fill(few.event, 1, 1)
    _fill(many.event, 6, 30)
    counts = []
    for program in (few, many):
        client.force_login(program.people["owner"])
        response, queries = count_queries(lambda p=program: client.get(conflicts_url(p.event)))
        assert response.status_code == 200
        counts.append(queries)
    assert len(response.json()) == 30
    assert counts[0] == counts[1]


def test_the_blob_holds_the_blocks_and_the_page_says_whether_the_schedule_is_published(client):
    program = Program()
    event = program.event
    lunch = ScheduleBlock.objects.create(event=event, title="Lunch", kind="lunch", starts_at=program.at(3),
                                         ends_at=program.at(4))  # fmt: skip
    coffee = ScheduleBlock.objects.create(event=event, title="Coffee", kind="coffee", microlocation=program.room,
                                          starts_at=program.at(1), ends_at=program.at(1, 15))  # fmt: skip
    ScheduleBlock.objects.create(event=EventFactory(), title="Elsewhere", starts_at=program.at(1),
                                 ends_at=program.at(2))  # fmt: skip
    client.force_login(program.people["owner"])
    response = client.get(url(event))
    assert blob(response)["blocks"] == [
        {"id": coffee.pk, "title": "Coffee", "kind": "coffee", "room": program.room.pk,
         "starts_at": program.iso(1), "ends_at": program.iso(1, 15)},
        {"id": lunch.pk, "title": "Lunch", "kind": "lunch", "room": None,
         "starts_at": program.iso(3), "ends_at": program.iso(4)},
    ]  # fmt: skip
    assert "The schedule is not published." in response.content.decode()
    assert f'<a href="/events/{event.identifier}/schedule/releases">Releases</a>' in response.content.decode()
    release_schedule(program.people["owner"], event, send_email=False)
    lunch.title = "Long lunch"
    lunch.save()
    release_schedule(program.people["owner"], Event.objects.get(pk=event.pk), send_email=False)
    text = client.get(url(event)).content.decode()
    assert "The schedule is published: version 2, released" in text
