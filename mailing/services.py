"""The one path every mail takes: queue (inside the cause's transaction), deliver (a Celery task
after commit, retried with backoff), resend (an administrator's decision).

``queue_mail`` renders the action's templates (or the event's own wording, ``MailTemplate``),
writes the ``Mail`` row with one-time links redacted and sealed, and hands the row's id to
``tasks.task_send_mail`` once the transaction commits. ``deliver_mail`` makes one attempt through
the service the platform settings choose at that moment (SMTP, SendGrid through anymail, or
Django's ``EMAIL_BACKEND``), and says whether to try again.
"""
import json
import logging
import re
import smtplib
from dataclasses import dataclass
from http import HTTPStatus

from anymail.exceptions import AnymailRecipientsRefused, AnymailRequestsAPIError
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.timezone import now

from notifications.queries import mail_switch
from openevent.core import crypto, site

from . import actions, tasks
from .models import Mail, MailTemplate

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SENDGRID_BACKEND = "anymail.backends.sendgrid.EmailBackend"
SUBJECT_MAX_LENGTH = Mail._meta.get_field("subject").max_length
#: SMTP's transient negative answers ("try again later").
SMTP_TEMPORARY = range(400, 500)


def redacted(name):
    """What the stored copy of a mail shows instead of the secret ``name``."""
    return f"[redacted {name}]"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def common_values():
    public = site.public_settings()
    return {"app_name": public["app_name"] or "Open Event", "site_link": site.links_origin(public)}


def fill(text, values):
    """``text`` with each ``{name}`` of ``values`` replaced (an organizer's wording); other braces
    stay as they are."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match[1], match[0])), text)


def unknown_placeholders(text, action):
    """The ``{names}`` in ``text`` that ``action`` does not offer."""
    return sorted(set(PLACEHOLDER.findall(text)) - set(actions.get(action).all_placeholders))


def _render(name, values, autoescape):
    return get_template(name).template.render(Context(values, autoescape=autoescape))


def render_mail(action, values, *, event=None, template=None):
    """Subject, text and HTML of ``action``'s mail with ``values`` (plus ``common_values()``): the
    event's own wording where the action allows one and the event has it (or ``template``, a
    ``MailTemplate`` not saved yet, for a preview), else the platform's templates."""
    action = actions.get(action)
    values = {**common_values(), **values}
    if template is None and event is not None and action.overridable:
        template = MailTemplate.objects.filter(event=event, action=action.key).first()
    if template is not None:
        subject = fill(template.subject, values)
        content = fill(template.body, values)
        text = _render("mail/override.txt", {**values, "content": content}, autoescape=False)
        html = _render("mail/override.html", {**values, "content": content, "subject": subject}, autoescape=True)
    else:
        subject = _render(f"mail/{action.key}.subject.txt", values, autoescape=False)
        text = _render(f"mail/{action.key}.txt", values, autoescape=False)
        html = _render(f"mail/{action.key}.html", {**values, "subject": subject}, autoescape=True)
    # A header is one line, and the log keeps at most SUBJECT_MAX_LENGTH characters of it.
    subject = Truncator(" ".join(subject.split())).chars(SUBJECT_MAX_LENGTH)
    return Rendered(subject, text.strip() + "\n", html)


def queue_mail(action, *, to, context, event=None, secrets=None, template=None, address=None, session=None):
    """Queue ``action``'s mail to ``to`` (a User or an address; with a User, ``address`` sends it
    to another address of theirs, such as the one they just left) and send it after commit; None
    where the action's mails are switched off. Call it inside the transaction of the change that
    causes the mail, so the mail and the change commit together. ``template`` (an unsaved
    ``MailTemplate``) gives the wording where the sender writes it (an organizer's mail to
    speakers). ``session``: the session the mail is about, kept in the log for its speakers."""
    action = actions.get(action)
    secrets = secrets or {}
    if set(secrets) - set(action.secrets):
        raise ValueError(f"{action.key} takes no secrets named {sorted(set(secrets) - set(action.secrets))}")
    if not mail_switch(action.switch):
        return None
    user = None if isinstance(to, str) else to
    recipient = to if user is None else address or user.email
    values = {**context, "recipient": recipient, **{name: redacted(name) for name in secrets}}
    rendered = render_mail(action.key, values, event=event, template=template)
    mail = Mail.objects.create(
        recipient=recipient,
        user=user,
        event=event,
        session=session,
        action=action.key,
        subject=rendered.subject,
        message=rendered.text,
        html_message=rendered.html,
        redacted=bool(secrets),
        sealed_secrets=crypto.seal(json.dumps(secrets)) if secrets else "",
    )
    _send_after_commit([mail.pk])
    return mail


def _send_after_commit(ids):
    transaction.on_commit(lambda: tasks.task_send_mail.delay(ids=ids))


