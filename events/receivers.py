"""What the events app does when something happens elsewhere (connected in ``EventsConfig.ready``).

Every write that changes an anonymous reader's documents of an event (the event, its parts, its
owner) bumps the event's version, so the document cache builds them afresh (``events.versions``).
"""
from django.dispatch import receiver

from openevent.users import signals as user_signals

from . import images, signals, tasks, versions
from .models import Role, UsersEventsRoles

EVENT_CHANGES = [
    signals.event_published,
    signals.schedule_published,
    signals.event_updated,
    signals.event_deleted,
    signals.event_restored,
    signals.form_saved,
]
PART_CHANGES = [signals.part_created, signals.part_updated, signals.part_deleted, signals.part_restored]


@receiver(EVENT_CHANGES)
def event_changed(event, **kwargs):
    versions.bump([event.pk])


@receiver(PART_CHANGES)
def part_changed(part, **kwargs):
    versions.bump([part.event_id])


@receiver(signals.role_invite_accepted)
def invite_accepted(invite, **kwargs):
    """An accepted owner invite hands the event over: its ``owner`` changes."""
    if invite.role.name == Role.OWNER:
        versions.bump([invite.event_id])


@receiver(user_signals.ACCOUNT_CHANGES)
def user_changed(user, **kwargs):
    """An event shows its owner (public fields when included; nothing once the account is
    deleted)."""
    versions.bump(UsersEventsRoles.objects.filter(user_id=user.pk, role__name=Role.OWNER).values("event_id"))


@receiver(user_signals.user_updated)
def user_avatar_changed(user, changed=(), **kwargs):
    """A new avatar gets its thumbnail, small and icon pictures (``events.images``); the users app
    sits beside ``openevent.uploads`` and may not use it, so the events app schedules the work."""
    if images.USER_IMAGE.source in changed:
        images.schedule_variants(tasks.task_make_user_images, user.pk, getattr(user, images.USER_IMAGE.source))
