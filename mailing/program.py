"""The mails of events and their program: invitations to a team, proposals, decisions, schedule
changes, publishing, the call for speakers, the day after an event, and the end of import and
export jobs.

Each function here is called by a receiver in ``receivers.py`` inside the transaction of its cause
(or, for the day after an event, by the daily beat task) and queues its mails through
``services.queue_mail``, which checks the action's mail switch. Who receives what:

- ``event_role``: the invited address, with the invite link (a secret: sent, never stored). A
  renewed invite (``events.services.resend_invite`` sends ``role_invite_created`` again, with
  ``resent=True``) mails the new link the same way.
- ``event_role_accepted``: whoever sent the invite, if their account still exists.
- ``new_session``: the event's organizers (owner, organizers, co-organizers) that want mails of
  new proposals (preference ``new_paper``), when someone who does not manage the program submits a
  proposal: creates it as pending, or moves their draft to pending. Drafts tell nobody. Track
  organizers are not mailed: their role is not tied to a track in this project.
- ``session_<state>``: the session's speakers (each speaker row's address; its account, where the
  row has one, for the preference ``session_accept_reject``), unless the change was made with
  ``send_email`` off. A speaker is not told of a change they made themselves (withdrawing,
  confirming), except a submission (``pending``), which every speaker gets as a receipt (also
  when a proposal is created as pending). The session's ``is_mail_sent`` stays the organizers'
  flag, as in Open Event.
- ``schedule_released``: when organizers release a version of the schedule
  (``sessions_app.services.schedule.release_schedule``), the speakers of the sessions that are
  new, moved or off the schedule in its changelog, one mail per address listing their changed
  sessions (preference ``session_schedule``; the switch of ``session_schedule_change``). Moving a
  session in the work in progress mails nobody: it is not public until the next release.
- ``event_published``: the event's organizers.
- ``speakers_call_opened``: the event's organizers, as a confirmation, once per opening: when
  a call is written (created, changed, restored) or its event published while the call's window
  includes now, or when the hourly beat task finds a call whose window began since. An opening
  is announced once: not again while a mail of it (queued since the call's start) is in the log.
  Speakers of the owner's earlier events are not mailed (Open Event's ``next_event``
  preference is kept, but nothing sends it yet).
- ``after_event``: the organizers of events that ended yesterday (each in its own time zone, see
  ``events.queries.events_ended_yesterday``), by the daily beat task; once per organizer and
  event, however often the task runs.
- ``event_exported`` / ``event_export_fail`` / ``event_imported`` / ``event_import_fail``: the user
  who started the job (``exports.signals``).

Links to this server's pages (the invite link, the team page, an organizer's session page, the
event dashboard) start with ``SITE_URL`` (``openevent.users.services.site_url``); links to the
public pages, which Open Event's front end serves (``/e/<identifier>``, its sessions and call for
speakers), start with the platform's frontend URL (``openevent.core.site.links_origin``).
"""
import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events import permissions as rules
from events import queries as event_queries
from events.models import Microlocation, SpeakersCall
from notifications.queries import email_preference
from openevent.core import site
from openevent.core.zones import time_zone
from openevent.users.services import site_url
from sessions_app.models import Session, Speaker
from sessions_app.queries import session_speakers

from . import actions, services
from .models import Mail


# --- values ---------------------------------------------------------------------------------------
def page_link(name, *args):
    """The absolute address of one of this server's pages."""
    return site_url() + reverse(name, args=args)


def event_link(event):
    """The event's public page (Open Event's front end)."""
    return f"{site.links_origin()}/e/{event.identifier}"


def local(moment, event):
    return moment.astimezone(time_zone(event.timezone) or datetime.UTC)


def format_day(moment, event):
    """``moment`` as a day in ``event``'s time zone: "9 December 2027"."""
    moment = local(moment, event)
    return f"{moment.day} {moment:%B %Y}"


