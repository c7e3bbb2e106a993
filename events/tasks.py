"""Celery tasks of the events app (thin: ids in, ``events.images`` does the work)."""

from celery import shared_task

from openevent.users.models import User

from . import images, versions
from .models import Event, Sponsor


@shared_task(name="events.tasks.task_make_event_images")
def task_make_event_images(event_id, url):
    """Thumbnail, large and icon pictures of the event's image ``url`` (if it is still the one set)."""
    if images.write_variants(Event, event_id, url, images.EVENT_IMAGE):
        versions.bump([event_id])


@shared_task(name="events.tasks.task_make_event_logo")
def task_make_event_logo(event_id, url):
    """The thumbnail of the event's logo ``url`` (if it is still the one set). No version bump: the
    variant is shown by the pages only, not in the API's (cached) documents."""
    images.write_variants(Event, event_id, url, images.EVENT_LOGO)


@shared_task(name="events.tasks.task_make_sponsor_logo")
def task_make_sponsor_logo(sponsor_id, url):
    """The thumbnail of a sponsor's logo ``url`` (if it is still the one set); pages only, as above."""
    images.write_variants(Sponsor, sponsor_id, url, images.SPONSOR_LOGO)


@shared_task(name="events.tasks.task_make_user_images")
def task_make_user_images(user_id, url):
    """Thumbnail, small and icon pictures of a user's avatar ``url`` (if it is still the one set).
    Here rather than in the users app, which sits beside ``openevent.uploads`` and may not use it."""
    images.write_variants(User, user_id, url, images.USER_IMAGE)
