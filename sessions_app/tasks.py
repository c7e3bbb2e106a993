"""Celery tasks of the sessions app (thin: ids in, the services do the work)."""

from celery import shared_task

from events import images, versions

from .models import Speaker

#: A speaker's photo and its variants (Open Event's speaker resource).
SPEAKER_IMAGE = images.ImageFields(
    "photo_url",
    {"thumbnail": "thumbnail_image_url", "small": "small_image_url", "icon": "icon_image_url"},
)


@shared_task(name="sessions_app.tasks.task_make_speaker_images")
def task_make_speaker_images(speaker_id, url):
    """Thumbnail, small and icon pictures of a speaker's photo ``url`` (if it is still the one set)."""
    if images.write_variants(Speaker, speaker_id, url, SPEAKER_IMAGE):
        versions.bump(Speaker._base_manager.filter(pk=speaker_id).values("event_id"))
