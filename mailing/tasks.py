"""Celery tasks of the mail log (thin: ids in, ``services`` does the work)."""
from celery import shared_task

from . import program, services


@shared_task(name="mailing.tasks.task_send_mail")
def task_send_mail(*, ids):
    """One attempt for each queued mail of ``ids``; a mail that failed for a reason that may pass
    gets its own later task (exponential backoff, at most ``MAIL_MAX_ATTEMPTS`` attempts)."""
    for mail_id in ids:
        attempt = services.deliver_mail(mail_id)
        if attempt is not None and attempt.retry_in is not None:
            task_send_mail.apply_async(kwargs={"ids": [mail_id]}, countdown=attempt.retry_in)


@shared_task(name="mailing.tasks.task_send_after_event_mails")
def task_send_after_event_mails():
    """The daily beat job (``CELERY_BEAT_SCHEDULE``): ``after_event`` to the organizers of the
    events that ended yesterday; running it again the same day sends nothing more."""
    return program.send_after_event_mails()


@shared_task(name="mailing.tasks.task_announce_speakers_calls")
def task_announce_speakers_calls():
    """The hourly beat job: ``speakers_call_opened`` for each call whose window began since the
    last round (a call opened by the clock rather than by a write), once per opening."""
    return program.announce_open_calls()
