"""Forms of the review pages. They shape input; the rules live in ``events.services.reviews`` and
``sessions_app.services.reviews``."""
import datetime

from django import forms

from events.forms import TEXTAREA, WallClockDateTimeField, at_the_event
from events.services.reviews import LABEL_MAX_LENGTH
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.core.zones import time_zone
from openevent.users.forms import PageForm

LABEL_PREFIX = "label_"


class ReviewSettingsForm(PageForm):
    """The scale, a label per score of the scale as it is now, the end of the phase, anonymity."""

    score_min = forms.IntegerField(label="Lowest score", min_value=-100, max_value=100)
    score_max = forms.IntegerField(label="Highest score", min_value=-100, max_value=100)
    ends_at = WallClockDateTimeField(
        label="Reviews end", required=False, help_text="At the event's time; empty: reviews stay open."
    )
    is_anonymous = forms.BooleanField(
        label="Anonymous reviews", required=False, help_text="Reviewers do not see who speaks in a proposal."
    )

    def __init__(self, *args, settings, event, **kwargs):
        zone = time_zone(event.timezone) or datetime.UTC
        initial = {
            "score_min": settings.score_min,
            "score_max": settings.score_max,
            "ends_at": settings.ends_at.astimezone(zone).replace(tzinfo=None) if settings.ends_at else None,
            "is_anonymous": settings.is_anonymous,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.zone = zone
        labels = settings.score_labels or {}
        for score in range(settings.score_min, settings.score_max + 1):
            self.fields[f"{LABEL_PREFIX}{score}"] = forms.CharField(
                label=f"Label of score {score}", required=False, max_length=LABEL_MAX_LENGTH,
                initial=labels.get(str(score), ""),
            )

    def clean(self):
        data = super().clean()
        at_the_event(data, ("ends_at",), self.zone)
        return data

    def service_data(self):
        data = self.cleaned_data
        labels = {
            name.removeprefix(LABEL_PREFIX): value for name, value in data.items() if name.startswith(LABEL_PREFIX)
        }
        return {
            "score_min": data["score_min"],
            "score_max": data["score_max"],
            "score_labels": labels,
            "ends_at": data["ends_at"],
            "is_anonymous": data["is_anonymous"],
        }


class ReviewerForm(PageForm):
    """Mark (or unmark) one team member as a reviewer, of some tracks or all."""

    user = forms.TypedChoiceField(label="Team member", coerce=int)
    is_reviewer = forms.BooleanField(label="Reviews proposals", required=False)
    tracks = forms.TypedMultipleChoiceField(
        label="Tracks", coerce=int, required=False, help_text="None chosen: every track.",
        # Checkboxes: an event has a handful of tracks, and a bare <select multiple> needs Ctrl to
        # pick several (the searchable picker would hide the "every track" hint).
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(user.pk, user.email) for user in members]
        self.fields["tracks"].choices = [(track.pk, track.name) for track in tracks]


class ReviewForm(PageForm):
    """A score on the event's scale and a comment, for one session."""

    session = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(label="Score", coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment", required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=TEXTAREA)

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(score, f"{score} · {label}") for score, label in scale]
