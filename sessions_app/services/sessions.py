"""Sessions: proposing, editing, scheduling, the state machine, who speaks in a session."""
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from events import permissions as rules
from events.models import Microlocation
from events.services.custom_forms import check_answers
from openevent.core.errors import Conflict, Invalid, NotAllowed, ServiceError
from openevent.core.html import sanitize_fields
from openevent.core.permissions import check_permanent_delete
from openevent.core.signals import send_after_commit

from .. import signals, states
from ..models import Session, Speaker
from . import conflicts
from .common import check_call_for_papers, check_known, comparable, refuse_changes
from .conflicts import holds_place

State = Session.State

#: Where and when a session takes place; changing any of them sends ``session_schedule_changed``.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "microlocation")
#: Only organizers set these; a speaker may send them unchanged (clients PATCH whole objects).
ORGANIZER_ONLY_SESSION_FIELDS = (*SCHEDULE_FIELDS, "is_locked", "is_mail_sent")
#: A proposal starts in one of these states.
PROPOSAL_STATES = (State.DRAFT, State.PENDING)
#: Attributes (and to-one relations) a caller may pass to create_session / update_session.
SESSION_FIELDS = {
    "title", "subtitle", "short_abstract", "long_abstract", "comments", "language", "level",
    "starts_at", "ends_at", "track", "session_type", "microlocation", "slides_url", "video_url",
    "audio_url", "signup_url", "website", "twitter", "facebook", "github", "linkedin", "state",
    "is_mail_sent", "is_locked", "complex_field_values",
}  # fmt: skip
#: Only administrators set these (the admin shows them); to anyone else they are unknown.
ADMIN_SESSION_FIELDS = {"creator"}
EVENT_PARTS = {"track": "track", "session_type": "session type", "microlocation": "room"}

MICROSECONDS_PER_MILLISECOND = 1000

# Modes of set_session_speakers.
REPLACE, ADD, REMOVE = "replace", "add", "remove"


def _check_parts(event, data):
    """Track, session type and room must be live parts of the session's own event."""
    for name, label in EVENT_PARTS.items():
        part = data.get(name)
        if part is not None and (part.event_id != event.pk or part.deleted_at is not None):
            raise Invalid(f"This {label} belongs to another event.", field=name)


def check_schedule(event, starts_at, ends_at):
    """A scheduled session has a start and an end, ends after it starts, and lies within its
    event. (The session form asks this early to show the error on its field; writes ask it again.)"""
    if starts_at is None and ends_at is None:
        return
    if starts_at is None:
        raise Invalid("A scheduled session needs a start as well as an end.", field="starts_at")
    if ends_at is None:
        raise Invalid("A scheduled session needs an end as well as a start.", field="ends_at")
    if ends_at <= starts_at:
        raise Invalid("A session must end after it starts.", field="ends_at")
    if not event.starts_at <= starts_at < event.ends_at:
        raise Invalid("A session must start within its event.", field="starts_at")
    if ends_at > event.ends_at:
        raise Invalid("A session must end within its event.", field="ends_at")


