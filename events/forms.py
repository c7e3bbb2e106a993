"""Forms of the organizer pages. They shape input; the rules live in ``events.services``."""
import datetime
import zoneinfo
from functools import cache

from django import forms
from django.utils.dateparse import parse_datetime

from openevent.users.forms import PageForm

from .models import Event, RoleInvite


@cache
def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


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


class EventForm(PageForm):
    name = forms.CharField(label="Name", max_length=255)
    starts_at = WallClockDateTimeField(label="Starts", help_text="Local time at the event.")
    ends_at = WallClockDateTimeField(label="Ends", help_text="Local time at the event.")
    timezone = forms.ChoiceField(label="Time zone", choices=timezone_choices, initial="UTC")
    location_name = forms.CharField(label="Location", max_length=255, required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 6}))
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
        zone = zoneinfo.ZoneInfo(data["timezone"]) if data.get("timezone") else None
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value is not None and value.tzinfo is None and zone is not None:
                data[name] = value.replace(tzinfo=zone)
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
