"""The one path every mail takes: queued with its cause, sent after commit by a Celery task,
retried with backoff while the mail server is away, failed after the last attempt, resent by an
administrator. Real parts: an SMTP server (aiosmtpd) on 127.0.0.1, SendGrid faked at its HTTP
boundary, a real Celery worker on the configured broker."""
import json
import time

import pytest
import responses
from django.db import transaction
from django.urls import reverse

from mailing import services
from mailing.models import Mail, MailTemplate
from notifications.models import MessageSettings
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = "https://events.example.org/verify-email/MQ-secret-token-123"
SENDGRID_URL = "https://api.sendgrid.com/v3/mail/send"


def queue_verification(to="ada@example.org", link=LINK):
    return services.queue_mail("user_confirmation", to=to, context={"days": 3}, secrets={"link": link})


def queue_note(to="ada@example.org", subject="A note", body="Hello {recipient}, see {site_link}"):
    return services.queue_mail("speaker_mail", to=to, context={}, template=MailTemplate(subject=subject, body=body))


def reload(mail):
    mail.refresh_from_db()
    return mail


# --- queued with the cause, sent after commit --------------------------------------------------------
def test_the_mail_row_exists_before_the_first_attempt_and_the_sending_waits_for_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail = queue_verification()
    assert reload(mail).status == Mail.Status.QUEUED
    assert mail.attempts == 0
    assert mailoutbox == []

    for callback in callbacks:
        callback()

    assert [message.to for message in mailoutbox] == [["ada@example.org"]]
    mail = reload(mail)
    assert (mail.status, mail.attempts, mail.last_error) == (Mail.Status.SENT, 1, "")
    assert mail.sent_at is not None


def test_a_rolled_back_cause_leaves_no_mail_and_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    class Undo(Exception):
        pass

    def cause_that_fails():
        with transaction.atomic():
            queue_verification()
            raise Undo

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undo):
        cause_that_fails()

    assert not Mail.objects.exists()
    assert mailoutbox == []


def test_a_switched_off_action_queues_nothing(mailoutbox, django_capture_on_commit_callbacks):
    MessageSettings.objects.update_or_create(action="user_confirmation", defaults={"mail_status": False})
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_verification() is None
    assert not Mail.objects.exists()
    assert mailoutbox == []


