"""Forms of the organizer pages for sessions and speakers. They shape input; the rules live in
``sessions_app.services`` (and ``states`` for the state machine)."""
from django import forms
from django.db.models.functions import Lower

from events.forms import TEXTAREA, ProgramForm, WallClockDateTimeField
from openevent.core.forms import SearchableSelectMultiple
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.users.forms import PageForm

from . import services, states
from .models import Session, Speaker
from .services.listing import ALL, PAGE_SIZES

State = Session.State


SOCIAL_LABELS = {"github": "GitHub", "linkedin": "LinkedIn"}


def _choices(objects, empty):
    return [("", empty)] + [(obj.pk, obj.name) for obj in objects]


class SessionFilterForm(PageForm):
    """The sessions table's search and filters (a GET form). The track, type and room choices
    come from lists the page has already loaded, so validating them costs no query."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, abstract or speaker"}),
    )
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any state"), *State.choices])
    track = forms.TypedChoiceField(label="Track", required=False, coerce=int, empty_value=None)
    type = forms.TypedChoiceField(label="Type", required=False, coerce=int, empty_value=None)
    room = forms.TypedChoiceField(label="Room", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, tracks=(), session_types=(), rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = _choices(tracks, "Any track")
        self.fields["type"].choices = _choices(session_types, "Any type")
        self.fields["room"].choices = _choices(rooms, "Any room")

    def filters(self):
        """The valid, non-empty filters (an invalid one is shown as an error and ignored)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


class PageSizeForm(PageForm):
    """How many sessions a page of the table shows: a GET form of its own, which carries the sort,
    filters and search along as hidden fields and starts again at the first page."""

    size = forms.ChoiceField(
        label="Sessions per page", required=False, choices=[*((str(n), str(n)) for n in PAGE_SIZES), (ALL, "All")]
    )


class BulkStateForm(PageForm):
    """Accept or reject the ticked sessions of one event."""

    ACTIONS = {State.ACCEPTED: "accept", State.REJECTED: "reject"}

    action = forms.ChoiceField(choices=[(state, verb.capitalize()) for state, verb in ACTIONS.items()])
    sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        error_messages={
            "required": "Tick at least one session first.",
            "invalid_choice": "Some of the ticked sessions are not sessions of this event.",
        },
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = (
            Session.objects.filter(event=event).select_related("event").order_by(Lower("title"), "id")
        )


def organizer_targets(session):
    """The states organizers may move ``session`` to, in the order of ``Session.State``."""
    targets = states.ORGANIZER_TRANSITIONS.get(session.state, set())
    return [(value, label) for value, label in State.choices if value in targets]


class SessionStateForm(PageForm):
    state = forms.ChoiceField(label="New state")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = organizer_targets(session)


class SessionForm(ProgramForm):
    """Everything organizers set on a session; track, type, room and speakers come from the
    session's own event, and the state offers only the organizers' transitions."""

    upload_fields = {"slides_url": "file", "video_url": "file", "audio_url": "file"}

    wall_clock_fields = ("starts_at", "ends_at")

    speakers = forms.ModelMultipleChoiceField(
        label="Speakers",
        queryset=Speaker.objects.none(),
        required=False,
        widget=SearchableSelectMultiple(noun="speaker"),
        help_text="Hold Ctrl (⌘ on a Mac) to choose several.",
    )

    class Meta(ProgramForm.Meta):
        model = Session
        fields = [
            "title", "subtitle", "state", "track", "session_type", "microlocation", "starts_at",
            "ends_at", "speakers", "short_abstract", "long_abstract", "comments", "language", "level",
            "slides_url", "video_url", "audio_url", "signup_url", "website", "twitter", "facebook",
            "github", "linkedin", "is_locked",
        ]  # fmt: skip
        labels = {
            "session_type": "Session type",
            "microlocation": "Room",
            "starts_at": "Starts",
            "ends_at": "Ends",
            "slides_url": "Slides URL",
            "video_url": "Video URL",
            "audio_url": "Audio URL",
            "signup_url": "Sign-up URL",
            "is_locked": "Locked",
            **SOCIAL_LABELS,
        }
        help_texts = {
            "starts_at": "Local time at the event; leave both times empty while unscheduled.",
            "ends_at": "Local time at the event.",
            "short_abstract": "Basic formatting (bold, italics, lists, links) is kept.",
        }
        field_classes = {"starts_at": WallClockDateTimeField, "ends_at": WallClockDateTimeField}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        for name, parts, empty in (
            ("track", event.tracks.all(), "No track"),
            ("session_type", event.session_types.all(), "No type"),
            ("microlocation", event.microlocations.all(), "No room yet"),
        ):
            self.fields[name].queryset = parts
            self.fields[name].empty_label = empty
        self.fields["speakers"].queryset = event.speakers.order_by(Lower("name"), "id")
        if self.instance.pk is not None:
            self.initial["speakers"] = [speaker.pk for speaker in self.instance.speakers.all()]
            allowed = {value for value, _ in organizer_targets(self.instance)} | {self.instance.state}
            self.fields["state"].choices = [(value, label) for value, label in State.choices if value in allowed]

    def check(self, data):
        services.check_schedule(self.event, data.get("starts_at"), data.get("ends_at"))


class SpeakerForm(ProgramForm):
    upload_fields = {"photo_url": "image"}

    class Meta(ProgramForm.Meta):
        model = Speaker
        fields = [
            "name", "email", "mobile", "organisation", "position", "country", "city", "address",
            "gender", "photo_url", "short_biography", "long_biography", "speaking_experience",
            "sponsorship_required", "heard_from", "website", "twitter", "facebook", "github",
            "linkedin", "is_featured",
        ]  # fmt: skip
        labels = {
            "email": "E-mail address",
            "photo_url": "Photo",
            "heard_from": "Heard of the event from",
            "is_featured": "Featured",
            **SOCIAL_LABELS,
        }
        help_texts = {
            "email": "Seen by the event's team and the speaker only.",
            "mobile": "Seen by the event's team and the speaker only.",
        }
        widgets = {"address": TEXTAREA, "sponsorship_required": TEXTAREA}


class ReleaseForm(PageForm):
    """The optional comment of a schedule release (kept with the version, shown in its history)."""

    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what this version changes, for the team's history.",
    )
