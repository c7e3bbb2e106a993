"""Fault: the mail server is down for a while. A mail queued meanwhile is retried with exponential
backoff by a real worker (``mailing.tasks.task_send_mail``, ``services.retry_delay``) and reaches
the recipient exactly once after the server comes back.

The outage is scaled down with the delays: ``MAIL_RETRY_DELAY`` of a fraction of a second here,
30 s by default; the default schedule itself is checked to outlast a minute's outage.
"""

import os
import subprocess
import sys

from django.db import transaction

from mailing import services
from mailing.models import Mail, MailTemplate

from . import faults

#: The first retry's delay in the test (30 s by default, so the outage here is ~150 times shorter).
SCALED_DELAY = 0.2
#: Attempts that fail while the server is down before it comes back.
FAILED_WHILE_DOWN = 2
OUTAGE_SECONDS = 60


def mail_row(pk):
    return Mail.objects.get(pk=pk)


def test_a_mail_queued_while_the_server_is_down_arrives_once_when_it_is_back(worker_queue, smtp_sink, settings):
    settings.MAIL_RETRY_DELAY = SCALED_DELAY
    smtp_sink.stop()
    with transaction.atomic():
        mail = services.queue_mail("speaker_mail", to="ada@example.org", context={},
                                   template=MailTemplate(subject="Your talk", body="Hello {recipient}"))  # fmt: skip

    # The worker tries, fails (connection refused), and waits longer each time.
    down = faults.wait_until(
        lambda: (row := mail_row(mail.pk)).attempts > FAILED_WHILE_DOWN and row.last_error and row,
        f"{FAILED_WHILE_DOWN} attempts failed while the server was down",
    )
    assert down.status == Mail.Status.QUEUED
    assert "Connection" in down.last_error  # ConnectionRefusedError
    assert smtp_sink.messages == []

    smtp_sink.start()
    sent = faults.wait_until(
        lambda: (row := mail_row(mail.pk)).status != Mail.Status.QUEUED and row, "the mail left the queue"
    )
    assert (sent.status, sent.last_error) == (Mail.Status.SENT, "")
    assert FAILED_WHILE_DOWN < sent.attempts <= settings.MAIL_MAX_ATTEMPTS
    (body,) = smtp_sink.bodies("ada@example.org")
    assert "Hello" in body
    assert [message["Subject"] for message in smtp_sink.messages] == ["Your talk"]


def default_mail_settings(tmp_path):
    """MAIL_MAX_ATTEMPTS and MAIL_RETRY_DELAY as the settings make them with nothing set."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'openevent.settings'; django.setup(); "
        "from django.conf import settings as s; print(s.MAIL_MAX_ATTEMPTS, s.MAIL_RETRY_DELAY)"
    )
    clean = {"PATH": os.environ.get("PATH", ""), "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=faults.BASE_DIR, env=clean, capture_output=True, text=True, check=True
    )
    attempts, delay = result.stdout.split()
    return int(attempts), int(delay)


def test_the_default_retries_outlast_a_minute_of_outage(settings, tmp_path):
    attempts, delay = default_mail_settings(tmp_path)
    settings.MAIL_MAX_ATTEMPTS, settings.MAIL_RETRY_DELAY = attempts, delay
    # The waits before attempts 2..N: the last attempt comes this long after the first.
    waits = [services.retry_delay(attempt) for attempt in range(1, attempts)]
    assert sum(waits) >= OUTAGE_SECONDS, waits
    assert waits == sorted(waits)  # backing off, never hammering the server

