"""Speakers: profiles made by organizers or by the speakers themselves."""
from django.db import IntegrityError, transaction

from events import images
from events import permissions as rules
from events.services.custom_forms import check_answers
from openevent.core.errors import Conflict, Invalid, NotAllowed
from openevent.core.html import sanitize_fields
from openevent.core.permissions import check_permanent_delete
from openevent.core.signals import send_after_commit

from .. import signals, tasks
from ..models import Speaker
from .common import check_call_for_papers, check_known, comparable, normalize_email, refuse_changes
from .sessions import ADD, REMOVE, REPLACE, set_session_speakers

#: Only organizers set these on a speaker row; the speaker may send them unchanged.
ORGANIZER_ONLY_SPEAKER_FIELDS = ("user", "email", "is_featured", "is_email_overridden", "order")
SPEAKER_FIELDS = {
    "user", "name", "email", "mobile", "photo_url", "thumbnail_image_url", "small_image_url",
    "icon_image_url", "short_biography", "long_biography", "speaking_experience", "organisation",
    "position", "country", "city", "address", "gender", "website", "twitter", "facebook", "github",
    "linkedin", "heard_from", "sponsorship_required", "is_featured", "is_email_overridden", "order",
    "complex_field_values",
}  # fmt: skip


def _check_unique_email(event, email, exclude=None):
    if not email:
        return
    clash = Speaker.objects.filter(event=event, email=email)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise Conflict(f"{email} already is a speaker of this event.", field="email")


def _settle_email(speaker, data):
    """The e-mail address of a speaker row linked to an account, after an organizer's write.

    A linked row's address follows its account's (``follow_account_email``) unless it is
    overridden (``is_email_overridden``): the organizer chose another address, or none. An
    organizer overrides it by sending the flag, or by giving the row an address other than the
    account's; sending the flag as false puts the account's address back (and giving another
    address with it is a contradiction, 422).
    """
    if speaker.user is None:
        return
    account = normalize_email(speaker.user.email)
    flag = data.get("is_email_overridden")
    if flag is False:
        if data.get("email") not in (None, "", account):
            raise Invalid(
                "This is not the address of the speaker's account; send is-email-overridden true to use it.",
                field="email",
            )
        speaker.email = account
    elif flag is None and not speaker.is_email_overridden:
        if not speaker.email:
            speaker.email = account
        elif speaker.email != account:
            speaker.is_email_overridden = True


def _save_speaker(speaker):
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError:
        raise Conflict(f"{speaker.email} already is a speaker of this event.", field="email") from None


@transaction.atomic
def create_speaker(actor, event, data, hash=None, sessions=()):
    """Create a speaker row of ``event``, speaking in ``sessions`` (``set_speaker_sessions``).

    Organizers create any speaker. A logged-in user creates their own profile while the call for
    papers is open: linked to their account, with their account's e-mail address, not featured;
    where a row for that (verified) address exists without account, made by a co-speaker
    invitation, that row is claimed (``claim_speaker_rows``) and changed with ``data`` instead.
    E-mail addresses are unique per event among live rows (409).
    """
    data = dict(data)
    check_known(data, SPEAKER_FIELDS)
    organizer = rules.can_manage_program(actor, event)
    if not organizer:
        check_call_for_papers(actor, event, hash)
        if data.get("user") is not None and comparable(data["user"]) != actor.pk:
            raise NotAllowed("Your speaker profile belongs to your own account.", field="user")
        if normalize_email(data.get("email")) not in ("", actor.email):
            raise NotAllowed("Your speaker profile uses your account's e-mail address.", field="email")
        if data.get("is_featured"):
            raise NotAllowed("Only organizers feature speakers.", field="is_featured")
        if data.get("is_email_overridden"):
            raise NotAllowed("Only organizers override a speaker's e-mail address.", field="is_email_overridden")
        if data.get("order"):
            raise NotAllowed("Only organizers order the speakers.", field="order")
        data["user"] = actor
        data["email"] = actor.email
        invited = next((row for row in claim_speaker_rows(actor) if row.event_id == event.pk), None)
        if invited is not None:
            # A row made for the actor's verified address (a co-speaker invitation) is their
            # profile here: it is claimed and changed, never clashed with.
            return _take_invited_row(actor, invited, data, sessions)
    if not (data.get("name") or "").strip():
        raise Invalid("A speaker needs a name.", field="name")
    if "email" in data:
        data["email"] = normalize_email(data["email"])
    sanitize_fields(data, Speaker.HTML_FIELDS)
    check_answers(event, "speaker", data, None, enforce_required=not organizer)
    speaker = Speaker(event=event, **data)
    _settle_email(speaker, data)
    _check_unique_email(event, speaker.email)
    _save_speaker(speaker)
    images.schedule_variants(tasks.task_make_speaker_images, speaker.pk, tasks.SPEAKER_IMAGE.changed(None, data))
    if sessions:
        set_speaker_sessions(actor, speaker, sessions, ADD)
    send_after_commit(signals.speaker_created, Speaker, speaker=speaker, actor=actor)
    return speaker


def _take_invited_row(actor, speaker, data, sessions):
    """``create_speaker`` for a row the actor just claimed: ``data`` written over it."""
    data = {name: value for name, value in data.items() if name not in ("user", "email")}
    speaker = update_speaker(actor, speaker, data)
    if sessions:
        set_speaker_sessions(actor, speaker, sessions, ADD)
    return speaker