def check_room_free(session):
    """Refuse a double booking: ``session`` (as it is about to be saved) may not overlap another
    session holding its place (``conflicts.holds_place``) in the same room, unless the room allows
    parallel sessions. Locks the room's row, so two writes into one room take turns and cannot
    both pass. Touching times (one ends at 10:00, the next starts at 10:00) are fine."""
    if session.microlocation_id is None or not holds_place(session):
        return
    room = Microlocation.all_objects.select_for_update().filter(pk=session.microlocation_id).first()
    if room is None or room.allows_parallel:
        return
    other = (
        Session.objects.filter(
            event_id=session.event_id,
            microlocation_id=room.pk,
            state__in=conflicts.BLOCKING_STATES,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .order_by("starts_at", "id")
        .only("title", "starts_at", "ends_at")
        .first()
    )
    if other is not None:
        tz = ZoneInfo(session.event.timezone)
        starts, ends = other.starts_at.astimezone(tz), other.ends_at.astimezone(tz)
        raise Invalid(
            f"{room.name} is already booked for “{other.title}” at that time "
            f"({starts:%a %d %b %H:%M}–{ends:%H:%M}); choose another room or time.",
            field="starts_at",
        )


def lock_current(session):
    """Lock ``session``'s row and bring the instance up to what is stored now. The caller read it
    before the lock, and another write may have committed since: saved as read, it would write
    back the old value of every field it was not asked to change (a rename at the same time as
    a move would undo the move). Its event never changes; cached relations whose id changed are
    dropped."""
    fields = [f.attname for f in Session._meta.concrete_fields if f.attname not in ("id", "event_id")]
    session.refresh_from_db(fields=fields, from_queryset=Session.all_objects.select_for_update())


def check_unchanged_since(session, expected_modified_at):
    """Optimistic concurrency: refuse (409) when ``session`` was changed after
    ``expected_modified_at``, the ``last_modified_at`` the caller read. Locks the row (and brings
    ``session`` up to date, ``lock_current``) so the check and the write that follows are one step."""
    lock_current(session)
    if not _same_instant(session.last_modified_at, expected_modified_at):
        raise Conflict(
            "This session was changed by someone else since you read it "
            f"(last modified {session.last_modified_at.isoformat()}); reload it and try again."
        )


def _same_instant(stored, sent):
    """Is ``sent`` the stored time, at the precision it was sent with? JavaScript dates carry
    milliseconds, the database microseconds."""
    if sent.microsecond % MICROSECONDS_PER_MILLISECOND == 0:
        stored = stored.replace(microsecond=stored.microsecond - stored.microsecond % MICROSECONDS_PER_MILLISECOND)
    return stored == sent


def _known_fields(actor):
    return SESSION_FIELDS | ADMIN_SESSION_FIELDS if rules.is_admin(actor) else SESSION_FIELDS


def _check_state_name(state):
    if state not in State.values:
        raise Invalid(f"'{state}' is not a session state.", field="state")


def _schedule_of(session):
    return {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "microlocation_id": session.microlocation_id,
    }


@transaction.atomic
def create_session(actor, event, data, speakers=(), hash=None):
    """Create a session of ``event`` from ``data`` (attribute -> value; track, session_type and
    microlocation as objects) with ``speakers`` (Speaker rows of the event).

    Co-organizers and up create sessions in any state. Anyone else makes a proposal: only while the
    call for papers is open (``hash`` opens a private call), in state draft or pending, without
    schedule, lock or mail flags, and with their own speaker rows only.
    """
    data = dict(data)
    check_known(data, _known_fields(actor))
    organizer = rules.can_manage_program(actor, event)
    if not organizer:
        check_call_for_papers(actor, event, hash)
        refuse_changes(None, data, ORGANIZER_ONLY_SESSION_FIELDS, "Only organizers schedule, lock or flag sessions.")
    state = data.pop("state", None) or State.DRAFT
    _check_state_name(state)
    if not organizer and state not in PROPOSAL_STATES:
        raise NotAllowed("A proposal starts as a draft or pending.", field="state")
    sanitize_fields(data, Session.HTML_FIELDS)
    _check_parts(event, data)
    check_answers(event, "session", data, None, enforce_required=not organizer)
    check_schedule(event, data.get("starts_at"), data.get("ends_at"))
    now = timezone.now()
    if "creator" not in data:
        data["creator"] = actor if rules.is_authenticated(actor) else None
    session = Session(
        event=event,
        state=state,
        submitted_at=now if state == State.PENDING else None,
        last_modified_at=now,
        **data,
    )
    check_room_free(session)
    session.save()
    speakers = list(speakers)
    if speakers:
        _link_speakers(actor, session, speakers, ADD, organizer)
    send_after_commit(signals.session_created, Session, session=session, actor=actor)
    return session


# A proposal is a session created by someone without a role at the event.
propose = create_session


@transaction.atomic
def update_session(actor, session, data, send_email=True, expected_modified_at=None):
    """Change a session. Organizers change anything; a speaker changes their own unlocked session
    but never its schedule, lock or mail flags, and its state only along the speaker table.

    ``data`` may carry ``state`` (handed to ``change_state``) and ``speakers`` (a full list, as
    ``set_session_speakers(..., REPLACE)``). A new time or room may not double-book its room
    (``check_room_free``). With ``expected_modified_at`` (the ``last_modified_at`` the caller
    read), a session changed since is refused with ``Conflict`` and nothing changes. The row is
    locked and re-read first (``lock_current``): parallel writes take turns, each changing only
    what it was given. Returns ``session``, updated in place.
    """
    data = dict(data)
    if expected_modified_at is not None:
        check_unchanged_since(session, expected_modified_at)
    else:
        lock_current(session)
    event = session.event
    organizer = rules.can_manage_program(actor, event)
    if not organizer:
        if not rules.owns_session(actor, session):
            raise NotAllowed("You may edit only your own sessions.")
        if session.is_locked:
            raise NotAllowed("This session is locked; ask the organizers to change it.")
        refuse_changes(session, data, ORGANIZER_ONLY_SESSION_FIELDS, "Only organizers schedule, lock or flag sessions.")
    if "event" in data and comparable(data.pop("event")) != event.pk:
        raise NotAllowed("A session cannot move to another event.", field="event")
    speakers = data.pop("speakers", None)
    new_state = data.pop("state", None)
    check_known(data, _known_fields(actor))
    sanitize_fields(data, Session.HTML_FIELDS)
    _check_parts(event, data)
    check_answers(event, "session", data, session, enforce_required=not organizer)
    old_schedule = _schedule_of(session)
    for name, value in data.items():
        setattr(session, name, value)
    check_schedule(event, session.starts_at, session.ends_at)
    if _schedule_of(session) != old_schedule:
        check_room_free(session)
    session.last_modified_at = timezone.now()
    session.save()
    if new_state is not None and new_state != session.state:
        change_state(actor, session, new_state, send_email=send_email)
    if speakers is not None:
        set_session_speakers(actor, session, speakers, REPLACE)
    if _schedule_of(session) != old_schedule:
        send_after_commit(
            signals.session_schedule_changed, Session, session=session, old=old_schedule, actor=actor
        )
    send_after_commit(signals.session_updated, Session, session=session, actor=actor)
    return session


@transaction.atomic
def change_state(actor, session, new_state, send_email=True):
    """The one function that changes a session's state.

    Organizers (co-organizer and up) move along the organizer table; the session's own speakers
    along the speaker table (never to accepted, whatever the session's times), and not while it is
    locked. Sends ``session_state_changed`` once, after commit. Returns ``session``.
    """
    _check_state_name(new_state)
    current = Session.all_objects.select_for_update().only("state", "is_locked").get(pk=session.pk)
    old_state = current.state
    if new_state == old_state:
        return session
    if rules.can_manage_program(actor, session.event):
        table = states.ORGANIZER
    elif rules.owns_session(actor, session):
        if current.is_locked:
            raise NotAllowed("This session is locked; ask the organizers to change it.", field="state")
        table = states.SPEAKER
    else:
        raise NotAllowed("You may not change the state of this session.", field="state")
    if not states.allowed(table, old_state, new_state):
        who = "Organizers" if table == states.ORGANIZER else "Speakers"
        raise NotAllowed(f"{who} cannot move a session from {old_state} to {new_state}.", field="state")
    now = timezone.now()
    session.state = new_state
    if old_state not in conflicts.BLOCKING_STATES:
        # Back from withdrawn, rejected or canceled: it takes its room again, if that is free.
        check_room_free(session)
    session.last_modified_at = now
    fields = ["state", "last_modified_at"]
    if new_state == State.PENDING and session.submitted_at is None:
        session.submitted_at = now
        fields.append("submitted_at")
    session.save(update_fields=fields)
    send_after_commit(
        signals.session_state_changed,
        Session,
        session=session,
        old_state=old_state,
        new_state=new_state,
        actor=actor,
        send_email=send_email,
    )
    return session


@dataclass
class StateChanges:
    """What ``change_states`` did, session by session."""

    state: str
    #: Sessions moved to ``state``.
    changed: list = field(default_factory=list)
    #: Sessions that already were in ``state``.
    unchanged: list = field(default_factory=list)
    #: (session, why) for each session that was not moved.
    refused: list = field(default_factory=list)


def _sessions(sessions_or_ids):
    items = list(sessions_or_ids)
    if all(isinstance(item, Session) for item in items):
        return items
    ids = [getattr(item, "pk", item) for item in items]
    return list(Session.all_objects.filter(pk__in=ids).select_related("event").order_by("pk"))


def change_states(actor, sessions, new_state, send_email=True):
    """Move each of ``sessions`` (rows, or their ids) to ``new_state`` through ``change_state``,
    each on its own: a session that may not move is refused and reported, the others move.
    Sessions in the trash are refused. Returns a ``StateChanges`` report."""
    _check_state_name(new_state)
    report = StateChanges(new_state)
    for session in _sessions(sessions):
        if session.deleted_at is not None:
            report.refused.append((session, "This session is in the trash."))
        elif session.state == new_state:
            report.unchanged.append(session)
        else:
            try:
                change_state(actor, session, new_state, send_email=send_email)
            except ServiceError as error:
                report.refused.append((session, error.message))
            else:
                report.changed.append(session)
    return report


@transaction.atomic
def delete_session(actor, session, permanent=False):
    """Organizers delete any session; a speaker deletes their own unlocked draft (anything further
    along is withdrawn, so the organizers see it). Only admins delete for good."""
    check_permanent_delete(actor, permanent)
    if not rules.can_manage_program(actor, session.event):
        if not rules.can_edit_session(actor, session):
            raise NotAllowed("You may delete only your own unlocked sessions.")
        if session.state != State.DRAFT:
            raise NotAllowed("Withdraw a submitted session instead of deleting it.")
    session.remove(permanent)
    send_after_commit(signals.session_deleted, Session, session=session, actor=actor, permanent=permanent)


@transaction.atomic
def restore_session(actor, session):
    if not rules.can_manage_program(actor, session.event):
        raise NotAllowed("Only organizers restore sessions.")
    session.restore()
    send_after_commit(signals.session_restored, Session, session=session, actor=actor)
    return session


def _link_speakers(actor, session, speakers, mode, organizer):
    for speaker in speakers:
        if speaker.event_id != session.event_id or speaker.deleted_at is not None:
            raise Invalid(f"Speaker {speaker.pk} belongs to another event.", field="speakers")
    current = set(session.speakers.values_list("pk", flat=True))
    wanted = {speaker.pk for speaker in speakers}
    if mode == ADD:
        added, removed = wanted - current, set()
    elif mode == REMOVE:
        added, removed = set(), wanted & current
    elif mode == REPLACE:
        added, removed = wanted - current, current - wanted
    else:
        raise ValueError(f"Unknown mode {mode!r}.")
    touched = added | removed
    if not organizer and touched:
        own = set(Speaker.objects.filter(pk__in=touched, user=actor).values_list("pk", flat=True))
        if touched - own:
            raise NotAllowed("You may add or remove only your own speaker profile.", field="speakers")
    if added:
        session.speakers.add(*added)
    if removed:
        session.speakers.remove(*removed)
    return bool(touched)


@transaction.atomic
def set_session_speakers(actor, session, speakers, mode=REPLACE):
    """Who speaks in ``session``: ``mode`` replace (exactly ``speakers``), add or remove.

    Organizers link any speaker of the session's event; a speaker, on their own unlocked session,
    links or unlinks only their own speaker row.
    """
    organizer = rules.can_manage_program(actor, session.event)
    if not organizer:
        if not rules.owns_session(actor, session):
            raise NotAllowed("You may change the speakers of your own sessions only.")
        if session.is_locked:
            raise NotAllowed("This session is locked; ask the organizers to change it.")
    if _link_speakers(actor, session, list(speakers), mode, organizer):
        session.last_modified_at = timezone.now()
        session.save(update_fields=["last_modified_at"])
        send_after_commit(signals.session_speakers_changed, Session, session=session, actor=actor)
    return session
