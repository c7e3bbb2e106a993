"""Writes of the platform settings: ``update_platform_settings``, the one way in for the API
(``PATCH /v1/settings``) and the Django admin."""
import logging
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from . import permissions as rules
from .crypto import seal
from .errors import Invalid, NotAllowed, NotAuthenticated
from .models import EmailService, PlatformSettings, SmtpEncryption, StripeMode
from .site import mail_settings_of

logger = logging.getLogger(__name__)

#: Settings given as URLs: http(s) only.
URL_FIELDS = ("frontend_url", "support_url", "cookie_policy_link")
#: One-line texts (no line breaks: they end up in headers and links).
LINE_FIELDS = (
    "app_name", "tagline", "email_from", "email_from_name", "smtp_host", "smtp_username", *URL_FIELDS,
    "stripe_client_id", "stripe_publishable_key",
)  # fmt: skip
#: Texts of several lines.
TEXT_FIELDS = ("cookie_policy",)
#: Choices: the field and its choices.
CHOICE_FIELDS = {"email_service": EmailService, "smtp_encryption": SmtpEncryption, "stripe_mode": StripeMode}
#: Secrets: given in clear, stored sealed in ``<name>_sealed``, never shown.
SECRET_FIELDS = ("smtp_password", "sendgrid_key", "stripe_secret_key")
#: Every name ``update_platform_settings`` takes.
WRITABLE = (*LINE_FIELDS, *TEXT_FIELDS, *CHOICE_FIELDS, "smtp_port", *SECRET_FIELDS)
#: The names whose change makes the mail service be checked for what it needs.
MAIL_SERVICE_FIELDS = ("email_service", "smtp_host", "sendgrid_key")

MAX_PORT = 65535


def is_http_url(value):
    """An absolute http(s) URL with a host. Host names without a dot (``http://events:8000``, an
    intranet's) are fine: Django's URLValidator would refuse them."""
    if any(char.isspace() or ord(char) < 32 for char in value):  # noqa: PLR2004 -- control characters
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a port that is no number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _text(name, value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid("Must be a string (or null to use the default).", field=name)
    if name in SECRET_FIELDS:
        return value  # as given: a password may start or end with a space
    value = value.strip()
    if name in LINE_FIELDS and any(char in value for char in "\r\n\0"):
        raise Invalid("Must be one line.", field=name)
    if "\0" in value:
        raise Invalid("Must not contain NUL characters.", field=name)
    limit = getattr(PlatformSettings._meta.get_field(name), "max_length", None)
    if limit and len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=name)
    return value


def _port(value):
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PORT:
        raise Invalid("A port number from 1 to 65535 (or null to use the default).", field="smtp_port")
    return value


def clean_value(name, value):
    """``value`` for the setting ``name`` as stored ("" or None: back to the environment's
    default), or ``Invalid`` naming the field."""
    if name not in WRITABLE:
        raise Invalid(f"'{name}' is not a platform setting that can be changed.", field=name)
    if name == "smtp_port":
        return _port(value)
    value = _text(name, value)
    if not value:
        return value
    if name in CHOICE_FIELDS and value not in CHOICE_FIELDS[name].values:
        choices = ", ".join(f"'{choice}'" for choice in CHOICE_FIELDS[name].values if choice)
        raise Invalid(f"One of {choices} (or empty to use the default).", field=name)
    if name in URL_FIELDS and not is_http_url(value):
        raise Invalid("An http:// or https:// URL.", field=name)
    if name == "email_from":
        try:
            validate_email(value)
        except ValidationError:
            raise Invalid("An e-mail address.", field=name) from None
    if name == "smtp_host" and any(char.isspace() for char in value):
        raise Invalid("A host name or address (no spaces).", field=name)
    return value


def _check_mail_service(row):
    """The mail service in force has what it needs: SendGrid a key, SMTP a host."""
    mail = mail_settings_of(row)
    if mail.service == EmailService.SENDGRID and not mail.sendgrid_key:
        raise Invalid("SendGrid needs an API key: set one here or SENDGRID_API_KEY.", field="sendgrid_key")
    if mail.service == EmailService.SMTP and not mail.smtp_host:
        raise Invalid("SMTP needs a host: set one here or EMAIL_HOST.", field="smtp_host")


def check_actor(actor):
    if not rules.is_authenticated(actor):
        raise NotAuthenticated("Log in as an administrator to change the platform settings.")
    if not rules.is_admin(actor):
        raise NotAllowed("Only administrators may change the platform settings.")


def update_platform_settings(values, actor):
    """Change the platform settings named in ``values`` (python names, ``WRITABLE``) and return
    the row. "" or None sets a field back to the environment's default; for a secret it removes
    the stored one. Refusals: ``NotAuthenticated``/``NotAllowed`` for anyone but an
    administrator, ``Invalid`` naming the field for a value that cannot be (nothing is saved)."""
    check_actor(actor)
    cleaned = {name: clean_value(name, value) for name, value in values.items()}
    with transaction.atomic():
        PlatformSettings.load()
        row = PlatformSettings.objects.select_for_update().get(pk=PlatformSettings.SINGLETON)
        for name, value in cleaned.items():
            if name in SECRET_FIELDS:
                setattr(row, f"{name}_sealed", seal(value) if value else "")
            else:
                setattr(row, name, value)
        if any(name in cleaned for name in MAIL_SERVICE_FIELDS):
            _check_mail_service(row)
        row.save()
    logger.info("Platform settings changed by user %s: %s", actor.pk, ", ".join(sorted(cleaned)) or "nothing")
    return row

