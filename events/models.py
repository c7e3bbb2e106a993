"""Events and the people who run them: roles, role assignments and invitations."""
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from openevent.core.softdelete import SoftDeleteModel
from openevent.core.text import LONG_TEXT_MAX_LENGTH


def generate_identifier():
    """8 lowercase hex characters, never all digits (so it can't be mistaken for an id)."""
    while True:
        value = secrets.token_hex(4)
        if not value.isdigit():
            return value


def new_program_version():
    """A fresh version of an event's public documents (see ``events.versions``)."""
    return secrets.randbits(62)


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

    HTML_FIELDS = ("description", "owner_description", "code_of_conduct")

    identifier = models.CharField(max_length=8, unique=True, default=generate_identifier, editable=False)
    name = models.CharField(max_length=255)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    description = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
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
    # Made from an uploaded logo by ``events.images`` (not an Open Event field; never written by clients).
    logo_thumbnail_url = models.URLField(max_length=500, blank=True, editable=False)
    original_image_url = models.URLField(max_length=500, blank=True)
    thumbnail_image_url = models.URLField(max_length=500, blank=True)
    large_image_url = models.URLField(max_length=500, blank=True)
    icon_image_url = models.URLField(max_length=500, blank=True)
    owner_name = models.CharField(max_length=255, blank=True)
    owner_description = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    has_owner_info = models.BooleanField(default=False)
    code_of_conduct = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    privacy = models.CharField(max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    ticket_url = models.URLField(max_length=500, blank=True)
    schedule_published_on = models.DateTimeField(null=True, blank=True)
    is_sessions_speakers_enabled = models.BooleanField(default=False)
    is_sponsors_enabled = models.BooleanField(default=False)
    is_map_shown = models.BooleanField(default=False)
    # Payment settings, as Open Event's event wizard writes them. This project sells no tickets
    # (README, "Scope"); organizers keep them here for the ticketing they run elsewhere.
    can_pay_by_stripe = models.BooleanField(default=False)
    is_stripe_linked = models.BooleanField(default=False)
    payment_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code, e.g. EUR.")
    payment_country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2 code, e.g. DE.")
    can_pay_by_paypal = models.BooleanField(default=False)
    paypal_email = models.EmailField(blank=True)
    can_pay_by_cheque = models.BooleanField(default=False)
    cheque_details = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    can_pay_by_bank = models.BooleanField(default=False)
    bank_details = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    can_pay_onsite = models.BooleanField(default=False)
    onsite_details = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    can_pay_by_omise = models.BooleanField(default=False)
    is_tax_enabled = models.BooleanField(default=False)
    refund_policy = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    # Admin curation: only platform administrators set these.
    is_featured = models.BooleanField(default=False)
    is_promoted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now, editable=False)
    # Names the current state of the event's public documents in their cache keys; bumped after
    # every write that changes one of them (``events.versions``).
    program_version = models.BigIntegerField(default=new_program_version, editable=False)

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
    def ical_url(self) -> str:
        return f"/v1/events/{self.identifier}.ics" if self.schedule_published_on else ""

    @property
    def xcal_url(self) -> str:
        return f"/v1/events/{self.identifier}.xcs" if self.schedule_published_on else ""

    @property
    def pentabarf_url(self) -> str:
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


# --- the program's building blocks ----------------------------------------------------------------
HEX_COLOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")
HH_MM = RegexValidator(r"^([0-9]{2}):([0-5][0-9])$", "Enter a length as HH:MM.")


class EventPart(SoftDeleteModel):
    """Something that belongs to one event."""

    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        abstract = True
        base_manager_name = "objects"


