"""The schedule as organizers place it and as the public sees it: blocks (breaks, lunch…) and
releases.

Organizers (co-organizer and up, ``rules.can_manage_schedule``) move sessions and place blocks in
the work in progress; nothing of it is public until they release it. ``release_schedule`` freezes
the work in progress as the next numbered version (``ScheduleRelease``) with a changelog against
the previous version and publishes the schedule; ``unpublish_schedule`` takes it off the public
pages (the releases stay, as history). A release goes out as ``signals.schedule_released`` after
commit (and in the transaction to the mail receivers: only the speakers of changed sessions).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events import permissions as rules
from events import services as event_services
from events import versions
from events.models import Event, Microlocation
from openevent.core.errors import Invalid, NotAllowed
from openevent.core.signals import send_after_commit
from openevent.core.text import LONG_TEXT_MAX_LENGTH

from .. import signals
from ..models import ScheduleBlock, ScheduleRelease, Session
from .common import check_known

#: What a caller may set on a block.
BLOCK_FIELDS = {"title", "kind", "starts_at", "ends_at", "microlocation"}
TITLE_MAX_LENGTH = ScheduleBlock._meta.get_field("title").max_length
#: The changelog's lists, in the order pages and mails show them.
NEW, MOVED, CANCELED = "new", "moved", "canceled"
CHANGE_KINDS = (NEW, MOVED, CANCELED)
#: The parts of a slot that make a session "moved" when they change.
PLACE = ("starts_at", "ends_at", "microlocation")


def check_schedule_manager(actor, event):
    if not rules.can_manage_schedule(actor, event):
        raise NotAllowed("Only the event's organizers (co-organizer and up) manage its schedule.")


# --- blocks ---------------------------------------------------------------------------------------
def _moment(data, name, label):
    value = data.get(name)
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is None:
            raise Invalid(f"The {label} is not a date and time.", field=name)
    if value is None:
        raise Invalid(f"A block needs a {label}.", field=name)
    if timezone.is_naive(value):
        raise Invalid(f"The {label} needs a time zone.", field=name)
    return value


def _clean_block(event, data):
    """``data`` checked and tidied (title stripped, times parsed): a block of ``event`` in one of
    its live rooms or across all rooms, ending after it starts, within the event."""
    check_known(data, BLOCK_FIELDS)
    title = (data.get("title") or "").strip()
    if not title:
        raise Invalid("Give the block a title (such as “Lunch”).", field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise Invalid(f"Keep the title to {TITLE_MAX_LENGTH} characters (it has {len(title)}).", field="title")
    kind = data.get("kind") or ScheduleBlock.Kind.BREAK
    if kind not in ScheduleBlock.Kind.values:
        kinds = ", ".join(ScheduleBlock.Kind.values)
        raise Invalid(f"'{kind}' is not a kind of block; choose one of {kinds}.", field="kind")
    starts_at = _moment(data, "starts_at", "start")
    ends_at = _moment(data, "ends_at", "end")
    if ends_at <= starts_at:
        raise Invalid("A block must end after it starts.", field="ends_at")
    if not event.starts_at <= starts_at < event.ends_at:
        raise Invalid("A block must start within its event.", field="starts_at")
    if ends_at > event.ends_at:
        raise Invalid("A block must end within its event.", field="ends_at")
    room = data.get("microlocation")
    if room is not None and (room.event_id != event.pk or room.deleted_at is not None):
        raise Invalid("This room belongs to another event.", field="microlocation")
    return {"title": title, "kind": kind, "starts_at": starts_at, "ends_at": ends_at, "microlocation": room}


@transaction.atomic
def create_block(actor, event, data):
    """A new block of ``event`` from ``data`` (title, kind, starts_at, ends_at, microlocation: a
    room of the event or None for all rooms)."""
    check_schedule_manager(actor, event)
    return ScheduleBlock.objects.create(event=event, **_clean_block(event, dict(data)))


@transaction.atomic
def update_block(actor, block, data):
    """Change ``block``; what ``data`` leaves out stays as it is. Returns ``block``."""
    check_schedule_manager(actor, block.event)
    if "event" in data and getattr(data["event"], "pk", data["event"]) != block.event_id:
        raise NotAllowed("A block cannot move to another event.", field="event")
    current = {name: getattr(block, name) for name in BLOCK_FIELDS}
    changes = {name: value for name, value in data.items() if name != "event"}
    for name, value in _clean_block(block.event, {**current, **changes}).items():
        setattr(block, name, value)
    block.save()
    return block


@transaction.atomic
def delete_block(actor, block):
    check_schedule_manager(actor, block.event)
    block.delete()


# --- releases -------------------------------------------------------------------------------------
def _iso(moment):
    return moment.isoformat() if moment is not None else None


def current_slots(event):
    """The sessions a release of ``event`` would hold now: accepted or confirmed, scheduled (start
    and end), not in the trash; as the release stores them (``ScheduleRelease.slots``), in order
    of time. A room in the trash counts as no room. Two queries."""
    live_rooms = set(Microlocation.objects.filter(event=event).values_list("pk", flat=True))
    rows = (
        Session.objects.filter(
            event=event, state__in=Session.PUBLIC_STATES, starts_at__isnull=False, ends_at__isnull=False
        )
        .order_by("starts_at", "id")
        .values_list("pk", "title", "starts_at", "ends_at", "microlocation_id")
    )
    return [
        {
            "session": pk,
            "title": title,
            "starts_at": _iso(starts_at),
            "ends_at": _iso(ends_at),
            "microlocation": room if room in live_rooms else None,
        }
        for pk, title, starts_at, ends_at, room in rows
    ]


def current_blocks(event):
    """The blocks of ``event`` as a release stores them (``ScheduleRelease.blocks``). One query."""
    rows = ScheduleBlock.objects.filter(event=event).order_by("starts_at", "id")
    return [
        {
            "id": block.pk,
            "title": block.title,
            "kind": block.kind,
            "starts_at": _iso(block.starts_at),
            "ends_at": _iso(block.ends_at),
            "microlocation": block.microlocation_id,
        }
        for block in rows
    ]


def _place(slot):
    return {name: slot[name] for name in PLACE}


def changelog(previous_slots, slots):
    """What changed for sessions between two releases' slots: ``{"new": [slot…], "moved": [{"session",
    "title", "old": place, "new": place}…], "canceled": [slot…]}``, where a place is
    ``{"starts_at", "ends_at", "microlocation"}``. New: in ``slots`` only; canceled: in
    ``previous_slots`` only (canceled, rejected, unscheduled or deleted since); moved: in both,
    at another time or in another room. Each list in the order of its slots."""
    before = {slot["session"]: slot for slot in previous_slots}
    now = {slot["session"]: slot for slot in slots}
    moved = [
        {"session": slot["session"], "title": slot["title"], "old": _place(old), "new": _place(slot)}
        for slot in slots
        if (old := before.get(slot["session"])) is not None and _place(old) != _place(slot)
    ]
    return {
        NEW: [slot for slot in slots if slot["session"] not in before],
        MOVED: moved,
        CANCELED: [slot for slot in previous_slots if slot["session"] not in now],
    }


def changed_sessions(log):
    """The ids of the sessions a changelog names."""
    return {entry["session"] for kind in CHANGE_KINDS for entry in log.get(kind, ())}


def latest_release(event):
    return ScheduleRelease.objects.filter(event=event).order_by("-version").first()


def preview_release(actor, event):
    """What releasing ``event``'s schedule now would change, without changing anything:
    ``(changelog, blocks_changed)`` against the latest release (against nothing before the first)."""
    check_schedule_manager(actor, event)
    previous = latest_release(event)
    log = changelog(previous.slots if previous else [], current_slots(event))
    blocks_changed = current_blocks(event) != (previous.blocks if previous else [])
    return log, blocks_changed


def release_refusal(event, previous, log, blocks_changed):
    """Why a release would be pointless: the schedule is public and nothing changed."""
    published = event.schedule_published_on is not None
    if published and previous is not None and not changed_sessions(log) and not blocks_changed:
        return f"Nothing changed since version {previous.version}; the public schedule is up to date."
    return None


@transaction.atomic
def release_schedule(actor, event, comment="", send_email=True):
    """Release the work in progress of ``event``'s schedule as its next version (1, 2, 3…) with a
    changelog against the previous version, publish the schedule (``schedule_published_on``, when
    it was not, through ``events.services.update_event``: its signals go out) and renew the
    event's public documents. Refused when the schedule is public and nothing changed since the
    last version. ``send_email`` False: the speakers of changed sessions are not mailed (the
    demo data). Returns the ``ScheduleRelease``."""
    check_schedule_manager(actor, event)
    comment = (comment or "").strip()
    if len(comment) > LONG_TEXT_MAX_LENGTH:
        raise Invalid(f"Keep the comment to {LONG_TEXT_MAX_LENGTH} characters.", field="comment")
    # One release at a time per event: the lock orders concurrent releases (and their versions).
    locked = Event.objects.select_for_update().get(pk=event.pk)
    previous = latest_release(locked)
    slots = current_slots(locked)
    blocks = current_blocks(locked)
    log = changelog(previous.slots if previous else [], slots)
    blocks_changed = blocks != (previous.blocks if previous else [])
    refusal = release_refusal(locked, previous, log, blocks_changed)
    if refusal:
        raise Invalid(refusal)
    now = timezone.now()
    release = ScheduleRelease.objects.create(
        event=locked,
        version=previous.version + 1 if previous else 1,
        released_at=now,
        released_by=actor if rules.is_authenticated(actor) else None,
        comment=comment,
        changelog=log,
        slots=slots,
        blocks=blocks,
    )
    if locked.schedule_published_on is None:
        event_services.update_event(actor, event, schedule_published_on=now)
    versions.bump([event.pk])
    release.event = event
    send_after_commit(
        signals.schedule_released, ScheduleRelease, release=release, actor=actor, send_email=send_email
    )
    return release


@transaction.atomic
def unpublish_schedule(actor, event):
    """Take ``event``'s schedule off the public pages (``schedule_published_on`` cleared); its
    releases stay, and the next release publishes it again."""
    check_schedule_manager(actor, event)
    if event.schedule_published_on is None:
        raise Invalid("The schedule is not published.")
    event_services.unpublish_schedule(actor, event)
    versions.bump([event.pk])
    send_after_commit(signals.schedule_unpublished, Event, event=event, actor=actor)
    return event