def format_moment(moment, event):
    """``moment`` as a day and time in ``event``'s time zone: "Fri 12 March 2027, 10:00"."""
    if moment is None:
        return ""
    moment = local(moment, event)
    return f"{moment:%a} {moment.day} {moment:%B %Y, %H:%M}"


def event_values(event):
    return {"event_name": event.name, "event_link": event_link(event)}


def wants(user, event, preference, action):
    """Whether ``user`` wants ``action``'s mails about ``event`` (their ``preference``, where the
    administrator lets users control the action's switch)."""
    return email_preference(user, event, preference, action=actions.get(action).switch)


def is_reachable(user):
    return user is not None and user.deleted_at is None and not user.is_blocked


# --- team -----------------------------------------------------------------------------------------
def mail_invite(invite, token):
    event = invite.event
    inviter = invite.invited_by
    services.queue_mail(
        "event_role",
        to=invite.email,
        event=event,
        context={
            **event_values(event),
            "role_name": invite.role.title_name,
            "inviter_name": inviter.display_name if inviter is not None else f"The team of {event.name}",
            "expires": format_moment(invite.expires_at, event) + f" ({event.timezone})",
        },
        secrets={"link": page_link("invite-link", token)},
    )


def mail_invite_accepted(invite, user):
    inviter = invite.invited_by
    if not is_reachable(inviter) or inviter.pk == user.pk:
        return
    event = invite.event
    services.queue_mail(
        "event_role_accepted",
        to=inviter,
        event=event,
        context={
            **event_values(event),
            "role_name": invite.role.title_name,
            "member_name": user.display_name,
            "team_link": page_link("event-team", event.identifier),
        },
    )


def mail_organizers(action, event, context, *, preference=None, exclude=None):
    """Queue ``action``'s mail to each organizer of ``event`` (but ``exclude``) who wants it
    (``preference``, a name of ``notifications.models.PREFERENCES``); the mails queued."""
    queued = []
    for user in event_queries.organizers(event):
        if exclude is not None and user.pk == exclude.pk:
            continue
        if preference and not wants(user, event, preference, action):
            continue
        mail = services.queue_mail(action, to=user, event=event, context={**event_values(event), **context})
        if mail is not None:
            queued.append(mail)
    return queued


def mail_event_published(event):
    mail_organizers("event_published", event, {"manage_link": page_link("event-dashboard", event.identifier)})


# --- sessions -------------------------------------------------------------------------------------
def is_submission(session, actor):
    """A proposal reaches the organizers: someone who does not manage the program made it pending."""
    return session.state == Session.State.PENDING and not rules.can_manage_program(actor, session.event)


def speaker_session_link(session):
    """The session's public page (Open Event's front end), where its speakers find it."""
    return f"{event_link(session.event)}/session/{session.pk}"


def mail_new_session(session, actor):
    speakers = session_speakers(session)
    mail_organizers(
        "new_session",
        session.event,
        {
            "session_title": session.title,
            "speaker_names": ", ".join(speaker.name for speaker in speakers),
            "session_link": page_link("session-detail", session.event.identifier, session.pk),
        },
        preference="new_paper",
        exclude=actor if rules.is_authenticated(actor) else None,
    )


def speaker_address(speaker):
    """Whom a speaker row's mail goes to: its account where the row's address is the account's
    (so the log links the mail to the user), else the row's address; None without an address."""
    email = (speaker.email or "").strip()
    if not email:
        return None
    if is_reachable(speaker.user) and speaker.user.email.lower() == email.lower():
        return speaker.user
    return email


def mail_speakers(action, session, context, *, preference, exclude=None):
    """Queue ``action``'s mail to each speaker of ``session`` (each address once) whose account,
    where the row has one, wants it; ``exclude`` is a user not to tell."""
    event = session.event
    seen = set()
    queued = []
    for speaker in session_speakers(session):
        to = speaker_address(speaker)
        if to is None:
            continue
        address = (to if isinstance(to, str) else to.email).lower()
        user = speaker.user if is_reachable(speaker.user) else None
        if address in seen or (exclude is not None and user is not None and user.pk == exclude.pk):
            continue
        seen.add(address)
        if user is not None and not wants(user, event, preference, action):
            continue
        values = {
            **event_values(event),
            "session_title": session.title,
            "session_link": speaker_session_link(session),
            "speaker_name": speaker.name,
            **context,
        }
        mail = services.queue_mail(action, to=to, event=event, context=values, session=session)
        if mail is not None:
            queued.append(mail)
    return queued


