"""Forms of the organizers' mail pages. They shape input; what makes a wording acceptable is
``organizer.wording_errors``, and the services check it again."""
from django import forms
from django.db.models.functions import Lower

from openevent.users.forms import PageForm
from sessions_app.models import Session

from . import organizer


class WordingForm(PageForm):
    """Subject and text of one action's mail, plain text with ``{placeholder}`` values."""

    action = None

    subject = forms.CharField(
        label="Subject",
        max_length=organizer.SUBJECT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    body = forms.CharField(
        label="Text",
        strip=False,
        max_length=organizer.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}),
        help_text="Plain text. Blank lines separate paragraphs; addresses become links in the HTML mail.",
    )

    def clean(self):
        data = super().clean()
        subject, body = self.data.get("subject", ""), organizer.normalized(self.data.get("body", ""))
        for name, messages in organizer.wording_errors(self.action, subject, body).items():
            for message in messages:
                # Django's own message for the same problem (required, too long) is enough.
                if name not in self.errors:
                    self.add_error(name, message)
        return data


class MailTemplateForm(WordingForm):
    def __init__(self, *args, action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)


class SpeakerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        address = obj.email or (obj.user.email if obj.user_id else "")
        return f"{obj.name} <{address}>" if address else f"{obj.name} (no e-mail address)"


class SpeakerMailForm(WordingForm):
    """Who a mail to the event's speakers reaches (speakers with a session in these states and
    tracks, and the speakers ticked), and what it says. Only the event's speakers and tracks are
    choices: another id is a form error."""

    action = organizer.SPEAKER_MAIL
    field_order = ["states", "tracks", "speakers", "subject", "body"]

    states = forms.MultipleChoiceField(
        label="Speakers of sessions in these states",
        choices=Session.State.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tracks = forms.ModelMultipleChoiceField(
        label="…in these tracks",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="No track ticked: sessions of any track.",
    )
    speakers = SpeakerChoice(
        label="And these speakers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracks"].queryset = event.tracks.order_by("position", "id")
        self.fields["speakers"].queryset = event.speakers.select_related("user").order_by(Lower("name"), "id")

    def clean(self):
        data = super().clean()
        if not (data.get("states") or data.get("tracks") or data.get("speakers")) and not self.has_error("speakers"):
            self.add_error(None, "Choose who gets the mail: session states, tracks or speakers.")
        return data

    def criteria(self):
        data = self.cleaned_data
        return {
            "states": list(data.get("states") or ()),
            "track_ids": [track.pk for track in data.get("tracks") or ()],
            "speaker_ids": [speaker.pk for speaker in data.get("speakers") or ()],
        }
