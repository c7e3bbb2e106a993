"""Proposals through the call for papers: what a speaker does in the browser, each a unit of work
built from the session and speaker services.

- ``submit_proposal``: the speaker's own row at the event (created, or the existing one updated),
  a pending session naming it, and the co-speakers invited: all or nothing.
- ``update_proposal``: the session and the speaker's own row changed together.
- ``invite_co_speaker``: another address becomes a speaker of a session its owner proposed.
- ``claim_speaker_rows`` (in ``speakers``): rows made for an address join the account once that
  address is verified.
- ``withdraw`` / ``confirm``: the speaker's moves of the state table.

Refusals of the session part name their fields ``session.<field>``, of the speaker part
``speaker.<field>``, of a co-speaker ``co_speakers.<index>.<field>``: the two forms share column
names (``website``…), and the page shows each error on its own field. Every error of the session
and speaker parts comes back at once (``FieldErrors``).
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from events import permissions as rules
from openevent.core.errors import FieldErrors, Invalid, NotAllowed, ServiceError
from openevent.core.signals import send_after_commit

from .. import signals
from ..models import Session, Speaker
from .common import call_for_papers_refusal, normalize_email, require_login
from .sessions import change_state, create_session, update_session
from .speakers import _check_unique_email, _save_speaker, create_speaker, update_speaker

State = Session.State

#: How many co-speakers a proposal's owner may invite (beside themselves).
MAX_CO_SPEAKERS = 5


def _prefixed(prefix, error):
    """``error`` with its field named ``<prefix>.<field>`` (a FieldErrors: each of its fields)."""
    if isinstance(error, FieldErrors):
        return FieldErrors({f"{prefix}.{name}": message for name, message in error.errors.items()})
    if error.field:
        return FieldErrors({f"{prefix}.{error.field}": error.message})
    return error


def _collect(errors, prefix, call):
    """Run ``call``; a refusal naming fields is added to ``errors`` (None comes back), any other
    refusal is raised as it is."""
    try:
        return call()
    except ServiceError as error:
        tagged = _prefixed(prefix, error)
        if not isinstance(tagged, FieldErrors):
            raise tagged from None
        errors.update(tagged.errors)
        return None


def own_speaker(actor, event):
    """The actor's own live speaker row at ``event``, or None."""
    return Speaker.objects.filter(event=event, user=actor).order_by("pk").first()


@transaction.atomic
def submit_proposal(actor, event, session_data, speaker_data, co_speakers=(), hash=None):
    """Propose a session at ``event`` through its call for papers (``hash`` opens a private one).

    The actor's speaker row at the event is created from ``speaker_data`` (or, where they have
    one, updated with it); the session is created pending from ``session_data`` with that row as
    its speaker; each of ``co_speakers`` (``(name, email)`` pairs) is invited
    (``invite_co_speaker``). One transaction: a refusal leaves nothing. Returns the session.
    """
    require_login(actor)
    refusal = call_for_papers_refusal(event, hash)
    if refusal and not rules.can_manage_program(actor, event):
        raise NotAllowed(refusal)
    errors = {}
    speaker = own_speaker(actor, event)
    if speaker is None:
        speaker = _collect(errors, "speaker", lambda: create_speaker(actor, event, speaker_data, hash=hash))
    else:
        speaker = _collect(errors, "speaker", lambda: update_speaker(actor, speaker, speaker_data))
    data = {**session_data, "state": State.PENDING}
    speakers = [speaker] if speaker is not None else []
    session = _collect(errors, "session", lambda: create_session(actor, event, data, speakers=speakers, hash=hash))
    if session is not None and not errors:
        for index, (name, email) in enumerate(co_speakers):
            _collect(
                errors, f"co_speakers.{index}",
                lambda email=email, name=name: invite_co_speaker(actor, session, email, name, hash),
            )
    if errors:
        raise FieldErrors(errors)
    return session


@transaction.atomic
def update_proposal(actor, session, session_data, speaker=None, speaker_data=None):
    """Change a proposal and, with it, the actor's own speaker row (``speaker``) at its event:
    both or neither (``update_session``, ``update_speaker`` decide what each may change)."""
    require_login(actor)
    errors = {}
    _collect(errors, "session", lambda: update_session(actor, session, session_data))
    if speaker is not None:
        _collect(errors, "speaker", lambda: update_speaker(actor, speaker, speaker_data or {}))
    if errors:
        raise FieldErrors(errors)
    return session


def _co_speaker_address(email):
    email = normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError:
        raise Invalid("Give a valid e-mail address for the co-speaker.", field="email") from None
    return email


@transaction.atomic
def invite_co_speaker(actor, session, email, name="", hash=None):
    """Name ``email`` as a co-speaker of ``session``, which the actor owns, while its event's call
    for papers is open (organizers: any time). The address gets a speaker row without account,
    linked to the session (an address that already is a speaker of the event: that row is linked);
    ``co_speaker_invited`` goes out, and the mail with it. At most ``MAX_CO_SPEAKERS`` besides the
    actor, never the actor's own address. Returns the speaker row."""
    require_login(actor)
    event = session.event
    organizer = rules.can_manage_program(actor, event)
    if not organizer:
        if not rules.owns_session(actor, session):
            raise NotAllowed("You may invite co-speakers to your own proposals only.")
        if session.is_locked:
            raise NotAllowed("This session is locked; ask the organizers to change it.")
        refusal = call_for_papers_refusal(event, hash)
        if refusal:
            raise NotAllowed(refusal)
    email = _co_speaker_address(email)
    if email == normalize_email(actor.email):
        raise Invalid("You are a speaker of this proposal already; give another address.", field="email")
    linked = list(session.speakers.all())
    if any(normalize_email(row.email) == email for row in linked):
        raise Invalid(f"{email} already speaks in this session.", field="email")
    others = [row for row in linked if row.user_id != actor.pk]
    if len(others) >= MAX_CO_SPEAKERS:
        raise Invalid(f"A proposal has at most {MAX_CO_SPEAKERS} co-speakers.", field="email")
    speaker = Speaker.objects.filter(event=event, email=email).first()
    if speaker is None:
        name = (name or "").strip() or email.split("@")[0]
        if len(name) > Speaker._meta.get_field("name").max_length:
            raise Invalid("This name is too long.", field="name")
        _check_unique_email(event, email)
        speaker = Speaker(event=event, name=name, email=email)
        _save_speaker(speaker)
        send_after_commit(signals.speaker_created, Speaker, speaker=speaker, actor=actor)
    session.speakers.add(speaker)
    send_after_commit(signals.session_speakers_changed, Session, session=session, actor=actor)
    send_after_commit(signals.co_speaker_invited, Session, session=session, speaker=speaker, actor=actor, email=email)
    return speaker


def withdraw(actor, session):
    """The speaker withdraws their proposal (``change_state`` asks the speaker table and the lock)."""
    return change_state(actor, session, State.WITHDRAWN)


def confirm(actor, session):
    """The speaker confirms their accepted session."""
    if session.state != State.ACCEPTED:
        raise NotAllowed("Only an accepted session can be confirmed.", field="state")
    return change_state(actor, session, State.CONFIRMED)
