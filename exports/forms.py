"""The forms of the pages: export (the "Import / export" page of an event) and import."""
from django import forms

from exports.models import ExportJob, ImportJob
from exports.services.exporting import MEDIA_FLAGS
from openevent.users.forms import PageForm

MEDIA_LABELS = {
    "image": "Images (the event's logo and background, speakers' photos, sponsors' logos)",
    "document": "Slides",
    "video": "Videos",
    "audio": "Audio recordings",
}
#: The same, short, as the history's tags of a job's media ("document" is what the zip calls slides).
MEDIA_TAGS = {"image": "Images", "document": "Slides", "video": "Videos", "audio": "Audio recordings"}


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label="Format", choices=ExportJob.Kind.choices, initial=ExportJob.Kind.JSON)
    image = forms.BooleanField(label=MEDIA_LABELS["image"], required=False)
    document = forms.BooleanField(label=MEDIA_LABELS["document"], required=False)
    video = forms.BooleanField(label=MEDIA_LABELS["video"], required=False)
    audio = forms.BooleanField(label=MEDIA_LABELS["audio"], required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def media_flags(self):
        """The media flags of a zip export (ignored for the other formats)."""
        return {flag: self.cleaned_data[flag] for flag in MEDIA_FLAGS}

    def media_fields(self):
        return [self[flag] for flag in MEDIA_FLAGS]


class ImportForm(PageForm):
    file = forms.FileField(label="File", help_text="An Open Event export (.zip) or a frab / C3VOC schedule.")
    kind = forms.ChoiceField(label="Format", choices=ImportJob.Kind.choices, initial=ImportJob.Kind.JSON)
