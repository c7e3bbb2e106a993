"""Speakers: profiles made by organizers or by the speakers themselves."""
from django.db import IntegrityError, transaction

from events import permissions as rules
from openevent.core.errors import Conflict, Invalid, NotAllowed
from openevent.core.html import sanitize_fields
from openevent.core.permissions import check_permanent_delete
from openevent.core.signals import send_after_commit

from .. import signals
from ..models import Speaker
from .common import check_call_for_papers, check_known, comparable, normalize_email, refuse_changes

#: Only organizers set these on a speaker row; the speaker may send them unchanged.
ORGANIZER_ONLY_SPEAKER_FIELDS = ("user", "email", "is_featured")
SPEAKER_FIELDS = {
    "user", "name", "email", "mobile", "photo_url", "thumbnail_image_url", "small_image_url",
    "icon_image_url", "short_biography", "long_biography", "speaking_experience", "organisation",
    "position", "country", "city", "address", "gender", "website", "twitter", "facebook", "github",
    "linkedin", "heard_from", "sponsorship_required", "is_featured", "complex_field_values",
}  # fmt: skip


def _check_unique_email(event, email, exclude=None):
    if not email:
        return
    clash = Speaker.objects.filter(event=event, email=email)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise Conflict(f"{email} already is a speaker of this event.", field="email")


def _save_speaker(speaker):
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError:
        raise Conflict(f"{speaker.email} already is a speaker of this event.", field="email") from None


@transaction.atomic
def create_speaker(actor, event, data, hash=None):
    """Create a speaker row of ``event``.

    Organizers create any speaker. A logged-in user creates their own profile while the call for
    papers is open: linked to their account, with their account's e-mail address, not featured.
    E-mail addresses are unique per event among live rows (409).
    """
    data = dict(data)
    check_known(data, SPEAKER_FIELDS)
    if not rules.can_manage_program(actor, event):
        check_call_for_papers(actor, event, hash)
        if data.get("user") is not None and comparable(data["user"]) != actor.pk:
            raise NotAllowed("Your speaker profile belongs to your own account.", field="user")
        if normalize_email(data.get("email")) not in ("", actor.email):
            raise NotAllowed("Your speaker profile uses your account's e-mail address.", field="email")
        if data.get("is_featured"):
            raise NotAllowed("Only organizers feature speakers.", field="is_featured")
        data["user"] = actor
        data["email"] = actor.email
    if not (data.get("name") or "").strip():
        raise Invalid("A speaker needs a name.", field="name")
    data["email"] = normalize_email(data.get("email"))
    sanitize_fields(data, Speaker.HTML_FIELDS)
    _check_unique_email(event, data["email"])
    speaker = Speaker(event=event, **data)
    _save_speaker(speaker)
    send_after_commit(signals.speaker_created, Speaker, speaker=speaker, actor=actor)
    return speaker


@transaction.atomic
def update_speaker(actor, speaker, data):
    """Organizers change any speaker of their event; a speaker changes their own row only, and not
    its account, e-mail address or featured flag."""
    data = dict(data)
    if not rules.can_manage_program(actor, speaker.event):
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
        _check_unique_email(speaker.event, data["email"], exclude=speaker)
    sanitize_fields(data, Speaker.HTML_FIELDS)
    for name, value in data.items():
        setattr(speaker, name, value)
    _save_speaker(speaker)
    send_after_commit(signals.speaker_updated, Speaker, speaker=speaker, actor=actor)
    return speaker


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
