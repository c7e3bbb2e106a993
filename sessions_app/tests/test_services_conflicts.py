"""Schedule conflicts (``services.session_conflicts`` / ``event_conflicts``), the refusal of a
double-booked room, and the optimistic-concurrency check of ``update_session``."""
import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Event, Microlocation
from events.tests.factories import MicrolocationFactory, SessionTypeFactory
from openevent.core.errors import Conflict, Invalid
from sessions_app import services
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def program(db):
    program = Program()
    program.own_session.delete()
    return program


def placed(program, title, start, hours=1, room=None, **kwargs):
    """A session of ``program`` in ``room`` (the program's room by default) from ``start`` hours
    after the event begins, lasting ``hours``."""
    return SessionFactory(
        event=program.event,
        title=title,
        microlocation=room or program.room,
        starts_at=program.at(start),
        ends_at=program.at(start) + hours * HOUR,
        **kwargs,
    )


def kinds(conflicts):
    return [(conflict.kind, conflict.severity, conflict.other_id) for conflict in conflicts]


# --- each kind --------------------------------------------------------------------------------------
def test_two_sessions_in_one_room_at_overlapping_times_are_errors_on_both(program):
    first = placed(program, "First", 1, hours=2)
    second = placed(program, "Second", 2)
    assert kinds(services.session_conflicts(first)) == [("room", "error", second.pk)]
    assert kinds(services.session_conflicts(second)) == [("room", "error", first.pk)]
    conflict = services.session_conflicts(first)[0]
    assert conflict.other_title == "Second"
    assert conflict.message.startswith(f"{program.room.name} is also booked for “Second” at that time (")


def test_back_to_back_sessions_do_not_overlap(program):
    first = placed(program, "First", 1)
    second = placed(program, "Second", 2)  # starts when the first ends
    speaker = SpeakerFactory(event=program.event, sessions=[first, second])
    assert speaker.sessions.count() == 2
    assert services.session_conflicts(first) == []
    assert services.session_conflicts(second) == []
    assert services.event_conflicts(program.event) == {}


def test_a_room_that_allows_parallel_sessions_has_no_room_conflict(program):
    hall = MicrolocationFactory(event=program.event, name="Expo", allows_parallel=True)
    first = placed(program, "Booth A", 1, hours=3, room=hall)
    placed(program, "Booth B", 2, room=hall)
    assert services.session_conflicts(first) == []
    assert services.event_conflicts(program.event) == {}


def test_the_same_speaker_in_two_rooms_at_once_is_a_warning(program):
    other_room = MicrolocationFactory(event=program.event)
    first = placed(program, "Talk", 1, hours=2)
    second = placed(program, "Panel", 2, room=other_room)
    SpeakerFactory(event=program.event, name="Ada", sessions=[first, second])
    (conflict,) = services.session_conflicts(first)
    assert (conflict.kind, conflict.severity, conflict.other_id) == ("speaker", "warning", second.pk)
    assert conflict.message.startswith("Ada also speaks in “Panel” at that time (")


def test_two_speaker_rows_of_one_account_count_as_one_person(program):
    other_room = MicrolocationFactory(event=program.event)
    first = placed(program, "Talk", 1, hours=2)
    second = placed(program, "Panel", 2, room=other_room)
    SpeakerFactory(event=program.event, user=program.speaker_user, sessions=[first])
    SpeakerFactory(event=program.event, user=program.speaker_user, sessions=[second])
    assert kinds(services.session_conflicts(first)) == [("speaker", "warning", second.pk)]
    # Different people in two rooms at once are fine.
    third = placed(program, "Workshop", 2, room=MicrolocationFactory(event=program.event))
    SpeakerFactory(event=program.event, sessions=[third])
    assert services.session_conflicts(third) == []


def test_a_shared_speaker_in_the_same_room_is_both_a_room_error_and_a_speaker_warning(program):
    first = placed(program, "Talk", 1, hours=2)
    second = placed(program, "Panel", 2)
    SpeakerFactory(event=program.event, sessions=[first, second])
    assert kinds(services.session_conflicts(first)) == [("room", "error", second.pk), ("speaker", "warning", second.pk)]


def test_a_session_outside_the_events_days_is_an_error(program):
    session = placed(program, "Late", 1)
    early, one_thirty, two = program.at(-24), program.at(1, 30), program.at(2)
    Event.objects.filter(pk=program.event.pk).update(starts_at=two, ends_at=two + datetime.timedelta(days=1))
    program.event.refresh_from_db()
    session.event = program.event
    (conflict,) = services.session_conflicts(session)
    assert (conflict.kind, conflict.severity) == ("outside-event", "error")
    assert conflict.message.startswith("It starts before the event begins (")
    Event.objects.filter(pk=program.event.pk).update(starts_at=early, ends_at=one_thirty)
    program.event.refresh_from_db()
    assert [c.message.split(" (")[0] for c in services.session_conflicts(session)] == ["It ends after the event ends"]