def mail_session_created(session, actor):
    if not is_submission(session, actor):
        return
    mail_new_session(session, actor)
    mail_speakers("session_pending", session, {}, preference="session_accept_reject")


def mail_state_changed(session, old_state, new_state, actor, send_email=True):
    if new_state == Session.State.PENDING and old_state == Session.State.DRAFT and is_submission(session, actor):
        mail_new_session(session, actor)
    action = f"session_{new_state}"
    if not send_email or new_state == Session.State.DRAFT:
        return
    own = rules.is_authenticated(actor) and new_state != Session.State.PENDING
    mail_speakers(action, session, {}, preference="session_accept_reject", exclude=actor if own else None)


def mail_co_speaker_invited(session, speaker, actor, email):
    """To the address a proposal's owner named as co-speaker: who named them, for what, and where
    to log in or register with that address (``claim_speaker_rows`` links the row then)."""
    event = session.event
    proposals = page_link("my-proposals")
    services.queue_mail(
        "co_speaker_invited",
        to=email,
        event=event,
        session=session,
        context={
            **event_values(event),
            "session_title": session.title,
            "inviter_name": actor.display_name,
            "speaker_name": speaker.name,
            "proposals_link": proposals,
            "register_link": site_url() + reverse("register") + "?" + urlencode({"next": reverse("my-proposals")}),
        },
    )


def _place_text(place, event, rooms):
    """"Fri 12 March 2027, 10:00 to 10:45, Hall A" (times in the event's time zone; the end's day
    too when it is another day)."""
    starts_at, ends_at = parse_datetime(place["starts_at"]), parse_datetime(place["ends_at"])
    same_day = local(starts_at, event).date() == local(ends_at, event).date()
    end = f"{local(ends_at, event):%H:%M}" if same_day else format_moment(ends_at, event)
    text = f"{format_moment(starts_at, event)} to {end}"
    room = rooms.get(place["microlocation"], "")
    return f"{text}, {room}" if room else text


def release_lines(log, event, rooms):
    """{session id: the line of the release mail about it}, for each session the changelog names."""
    lines = {}
    for slot in log.get("new", ()):
        lines[slot["session"]] = f"New: “{slot['title']}”, {_place_text(slot, event, rooms)}"
    for entry in log.get("moved", ()):
        old, new = _place_text(entry["old"], event, rooms), _place_text(entry["new"], event, rooms)
        lines[entry["session"]] = f"Moved: “{entry['title']}”, now {new} (was {old})"
    for slot in log.get("canceled", ()):
        lines[slot["session"]] = f"Off the schedule: “{slot['title']}” (was {_place_text(slot, event, rooms)})"
    return lines