class Track(EventPart):
    HTML_FIELDS = ("description",)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    color = models.CharField(max_length=7, default="#1f6feb", validators=[HEX_COLOR])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def font_color(self):
        """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""
        return font_color_for(self.color)


#: Below this sRGB channel value the WCAG linearization is a straight line (c / 12.92).
SRGB_LINEAR_THRESHOLD = 0.03928


def font_color_for(hex_color):
    try:
        channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    except (TypeError, ValueError):
        return "#000000"
    linear = [c / 12.92 if c <= SRGB_LINEAR_THRESHOLD else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is (1.05)/(L+0.05); with black (L+0.05)/0.05. Pick the larger.
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


class SessionType(EventPart):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="session_types")
    name = models.CharField(max_length=255)
    length = models.CharField(max_length=5, default="00:30", validators=[HH_MM])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Microlocation(EventPart):
    """A room."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="microlocations")
    name = models.CharField(max_length=255)
    room = models.CharField(max_length=255, blank=True)
    floor = models.IntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    position = models.PositiveIntegerField(default=0)
    hidden_in_scheduler = models.BooleanField(default=False)
    # Sessions may overlap here (an exhibition, a poster hall): no room conflict, no refusal.
    allows_parallel = models.BooleanField(default=False, help_text="Sessions may overlap in this room.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Sponsor(EventPart):
    HTML_FIELDS = ("description",)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    url = models.URLField(max_length=500, blank=True)
    level = models.PositiveIntegerField(null=True, blank=True)
    logo_url = models.URLField(max_length=500, blank=True)
    # Made from an uploaded logo by ``events.images`` (not an Open Event field; never written by clients).
    logo_thumbnail_url = models.URLField(max_length=500, blank=True, editable=False)
    type = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["level", "name", "id"]

    def __str__(self):
        return self.name


class SocialLink(EventPart):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="social_links")
    name = models.CharField(max_length=255)
    link = models.URLField(max_length=500)
    identifier = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


def generate_call_hash():
    return secrets.token_urlsafe(24)


class SpeakersCall(EventPart):
    """The call for papers: one live call per event."""

    ONE_PER_EVENT = True

    class Privacy(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"

    HTML_FIELDS = ("announcement",)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers_calls")
    announcement = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    starts_at = models.DateTimeField()
    soft_ends_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField()
    privacy = models.CharField(max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC)
    # The private link's secret; shown to organizers only.
    hash = models.CharField(max_length=64, default=generate_call_hash, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(deleted_at__isnull=True), name="one_live_speakers_call_per_event"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="call_ends_after_start"),
        ]

    def __str__(self):
        return f"Call for speakers of {self.event}"

    def is_open(self, at=None, hash=None):
        """Is the call accepting proposals now (a private call only with its hash)?"""
        at = at or now()
        if not (self.starts_at <= at <= self.ends_at):
            return False
        if self.privacy == self.Privacy.PRIVATE:
            return bool(hash) and secrets.compare_digest(str(hash), self.hash)
        return True


def not_after_next_year(value):
    """A copyright year lies in the past, this year or the next (an event's material is often
    marked with the year the event takes place)."""
    if value > now().year + 1:
        raise ValidationError("The copyright year cannot be more than a year ahead.")


class EventCopyright(EventPart):
    """Who holds the copyright of an event's material, and under which licence: one live row per
    event (``/v1/events/<id>/event-copyright``)."""

    ONE_PER_EVENT = True

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="copyrights")
    holder = models.CharField(max_length=255, blank=True)
    holder_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=255)
    licence_url = models.URLField(max_length=500, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1900), not_after_next_year])
    logo_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "copyright"
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(deleted_at__isnull=True), name="one_live_copyright_per_event"
            ),
        ]

    def __str__(self):
        return f"© {self.year or ''} {self.holder or self.licence}".replace("  ", " ")


