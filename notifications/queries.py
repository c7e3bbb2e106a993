"""Who wants what: the switches and preferences every sender of mail and notifications reads,
who receives a notification, and what a user reads of theirs."""
from django.db.models import Q

from events import permissions as rules
from events.models import Event, UsersEventsRoles
from events.queries import visible_events
from openevent.users.models import User
from sessions_app.models import Speaker

from .models import EmailNotification, MessageSettings, Notification


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


# --- who receives a notification --------------------------------------------------------------
def session_speaker_users(session):
    """The accounts behind the live speaker rows of ``session`` (speakers without an account
    receive mail only)."""
    return User.objects.filter(
        speaker_profiles__sessions=session, speaker_profiles__deleted_at__isnull=True
    ).distinct().order_by("pk")


def event_organizers(event):
    """The accounts that organize ``event``: its owner, organizers and co-organizers."""
    return User.objects.filter(
        event_roles__event=event, event_roles__role__name__in=rules.COORGANIZER_ROLES
    ).distinct().order_by("pk")


def invitee_account(invite):
    """The account an invite is addressed to: the verified account with its e-mail address (an
    unverified one may be claiming someone else's address), or None."""
    return User.objects.filter(email__iexact=invite.email, is_verified=True).first()


# --- what a user reads ------------------------------------------------------------------------
def notifications_of(user):
    """``user``'s notifications, unread first, newest first."""
    return Notification.objects.filter(user=user).order_by("is_read", "-received_at", "-id")


def unread_count(user):
    """How many notifications ``user`` has not read (one query; 0 for anonymous visitors)."""
    if not rules.is_authenticated(user):
        return 0
    return Notification.objects.filter(user=user, is_read=False).count()


def preference_events(user):
    """The live events ``user`` is involved in, as a speaker or on the team: the events of the
    preferences page, by start."""
    if not rules.is_authenticated(user):
        return Event.objects.none()
    speaking = Speaker.objects.filter(user=user).values("event_id")
    team = UsersEventsRoles.objects.filter(user=user).values("event_id")
    involved = Q(pk__in=speaking) | Q(pk__in=team)
    return visible_events(user, listing=False).filter(involved).order_by("starts_at", "pk")


def email_preferences(user, events):
    """``user``'s EmailNotification rows for ``events``, by event id (one query)."""
    rows = EmailNotification.objects.filter(user=user, event__in=events)
    return {row.event_id: row for row in rows}


def user_controlled_actions():
    """The actions whose messages users may turn off for themselves (one query)."""
    return set(MessageSettings.objects.filter(user_control_status=True).values_list("action", flat=True))
