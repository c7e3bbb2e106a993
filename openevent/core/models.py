"""The platform settings: one row (pk 1) an administrator edits, over the environment's defaults.

Every field left blank means "the environment's default" (``openevent.core.site`` reads the row
over ``settings``); the row may be missing altogether. The secrets (SMTP password, SendGrid key,
Stripe secret key) are sealed (``openevent.core.crypto``) in the ``*_sealed`` columns and are
never shown: only whether one is set.
Writes go through ``openevent.core.services.update_platform_settings``.
"""
from django.db import models


class EmailService(models.TextChoices):
    DEFAULT = "", "Environment default"
    SMTP = "smtp", "SMTP"
    SENDGRID = "sendgrid", "SendGrid"
    DISABLED = "disabled", "Disabled (no mail is sent)"


class SmtpEncryption(models.TextChoices):
    DEFAULT = "", "Environment default"
    NONE = "none", "None"
    TLS = "tls", "STARTTLS"
    SSL = "ssl", "SSL/TLS"


class StripeMode(models.TextChoices):
    TEST = "test", "Test mode"
    LIVE = "live", "Live mode"


class PlatformSettings(models.Model):
    #: The one row's primary key.
    SINGLETON = 1

    app_name = models.CharField(max_length=100, blank=True)
    tagline = models.CharField(max_length=200, blank=True)
    frontend_url = models.CharField(
        "frontend URL", max_length=500, blank=True, help_text="The origin links in mails point to."
    )
    support_url = models.CharField("support URL", max_length=500, blank=True)
    cookie_policy = models.TextField(blank=True, help_text="The cookie warning the front end shows.")
    cookie_policy_link = models.CharField(max_length=500, blank=True)

    email_service = models.CharField(max_length=10, choices=EmailService.choices, blank=True)
    email_from = models.CharField("from address", max_length=254, blank=True)
    email_from_name = models.CharField("from name", max_length=100, blank=True)
    smtp_host = models.CharField("SMTP host", max_length=255, blank=True)
    smtp_port = models.PositiveIntegerField("SMTP port", null=True, blank=True)
    smtp_username = models.CharField("SMTP username", max_length=255, blank=True)
    smtp_password_sealed = models.TextField("SMTP password (sealed)", blank=True, editable=False)
    smtp_encryption = models.CharField(
        "SMTP encryption", max_length=4, choices=SmtpEncryption.choices, blank=True
    )
    sendgrid_key_sealed = models.TextField("SendGrid key (sealed)", blank=True, editable=False)

    stripe_client_id = models.CharField(
        "Stripe client id", max_length=100, blank=True, help_text="The platform's Connect client id (ca_…)."
    )
    stripe_secret_key_sealed = models.TextField("Stripe secret key (sealed)", blank=True, editable=False)
    stripe_publishable_key = models.CharField("Stripe publishable key", max_length=200, blank=True)
    stripe_mode = models.CharField(
        "Stripe mode", max_length=4, choices=StripeMode.choices, blank=True, help_text="Blank: test mode."
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "platform settings"
        verbose_name_plural = "platform settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="platform_settings_singleton")]

    def __str__(self):
        return "Platform settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The row, created (all blank: the environment's defaults) if there is none yet."""
        row, _ = cls.objects.get_or_create(pk=cls.SINGLETON)
        return row

    @classmethod
    def stored(cls):
        """The row, or None if none was ever saved (reading creates nothing)."""
        return cls.objects.filter(pk=cls.SINGLETON).first()
