"""Forms of the organizer pages. They shape input; the rules live in ``events.services``."""
import copy
import datetime
import zoneinfo
from functools import cache

import pycountry
from django import forms
from django.db import models
from django.utils.dateparse import parse_datetime

from openevent.core.errors import ServiceError
from openevent.core.forms import RichTextarea
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.core.zones import zone_names
from openevent.users.forms import PageForm, use_upload_fields

from . import services
from .models import (
    Event,
    Microlocation,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
)


@cache
def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zone_names())]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock at the event: naive until the form knows the event's zone.

    Django's DateTimeField would read it in the server's zone; an organizer in Jakarta means
    Jakarta time, so the form attaches the chosen time zone itself (see ``EventForm.clean``).
    """

    widget = DateTimeLocalInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        try:
            result = parse_datetime(value.strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:
            result = forms.fields.BaseTemporalField.to_python(self, value)
        return result


def at_the_event(data, names, zone):
    """Read the naive wall-clock times ``data[name]`` as times in ``zone`` (in place).

    A time that is no time in UTC (the first hours of year 1 east of Greenwich, the last of 9999
    west of it) cannot be stored: ValidationError on its field."""
    for name in names:
        value = data.get(name)
        if value is not None and value.tzinfo is None:
            data[name] = value.replace(tzinfo=zone)
            try:
                data[name].astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError({name: "Choose a date between the years 1 and 9999."}) from None
    return data


class EventForm(PageForm):
    rich_text_fields = Event.HTML_FIELDS

    name = forms.CharField(label="Name", max_length=255)
    starts_at = WallClockDateTimeField(label="Starts", help_text="Local time at the event.")
    ends_at = WallClockDateTimeField(label="Ends", help_text="Local time at the event.")
    timezone = forms.ChoiceField(label="Time zone", choices=timezone_choices, initial="UTC")
    location_name = forms.CharField(label="Location", max_length=255, required=False)
    description = forms.CharField(label="Description", required=False, max_length=LONG_TEXT_MAX_LENGTH)
    privacy = forms.ChoiceField(
        label="Privacy",
        choices=Event.Privacy.choices,
        initial=Event.Privacy.PUBLIC,
        widget=forms.RadioSelect,
        help_text="Private events are listed nowhere; only people with the link find them.",
    )
    state = forms.ChoiceField(
        label="State",
        choices=Event.State.choices,
        initial=Event.State.DRAFT,
        widget=forms.RadioSelect,
        help_text="Drafts are seen only by co-organizers and up.",
    )

    def clean(self):
        data = super().clean()
        if data.get("timezone"):
            at_the_event(data, ("starts_at", "ends_at"), zoneinfo.ZoneInfo(data["timezone"]))
        return data


class InviteForm(PageForm):
    """Invite someone; ``roles`` are the roles the inviting user may hand out at this event."""

    email = forms.EmailField(label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        # No preselected role: handing out "owner" by accident must take a deliberate choice.
        self.fields["role"].choices = [("", "Choose a role…")] + [(role.name, role.title_name) for role in roles]


class AnswerInviteForm(PageForm):
    status = forms.ChoiceField(
        choices=[(RoleInvite.Status.ACCEPTED, "Accept"), (RoleInvite.Status.DECLINED, "Decline")]
    )


# --- the program's pages ------------------------------------------------------------------------
def program_formfield(model_field, **kwargs):
    """Form fields of the program forms: a URL typed without a scheme means https (Django 6's
    default, and no deprecation warning from Django 5); the fields a model keeps as HTML
    (``HTML_FIELDS``) are edited with the rich-text editor."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if model_field.name in getattr(model_field.model, "HTML_FIELDS", ()):
        kwargs.setdefault("widget", RichTextarea)
    return model_field.formfield(**kwargs)


