"""What the sessions app does when something happens (connected in ``SessionsAppConfig.ready``).

Every write that changes an anonymous reader's documents of an event's sessions and speakers bumps
the event's version, so the document cache builds them afresh (``events.versions``).
"""
from django.dispatch import receiver

from events import versions
from openevent.users import signals as user_signals

from . import services, signals
from .models import Session, Speaker

SESSION_CHANGES = [
    signals.session_created,
    signals.session_updated,
    signals.session_state_changed,
    signals.session_schedule_changed,
    signals.session_speakers_changed,
    signals.session_deleted,
    signals.session_restored,
]
SPEAKER_CHANGES = [signals.speaker_created, signals.speaker_updated, signals.speaker_deleted, signals.speaker_restored]


@receiver(SESSION_CHANGES)
def session_changed(session, **kwargs):
    versions.bump([session.event_id])


@receiver(SPEAKER_CHANGES)
def speaker_changed(speaker, **kwargs):
    versions.bump([speaker.event_id])


@receiver(user_signals.ACCOUNT_CHANGES)
def user_changed(user, **kwargs):
    """Sessions name their creator and speakers their account (public fields when included;
    nothing once the account is deleted)."""
    versions.bump(Speaker.all_objects.filter(user_id=user.pk).values("event_id"))
    versions.bump(Session.all_objects.filter(creator_id=user.pk).values("event_id"))


@receiver(user_signals.user_updated)
def account_email_followed(user, **kwargs):
    """Speaker rows follow their account's address unless an organizer overrode it."""
    services.follow_account_email(user)