def test_a_room_hidden_from_the_scheduler_is_a_warning(program):
    hidden = MicrolocationFactory(event=program.event, name="Backstage", hidden_in_scheduler=True)
    session = placed(program, "Secret", 1, room=hidden)
    (conflict,) = services.session_conflicts(session)
    assert (conflict.kind, conflict.severity) == ("hidden-room", "warning")
    assert conflict.message == "Its room, Backstage, is hidden from the scheduler."


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (30, "It lasts 30 min, shorter than a Talk (45 min)."),
        (90, "It lasts 1 h 30 min, longer than a Talk (45 min)."),
        (45, None),
    ],
)
def test_a_session_shorter_or_longer_than_its_type_is_a_warning(program, minutes, message):
    talk = SessionTypeFactory(event=program.event, name="Talk", length="00:45")
    session = placed(program, "Timed", 1, session_type=talk)
    Session.objects.filter(pk=session.pk).update(ends_at=program.at(1) + datetime.timedelta(minutes=minutes))
    session.refresh_from_db()
    found = services.session_conflicts(session)
    assert [(c.kind, c.severity, c.message) for c in found] == ([("duration", "warning", message)] if message else [])


def test_a_type_without_a_length_sets_no_expectation(program):
    session = placed(program, "Open ended", 1, session_type=SessionTypeFactory(event=program.event, length="00:00"))
    assert services.session_conflicts(session) == []


# --- which sessions count ---------------------------------------------------------------------------
@pytest.mark.parametrize("state", ["withdrawn", "rejected", "canceled"])
def test_withdrawn_rejected_and_canceled_sessions_hold_no_place(program, state):
    session = placed(program, "Live", 1)
    gone = placed(program, "Gone", 1, state=state)
    SpeakerFactory(event=program.event, sessions=[session, gone])
    assert services.session_conflicts(session) == []
    assert services.session_conflicts(gone) == []
    assert services.event_conflicts(program.event) == {}


@pytest.mark.parametrize("state", ["draft", "pending", "accepted", "confirmed"])
def test_drafts_pending_accepted_and_confirmed_sessions_hold_their_place(program, state):
    session = placed(program, "Live", 1)
    other = placed(program, "Other", 1, state=state)
    assert kinds(services.session_conflicts(session)) == [("room", "error", other.pk)]


def test_sessions_in_the_trash_and_unscheduled_sessions_hold_no_place(program):
    session = placed(program, "Live", 1)
    placed(program, "Trashed", 1).soft_delete()
    unscheduled = SessionFactory(event=program.event, microlocation=program.room)
    assert services.session_conflicts(session) == []
    assert services.session_conflicts(unscheduled) == []


def test_sessions_of_another_event_never_clash(program):
    session = placed(program, "Here", 1)
    elsewhere = Program()
    SessionFactory(
        event=elsewhere.event, microlocation=program.room, starts_at=program.at(1), ends_at=program.at(2)
    )
    assert services.session_conflicts(session) == []


# --- the whole event ---------------------------------------------------------------------------------
def test_event_conflicts_match_session_conflicts(program):
    a = placed(program, "A", 1, hours=3)
    b = placed(program, "B", 2)
    c = placed(program, "C", 3, room=MicrolocationFactory(event=program.event))
    d = placed(program, "D", 6)
    SpeakerFactory(event=program.event, sessions=[a, c])
    found = services.event_conflicts(program.event)
    assert set(found) == {a.pk, b.pk, c.pk}
    for session in (a, b, c, d):
        assert found.get(session.pk, []) == services.session_conflicts(session)


def _event_queries(event):
    with CaptureQueriesContext(connection) as ctx:
        services.event_conflicts(event)
    return len(ctx.captured_queries)


def test_event_conflicts_run_a_constant_number_of_queries(program):
    placed(program, "Only", 1)
    one = _event_queries(program.event)
    rooms = [MicrolocationFactory(event=program.event) for _ in range(3)]
    talk = SessionTypeFactory(event=program.event)
    for index in range(30):
        session = placed(program, f"S{index}", index % 5, room=rooms[index % 3], session_type=talk)
        SpeakerFactory(event=program.event, sessions=[session])
    assert len(services.event_conflicts(program.event)) > 1
    assert _event_queries(program.event) == one == 2


# --- refusing a double booking ----------------------------------------------------------------------
def test_moving_a_session_into_a_booked_room_is_refused_and_nothing_changes(program):
    placed(program, "Keynote", 1, hours=2)
    session = placed(program, "Talk", 4, room=MicrolocationFactory(event=program.event))
    before = (session.microlocation_id, session.starts_at, session.ends_at, session.last_modified_at)
    move = {"microlocation": program.room, "starts_at": program.at(2), "ends_at": program.at(3)}
    with pytest.raises(Invalid) as refused:
        services.update_session(program.people["owner"], session, move)
    assert refused.value.field == "starts_at"
    assert f"{program.room.name} is already booked for “Keynote” at that time (" in refused.value.message
    session.refresh_from_db()
    assert (session.microlocation_id, session.starts_at, session.ends_at, session.last_modified_at) == before


