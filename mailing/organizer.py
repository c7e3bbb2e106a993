"""What organizers do with the mail of their event: rewrite the mails the platform sends about it
(``MailTemplate``, the "Mail templates" pages), preview them, and write to the event's speakers
(the "Mail speakers" page). Every mail still goes through ``services.queue_mail``.

An organizer's wording is plain text with ``{placeholder}`` values, the placeholders the action
offers (``actions.MailAction.placeholders``); ``wording_errors`` says what is wrong with one, for
the forms, the previews and the services alike.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

from events import permissions as rules
from openevent.core.errors import Invalid, NotAllowed
from sessions_app.models import Session
from sessions_app.queries import speakers_matching

from . import actions, program
from .models import MailTemplate
from .services import queue_mail, render_mail, unknown_placeholders

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
SPEAKER_MAIL = "speaker_mail"


# --- the wording ----------------------------------------------------------------------------------
def overridable_actions():
    return [action for action in actions.ACTIONS.values() if action.overridable]


def overridable(key):
    """The action ``key`` if organizers may rewrite it, else None."""
    action = actions.ACTIONS.get(key)
    return action if action is not None and action.overridable else None


def normalized(text):
    """``text`` with the line ends of one system: browsers post a textarea's lines ended by CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def wording_errors(action, subject, body):
    """What is wrong with ``subject`` and ``body`` as the wording of ``action``'s mail, as
    {field: [messages]} (empty when nothing is)."""
    errors = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not subject.strip():
        add("subject", "Write a subject.")
    if "\n" in subject or "\r" in subject:
        add("subject", "The subject is one line.")
    if len(subject) > SUBJECT_MAX_LENGTH:
        add("subject", f"Keep the subject to {SUBJECT_MAX_LENGTH} characters (it has {len(subject)}).")
    if not body.strip():
        add("body", "Write the text of the mail.")
    if len(body) > BODY_MAX_LENGTH:
        add("body", f"Keep the text to {BODY_MAX_LENGTH} characters (it has {len(body)}).")
    for name, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text, action)
        if unknown:
            listed = ", ".join(f"{{{name}}}" for name in unknown)
            add(name, f"This mail has no placeholder {listed}; use those listed beside the text.")
    return errors


def _check(action, subject, body):
    errors = wording_errors(action, subject, body)
    for name, messages in errors.items():
        raise Invalid(messages[0], field=name)


def _content_block(name, values, autoescape):
    """The ``content`` block of the template ``name`` alone (without the shared layout)."""
    template = get_template(name).template
    block = next(node for node in template.nodelist.get_nodes_by_type(BlockNode) if node.name == "content")
    context = Context(values, autoescape=autoescape)
    with context.render_context.push_state(template), context.bind_template(template):
        return block.nodelist.render(context).strip()


def literal_values(action):
    """Each placeholder of ``action`` standing for itself: ``{"event_name": "{event_name}", …}``."""
    return {name: f"{{{name}}}" for name in actions.get(action).all_placeholders}


def default_wording(action):
    """The platform's subject and text of ``action``'s mail with ``{placeholder}`` where values go:
    where an organizer's own wording starts."""
    values = literal_values(action)
    subject = get_template(f"mail/{action}.subject.txt").template.render(Context(values, autoescape=False))
    return " ".join(subject.split()), _content_block(f"mail/{action}.txt", values, autoescape=False)


def default_html_message(action):
    """The HTML content of ``action``'s platform mail with ``{placeholder}`` where values go."""
    return _content_block(f"mail/{action}.html", literal_values(action), autoescape=True)


def templates_of(event):
    """{action key: MailTemplate} of ``event``: one query."""
    rows = MailTemplate.objects.filter(event=event).select_related("updated_by")
    return {template.action: template for template in rows}


def wording(event, action):
    """(subject, body, customized) of ``action``'s mail at ``event``: the event's own wording, or
    the platform's default with placeholders."""
    template = MailTemplate.objects.filter(event=event, action=action).first()
    if template is not None:
        return template.subject, template.body, True
    return (*default_wording(action), False)


