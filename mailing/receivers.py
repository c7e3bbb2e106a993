"""What becomes a mail (connected in ``MailingConfig.ready``). Every receiver listens to the
``in_transaction`` twin of a domain signal, so the mail is queued in the transaction of its cause
and sent after commit (``services.queue_mail``)."""
from django.dispatch import receiver

from openevent.users import signals as user_signals

from .services import queue_mail


@receiver(user_signals.verification_mail_requested.in_transaction)
def verification_mail(user, link, days, registration=False, **kwargs):
    queue_mail(
        "user_registration" if registration else "user_confirmation",
        to=user,
        context={"days": days},
        secrets={"link": link},
    )


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