@transaction.atomic
def set_speaker_sessions(actor, speaker, sessions, mode=REPLACE):
    """The sessions ``speaker`` speaks in, seen from the speaker: ``mode`` replace, add or remove,
    each session changed through ``set_session_speakers`` (organizers link any session of the
    event; a speaker only sessions they own, unlocked). Sessions of another event or in the trash
    are refused (422) and so is any session the actor may not change (403): nothing is linked
    then, and a speaker created along with the links is not created either."""
    sessions = list(sessions)
    for session in sessions:
        if session.event_id != speaker.event_id or session.deleted_at is not None:
            raise Invalid(f"Session {session.pk} is not a live session of this speaker's event.", field="sessions")
    wanted = {session.pk: session for session in sessions}
    changes = []
    if mode in (ADD, REPLACE):
        changes += [(session, ADD) for session in wanted.values()]
    if mode == REMOVE:
        changes += [(session, REMOVE) for session in wanted.values()]
    if mode == REPLACE:
        changes += [(session, REMOVE) for session in speaker.sessions.exclude(pk__in=wanted)]
    for session, change in changes:
        try:
            set_session_speakers(actor, session, [speaker], change)
        except NotAllowed as refusal:
            raise NotAllowed(f"Session {session.pk}: {refusal.message}", field="sessions") from None


@transaction.atomic
def update_speaker(actor, speaker, data, sessions=None):
    """Organizers change any speaker of their event; a speaker changes their own row only, and not
    its account, e-mail address or featured flag. ``sessions``, when given, become exactly the
    sessions the speaker speaks in (``set_speaker_sessions``)."""
    data = dict(data)
    organizer = rules.can_manage_program(actor, speaker.event)
    if not organizer:
        if not rules.owns_speaker(actor, speaker):
            raise NotAllowed("You may edit only your own speaker profile.")
        if "email" in data:
            data["email"] = normalize_email(data["email"])
        refuse_changes(speaker, data, ORGANIZER_ONLY_SPEAKER_FIELDS, "Only organizers change this field.")
    if "event" in data and comparable(data.pop("event")) != speaker.event_id:
        raise NotAllowed("A speaker cannot move to another event.", field="event")
    check_known(data, SPEAKER_FIELDS)
    if "name" in data and not (data["name"] or "").strip():
        raise Invalid("A speaker needs a name.", field="name")
    if "email" in data:
        data["email"] = normalize_email(data["email"])
    sanitize_fields(data, Speaker.HTML_FIELDS)
    check_answers(speaker.event, "speaker", data, speaker, enforce_required=not organizer)
    new_photo = tasks.SPEAKER_IMAGE.changed(speaker, data)
    for name, value in data.items():
        setattr(speaker, name, value)
    _settle_email(speaker, data)
    _check_unique_email(speaker.event, speaker.email, exclude=speaker)
    _save_speaker(speaker)
    images.schedule_variants(tasks.task_make_speaker_images, speaker.pk, new_photo)
    if sessions is not None:
        set_speaker_sessions(actor, speaker, sessions, REPLACE)
    send_after_commit(signals.speaker_updated, Speaker, speaker=speaker, actor=actor)
    return speaker


@transaction.atomic
def claim_speaker_rows(user):
    """Link the speaker rows made for ``user``'s address (co-speaker invitations, an organizer's
    rows) that have no account yet to ``user`` — only once the address is verified: an address
    nobody proved to own claims nothing. Returns the rows claimed."""
    if not rules.is_authenticated(user) or not user.is_verified:
        return []
    email = normalize_email(user.email)
    if not email:
        return []
    rows = list(Speaker.objects.select_for_update().filter(user__isnull=True, email=email))
    for speaker in rows:
        speaker.user = user
        speaker.save(update_fields=["user"])
        send_after_commit(signals.speaker_updated, Speaker, speaker=speaker, actor=user)
    return rows


@transaction.atomic
def follow_account_email(user):
    """After ``user`` changed their account's address: the speaker rows linked to the account
    whose address is not overridden take the new one, except where another live speaker of that
    event already has it (that row keeps its old address)."""
    email = normalize_email(user.email)
    for speaker in Speaker.objects.filter(user=user, is_email_overridden=False).exclude(email=email):
        if Speaker.objects.filter(event_id=speaker.event_id, email=email).exists():
            continue
        speaker.email = email
        _save_speaker(speaker)
        send_after_commit(signals.speaker_updated, Speaker, speaker=speaker, actor=user)


@transaction.atomic
def delete_speaker(actor, speaker, permanent=False):
    """Organizers delete any speaker of their event, a speaker their own row; admins for good."""
    check_permanent_delete(actor, permanent)
    if not rules.can_edit_speaker(actor, speaker):
        raise NotAllowed("You may delete only your own speaker profile.")
    speaker.remove(permanent)
    send_after_commit(signals.speaker_deleted, Speaker, speaker=speaker, actor=actor, permanent=permanent)


@transaction.atomic
def restore_speaker(actor, speaker):
    """Bring a deleted speaker back, unless a live row of the event took its e-mail address."""
    if not rules.can_manage_program(actor, speaker.event):
        raise NotAllowed("Only organizers restore speakers.")
    _check_unique_email(speaker.event, speaker.email, exclude=speaker)
    speaker.deleted_at = None
    _save_speaker(speaker)
    send_after_commit(signals.speaker_restored, Speaker, speaker=speaker, actor=actor)
    return speaker
