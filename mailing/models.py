"""The mail log: every message the platform sends, as sent (secrets redacted before storing)."""
from django.db import models
from django.utils.timezone import now


class Mail(models.Model):
    recipient = models.EmailField(db_index=True)
    time = models.DateTimeField(default=now, db_index=True)
    action = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=500)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