# --- delivery -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """The outcome of one attempt: the mail's status after it and, where it failed for a reason
    that may pass (the server down, a 4xx answer), the seconds until the next attempt."""

    status: str
    retry_in: int | None = None


def connection_for(config):
    """A mail connection for the platform's mail settings (``openevent.core.site.MailSettings``)."""
    if config.service == "smtp":
        return get_connection(
            SMTP_BACKEND,
            host=config.smtp_host,
            port=config.smtp_port,
            username=config.smtp_username,
            password=config.smtp_password,
            use_tls=config.smtp_encryption == "tls",
            use_ssl=config.smtp_encryption == "ssl",
            timeout=settings.EMAIL_TIMEOUT,
        )
    if config.service == "sendgrid":
        return get_connection(SENDGRID_BACKEND, api_key=config.sendgrid_key)
    return get_connection()


def is_temporary(error):
    """Whether a failed attempt may succeed later: no connection, a timeout, an SMTP 4xx answer,
    or an HTTP 429/5xx answer (SendGrid). Everything else (a 5xx SMTP answer, a refused recipient,
    a 4xx HTTP answer) fails the mail at once."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code in SMTP_TEMPORARY for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        # smtplib reports a refused connection as code -1.
        return error.smtp_code < 0 or error.smtp_code in SMTP_TEMPORARY
    if isinstance(error, AnymailRecipientsRefused):
        return False
    if isinstance(error, AnymailRequestsAPIError):
        status = error.status_code
        return status is None or status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR
    # No connection, a timeout, a dropped connection (smtplib's other errors are OSErrors too).
    return isinstance(error, OSError)


def describe(error):
    return f"{type(error).__name__}: {error}"[:2000]


def _message(mail, config):
    text, html = mail.message, mail.html_message
    # A seal no key opens (the key changed) raises, and fails the mail with that reason.
    secrets = json.loads(crypto.unseal(mail.sealed_secrets)) if mail.sealed_secrets else {}
    for name, value in secrets.items():
        text = text.replace(redacted(name), value)
        html = html.replace(redacted(name), escape(value))
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=text,
        from_email=config.sender or settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        connection=connection_for(config),
        headers={"Auto-Submitted": "auto-generated"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def retry_delay(attempts):
    """Seconds before attempt ``attempts + 1``: ``MAIL_RETRY_DELAY`` doubled after each attempt."""
    return settings.MAIL_RETRY_DELAY * 2 ** (attempts - 1)


def deliver_mail(mail_id):
    """One attempt to send a queued mail; None where there is nothing to do (sent, failed, gone, or
    another worker took this attempt)."""
    mail = Mail.objects.filter(pk=mail_id, status=Mail.Status.QUEUED).first()
    if mail is None:
        return None
    # Claim the attempt: of two workers holding the same task, one sends.
    if not Mail.objects.filter(pk=mail.pk, status=Mail.Status.QUEUED, attempts=mail.attempts).update(
        attempts=F("attempts") + 1
    ):
        return None
    mail.attempts += 1
    config = site.mail_settings()
    if config.service == "disabled":
        return _finish(mail, Mail.Status.FAILED, "Sending mail is disabled in the platform settings.")
    try:
        _message(mail, config).send()
    except Exception as error:  # every failure is recorded on the mail; none may escape
        if is_temporary(error) and mail.attempts < settings.MAIL_MAX_ATTEMPTS:
            Mail.objects.filter(pk=mail.pk).update(last_error=describe(error))
            logger.warning("Mail %s: attempt %s failed (%s); trying again", mail.pk, mail.attempts, describe(error))
            return Attempt(Mail.Status.QUEUED, retry_delay(mail.attempts))
        logger.error("Mail %s failed after %s attempt(s): %s", mail.pk, mail.attempts, describe(error))
        return _finish(mail, Mail.Status.FAILED, describe(error))
    return _finish(mail, Mail.Status.SENT, "")


def _finish(mail, status, error):
    values = {"status": status, "last_error": error}
    if status == Mail.Status.SENT:
        # The link is in the recipient's inbox now; the log keeps only the redacted copy.
        values.update(sent_at=now(), sealed_secrets="")
    Mail.objects.filter(pk=mail.pk).update(**values)
    return Attempt(status)


# --- administration -------------------------------------------------------------------------------
def can_resend(mail):
    """A mail can be sent again unless it carried a one-time link that is gone (it was sent)."""
    return mail.status != Mail.Status.QUEUED and not (mail.redacted and not mail.sealed_secrets)


@transaction.atomic
def resend_mails(mails):
    """Queue ``mails`` again (fresh attempts); answer (resent ids, ids refused by ``can_resend``)."""
    resent = [mail.pk for mail in mails if can_resend(mail)]
    refused = [mail.pk for mail in mails if mail.pk not in resent]
    Mail.objects.filter(pk__in=resent).update(status=Mail.Status.QUEUED, attempts=0)
    for mail_id in resent:
        _send_after_commit([mail_id])
    return resent, refused


@transaction.atomic
def delete_mail(mail):
    """Remove a mail from the log for good (an administrator's decision, e.g. on a request to
    forget an address; only administrators reach the admin that calls this)."""
    mail.delete()