class ProgramForm(forms.ModelForm):
    """A form of the program pages: the model's validators check the input, a service writes it.

    It never saves. It validates a copy of ``instance``, because a model form writes the new
    values onto its instance and the services compare the stored object with what they are given.
    Date-times (``wall_clock_fields``) are read and shown as clock times at ``event``.
    """

    wall_clock_fields = ()
    #: Fields with the upload widget: name -> "image" or "file" (``use_upload_fields``).
    upload_fields = {}

    class Meta:
        """Subclasses' ``Meta`` inherit from this one."""

        formfield_callback = program_formfield

    def __init__(self, *args, event, instance=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.event = event
        self.zone = zoneinfo.ZoneInfo(event.timezone)
        use_upload_fields(self.fields, self.upload_fields)
        for name in self.wall_clock_fields:
            value = self.initial.get(name)
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                self.initial[name] = value.astimezone(self.zone).replace(tzinfo=None)

    add_service_error = PageForm.add_service_error

    def clean(self):
        data = at_the_event(super().clean(), self.wall_clock_fields, self.zone)
        try:
            self.check(data)
        except ServiceError as error:
            self.add_service_error(error)
        return data

    def check(self, data):
        """Ask the service's own rules early, where an error belongs to a field the model also
        constrains (an end after the start), so it is shown on that field."""

    def save(self, commit=True):
        raise NotImplementedError("Program pages write through a service, never through the form.")


TEXTAREA = forms.Textarea(attrs={"rows": 4})


class TrackForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        model = Track
        fields = ["name", "description", "color", "position"]
        labels = {"color": "Colour"}
        help_texts = {"position": "Tracks are listed by position, lowest first."}
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}


class SessionTypeForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        model = SessionType
        fields = ["name", "length", "position"]
        help_texts = {"length": "Hours and minutes, as HH:MM (for example 00:45)."}
        widgets = {"length": forms.TextInput(attrs={"placeholder": "HH:MM", "inputmode": "numeric"})}


class MicrolocationForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        model = Microlocation
        fields = [
            "name", "room", "floor", "latitude", "longitude", "position", "hidden_in_scheduler", "allows_parallel",
        ]  # fmt: skip
        labels = {
            "room": "Room number or label",
            "hidden_in_scheduler": "Hidden in the scheduler",
            "allows_parallel": "Allows parallel sessions",
        }
        help_texts = {"allows_parallel": "For exhibitions and poster halls: sessions may overlap in this room."}


class SponsorForm(ProgramForm):
    upload_fields = {"logo_url": "image"}

    class Meta(ProgramForm.Meta):
        model = Sponsor
        fields = ["name", "description", "url", "level", "type", "logo_url"]
        labels = {"url": "Website", "logo_url": "Logo"}
        help_texts = {
            "level": "Sponsors are listed by level, lowest first.",
            "logo_url": "Upload an image, or give the address of one.",
        }


class SocialLinkForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        model = SocialLink
        fields = ["name", "link", "identifier"]
        help_texts = {"identifier": "The account name, for example @fossasia."}


class SpeakersCallForm(ProgramForm):
    wall_clock_fields = ("starts_at", "soft_ends_at", "ends_at")

    class Meta(ProgramForm.Meta):
        model = SpeakersCall
        fields = ["announcement", "starts_at", "soft_ends_at", "ends_at", "privacy"]
        labels = {"starts_at": "Opens", "soft_ends_at": "Soft deadline", "ends_at": "Closes"}
        help_texts = {
            "starts_at": "Local time at the event.",
            "soft_ends_at": "Optional; the date announced to speakers, before the call closes.",
            "ends_at": "Local time at the event.",
            "privacy": "A private call takes proposals only through its private link.",
        }
        field_classes = dict.fromkeys(("starts_at", "soft_ends_at", "ends_at"), WallClockDateTimeField)
        widgets = {"privacy": forms.RadioSelect}

    def check(self, data):
        services.check_call_times(data.get("starts_at"), data.get("soft_ends_at"), data.get("ends_at"))


# --- the event's settings page --------------------------------------------------------------------
@cache
def country_choices():
    return [("", "—"), *sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])]


@cache
def currency_choices():
    return [("", "—"), *sorted((c.alpha_3, f"{c.alpha_3} – {c.name}") for c in pycountry.currencies)]


def like_description(label, help_text=""):
    """A paragraph field of the event (HTML, sanitized by the service); ``EventForm.rich_text_fields``
    gives it the rich-text editor, as it gives ``description``."""
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=LONG_TEXT_MAX_LENGTH)


def switch(label, help_text=""):
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def url(label, help_text=""):
    return forms.URLField(label=label, required=False, max_length=500, assume_scheme="https", help_text=help_text)