def mail_schedule_released(release):
    """One mail to each speaker of the sessions that are new, moved or off the schedule in
    ``release`` (each address once, listing its sessions), if their account wants schedule mails
    (``session_schedule``). Speakers whose sessions did not change hear nothing."""
    event = release.event
    rooms = dict(Microlocation.all_objects.filter(event=event).values_list("pk", "name"))
    lines = release_lines(release.changelog, event, rooms)
    if not lines:
        return []
    links = (
        Speaker.sessions.through.objects.filter(session_id__in=list(lines), speaker__deleted_at__isnull=True)
        .select_related("speaker__user")
        .order_by("speaker__name", "speaker_id", "session_id")
    )
    recipients = {}
    for link in links:
        to = speaker_address(link.speaker)
        if to is None:
            continue
        address = (to if isinstance(to, str) else to.email).lower()
        entry = recipients.setdefault(address, {"to": to, "speaker": link.speaker, "sessions": []})
        if link.session_id not in entry["sessions"]:
            entry["sessions"].append(link.session_id)
    # The session a mail about one session names in the log (a speaker's page finds it there).
    sessions_by_id = Session.all_objects.in_bulk({entry["sessions"][0] for entry in recipients.values()})
    queued = []
    for entry in recipients.values():
        user = entry["speaker"].user if is_reachable(entry["speaker"].user) else None
        if user is not None and not wants(user, event, "session_schedule", "schedule_released"):
            continue
        sessions = entry["sessions"]
        context = {
            **event_values(event),
            "speaker_name": entry["speaker"].name,
            "changes": "\n".join(lines[pk] for pk in sessions),
            "version": release.version,
            "schedule_link": f"{event_link(event)}/schedule",
            "time_zone": event.timezone,
        }
        session = sessions_by_id.get(sessions[0]) if len(sessions) == 1 else None
        mail = services.queue_mail("schedule_released", to=entry["to"], event=event, context=context, session=session)
        if mail is not None:
            queued.append(mail)
    return queued


# --- the call for speakers ------------------------------------------------------------------------
def announce_call(call, at=None):
    """Tell the organizers that ``call`` is open, if it is open now (its window includes ``at``,
    its event is published) and this opening was not announced yet."""
    at = at or timezone.now()
    event = call.event
    if call.deleted_at is not None or event.deleted_at is not None or not event.is_published:
        return []
    if not call.starts_at <= at <= call.ends_at:
        return []
    if Mail.objects.filter(action="speakers_call_opened", event=event, time__gte=call.starts_at).exists():
        return []
    return mail_organizers(
        "speakers_call_opened",
        event,
        {"call_link": f"{event_link(event)}/cfs", "ends_at": format_moment(call.ends_at, event)},
    )


def announce_event_call(event):
    call = SpeakersCall.objects.filter(event=event).first()
    if call is not None:
        announce_call(call)


def announce_open_calls(at=None):
    """The beat task's round: announce every call whose window includes ``at`` (default now) on a
    published event, once per opening (``announce_call``). Returns how many mails were queued."""
    at = at or timezone.now()
    calls = SpeakersCall.objects.filter(
        starts_at__lte=at, ends_at__gte=at, event__in=event_queries.public_program_events(listing=False)
    ).select_related("event")
    count = 0
    for call in calls:
        with transaction.atomic():
            count += len(announce_call(call, at))
    return count


# --- after the event ------------------------------------------------------------------------------
def send_after_event_mails(at=None):
    """The daily round: ``after_event`` to the organizers of each event that ended yesterday, each
    organizer once per event (the mail log says who already has one). Returns how many mails
    were queued."""
    count = 0
    for event in event_queries.events_ended_yesterday(at):
        with transaction.atomic():
            told = set(Mail.objects.filter(action="after_event", event=event).values_list("recipient", flat=True))
            context = {**event_values(event), "manage_link": page_link("event-dashboard", event.identifier)}
            for user in event_queries.organizers(event):
                if user.email in told:
                    continue
                if services.queue_mail("after_event", to=user, event=event, context=context) is not None:
                    count += 1
    return count


# --- import and export ----------------------------------------------------------------------------
def mail_export_finished(user, event, download_url=None, error=None):
    if not is_reachable(user):
        return
    if error:
        context = {**event_values(event), "error": str(error)}
        services.queue_mail("event_export_fail", to=user, event=event, context=context)
    else:
        services.queue_mail(
            "event_exported", to=user, event=event, context={**event_values(event), "download_link": download_url}
        )


def mail_import_finished(user, event=None, error=None):
    if not is_reachable(user):
        return
    if error or event is None:
        context = {"error": str(error or "The import failed.")}
        services.queue_mail("event_import_fail", to=user, event=event, context=context)
    else:
        context = {**event_values(event), "manage_link": page_link("event-dashboard", event.identifier)}
        services.queue_mail("event_imported", to=user, event=event, context=context)