def test_the_mail_links_to_the_recipients_account(django_capture_on_commit_callbacks):
    user = UserFactory(email="grace@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_verification(to=user)
    assert (mail.recipient, mail.user) == ("grace@example.org", user)


# --- secrets: sent, never stored ------------------------------------------------------------------
def test_the_link_is_redacted_in_the_log_and_present_in_the_sent_mail(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_verification()

    (message,) = mailoutbox
    assert LINK in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{LINK}"' in html
    mail = reload(mail)
    assert mail.redacted
    for stored in (mail.subject, mail.message, mail.html_message, mail.sealed_secrets):
        assert "secret-token" not in stored
    assert "[redacted link]" in mail.message
    # Once it is in the inbox, not even the sealed copy is kept.
    assert mail.sealed_secrets == ""


def test_until_it_is_sent_the_link_is_kept_only_sealed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        mail = queue_verification()
    sealed = Mail.objects.values_list("sealed_secrets", flat=True).get(pk=mail.pk)
    assert sealed
    assert "secret-token" not in sealed


def test_a_mail_with_a_link_that_was_sent_cannot_be_resent(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_verification()
        resent, refused = services.resend_mails([reload(mail)])
    assert (resent, refused) == ([], [mail.pk])
    assert len(mailoutbox) == 1


def test_a_link_in_an_html_attribute_is_escaped(mailoutbox, django_capture_on_commit_callbacks):
    link = "https://events.example.org/verify-email/a?b=1&c=2"
    with django_capture_on_commit_callbacks(execute=True):
        queue_verification(link=link)
    (message,) = mailoutbox
    assert link in message.body
    assert 'href="https://events.example.org/verify-email/a?b=1&amp;c=2"' in message.alternatives[0][0]


def test_only_the_actions_own_secrets_are_accepted():
    with pytest.raises(ValueError, match="no secrets named"):
        services.queue_mail("user_confirmation", to="a@example.org", context={}, secrets={"token": "x"})


# --- SMTP: a real server on 127.0.0.1 ---------------------------------------------------------------
def test_a_mail_reaches_a_real_smtp_server(smtp_sink, settings, django_capture_on_commit_callbacks):
    settings.DEFAULT_FROM_EMAIL = "Open Event <noreply@events.example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_verification()

    (received,) = smtp_sink.messages
    assert received["To"] == "ada@example.org"
    assert received["From"] == "Open Event <noreply@events.example.org>"
    assert received["Subject"] == "Verify your e-mail address for Open Event"
    assert received["Auto-Submitted"] == "auto-generated"
    assert LINK in received.get_body(("plain",)).get_content()
    assert LINK in received.get_body(("html",)).get_content()
    assert reload(mail).status == Mail.Status.SENT


def test_the_server_stopped_mid_run_means_retries_then_failed_then_a_resend_when_it_is_back(
    smtp_sink, settings, client, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_note(to="first@example.org")
    assert smtp_sink.bodies("first@example.org")

    smtp_sink.stop()
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_verification(to="second@example.org")
    second = reload(second)
    assert (second.status, second.attempts) == (Mail.Status.FAILED, 3)
    assert "Connection" in second.last_error  # ConnectionRefusedError
    assert reload(first).status == Mail.Status.SENT

    # The administrator sees it failed in the log, and sends it again once the server is back.
    admin = UserFactory(is_admin=True)
    client.force_login(admin)
    changelist = client.get(reverse("admin:mailing_mail_changelist"), {"status__exact": "failed"})
    assert "second@example.org" in changelist.content.decode()
    assert "first@example.org" not in changelist.content.decode()
    smtp_sink.start()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:mailing_mail_changelist"),
            {"action": "resend", "_selected_action": [second.pk]},
            follow=True,
        )
    assert "1 mail(s) queued to be sent again." in response.content.decode()
    second = reload(second)
    assert (second.status, second.attempts, second.last_error) == (Mail.Status.SENT, 1, "")
    (body,) = smtp_sink.bodies("second@example.org")
    assert LINK in body  # the sealed link was kept for the resend
    assert second.sealed_secrets == ""


def test_temporary_smtp_answers_are_retried_until_accepted(smtp_sink, settings, django_capture_on_commit_callbacks):
    smtp_sink.answers = ["451 4.3.0 Try again later", "421 4.7.0 Busy"]
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    mail = reload(mail)
    assert (mail.status, mail.attempts) == (Mail.Status.SENT, 3)
    assert len(smtp_sink.messages) == 1


def test_a_permanent_smtp_answer_fails_the_mail_at_once(smtp_sink, django_capture_on_commit_callbacks):
    smtp_sink.answers = ["554 5.7.1 Rejected"]
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    mail = reload(mail)
    assert (mail.status, mail.attempts) == (Mail.Status.FAILED, 1)
    assert "554" in mail.last_error


def test_the_retries_back_off_exponentially(settings):
    settings.MAIL_RETRY_DELAY = 30
    assert [services.retry_delay(attempt) for attempt in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_disabled_sending_fails_the_mail_visibly(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.EMAIL_SERVICE = "disabled"
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    mail = reload(mail)
    assert mail.status == Mail.Status.FAILED
    assert "disabled" in mail.last_error
    assert mailoutbox == []


def test_a_sent_or_failed_mail_is_not_sent_twice_by_a_repeated_task(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    assert services.deliver_mail(mail.pk) is None
    assert len(mailoutbox) == 1


# --- SendGrid, faked at its HTTP boundary ----------------------------------------------------------
@pytest.fixture
def sendgrid(settings):
    settings.EMAIL_SERVICE = "sendgrid"
    settings.ANYMAIL = {"SENDGRID_API_KEY": "SG.test-key"}
    settings.DEFAULT_FROM_EMAIL = "Open Event <noreply@events.example.org>"
    with responses.RequestsMock() as fake:
        yield fake


def test_sendgrid_gets_the_request_anymail_sends(sendgrid, django_capture_on_commit_callbacks):
    sendgrid.add(responses.POST, SENDGRID_URL, status=202, headers={"X-Message-Id": "sg-1"})
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_verification()

    (call,) = sendgrid.calls
    assert call.request.headers["Authorization"] == "Bearer SG.test-key"
    payload = json.loads(call.request.body)
    assert payload["from"] == {"email": "noreply@events.example.org", "name": "Open Event"}
    assert payload["personalizations"][0]["to"] == [{"email": "ada@example.org"}]
    assert payload["subject"] == "Verify your e-mail address for Open Event"
    contents = {part["type"]: part["value"] for part in payload["content"]}
    assert LINK in contents["text/plain"]
    assert LINK in contents["text/html"]
    assert payload["headers"]["Auto-Submitted"] == "auto-generated"
    assert reload(mail).status == Mail.Status.SENT


def test_sendgrid_server_errors_are_retried(sendgrid, settings, django_capture_on_commit_callbacks):
    settings.MAIL_MAX_ATTEMPTS = 4
    sendgrid.add(responses.POST, SENDGRID_URL, status=503)
    sendgrid.add(responses.POST, SENDGRID_URL, status=429)
    sendgrid.add(responses.POST, SENDGRID_URL, status=202)
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    mail = reload(mail)
    assert (mail.status, mail.attempts) == (Mail.Status.SENT, 3)
    assert len(sendgrid.calls) == 3


def test_a_sendgrid_refusal_fails_the_mail_at_once(sendgrid, django_capture_on_commit_callbacks):
    sendgrid.add(responses.POST, SENDGRID_URL, status=400, json={"errors": [{"message": "Bad from address"}]})
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note()
    mail = reload(mail)
    assert (mail.status, mail.attempts) == (Mail.Status.FAILED, 1)
    assert "Bad from address" in mail.last_error


# --- a real Celery worker ---------------------------------------------------------------------------
def test_a_real_worker_delivers_a_mail_end_to_end(worker_queue, smtp_sink):
    with transaction.atomic():
        mail = queue_verification(to="worker@example.org")
    deadline = time.monotonic() + 30
    while not smtp_sink.bodies("worker@example.org") and time.monotonic() < deadline:
        time.sleep(0.1)
    (body,) = smtp_sink.bodies("worker@example.org")
    assert LINK in body
    deadline = time.monotonic() + 10
    while reload(mail).status != Mail.Status.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mail.status == Mail.Status.SENT


def test_a_long_subject_is_cut_to_what_the_log_holds(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_note(subject="{recipient} " * 60)
    assert len(reload(mail).subject) == 500
    assert mailoutbox[0].subject == mail.subject