def details(label):
    return forms.CharField(
        label=label, required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventSettingsForm(EventForm):
    """Every setting of an existing event, in ``SECTIONS``. Publishing has its own button (the
    state is not a field here); the admin-curation flags are fields for administrators only."""

    online = switch("Online event", "Takes place online; an online event needs no location.")
    latitude = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)
    is_map_shown = switch("Show a map of the location")
    external_event_url = url("External event website")
    logo_url = url("Logo", "Upload an image, or give the address of one.")
    original_image_url = url(
        "Event image", "A wide picture for the event's page; thumbnails are made from an uploaded one."
    )
    has_owner_info = switch("Show information about the organizer")
    owner_name = forms.CharField(label="Organizer name", max_length=255, required=False)
    owner_description = like_description("About the organizer")
    code_of_conduct = like_description("Code of conduct")
    is_sessions_speakers_enabled = switch("Sessions and speakers", "Take proposals and publish a program.")
    is_sponsors_enabled = switch("Sponsors", "List the event's sponsors.")
    payment_currency = forms.ChoiceField(label="Currency", choices=currency_choices, required=False)
    payment_country = forms.ChoiceField(label="Country", choices=country_choices, required=False)
    can_pay_by_stripe = switch("Card payments through Stripe")
    can_pay_by_omise = switch("Payments through Omise")
    can_pay_by_paypal = switch("PayPal")
    paypal_email = forms.EmailField(label="PayPal e-mail address", required=False)
    can_pay_by_cheque = switch("Cheque")
    cheque_details = details("Cheque details")
    can_pay_by_bank = switch("Bank transfer")
    bank_details = details("Bank details")
    can_pay_onsite = switch("On site")
    onsite_details = details("On-site payment details")
    is_tax_enabled = switch("Prices include tax")
    refund_policy = details("Refund policy")
    is_featured = switch("Featured", "Administrators only.")
    is_promoted = switch("Promoted", "Administrators only.")

    upload_fields = {"logo_url": "image", "original_image_url": "image"}

    SECTIONS = (
        ("Basics", ("name", "starts_at", "ends_at", "timezone", "description", "privacy")),
        ("Location", ("online", "location_name", "latitude", "longitude", "is_map_shown")),
        ("Links and images", ("external_event_url", "logo_url", "original_image_url")),
        ("Organizer", ("has_owner_info", "owner_name", "owner_description")),
        ("Code of conduct", ("code_of_conduct",)),
        ("Features", ("is_sessions_speakers_enabled", "is_sponsors_enabled")),
        ("Payment", (
            "payment_currency", "payment_country",
            "can_pay_by_stripe", "can_pay_by_omise",
            *[name for pair in services.PAYMENT_METHOD_DETAILS.items() for name in pair],
            "is_tax_enabled", "refund_policy",
        )),
        ("Curation", services.ADMIN_ONLY_EVENT_FIELDS),
    )  # fmt: skip

    def __init__(self, *args, event, admin=False, **kwargs):
        super().__init__(*args, initial=self.initial_for(event), **kwargs)
        del self.fields["state"]
        if not admin:
            for name in services.ADMIN_ONLY_EVENT_FIELDS:
                del self.fields[name]

    def initial_for(self, event):
        """The event's values, its times as clocks at the event show them."""
        zone = zoneinfo.ZoneInfo(event.timezone)
        initial = {name: getattr(event, name) for name in self.base_fields if hasattr(event, name)}
        for name in ("starts_at", "ends_at"):
            initial[name] = getattr(event, name).astimezone(zone).replace(tzinfo=None)
        return initial

    def sections(self):
        """``(title, visible bound fields)`` of each section that has a field for this user; a
        field that no section names (one added to ``EventForm`` later) is shown under "More"."""
        named = {name for _, names in self.SECTIONS for name in names}
        unnamed = tuple(field.name for field in self.visible_fields() if field.name not in named)
        for title, names in (*self.SECTIONS, ("More", unnamed)):
            fields = [self[name] for name in names if name in self.fields and not self[name].is_hidden]
            if fields:
                yield title, fields


class HandOverForm(PageForm):
    """Choose the team member who becomes the event's owner."""

    user = forms.TypedChoiceField(label="New owner", coerce=int)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a member…")] + [
            (user.pk, f"{user.display_name} <{user.email}>") for user in members
        ]


class RoleChangeForm(PageForm):
    """The new role of one team member; ``roles``: the roles this member may be given."""

    role = forms.ChoiceField(label="Role")

    def __init__(self, *args, roles=(), label="Role", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.name, role.title_name) for role in roles]
        self.fields["role"].label = label
