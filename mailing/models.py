"""The mail log: every message the platform sends, written before the first attempt to send it
(so nothing is lost when the mail server is down) and updated as attempts succeed or fail.
Secrets (verification, reset and invite links) are redacted in the stored bodies."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Mail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.EmailField(db_index=True)
    # The recipient's account and the event the mail is about, where there are such.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The session a mail to its speakers is about (decisions, schedule changes): how a speaker's
    # "My proposals" finds the organizers' message about that session.
    session = models.ForeignKey(
        "sessions_app.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the mail was queued (Open Event's ``time``).
    time = models.DateTimeField(default=now, db_index=True)
    action = models.CharField(max_length=100, blank=True, db_index=True)
    subject = models.CharField(max_length=500)
    # The text body (Open Event's ``message``) and the HTML body, as stored (redacted).
    message = models.TextField(blank=True)
    html_message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The mail carried secrets (one-time links), shown redacted in the stored bodies.
    redacted = models.BooleanField(default=False)
    # Those secrets, sealed (openevent.core.crypto), until the mail is sent; then cleared, so the
    # log holds no live link. A mail that finally failed keeps them for a resend.
    sealed_secrets = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class MailTemplate(models.Model):
    """An organizer's own wording of one action's mail for their event (subject and text with
    ``{placeholder}`` values); without one, the platform's template applies."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=100)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "action"], name="one_mail_template_per_event_action")]

    def __str__(self):
        return f"{self.action} of {self.event_id}"
