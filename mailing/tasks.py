"""Celery tasks of the mail log (thin: ids in, ``services`` does the work)."""
from celery import shared_task

from . import services


@shared_task(name="mailing.tasks.task_send_mail")
def task_send_mail(*, ids):
    """One attempt for each queued mail of ``ids``; a mail that failed for a reason that may pass
    gets its own later task (exponential backoff, at most ``MAIL_MAX_ATTEMPTS`` attempts)."""
    for mail_id in ids:
        attempt = services.deliver_mail(mail_id)
        if attempt is not None and attempt.retry_in is not None:
            task_send_mail.apply_async(kwargs={"ids": [mail_id]}, countdown=attempt.retry_in)
