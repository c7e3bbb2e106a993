"""In-app notifications and the switches that decide what reaches people.

- ``Notification``: one message for one user, shown under the bell until read.
- ``MessageSettings``: one row per action (the keys of ``ACTIONS``), an administrator's switches:
  send its mail, show its notification, and whether users may turn it off for themselves.
- ``EmailNotification``: one user's mail preferences for one event (Open Event's
  ``email-notifications`` resource); no row means the defaults (everything on).
"""
from django.conf import settings
from django.db import models
from django.utils.timezone import now

#: Every action that sends a mail or a notification, with its label: the rows of MessageSettings.
ACTIONS = {
    "user_registration": "User registration",
    "user_confirmation": "E-mail address verification",
    "user_change_email": "E-mail address changed",
    "password_reset": "Password reset",
    "password_change": "Password changed",
    "event_role": "Event role invitation",
    "event_role_accepted": "Event role invitation accepted",
    "new_session": "New session proposal",
    "session_state_change": "Session state change",
    "session_schedule_change": "Session schedule change",
    "event_published": "Event published",
    "speakers_call_opened": "Call for speakers opened",
    "after_event": "After the event",
    "event_exported": "Event exported",
    "event_export_fail": "Event export failed",
    "event_imported": "Event imported",
    "event_import_fail": "Event import failed",
    "speaker_mail": "Message to speakers",
}

#: The per-event preferences of ``EmailNotification`` (Open Event's names) and what they cover.
PREFERENCES = {
    "new_paper": "New session proposals (organizers)",
    "session_accept_reject": "Decisions on my sessions",
    "session_schedule": "Schedule changes of my sessions",
    "next_event": "The organizer's next events",
}


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The event it is about, where there is one (its link leads there).
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=100, db_index=True)
    title = models.CharField(max_length=500)
    # Plain text (shown escaped).
    message = models.TextField(blank=True)
    # A path on this site (``/…``) to the thing the notification is about, or empty.
    link = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=now, db_index=True)
    is_read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["user", "is_read"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.title} → {self.user_id}"


class MessageSettings(models.Model):
    action = models.CharField(max_length=100, unique=True)
    mail_status = models.BooleanField("send the mail", default=True)
    notification_status = models.BooleanField("show the notification", default=True)
    user_control_status = models.BooleanField("users may turn it off", default=True)

    class Meta:
        ordering = ["action"]
        verbose_name = verbose_name_plural = "message settings"

    def __str__(self):
        return ACTIONS.get(self.action, self.action)


class EmailNotification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_notifications"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    new_paper = models.BooleanField(default=True)
    session_accept_reject = models.BooleanField(default=True)
    session_schedule = models.BooleanField(default=True)
    next_event = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="one_email_notification_per_user_event")]

    def __str__(self):
        return f"{self.user_id} / {self.event_id}"

#: The action each preference of ``EmailNotification`` governs (``next_event`` has none here:
#: nothing announces an organizer's next events yet).
PREFERENCE_ACTIONS = {
    "new_paper": "new_session",
    "session_accept_reject": "session_state_change",
    "session_schedule": "session_schedule_change",
}
