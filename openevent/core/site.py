"""The site's settings as the code and API clients read them (``GET /v1/settings``, resource
type ``setting``): the platform settings row an administrator saves (``models.PlatformSettings``)
over the environment's defaults (``SITE_SETTINGS``, ``EMAIL_*``, ``DEFAULT_FROM_EMAIL``,
``SENDGRID_API_KEY``); a blank field, or no row at all, means the environment's value.

``public_settings()`` is for everyone (what the Open Event front end reads before anything
else), ``admin_settings()`` for administrators (the public ones plus the mail settings, secrets
shown only as "set or not"), ``mail_settings()`` is what the mailer uses at send time, and
``links_origin()`` the origin of links in mails, ``stripe_settings()`` the platform's Stripe
Connect application (client id, sealed secret key, publishable key, test or live mode).

The row is read on every call (one query by primary key), never kept in a process: an
administrator's change is seen at once by every web process and Celery worker, whatever cache
they are configured with (the default local-memory cache is per process and could not be
invalidated in the others).
"""
import logging
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings

from .crypto import Unsealable, unseal
from .models import PlatformSettings, StripeMode

logger = logging.getLogger(__name__)

#: Link settings of the Open Event dialect, filled from ``SITE_SETTINGS["social_urls"]`` by name.
SOCIAL_URLS = (
    "google", "github", "twitter", "facebook", "instagram", "patreon", "gitter", "telegram", "youtube",
    "weblate",
)  # fmt: skip
#: Payment providers of the reference; this project sells no tickets (README, "Scope").
PAYMENT_PROVIDERS = ("paypal", "stripe", "omise", "alipay", "paytm", "billing_paypal")


def _value(value):
    return value or None


def stored():
    """The platform settings row, or None if none was saved."""
    return PlatformSettings.stored()


def _over(row, name, default):
    """The row's ``name`` where it is set, else ``default``."""
    value = getattr(row, name) if row is not None else None
    return default if value in (None, "") else value


def _secret(row, name, default):
    """The secret ``name`` (``<name>_sealed`` on the row) unsealed, else ``default``. A value no
    key opens (SECRET_KEY or SETTINGS_ENCRYPTION_KEY changed) counts as unset, with a warning."""
    token = getattr(row, f"{name}_sealed") if row is not None else ""
    if not token:
        return default
    try:
        return unseal(token)
    except Unsealable:
        logger.warning(
            "The stored platform setting %s cannot be unsealed with the current key "
            "(SETTINGS_ENCRYPTION_KEY or SECRET_KEY changed); the environment's value is used. "
            "Save it again in the platform settings.",
            name,
        )
        return default


#: The public settings an administrator may set, read over ``SITE_SETTINGS`` of the same name.
PUBLIC_FIELDS = ("app_name", "tagline", "frontend_url", "support_url", "cookie_policy", "cookie_policy_link")


def public_settings_of(row):
    """The public settings of ``row`` (None: no row, the environment's values)."""
    site = settings.SITE_SETTINGS
    values = {name: _value(_over(row, name, site.get(name))) for name in PUBLIC_FIELDS}
    links = site.get("social_urls") or {}
    values.update({f"{name}_url": _value(links.get(name)) for name in SOCIAL_URLS})
    values.update({f"is_{name}_activated": False for name in PAYMENT_PROVIDERS})
    values["is_stripe_activated"] = stripe_settings_of(row).configured
    return values


def public_settings():
    """The public settings, by python name (null where unset)."""
    return public_settings_of(stored())


def admin_settings():
    """What administrators read: the public settings, the environment, and the mail settings in
    force (secrets only as whether one is set: ``smtp_password_set``, ``sendgrid_key_set``)."""
    row = stored()
    mail = mail_settings_of(row)
    return {
        **public_settings_of(row),
        "app_environment": "development" if settings.DEBUG else "production",
        "email_service": _value(mail.service),
        "email_from": _value(mail.from_email),
        "email_from_name": _value(mail.from_name),
        "smtp_host": _value(mail.smtp_host),
        "smtp_port": mail.smtp_port,
        "smtp_username": _value(mail.smtp_username),
        "smtp_encryption": mail.smtp_encryption,
        "smtp_password_set": bool(mail.smtp_password),
        "sendgrid_key_set": bool(mail.sendgrid_key),
        "stripe_client_id": _value(row.stripe_client_id if row else ""),
        "stripe_publishable_key": _value(row.stripe_publishable_key if row else ""),
        "stripe_mode": (row.stripe_mode if row else "") or StripeMode.TEST,
        "stripe_secret_key_set": stripe_settings_of(row).secret_key != "",
    }


