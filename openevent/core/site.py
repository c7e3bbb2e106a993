"""The site's settings as API clients read them (``GET /v1/settings``, resource type ``setting``).

Today they come from Django settings (``SITE_SETTINGS``, filled from the environment); the
settings resource with admin writes (a later issue) stores them and keeps these two readers:
``public_settings()`` for everyone (what the Open Event front end reads before anything else) and
``admin_settings()`` for administrators (the public ones plus what only operators need).
"""
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings

#: Link settings of the Open Event dialect, filled from ``SITE_SETTINGS["social_urls"]`` by name.
SOCIAL_URLS = (
    "google", "github", "twitter", "facebook", "instagram", "patreon", "gitter", "telegram", "youtube",
    "weblate",
)  # fmt: skip
#: Payment providers of the reference; this project sells no tickets (README, "Scope").
PAYMENT_PROVIDERS = ("paypal", "stripe", "omise", "alipay", "paytm", "billing_paypal")


def _value(value):
    return value or None


def public_settings():
    """The public settings, by python name (null where unset)."""
    site = settings.SITE_SETTINGS
    values = {
        "app_name": _value(site.get("app_name")),
        "tagline": _value(site.get("tagline")),
        "frontend_url": _value(site.get("frontend_url")),
        "support_url": _value(site.get("support_url")),
        "cookie_policy": _value(site.get("cookie_policy")),
        "cookie_policy_link": _value(site.get("cookie_policy_link")),
    }
    links = site.get("social_urls") or {}
    values.update({f"{name}_url": _value(links.get(name)) for name in SOCIAL_URLS})
    values.update({f"is_{name}_activated": False for name in PAYMENT_PROVIDERS})
    return values


def admin_settings():
    """What administrators read: the public settings and the site's mail sender and environment."""
    return {
        **public_settings(),
        "app_environment": "development" if settings.DEBUG else "production",
        "email_from": settings.DEFAULT_FROM_EMAIL,
    }


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


def mail_settings():
    """The mail settings in force now: the environment's defaults (``EMAIL_*``, ``SENDGRID_API_KEY``,
    ``DEFAULT_FROM_EMAIL``), overridden by what an administrator saved in the platform settings."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return MailSettings(
        service=settings.EMAIL_SERVICE,
        from_email=address,
        from_name=name,
        smtp_host=settings.EMAIL_HOST,
        smtp_port=settings.EMAIL_PORT,
        smtp_username=settings.EMAIL_HOST_USER,
        smtp_password=settings.EMAIL_HOST_PASSWORD,
        smtp_encryption="ssl" if settings.EMAIL_USE_SSL else "tls" if settings.EMAIL_USE_TLS else "none",
        sendgrid_key=settings.ANYMAIL.get("SENDGRID_API_KEY", ""),
    )


def links_origin():
    """The origin of the links in mails (no trailing slash): the platform's frontend URL, else
    ``SITE_URL``, else this machine's development server."""
    return (public_settings()["frontend_url"] or settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
