"""What becomes a mail (connected in ``MailingConfig.ready``). Every receiver listens to the
``in_transaction`` twin of a domain signal, so the mail is queued in the transaction of its cause
and sent after commit (``services.queue_mail``)."""
from django.dispatch import receiver

from events import signals as event_signals
from events.models import SpeakersCall
from exports import signals as export_signals
from openevent.users import signals as user_signals
from sessions_app import signals as session_signals

from . import program
from .services import queue_mail


@receiver(user_signals.verification_mail_requested.in_transaction)
def verification_mail(user, link, days, registration=False, **kwargs):
    queue_mail(
        "user_registration" if registration else "user_confirmation",
        to=user,
        context={"days": days},
        secrets={"link": link},
    )


# --- events and program ---------------------------------------------------------------------------
# Who gets which mail is ``program``'s to say (its docstring); these receivers only pass it on.
@receiver(event_signals.role_invite_created.in_transaction)
def role_invite_mail(invite, token, **kwargs):
    program.mail_invite(invite, token)


@receiver(event_signals.role_invite_accepted.in_transaction)
def role_invite_accepted_mail(invite, user, **kwargs):
    program.mail_invite_accepted(invite, user)


@receiver(event_signals.event_published.in_transaction)
def event_published_mail(event, **kwargs):
    program.mail_event_published(event)
    program.announce_event_call(event)


PART_WRITTEN = (event_signals.part_created, event_signals.part_updated, event_signals.part_restored)


@receiver([signal.in_transaction for signal in PART_WRITTEN])
def speakers_call_mail(sender, part, **kwargs):
    if sender is SpeakersCall:
        program.announce_call(part)


@receiver(session_signals.session_created.in_transaction)
def session_created_mail(session, actor, **kwargs):
    program.mail_session_created(session, actor)


@receiver(session_signals.session_state_changed.in_transaction)
def session_state_mail(session, old_state, new_state, actor, send_email=True, **kwargs):
    program.mail_state_changed(session, old_state, new_state, actor, send_email)


@receiver(session_signals.co_speaker_invited.in_transaction)
def co_speaker_mail(session, speaker, actor, email, **kwargs):
    program.mail_co_speaker_invited(session, speaker, actor, email)


@receiver(session_signals.schedule_released.in_transaction)
def schedule_released_mail(release, send_email=True, **kwargs):
    if send_email:
        program.mail_schedule_released(release)


@receiver(export_signals.export_finished.in_transaction)
def export_finished_mail(user, event, download_url=None, error=None, **kwargs):
    program.mail_export_finished(user, event, download_url, error)


@receiver(export_signals.import_finished.in_transaction)
def import_finished_mail(user, event=None, error=None, **kwargs):
    program.mail_import_finished(user, event, error)


# --- accounts ---
def _utc(moment):
    """``moment`` (``timezone.now()``, in UTC) as the account mails show it."""
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


@receiver(user_signals.password_reset_requested.in_transaction)
def password_reset_mail(user, link, hours, **kwargs):
    queue_mail("password_reset", to=user, context={"hours": hours}, secrets={"link": link})


@receiver(user_signals.password_changed.in_transaction)
def password_change_mail(user, changed_at, reset_link, **kwargs):
    queue_mail("password_change", to=user, context={"changed_at": _utc(changed_at), "reset_link": reset_link})


@receiver(user_signals.email_changed.in_transaction)
def email_change_mail(user, old_email, new_email, changed_at, **kwargs):
    """To the former address (the new one gets its verification mail, when it needs one)."""
    queue_mail(
        "user_change_email",
        to=user,
        address=old_email,
        context={"old_email": old_email, "new_email": new_email, "changed_at": _utc(changed_at)},
    )
