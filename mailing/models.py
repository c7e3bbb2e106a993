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

    class Meta:
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
