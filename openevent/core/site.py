"""The site's settings as API clients read them (``GET /v1/settings``, resource type ``setting``).

Today they come from Django settings (``SITE_SETTINGS``, filled from the environment); the
settings resource with admin writes (a later issue) stores them and keeps these two readers:
``public_settings()`` for everyone (what the Open Event front end reads before anything else) and
``admin_settings()`` for administrators (the public ones plus what only operators need).
"""
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