@dataclass(frozen=True)
class StripeSettings:
    """The platform's Stripe Connect application (``stripe_settings()``): what organizers connect
    their accounts to. ``secret_key`` is unsealed for the server's calls to Stripe only."""

    client_id: str = ""
    secret_key: str = ""
    publishable_key: str = ""
    mode: str = StripeMode.TEST

    @property
    def configured(self):
        """Organizers can connect: a client id and a secret key are set."""
        return bool(self.client_id and self.secret_key)

    @property
    def livemode(self):
        return self.mode == StripeMode.LIVE

    def __repr__(self):
        # Never the secret key (lesson 6: not in logs or tracebacks).
        return f"StripeSettings(client_id={self.client_id!r}, mode={self.mode!r}, configured={self.configured})"


def stripe_settings_of(row):
    """The Stripe settings of ``row`` (None: none set; Stripe has no environment defaults)."""
    if row is None:
        return StripeSettings()
    return StripeSettings(
        client_id=row.stripe_client_id,
        secret_key=_secret(row, "stripe_secret_key", ""),
        publishable_key=row.stripe_publishable_key,
        mode=row.stripe_mode or StripeMode.TEST,
    )


def stripe_settings():
    """The platform's Stripe settings now (read from the database on each call)."""
    return stripe_settings_of(stored())


@dataclass(frozen=True)
class MailSettings:
    """How the platform sends mail, as read at send time (``mail_settings()``).

    ``service`` is ``"smtp"``, ``"sendgrid"``, ``"disabled"`` or ``""`` (no choice made: Django's
    ``EMAIL_BACKEND`` as configured, the console on one machine, locmem in tests);
    ``smtp_encryption`` is ``"none"``, ``"tls"`` (STARTTLS) or ``"ssl"``.
    """

    service: str = ""
    from_email: str = ""
    from_name: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_encryption: str = "none"
    sendgrid_key: str = ""

    @property
    def sender(self):
        """The From header: ``Name <address>``, or the address alone."""
        return formataddr((self.from_name, self.from_email)) if self.from_name else self.from_email


def environment_encryption():
    """The SMTP encryption the environment asks for (``EMAIL_USE_SSL``, ``EMAIL_USE_TLS``)."""
    return "ssl" if settings.EMAIL_USE_SSL else "tls" if settings.EMAIL_USE_TLS else "none"


def mail_settings_of(row):
    """The mail settings of ``row`` over the environment's (None: no row, the environment's alone)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return MailSettings(
        service=_over(row, "email_service", settings.EMAIL_SERVICE),
        from_email=_over(row, "email_from", address),
        from_name=_over(row, "email_from_name", name),
        smtp_host=_over(row, "smtp_host", settings.EMAIL_HOST),
        smtp_port=_over(row, "smtp_port", settings.EMAIL_PORT),
        smtp_username=_over(row, "smtp_username", settings.EMAIL_HOST_USER),
        smtp_password=_secret(row, "smtp_password", settings.EMAIL_HOST_PASSWORD),
        smtp_encryption=_over(row, "smtp_encryption", environment_encryption()),
        sendgrid_key=_secret(row, "sendgrid_key", settings.ANYMAIL.get("SENDGRID_API_KEY", "")),
    )


def mail_settings():
    """The mail settings in force now: the environment's defaults (``EMAIL_*``, ``SENDGRID_API_KEY``,
    ``DEFAULT_FROM_EMAIL``), overridden field by field by what an administrator saved in the
    platform settings (read from the database on each call)."""
    return mail_settings_of(stored())


def links_origin(public=None):
    """The origin of the links in mails (no trailing slash): the platform's frontend URL, else
    ``SITE_URL``, else this machine's development server. ``public``: the ``public_settings()``
    already read, if the caller has them."""
    public = public or public_settings()
    return (public["frontend_url"] or settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
