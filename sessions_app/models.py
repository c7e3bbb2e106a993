"""Sessions (talks, workshops…) and the speakers who give them."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from events.models import Event, EventPart, Microlocation, SessionType, Track
from openevent.core.text import LONG_TEXT_MAX_LENGTH


class Session(EventPart):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELED = "canceled", "Canceled"

    PUBLIC_STATES = (State.ACCEPTED, State.CONFIRMED)
    # User-written HTML, sanitized on the way in (openevent.core.html).
    HTML_FIELDS = ("short_abstract", "long_abstract", "comments")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    short_abstract = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    long_abstract = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    comments = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    language = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=100, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    session_type = models.ForeignKey(
        SessionType, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    microlocation = models.ForeignKey(
        Microlocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    slides_url = models.URLField(max_length=500, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    audio_url = models.URLField(max_length=500, blank=True)
    signup_url = models.URLField(max_length=500, blank=True)
    website = models.URLField(max_length=500, blank=True)
    twitter = models.URLField(max_length=500, blank=True)
    facebook = models.URLField(max_length=500, blank=True)
    github = models.URLField(max_length=500, blank=True)
    linkedin = models.URLField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="created_sessions"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_modified_at = models.DateTimeField(default=now)
    is_mail_sent = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="Locked sessions cannot be edited by speakers.")
    complex_field_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.state in self.PUBLIC_STATES


class Speaker(EventPart):
    # User-written HTML, sanitized on the way in (openevent.core.html).
    HTML_FIELDS = ("short_biography", "long_biography", "speaking_experience")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="speaker_profiles"
    )
    sessions = models.ManyToManyField(Session, blank=True, related_name="speakers")
    name = models.CharField(max_length=255)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=100, blank=True)
    photo_url = models.URLField(max_length=500, blank=True)
    thumbnail_image_url = models.URLField(max_length=500, blank=True)
    small_image_url = models.URLField(max_length=500, blank=True)
    icon_image_url = models.URLField(max_length=500, blank=True)
    short_biography = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    long_biography = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    speaking_experience = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    organisation = models.CharField(max_length=255, blank=True)
    position = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=255, blank=True)
    address = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    gender = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=500, blank=True)
    twitter = models.URLField(max_length=500, blank=True)
    facebook = models.URLField(max_length=500, blank=True)
    github = models.URLField(max_length=500, blank=True)
    linkedin = models.URLField(max_length=500, blank=True)
    heard_from = models.CharField(max_length=255, blank=True)
    sponsorship_required = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    is_featured = models.BooleanField(default=False)
    # Set by organizers: where the speaker stands in the event's speaker lists (``sort=order``,
    # as Open Event's front end lists featured speakers).
    order = models.IntegerField(default=0)
    # Set by organizers: ``email`` is theirs to choose (another address, or none) instead of
    # following the linked account's address (``services.speakers``).
    is_email_overridden = models.BooleanField(default=False)
    complex_field_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(deleted_at__isnull=True) & ~Q(email=""),
                name="unique_live_speaker_email_per_event",
            ),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One reviewer's score (on the event's scale, ``events.models.ReviewSettings``) and comment
    for one session. Speakers never see reviews or who wrote them."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    score = models.IntegerField()
    comment = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["session", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.reviewer} scored {self.session}: {self.score}"


class ScheduleBlock(models.Model):
    """Something on the schedule that is not a session: a break, lunch, coffee, a keynote's
    hand-over. In one room, or across all rooms (no ``microlocation``). Organizers place blocks in
    the work in progress; the public reads them from a release (``ScheduleRelease.blocks``)."""

    class Kind(models.TextChoices):
        BREAK = "break", "Break"
        LUNCH = "lunch", "Lunch"
        COFFEE = "coffee", "Coffee"
        HANDOVER = "handover", "Keynote hand-over"
        OTHER = "other", "Other"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_blocks")
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BREAK)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    microlocation = models.ForeignKey(
        Microlocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedule_blocks"
    )
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="schedule_block_ends_after_start",
                violation_error_message="A block must end after it starts.",
            ),
        ]

    def __str__(self):
        return self.title


class ScheduleRelease(models.Model):
    """One released version of an event's schedule: what the public pages show until the next.

    ``slots`` and ``blocks`` are the schedule as released, kept in the row so that reading it is
    one query (``queries.released_schedule``): ``slots`` a list of ``{"session", "starts_at",
    "ends_at", "microlocation"}`` (ids and ISO 8601 times), ``blocks`` a list of ``{"id", "title",
    "kind", "starts_at", "ends_at", "microlocation"}``. ``changelog`` compares the slots with the
    previous release's: ``{"new": [...], "moved": [...], "canceled": [...]}`` (see
    ``services.schedule.changelog``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_releases")
    version = models.PositiveIntegerField()
    released_at = models.DateTimeField(default=now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    changelog = models.JSONField(default=dict, blank=True)
    slots = models.JSONField(default=list, blank=True)
    blocks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="one_schedule_version_per_event")]

    def __str__(self):
        return f"{self.event} v{self.version}"
