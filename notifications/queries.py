"""Who wants what: the switches and preferences every sender of mail and notifications reads."""
from .models import EmailNotification, MessageSettings


def _switches(action):
    row = MessageSettings.objects.filter(action=action).first()
    return row or MessageSettings(action=action)


def mail_switch(action):
    """Whether mails of ``action`` go out at all (an administrator's switch; on by default)."""
    return _switches(action).mail_status


def notification_switch(action):
    """Whether notifications of ``action`` are shown at all (on by default)."""
    return _switches(action).notification_status


def email_preference(user, event, name, action=None):
    """Whether ``user`` wants the mails of preference ``name`` (see ``models.PREFERENCES``) about
    ``event``; on where they never chose. With ``action``, a choice counts only where the
    administrator lets users control that action's messages."""
    if user is None or event is None:
        return True
    if action is not None and not _switches(action).user_control_status:
        return True
    row = EmailNotification.objects.filter(user=user, event=event).only(name).first()
    return True if row is None else getattr(row, name)
