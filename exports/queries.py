"""The read side of the schedule feeds: what a feed's validators (ETag, Last-Modified) and its
sessions' SEQUENCE numbers are computed from. The schedule itself is read through
``sessions_app.public_schedule``."""

from django.db.models import Max

from sessions_app.models import ScheduleRelease, Session


def feed_release(event):
    """``{"version", "released_at"}`` of the release the public sees of ``event``, or None (never
    released, or unpublished). One query, which loads neither slots nor blocks."""
    if event.schedule_published_on is None:
        return None
    return ScheduleRelease.objects.filter(event=event).order_by("-version").values("version", "released_at").first()


def last_session_change(event):
    """When a session of ``event`` last changed (None without sessions). One query."""
    return Session.all_objects.filter(event=event).aggregate(last=Max("last_modified_at"))["last"]


def release_slots(event, up_to):
    """The slots of every release of ``event`` up to version ``up_to``, oldest first. One query."""
    return list(
        ScheduleRelease.objects.filter(event=event, version__lte=up_to)
        .order_by("version")
        .values_list("slots", flat=True)
    )