# --- previews -------------------------------------------------------------------------------------
def _sample_values(action):
    """The sample value of each placeholder of ``action``; the platform's name and address are
    left to ``services.render_mail``, which knows the real ones."""
    placeholders = {**actions.get(action).placeholders, "recipient": actions.COMMON["recipient"]}
    return {name: str(sample) for name, (_, sample) in placeholders.items()}


def _session_values(event, session, speaker):
    values = program.event_values(event)
    if session is not None:
        room = session.microlocation
        values.update(
            session_title=session.title,
            session_link=program.speaker_session_link(session),
            starts_at=program.format_moment(session.starts_at, event),
            ends_at=program.format_moment(session.ends_at, event),
            room_name=room.name if room is not None and room.deleted_at is None else "",
        )
    if speaker is not None:
        values["speaker_name"] = speaker.name
        if speaker.email:
            values["recipient"] = speaker.email
    values["time_zone"] = event.timezone
    return values


def preview_values(event, action):
    """Values to preview ``action``'s mail at ``event`` with: the samples of its placeholders,
    replaced by the event's own data where it has some (the event's name; for session mails its
    first session in that state, or else its first session, and that session's first speaker)."""
    values = _sample_values(action)
    names = actions.get(action).all_placeholders
    if "session_title" in names:
        sessions = Session.objects.filter(event=event).select_related("microlocation").order_by("id")
        state = action.removeprefix("session_")
        session = sessions.filter(state=state).first() or sessions.first()
        if session is not None:
            session.event = event
        speaker = session.speakers.order_by("id").first() if session is not None else None
        values.update(_session_values(event, session, speaker))
    elif "event_name" in names:
        values.update(program.event_values(event))
    return {name: value for name, value in values.items() if name in names}


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str
    html: str
    errors: dict = field(default_factory=dict)

    def as_json(self):
        return {"subject": self.subject, "text": self.text, "html": self.html, "errors": self.errors}


def _preview(event, action, subject, body, values):
    body = normalized(body)
    # Cut what no mail may hold, so a preview of an oversized text stays cheap.
    draft = MailTemplate(event=event, action=action, subject=subject[:SUBJECT_MAX_LENGTH * 2],
                         body=body[:BODY_MAX_LENGTH * 2])
    rendered = render_mail(action, values, event=event, template=draft)
    return Preview(rendered.subject, rendered.text, rendered.html, wording_errors(action, subject, body))


def preview_mail(event, action, subject, body):
    """How ``action``'s mail at ``event`` looks with ``subject`` and ``body`` (unsaved), filled
    with ``preview_values``, and what is wrong with the wording. Unknown placeholders stay as
    written."""
    if overridable(action) is None:
        raise Invalid("Organizers cannot rewrite this mail.", field="action")
    return _preview(event, action, subject, body, preview_values(event, action))


# --- writes ---------------------------------------------------------------------------------------
def _require_coorganizer(actor, event):
    if not rules.is_coorganizer(actor, event):
        raise NotAllowed("Only co-organizers and up change the event's mails.")


@transaction.atomic
def save_mail_template(event, action, subject, body, actor):
    """Make ``subject`` and ``body`` the wording of ``action``'s mail at ``event`` (co-organizers
    and up); the mails queued from now on use it. Returns the ``MailTemplate``."""
    _require_coorganizer(actor, event)
    if overridable(action) is None:
        raise Invalid("Organizers cannot rewrite this mail.", field="action")
    body = normalized(body)
    _check(action, subject, body)
    template, _ = MailTemplate.objects.update_or_create(
        event=event, action=action, defaults={"subject": subject.strip(), "body": body, "updated_by": actor}
    )
    return template


