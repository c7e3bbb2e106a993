"""sessions_app.services.schedule: blocks, releases (versions, changelogs), unpublishing, and the
read side the public pages use (``queries.current_release`` / ``released_schedule``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import signals as event_signals
from events.models import Event
from events.tests.factories import EventFactory, MicrolocationFactory
from openevent.core.errors import Invalid, NotAllowed
from sessions_app import queries, signals
from sessions_app.models import ScheduleBlock, ScheduleRelease, Session
from sessions_app.services import schedule
from sessions_app.services import sessions as session_services
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
NOT_MANAGERS = ("track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer", "anonymous")
MANAGERS = ("owner", "organizer", "coorganizer", "admin")


def organizer(program):
    return program.people["organizer"]


def placed(program, hours, *, state="accepted", room=None, length=1):
    return SessionFactory(
        event=program.event,
        state=state,
        starts_at=program.at(hours),
        ends_at=program.at(hours + length),
        microlocation=room or program.room,
    )


def block_data(program, **changes):
    return {"title": "Lunch", "kind": "lunch", "starts_at": program.at(3), "ends_at": program.at(4), **changes}


def fresh(event):
    return Event.objects.get(pk=event.pk)


# --- blocks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", MANAGERS)
def test_organizers_place_change_and_remove_blocks(program, role):
    actor = program.people[role]
    block = schedule.create_block(actor, program.event, block_data(program, microlocation=program.room))
    assert (block.title, block.kind, block.microlocation) == ("Lunch", "lunch", program.room)
    schedule.update_block(actor, block, {"title": "  Long lunch ", "microlocation": None})
    block.refresh_from_db()
    assert (block.title, block.microlocation, block.starts_at) == ("Long lunch", None, program.at(3))
    schedule.delete_block(actor, block)
    assert not ScheduleBlock.objects.exists()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_nobody_else_writes_blocks(program, role):
    actor = program.people[role]
    with pytest.raises(NotAllowed, match="co-organizer and up"):
        schedule.create_block(actor, program.event, block_data(program))
    block = schedule.create_block(organizer(program), program.event, block_data(program))
    with pytest.raises(NotAllowed):
        schedule.update_block(actor, block, {"title": "Mine"})
    with pytest.raises(NotAllowed):
        schedule.delete_block(actor, block)
    block.refresh_from_db()
    assert block.title == "Lunch"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the block a title"),
        ({"title": "x" * 256}, "title", "Keep the title to 255"),
        ({"kind": "nap"}, "kind", "'nap' is not a kind of block"),
        ({"starts_at": None}, "starts_at", "needs a start"),
        ({"ends_at": "tomorrow"}, "ends_at", "not a date and time"),
        ({"ends_at": datetime.datetime(2030, 1, 1, 12)}, "ends_at", "needs a time zone"),
        ({"ends_at": "same"}, "ends_at", "must end after it starts"),
        ({"starts_at": "before"}, "starts_at", "must start within its event"),
        ({"ends_at": "after"}, "ends_at", "must end within its event"),
        ({"microlocation": "other"}, "microlocation", "belongs to another event"),
        ({"microlocation": "trashed"}, "microlocation", "belongs to another event"),
        ({"event": "x"}, "event", "cannot be set here"),
    ],
)
def test_bad_blocks_are_refused_in_words(program, changes, field, message):
    special = {
        "same": program.at(3),
        "before": program.event.starts_at - datetime.timedelta(minutes=1),
        "after": program.event.ends_at + datetime.timedelta(minutes=1),
        "other": MicrolocationFactory(event=EventFactory()),
    }
    if changes.get("microlocation") == "trashed":
        room = MicrolocationFactory(event=program.event)
        room.soft_delete()
        special["trashed"] = room
    changes = {name: special.get(value, value) if isinstance(value, str) else value for name, value in changes.items()}
    with pytest.raises(Invalid, match=message) as refusal:
        schedule.create_block(organizer(program), program.event, block_data(program, **changes))
    assert refusal.value.field == field
    assert not ScheduleBlock.objects.exists()


def test_a_block_stays_in_its_event(program):
    block = schedule.create_block(organizer(program), program.event, block_data(program))
    with pytest.raises(NotAllowed, match="another event"):
        schedule.update_block(organizer(program), block, {"event": EventFactory()})
    with pytest.raises(Invalid, match="end after it starts"):
        schedule.update_block(organizer(program), block, {"ends_at": program.at(2)})
    block.refresh_from_db()
    assert block.ends_at == program.at(4)


# --- releases -------------------------------------------------------------------------------------
def test_three_releases_number_their_versions_and_log_new_moved_and_canceled_sessions(program):
    actor = organizer(program)
    room_b = MicrolocationFactory(event=program.event)
    kept, moved, canceled = placed(program, 1), placed(program, 2), placed(program, 3)
    placed(program, 4, state="pending")  # not on the program
    SessionFactory(event=program.event, state="accepted")  # not scheduled
    gone = placed(program, 5)
    gone.soft_delete()

    first = schedule.release_schedule(actor, program.event, comment="  First  ")
    assert (first.version, first.comment, first.released_by) == (1, "First", actor)
    assert [slot["session"] for slot in first.changelog["new"]] == [kept.pk, moved.pk, canceled.pk]
    assert first.changelog["moved"] == first.changelog["canceled"] == []

    session_services.update_session(actor, moved, {"starts_at": program.at(6), "ends_at": program.at(7)})
    session_services.change_state(actor, canceled, Session.State.CANCELED, send_email=False)
    added = placed(program, 8, room=room_b, state="confirmed")
    second = schedule.release_schedule(actor, program.event)
    assert second.version == 2
    assert [slot["session"] for slot in second.changelog["new"]] == [added.pk]
    assert second.changelog["new"][0]["microlocation"] == room_b.pk
    [move] = second.changelog["moved"]
    room = program.room.pk
    assert move == {
        "session": moved.pk,
        "title": moved.title,
        "old": {"starts_at": program.at(2).isoformat(), "ends_at": program.at(3).isoformat(), "microlocation": room},
        "new": {"starts_at": program.at(6).isoformat(), "ends_at": program.at(7).isoformat(), "microlocation": room},
    }
    assert [slot["session"] for slot in second.changelog["canceled"]] == [canceled.pk]

    # A change of room is a move; unscheduling takes a session off.
    session_services.update_session(actor, added, {"microlocation": program.room})
    session_services.update_session(actor, kept, {"starts_at": None, "ends_at": None})
    third = schedule.release_schedule(actor, program.event)
    assert third.version == 3
    assert [entry["session"] for entry in third.changelog["moved"]] == [added.pk]
    assert [slot["session"] for slot in third.changelog["canceled"]] == [kept.pk]
    assert third.changelog["new"] == []
    assert list(ScheduleRelease.objects.filter(event=program.event).values_list("version", flat=True)) == [3, 2, 1]


def test_versions_count_per_event(program):
    other = EventFactory()
    schedule.release_schedule(program.people["admin"], other)
    assert schedule.release_schedule(organizer(program), program.event).version == 1


def test_releasing_publishes_the_schedule_and_renews_the_public_documents(program, django_capture_on_commit_callbacks):
    event = program.event
    before = fresh(event).program_version
    heard = []

    def hear(release, actor, **kwargs):
        heard.append((release.version, actor))

    def published(event, **kwargs):
        heard.append(("schedule_published", event.pk))

    signals.schedule_released.connect(hear)
    event_signals.schedule_published.connect(published)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            release = schedule.release_schedule(organizer(program), event)
    finally:
        signals.schedule_released.disconnect(hear)
        event_signals.schedule_published.disconnect(published)
    assert fresh(event).schedule_published_on == release.released_at == event.schedule_published_on
    assert fresh(event).program_version != before
    assert sorted(heard, key=str) == sorted([(1, organizer(program)), ("schedule_published", event.pk)], key=str)
    # A later release keeps the first publication's date.
    placed(program, 1)
    schedule.release_schedule(organizer(program), event)
    assert fresh(event).schedule_published_on == release.released_at


def test_a_release_with_nothing_new_is_refused_while_published(program):
    placed(program, 1)
    schedule.release_schedule(organizer(program), program.event)
    with pytest.raises(Invalid, match="Nothing changed since version 1"):
        schedule.release_schedule(organizer(program), program.event)
    # A new block is a change.
    schedule.create_block(organizer(program), program.event, block_data(program))
    release = schedule.release_schedule(organizer(program), program.event)
    assert release.version == 2
    assert [block["title"] for block in release.blocks] == ["Lunch"]
    assert release.changelog == {"new": [], "moved": [], "canceled": []}


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_nobody_else_releases_or_unpublishes(program, role):
    actor = program.people[role]
    with pytest.raises(NotAllowed):
        schedule.release_schedule(actor, program.event)
    with pytest.raises(NotAllowed):
        schedule.preview_release(actor, program.event)
    assert not ScheduleRelease.objects.exists()
    assert fresh(program.event).schedule_published_on is None
    schedule.release_schedule(organizer(program), program.event)
    with pytest.raises(NotAllowed):
        schedule.unpublish_schedule(actor, program.event)
    assert fresh(program.event).schedule_published_on is not None


def test_a_failed_release_leaves_nothing(program):
    """The release, the publication and the version bump commit together or not at all."""
    placed(program, 1)
    event = program.event
    before = fresh(event).program_version

    def explode(**kwargs):
        raise RuntimeError("mail server on fire")

    signals.schedule_released.in_transaction.connect(explode)
    try:
        with pytest.raises(RuntimeError):
            schedule.release_schedule(organizer(program), event)
    finally:
        signals.schedule_released.in_transaction.disconnect(explode)
    assert not ScheduleRelease.objects.exists()
    assert fresh(event).schedule_published_on is None
    assert fresh(event).program_version == before


def test_a_too_long_comment_is_refused(program):
    with pytest.raises(Invalid, match="Keep the comment") as refusal:
        schedule.release_schedule(organizer(program), program.event, comment="x" * 100_001)
    assert refusal.value.field == "comment"


def test_the_preview_says_what_a_release_would_change_and_writes_nothing(program):
    session = placed(program, 1)
    log, blocks_changed = schedule.preview_release(organizer(program), program.event)
    assert [slot["session"] for slot in log["new"]] == [session.pk]
    assert blocks_changed is False
    assert not ScheduleRelease.objects.exists()


def test_unpublishing_keeps_the_releases_and_the_next_release_publishes_again(program):
    placed(program, 1)
    event = program.event
    schedule.release_schedule(organizer(program), event)
    before = fresh(event).program_version
    schedule.unpublish_schedule(organizer(program), event)
    assert fresh(event).schedule_published_on is None
    assert fresh(event).program_version != before
    assert ScheduleRelease.objects.count() == 1
    assert queries.current_release(event) is None
    assert queries.released_schedule(event) is None
    with pytest.raises(Invalid, match="not published"):
        schedule.unpublish_schedule(organizer(program), event)
    # Unpublished, the same schedule may be released again (and then is public again).
    again = schedule.release_schedule(organizer(program), event)
    assert again.version == 2
    assert queries.current_release(fresh(event)) == again


# --- the read side --------------------------------------------------------------------------------
def test_the_public_reads_the_released_version_not_the_work_in_progress(program):
    event = program.event
    assert queries.released_schedule(event) is None
    session = placed(program, 1)
    lunch = schedule.create_block(organizer(program), event, block_data(program))
    schedule.release_schedule(organizer(program), event)
    session_services.update_session(organizer(program), session, {"starts_at": program.at(6), "ends_at": program.at(7)})
    schedule.create_block(organizer(program), event, block_data(program, title="Coffee", kind="coffee"))
    released = queries.released_schedule(fresh(event))
    assert released.release.version == 1
    assert released.slots == [queries.ReleasedSlot(session.pk, program.at(1), program.at(2), program.room.pk)]
    assert released.blocks == [queries.ReleasedBlock(lunch.pk, "Lunch", "lunch", program.at(3), program.at(4), None)]
    assert released.slots[0].starts_at.tzinfo is datetime.UTC


@pytest.mark.parametrize("count", [1, 5])
def test_reading_the_released_schedule_is_one_query_whatever_its_size(program, count):
    for hours in range(count):
        placed(program, hours)
        schedule.create_block(
            organizer(program),
            program.event,
            block_data(program, starts_at=program.at(hours, 10), ends_at=program.at(hours, 20)),
        )
    schedule.release_schedule(organizer(program), program.event)
    event = fresh(program.event)
    with CaptureQueriesContext(connection) as ctx:
        released = queries.released_schedule(event)
    assert len(ctx.captured_queries) == 1
    assert len(released.slots) == len(released.blocks) == count
