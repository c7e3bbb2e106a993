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
