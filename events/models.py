"""Events and the people who run them: roles, role assignments and invitations."""
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from openevent.api.softdelete import SoftDeleteModel


def generate_identifier():
    """8 lowercase hex characters, never all digits (so it can't be mistaken for an id)."""
    while True:
        value = secrets.token_hex(4)
        if not value.isdigit():
            return value


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Event.State.PUBLISHED)


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Event(SoftDeleteModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Privacy(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"

    identifier = models.CharField(max_length=8, unique=True, default=generate_identifier, editable=False)
    name = models.CharField(max_length=255)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    description = models.TextField(blank=True)
    location_name = models.CharField(max_length=255, blank=True)
    searchable_location_name = models.CharField(max_length=255, blank=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    online = models.BooleanField(default=False)
    external_event_url = models.URLField(max_length=500, blank=True)
    logo_url = models.URLField(max_length=500, blank=True)
    original_image_url = models.URLField(max_length=500, blank=True)
    thumbnail_image_url = models.URLField(max_length=500, blank=True)
    large_image_url = models.URLField(max_length=500, blank=True)
    icon_image_url = models.URLField(max_length=500, blank=True)
    owner_name = models.CharField(max_length=255, blank=True)
    owner_description = models.TextField(blank=True)
    has_owner_info = models.BooleanField(default=False)
    code_of_conduct = models.TextField(blank=True)
    privacy = models.CharField(max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    ticket_url = models.URLField(max_length=500, blank=True)
    schedule_published_on = models.DateTimeField(null=True, blank=True)
    is_sessions_speakers_enabled = models.BooleanField(default=False)
    is_sponsors_enabled = models.BooleanField(default=False)
    is_map_shown = models.BooleanField(default=False)
    can_pay_by_stripe = models.BooleanField(default=False)
    is_stripe_linked = models.BooleanField(default=False)
    payment_currency = models.CharField(max_length=3, blank=True)
    # Admin curation: only platform administrators set these.
    is_featured = models.BooleanField(default=False)
    is_promoted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now, editable=False)

    objects = EventManager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @property
    def ical_url(self):
        return f"/v1/events/{self.identifier}.ics" if self.schedule_published_on else ""

    @property
    def xcal_url(self):
        return f"/v1/events/{self.identifier}.xcs" if self.schedule_published_on else ""

    @property
    def pentabarf_url(self):
        return f"/v1/events/{self.identifier}.xml" if self.schedule_published_on else ""


class Role(models.Model):
    """The fixed vocabulary of event roles (seeded by a migration)."""

    OWNER = "owner"
    ORGANIZER = "organizer"
    COORGANIZER = "coorganizer"
    TRACK_ORGANIZER = "track_organizer"
    MODERATOR = "moderator"
    REGISTRAR = "registrar"
    NAMES = [OWNER, ORGANIZER, COORGANIZER, TRACK_ORGANIZER, MODERATOR, REGISTRAR]

    name = models.CharField(max_length=50, unique=True)
    title_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title_name


class UsersEventsRoles(models.Model):
    """A user holds a role at an event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="user_roles")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = "user event role"
        verbose_name_plural = "users events roles"
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "role"], name="unique_user_event_role"),
        ]

    def __str__(self):
        return f"{self.user} is {self.role.name} of {self.event}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class RoleInvite(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    email = models.EmailField()
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="role_invites")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only a hash of the e-mailed link's token is stored, and it is never serialized.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=now, editable=False)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email", "role"],
                condition=Q(status="pending"),
                name="one_pending_invite_per_email_role",
            ),
        ]

    def __str__(self):
        return f"{self.email} as {self.role.name} of {self.event}"

    @property
    def role_name(self):
        return self.role.name

    @property
    def is_expired(self):
        return now() >= self.expires_at

    def set_new_token(self):
        """Create a fresh token, keep only its hash, and return the token for the e-mail link."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token
