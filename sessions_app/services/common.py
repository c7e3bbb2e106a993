"""What the session and speaker services share: the call for papers and field guards."""
from django.utils import timezone

from events import permissions as rules
from openevent.core.errors import Invalid, NotAllowed, NotAuthenticated


def check_known(data, known):
    unknown = set(data) - known
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(f"'{name}' cannot be set here.", field=name)


def normalize_email(email):
    return (email or "").strip().lower()


def comparable(value):
    """Model instances compare by primary key."""
    return getattr(value, "pk", value)


def current_value(obj, name):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def refuse_changes(obj, data, names, message):
    """Refuse when ``data`` changes one of ``names`` (for a new ``obj``: sets it at all)."""
    for name in names:
        if name not in data:
            continue
        wanted = comparable(data[name])
        current = current_value(obj, name) if obj is not None else None
        if obj is None and wanted in (None, False, "", {}):
            continue
        if wanted != current:
            raise NotAllowed(message, field=name)


def require_login(actor):
    if not rules.is_authenticated(actor):
        raise NotAuthenticated("Log in to take part in the call for speakers.")


def call_for_papers_refusal(event, hash=None, at=None):
    """Why nobody without a role may propose a session or create a speaker profile at ``event``
    right now (``None`` when they may): the event must be published, sessions enabled, and its call
    for speakers open (a private call only with its ``hash``)."""
    if not event.is_published:
        return "This event is not published."
    if not event.is_sessions_speakers_enabled:
        return "This event does not take sessions or speakers."
    call = event.speakers_calls.first()
    if call is None:
        return "This event has no call for speakers."
    at = at or timezone.now()
    if at < call.starts_at:
        return "The call for speakers has not opened yet."
    if at > call.ends_at:
        return "The call for speakers is closed."
    if not call.is_open(at, hash):
        return "This call for speakers is private; use the link you were given."
    return None


def check_call_for_papers(actor, event, hash=None):
    require_login(actor)
    refusal = call_for_papers_refusal(event, hash)
    if refusal:
        raise NotAllowed(refusal)
