"""Celery tasks of uploads: thin, they take storage names."""

from celery import shared_task

from . import services


@shared_task(name="openevent.uploads.tasks.task_make_image_variants")
def task_make_image_variants(name):
    """The variants of the stored image ``name``: ``{"thumbnail": url, "small": url, "icon": url,
    "large": url}`` (the result a chained task receives first)."""
    return services.make_image_variants(name)