@transaction.atomic
def reset_mail_template(event, action, actor):
    """Back to the platform's wording of ``action``'s mail at ``event``: the event's own is
    deleted. Returns whether there was one."""
    _require_coorganizer(actor, event)
    if overridable(action) is None:
        raise Invalid("Organizers cannot rewrite this mail.", field="action")
    deleted, _ = MailTemplate.objects.filter(event=event, action=action).delete()
    return bool(deleted)


# --- mail to speakers -----------------------------------------------------------------------------
@dataclass
class Recipient:
    """One address of a mail to speakers: who it goes to (the speaker's account where the address
    is the account's, else the address) and the values of its placeholders."""

    to: object
    address: str
    speaker: object
    sessions: list

    def values(self, event):
        return {
            **program.event_values(event),
            "speaker_name": self.speaker.name,
            "session_titles": ", ".join(session.title for session in self.sessions),
        }


def speaker_recipients(event, *, states=(), track_ids=(), speaker_ids=()):
    """The addresses that a mail to the speakers of ``event`` who match these criteria reaches
    (``sessions_app.queries.speakers_matching``), one ``Recipient`` per distinct address, and the
    matching speakers without any address. Ids of other events' speakers or tracks are refused."""
    speaker_ids = {int(pk) for pk in speaker_ids}
    track_ids = {int(pk) for pk in track_ids}
    unknown_states = set(states) - set(Session.State.values)
    if unknown_states:
        raise Invalid(f"Sessions have no state {', '.join(sorted(unknown_states))}.", field="states")
    if track_ids - set(event.tracks.filter(pk__in=track_ids).values_list("pk", flat=True)):
        raise Invalid("Choose tracks of this event.", field="tracks")
    speakers = list(speakers_matching(event, states=states, track_ids=track_ids, speaker_ids=speaker_ids))
    if speaker_ids - {speaker.pk for speaker in speakers}:
        raise Invalid("Choose speakers of this event.", field="speakers")
    by_address, without = {}, []
    for speaker in speakers:
        to = program.speaker_address(speaker)  # the same rule as the mails about their sessions
        if to is None:
            without.append(speaker)
            continue
        address = to if isinstance(to, str) else to.email
        sessions = speaker.matching_sessions or speaker.live_sessions
        known = by_address.get(address.lower())
        if known is None:
            by_address[address.lower()] = Recipient(to, address, speaker, list(sessions))
        else:
            known.sessions += [session for session in sessions if session not in known.sessions]
    return list(by_address.values()), without


def preview_speaker_mail(event, subject, body, recipient=None):
    """The mail to speakers with ``subject`` and ``body`` as ``recipient`` (a ``Recipient``; the
    placeholders' samples without one) would get it."""
    values = _sample_values(SPEAKER_MAIL)
    values["event_name"] = event.name
    if recipient is not None:
        values.update(recipient.values(event), recipient=recipient.address)
    return _preview(event, SPEAKER_MAIL, subject, body, values)


@dataclass(frozen=True)
class SpeakerMailing:
    queued: list
    without_address: list
    switched_off: bool


@transaction.atomic
def mail_speakers(event, actor, *, subject, body, states=(), track_ids=(), speaker_ids=()):
    """Write to the speakers of ``event`` who match the criteria (``speaker_recipients``): one mail
    per distinct address, with ``subject`` and ``body`` filled for each, all queued in one
    transaction (co-organizers and up). Returns a ``SpeakerMailing``."""
    _require_coorganizer(actor, event)
    body = normalized(body)
    _check(SPEAKER_MAIL, subject, body)
    recipients, without = speaker_recipients(event, states=states, track_ids=track_ids, speaker_ids=speaker_ids)
    if not recipients:
        raise Invalid("No speaker with an e-mail address matches these recipients.", field="states")
    template = MailTemplate(event=event, action=SPEAKER_MAIL, subject=subject.strip(), body=body)
    queued = []
    for recipient in recipients:
        mail = queue_mail(SPEAKER_MAIL, to=recipient.to, context=recipient.values(event), event=event,
                          template=template)
        if mail is not None:
            queued.append(mail)
    return SpeakerMailing(queued, without, switched_off=not queued)