# --- forms and reviews --------------------------------------------------------------------------------
class CustomForm(models.Model):
    """One field of an event's session, speaker or attendee form.

    Built-in fields (``is_complex`` false) name a column of the session or speaker row by its
    Open Event identifier (``shortAbstract``); custom fields (``is_complex``) are answered in the
    row's ``complex_field_values`` under their ``field_identifier``. Fixed fields (session title,
    speaker name and e-mail) are always included and required. ``events.form_fields`` knows the
    built-in catalogue and the defaults an event starts with.
    """

    class Form(models.TextChoices):
        SESSION = "session", "Session"
        SPEAKER = "speaker", "Speaker"
        ATTENDEE = "attendee", "Attendee"

    class Type(models.TextChoices):
        TEXT = "text", "Short text"
        PARAGRAPH = "paragraph", "Paragraph"
        RICHTEXTLINK = "richtextlink", "Rich text"
        EMAIL = "email", "E-mail address"
        URL = "url", "Web address"
        NUMBER = "number", "Number"
        YEAR = "year", "Year"
        BOOLEAN = "boolean", "Yes / no"
        SELECT = "select", "Choose one"
        CHECKBOX = "checkbox", "Choose several"
        FILE = "file", "File"
        IMAGE = "image", "Image"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="custom_forms")
    form = models.CharField(max_length=10, choices=Form.choices)
    field_identifier = models.CharField(max_length=100)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.TEXT)
    description = models.TextField(blank=True, max_length=2000, help_text="Help text shown under the field.")
    is_included = models.BooleanField(default=True)
    is_required = models.BooleanField(default=False)
    is_fixed = models.BooleanField(default=False)
    is_public = models.BooleanField(default=False)
    is_complex = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    min = models.IntegerField(null=True, blank=True)
    max = models.IntegerField(null=True, blank=True)
    # The choices of a select or checkbox field, in order.
    options = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["form", "position", "id"]
        verbose_name = "form field"
        constraints = [
            models.UniqueConstraint(fields=["event", "form", "field_identifier"], name="unique_form_field_identifier"),
            models.CheckConstraint(
                condition=Q(is_included=True) | Q(is_required=False), name="form_required_is_included"
            ),
        ]

    def __str__(self):
        return f"{self.get_form_display()} form: {self.name}"


class Reviewer(models.Model):
    """A team member an organizer marked as a reviewer of the event's proposals; with ``tracks``
    they review those tracks' sessions only (a track organizer their tracks), without any they
    review every session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_roles")
    tracks = models.ManyToManyField(Track, blank=True, related_name="reviewers")
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_reviewer_per_event")]

    def __str__(self):
        return f"{self.user} reviews {self.event}"


def default_score_labels():
    return {"0": "No", "1": "Maybe", "2": "Yes", "3": "Must have"}


class ReviewSettings(models.Model):
    """How an event's proposals are reviewed: the score scale and its labels, until when reviews
    may be written or changed, and whether reviewers see the speakers' names. Events without a row
    use the defaults (``events.queries.review_settings``)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="review_settings")
    score_min = models.IntegerField(default=0)
    score_max = models.IntegerField(default=3)
    # Score (as a string) -> label; scores without a label show as numbers.
    score_labels = models.JSONField(default=default_score_labels, blank=True)
    # The end of the review phase: reviews are written and changed until then (null: no end).
    ends_at = models.DateTimeField(null=True, blank=True)
    # Reviewers do not see who proposed a session.
    is_anonymous = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "review settings"
        constraints = [
            models.CheckConstraint(condition=Q(score_max__gt=models.F("score_min")), name="review_scale_not_empty"),
        ]

    def __str__(self):
        return f"Review settings of {self.event}"


class StripeAuthorization(models.Model):
    """An event's connected Stripe account (Stripe Connect, OAuth): what Stripe gave back for the
    organizer's authorization code (``events.services.stripe``). The tokens are sealed
    (``openevent.core.crypto``) and never leave the server: the API shows the publishable key only,
    the admin neither token."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="stripe_authorization")
    #: The connected account (acct_…).
    stripe_user_id = models.CharField("connected account", max_length=255)
    stripe_publishable_key = models.CharField(max_length=255, blank=True)
    access_token_sealed = models.TextField(blank=True, editable=False)
    refresh_token_sealed = models.TextField(blank=True, editable=False)
    livemode = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Stripe account {self.stripe_user_id} of {self.event}"


class UsedStripeState(models.Model):
    """A Stripe Connect ``state`` already redeemed (its SHA-256): each is good for one try only."""

    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=now, editable=False)

    def __str__(self):
        return self.digest
