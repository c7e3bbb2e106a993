"""Domain signals turned into in-app notifications.

Every receiver listens to a signal's ``in_transaction`` twin, so the notification it writes
commits (or rolls back) with the change that caused it. Who receives one is read in
``notifications.queries``; ``services.notify`` honours the administrators' switch of the action.
The person who made the change is not told about it.
"""
from django.dispatch import receiver
from django.urls import reverse

from events import permissions as rules
from events import signals as event_signals
from exports import signals as export_signals
from sessions_app import signals as session_signals
from sessions_app.models import Session

from . import queries, texts
from .services import notify


def _others(users, actor):
    actor_pk = actor.pk if rules.is_authenticated(actor) else None
    return [user for user in users if user.pk != actor_pk]


def _session_link(session):
    return reverse("session-detail", args=[session.event.identifier, session.pk])


def _speaker_link(user, session):
    """The session's page for a speaker who is on the event's team; a speaker without a role has
    no page of the session on this site yet (the call-for-papers pages are not built)."""
    return _session_link(session) if rules.can_read_program(user, session.event) else ""


@receiver(session_signals.session_state_changed.in_transaction)
def session_state_changed(sender, session, new_state, actor=None, **kwargs):
    label = Session.State(new_state).label
    title = texts.state_title(session.title, new_state, label)
    for user in _others(queries.session_speaker_users(session), actor):
        notify(user, "session_state_change", title=title, link=_speaker_link(user, session), event=session.event)
    if kwargs.get("old_state") == Session.State.DRAFT and new_state == Session.State.PENDING:
        _new_proposal(session, actor)


@receiver(session_signals.session_created.in_transaction)
def session_created(sender, session, actor=None, **kwargs):
    if session.state == Session.State.PENDING:
        _new_proposal(session, actor)


def _new_proposal(session, actor):
    """A proposal submitted by someone outside the team reaches the event's organizers."""
    event = session.event
    if rules.can_manage_program(actor, event):
        return
    title = texts.title("new_session", session=session.title, event=event.name)
    for user in _others(queries.event_organizers(event), actor):
        notify(user, "new_session", title=title, link=_session_link(session), event=event)


@receiver(session_signals.session_schedule_changed.in_transaction)
def session_schedule_changed(sender, session, actor=None, **kwargs):
    if session.event.schedule_published_on is None:
        return
    title = texts.title("session_schedule_change", session=session.title)
    for user in _others(queries.session_speaker_users(session), actor):
        notify(user, "session_schedule_change", title=title, link=_speaker_link(user, session), event=session.event)


@receiver(event_signals.role_invite_created.in_transaction)
def role_invite_created(sender, invite, resent=False, **kwargs):
    """The invitee hears of a new invite on their invites page (never the link with the token);
    a resent invite adds nothing to what they were told."""
    if resent:
        return
    user = queries.invitee_account(invite)
    if user is None:
        return
    title = texts.title("event_role", role=invite.role.title_name, event=invite.event.name)
    notify(user, "event_role", title=title, link=reverse("my-invites"), event=invite.event)


@receiver(event_signals.role_invite_accepted.in_transaction)
def role_invite_accepted(sender, invite, user, **kwargs):
    inviter = invite.invited_by
    if inviter is None or inviter.pk == user.pk or not inviter.is_active:
        return
    event = invite.event
    title = texts.title("event_role_accepted", user=user.display_name, role=invite.role.title_name, event=event.name)
    link = reverse("event-team", args=[event.identifier])
    notify(inviter, "event_role_accepted", title=title, link=link, event=event)


@receiver(event_signals.event_published.in_transaction)
def event_published(sender, event, actor=None, **kwargs):
    title = texts.title("event_published", event=event.name)
    link = reverse("event-dashboard", args=[event.identifier])
    for user in queries.event_organizers(event):
        if user != actor:
            notify(user, "event_published", title=title, link=link, event=event)


@receiver(export_signals.export_finished.in_transaction)
def export_finished(sender, user, event, error=None, **kwargs):
    """The user who started an export hears that its file is ready (linked to the event's export
    page, which lists it), or why it failed."""
    action = "event_export_fail" if error else "event_exported"
    link = reverse("event-export", args=[event.identifier])
    notify(user, action, title=texts.title(action, event=event.name), message=error or "", link=link, event=event)


@receiver(export_signals.import_finished.in_transaction)
def import_finished(sender, user, event=None, error=None, **kwargs):
    """The user who started an import hears of the new event (linked to its dashboard), or why
    the import failed."""
    if error or event is None:
        notify(user, "event_import_fail", title=texts.title("event_import_fail"), message=error or "")
        return
    link = reverse("event-dashboard", args=[event.identifier])
    notify(user, "event_imported", title=texts.title("event_imported", event=event.name), link=link, event=event)
