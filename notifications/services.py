"""Writing notifications and the switches and preferences behind them.

``notify`` is called by the receivers (``notifications.receivers``) inside the transaction of the
change that caused it, so a notification commits or rolls back with its cause. The other
functions are what users and administrators change, through the API, the pages and the admin.
Functions that take an ``actor`` check that the actor may make the change; callers that resolve
the row from the actor's own rows may leave it out.
"""
from django.db import transaction

from events import permissions as rules
from openevent.core.errors import Invalid, NotAllowed, NotFound

from . import queries
from .models import ACTIONS, PREFERENCES, EmailNotification, MessageSettings, Notification

#: What administrators switch on a MessageSettings row.
SWITCHES = ("mail_status", "notification_status", "user_control_status")


def notify(user, action, *, title, message="", link="", event=None):
    """Give ``user`` a notification of ``action``, unless administrators switched that action's
    notifications off. Returns the Notification, or None when none was written."""
    if user is None or not queries.notification_switch(action):
        return None
    return Notification.objects.create(
        user=user,
        action=action,
        title=title[: Notification._meta.get_field("title").max_length],
        message=message,
        link=link,
        event=event,
    )


def _check_owner(actor, user, what="notification"):
    if actor is not None and not (rules.is_admin(actor) or (rules.is_authenticated(actor) and actor.pk == user.pk)):
        # Someone else's rows are none of the actor's business: not found, as in the API.
        raise NotFound(f"No such {what}.")


def mark_read(notification, is_read, *, actor=None):
    """Mark ``notification`` read (or unread again). Returns it."""
    _check_owner(actor, notification.user)
    if not isinstance(is_read, bool):
        raise Invalid("Read or unread: true or false.", field="is_read")
    if notification.is_read != is_read:
        notification.is_read = is_read
        notification.save(update_fields=["is_read"])
    return notification


def mark_all_read(user):
    """Mark every unread notification of ``user`` read. Returns how many were unread."""
    return Notification.objects.filter(user=user, is_read=False).update(is_read=True)


def delete_notification(notification, *, actor=None):
    """Remove ``notification`` for good (its user may; administrators may)."""
    _check_owner(actor, notification.user)
    notification.delete()


@transaction.atomic
def update_email_preferences(user, event, values, *, actor=None):
    """Set ``user``'s mail preferences about ``event``: ``values`` maps names of ``PREFERENCES``
    to booleans; names left out keep their value (on, for a first choice). Returns the row."""
    _check_owner(actor, user, "e-mail preferences")
    if event is None:
        raise Invalid("Choose the event these preferences are about.", field="event")
    if not rules.can_see_event(user, event):
        raise Invalid("No event found with this id.", field="event")
    unknown = sorted(set(values) - set(PREFERENCES))
    if unknown:
        raise Invalid(f"'{unknown[0]}' is not an e-mail preference.", field=unknown[0])
    for name, value in values.items():
        if not isinstance(value, bool):
            raise Invalid("On or off: true or false.", field=name)
    row, _ = EmailNotification.objects.select_for_update().get_or_create(user=user, event=event)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row


def delete_email_preferences(row, *, actor=None):
    """Forget a user's preferences about an event (the defaults apply again)."""
    _check_owner(actor, row.user, "e-mail preferences")
    row.delete()


@transaction.atomic
def update_message_settings(row, values, *, actor=None):
    """Change the switches of one action (administrators only): ``values`` maps names of
    ``SWITCHES`` to booleans. Returns the row."""
    if actor is not None and not rules.is_admin(actor):
        raise NotAllowed("Only administrators change the message settings.")
    unknown = sorted(set(values) - set(SWITCHES))
    if unknown:
        raise Invalid(f"'{unknown[0]}' cannot be changed here.", field=unknown[0])
    for name, value in values.items():
        if not isinstance(value, bool):
            raise Invalid("On or off: true or false.", field=name)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row


def message_settings_row(action):
    """The MessageSettings row of ``action``, made on first use for an action newer than the
    seeding migration."""
    if action not in ACTIONS:
        raise Invalid(f"'{action}' is not an action.", field="action")
    row, _ = MessageSettings.objects.get_or_create(action=action)
    return row