def test_creating_a_session_in_a_booked_room_is_refused(program):
    placed(program, "Keynote", 1, hours=2)
    data = {"title": "Clash", "microlocation": program.room, "starts_at": program.at(2), "ends_at": program.at(4)}
    with pytest.raises(Invalid, match="already booked for “Keynote”"):
        services.create_session(program.people["owner"], program.event, data)
    assert not Session.objects.filter(title="Clash").exists()


def test_back_to_back_and_parallel_rooms_and_canceled_sessions_are_not_refused(program):
    owner = program.people["owner"]
    placed(program, "Keynote", 1)
    placed(program, "Gone", 3, state="canceled")
    after = services.create_session(
        owner, program.event, {"title": "After", "microlocation": program.room, "starts_at": program.at(2),
                               "ends_at": program.at(3)},
    )  # fmt: skip
    assert after.pk
    services.update_session(owner, after, {"starts_at": program.at(3), "ends_at": program.at(4)})  # over "Gone"
    hall = MicrolocationFactory(event=program.event, allows_parallel=True)
    placed(program, "Booth", 1, room=hall)
    services.update_session(owner, after, {"microlocation": hall, "starts_at": program.at(1), "ends_at": program.at(2)})
    after.refresh_from_db()
    assert after.microlocation == hall


def test_other_edits_of_an_already_double_booked_session_are_not_refused(program):
    first = placed(program, "First", 1)
    placed(program, "Second", 1)
    services.update_session(program.people["owner"], first, {"title": "Renamed"})
    first.refresh_from_db()
    assert first.title == "Renamed"


def test_reinstating_a_canceled_session_into_a_booked_room_is_refused(program):
    placed(program, "Taken", 1)
    gone = placed(program, "Back", 1, state="canceled")
    with pytest.raises(Invalid, match="already booked for “Taken”"):
        services.change_state(program.people["owner"], gone, "pending")
    gone.refresh_from_db()
    assert gone.state == "canceled"


def test_a_room_that_stops_allowing_parallel_sessions_keeps_its_bookings_as_conflicts(program):
    hall = MicrolocationFactory(event=program.event, allows_parallel=True)
    first = placed(program, "Booth A", 1, room=hall)
    placed(program, "Booth B", 1, room=hall)
    Microlocation.objects.filter(pk=hall.pk).update(allows_parallel=False)
    first = Session.objects.get(pk=first.pk)
    assert [c.kind for c in services.session_conflicts(first)] == ["room"]


# --- optimistic concurrency ---------------------------------------------------------------------------
def test_a_stale_expected_modified_at_is_refused_and_nothing_changes(program):
    owner = program.people["owner"]
    session = placed(program, "Talk", 1)
    read = session.last_modified_at
    services.update_session(owner, Session.objects.get(pk=session.pk), {"title": "Someone else's change"})
    with pytest.raises(Conflict, match="changed by someone else since you read it"):
        services.update_session(owner, session, {"starts_at": program.at(5), "ends_at": program.at(6)},
                                expected_modified_at=read)  # fmt: skip
    session.refresh_from_db()
    assert (session.title, session.starts_at) == ("Someone else's change", program.at(1))


def test_a_current_expected_modified_at_lets_the_change_through(program):
    session = placed(program, "Talk", 1)
    read = session.last_modified_at
    millis = read.replace(microsecond=read.microsecond - read.microsecond % 1000)  # as JavaScript sends it
    services.update_session(program.people["owner"], session, {"title": "Moved"}, expected_modified_at=millis)
    session.refresh_from_db()
    assert session.title == "Moved"
    assert session.last_modified_at > read


# --- two writers at once (PostgreSQL: SQLite runs one write transaction at a time anyway) --------------
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_one_slot_cannot_both_pass(seeded_roles):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    program = Program()
    owner = program.people["owner"]
    slot = {"microlocation": program.room, "starts_at": program.at(1), "ends_at": program.at(2)}
    first_booked, second_started = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                services.create_session(owner, program.event, {"title": "First", **slot})
                first_booked.set()
                second_started.wait(5)
                time.sleep(0.3)  # the second writer is now waiting for the room's lock
        finally:
            connections.close_all()

    def second():
        try:
            first_booked.wait(5)
            second_started.set()
            services.create_session(owner, program.event, {"title": "Second", **slot})
            outcome["second"] = "booked"
        except Invalid as refusal:
            outcome["second"] = refusal.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome["second"].startswith(f"{program.room.name} is already booked for “First”")
    assert list(Session.objects.filter(title__in=["First", "Second"]).values_list("title", flat=True)) == ["First"]
