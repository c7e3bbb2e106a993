"""The proposal form of the call for papers, built from an event's session and speaker forms
(``events.queries.form_fields``): the included fields in their order, each with the widget of its
type, its help text and its required mark; then co-speakers by e-mail.

The form only shapes the answers (``session_data``, ``speaker_data``); the services decide
whether they are acceptable (required fields, types, the call's dates) and their refusals come
back on the fields that caused them (``add_service_errors``).
"""
from django import forms

from events.form_fields import built_in
from events.models import CustomForm
from openevent.core.errors import FieldErrors
from openevent.core.forms import RichTextarea
from openevent.users.forms import upload_attrs

from .models import Session, Speaker

Type = CustomForm.Type
Form = CustomForm.Form
MODELS = {Form.SESSION: Session, Form.SPEAKER: Speaker}
#: How many co-speaker rows the form offers.
CO_SPEAKER_ROWS = 3
RICH = {Type.PARAGRAPH, Type.RICHTEXTLINK}
#: Built-in relations chosen from the event's own parts.
RELATIONS = {"track": "tracks", "session_type": "session_types"}


def field_name(form, identifier):
    return f"{form}-{identifier}"


#: The session columns whose address may be a file uploaded with the form (the upload widget).
MEDIA_COLUMNS = {"slides_url", "video_url", "audio_url"}


class ProposalForm(forms.Form):
    """``session_fields`` and ``speaker_fields`` are the event's form rows (``form_fields``);
    ``speaker_fields`` None leaves the speaker part out. ``account`` fixes the speaker's e-mail
    address to the account's."""

    template_name = "sessions_app/includes/proposal_form.html"

    def __init__(self, event, session_fields, speaker_fields=None, *, account=None, co_speakers=True, **kwargs):
        super().__init__(**kwargs)
        self.event = event
        self.parts = {Form.SESSION: [], Form.SPEAKER: []}
        #: form name -> column or answer key -> the form field's name
        self.names = {Form.SESSION: {}, Form.SPEAKER: {}}
        for form, rows in ((Form.SESSION, session_fields), (Form.SPEAKER, speaker_fields or [])):
            for row in rows:
                if row.is_included:
                    self._add(form, row, account)
        self.co_speaker_rows = []
        if co_speakers:
            for index in range(CO_SPEAKER_ROWS):
                self.fields[f"co_speaker_name_{index}"] = forms.CharField(
                    label="Name", required=False, max_length=255
                )
                self.fields[f"co_speaker_email_{index}"] = forms.EmailField(label="E-mail address", required=False)
                self.co_speaker_rows.append((f"co_speaker_name_{index}", f"co_speaker_email_{index}"))

    # --- building --------------------------------------------------------------------------------
    def _add(self, form, row, account):
        catalogue = None if row.is_complex else built_in(form, row.field_identifier)
        if not row.is_complex and catalogue is None:
            return  # a built-in field this server does not know: nothing to ask
        name = field_name(form, row.field_identifier)
        column = catalogue.column if catalogue else None
        field = self._field(form, row, column)
        field.required = bool(row.is_required)
        # The visible mark; ``required`` and ``aria-required`` tell assistive technology.
        field.label = f"{row.name} *" if field.required else row.name
        field.help_text = row.description
        if field.required:
            field.widget.attrs["aria-required"] = "true"
        if form == Form.SPEAKER and column == "email" and account is not None:
            field.disabled = True
            field.initial = account.email
            field.help_text = field.help_text or "The address of your account."
        self.fields[name] = field
        self.parts[form].append((name, row, column))
        self.names[form][column or f"complex_field_values.{row.field_identifier}"] = name

    def _field(self, form, row, column):  # noqa: PLR0911 - one return per field type
        if column in RELATIONS:
            parts = getattr(self.event, RELATIONS[column]).all()
            return forms.ModelChoiceField(queryset=parts, empty_label="Choose…")
        bounds = {key: value for key, value in (("min", row.min), ("max", row.max)) if value is not None}
        kind = row.type
        if kind in RICH:
            return forms.CharField(widget=RichTextarea(), max_length=self._max_length(form, column))
        if kind == Type.EMAIL:
            return forms.EmailField()
        if kind in (Type.FILE, Type.IMAGE):
            return forms.URLField(
                max_length=500, assume_scheme="https", widget=forms.URLInput(attrs=upload_attrs(kind))
            )
        if kind == Type.URL:
            # Slides, video and audio addresses may also be files uploaded here.
            attrs = upload_attrs("file") if column in MEDIA_COLUMNS else {}
            return forms.URLField(max_length=500, assume_scheme="https", widget=forms.URLInput(attrs=attrs))
        if kind == Type.NUMBER:
            # step "any": the arrows and keys move by 1, while decimals stay allowed (Django's
            # own step for ten decimal places, 1e-10, made every arrow press a no-op to the eye).
            return forms.DecimalField(
                min_value=bounds.get("min"), max_value=bounds.get("max"), decimal_places=10, max_digits=25,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        if kind == Type.YEAR:
            return forms.IntegerField(min_value=bounds.get("min", 1000), max_value=bounds.get("max", 9999))
        if kind == Type.BOOLEAN:
            return forms.BooleanField()
        if kind == Type.SELECT:
            return forms.ChoiceField(choices=[("", "Choose…"), *((option, option) for option in row.options)])
        if kind == Type.CHECKBOX:
            return forms.MultipleChoiceField(
                choices=[(option, option) for option in row.options], widget=forms.CheckboxSelectMultiple
            )
        return forms.CharField(max_length=self._max_length(form, column) or 1000)

    @staticmethod
    def _max_length(form, column):
        if column is None:
            return None
        return MODELS[form]._meta.get_field(column).max_length

    # --- reading ---------------------------------------------------------------------------------
    def invalid_labels(self):
        """The labels of the fields that have errors, in the form's order (for the summary above it)."""
        return [str(self[name].label).removesuffix(" *") for name in self.fields if name in self.errors]

    def part_fields(self, form):
        return [self[name] for name, _row, _column in self.parts[form]]

    def session_fields(self):
        return self.part_fields(Form.SESSION)

    def speaker_fields(self):
        return self.part_fields(Form.SPEAKER)

    def co_speaker_fields(self):
        return [(self[name], self[email]) for name, email in self.co_speaker_rows]

    @staticmethod
    def _answer(value):
        """A custom answer as the services store it (numbers as numbers, not Decimals)."""
        if hasattr(value, "as_integer_ratio") and not isinstance(value, (int, float)):
            return int(value) if value == int(value) else float(value)
        return value

    def data_of(self, form):
        """The cleaned answers of one part: built-in columns, custom answers under
        ``complex_field_values`` (empty answers left out). The fixed e-mail address is the
        services' to set."""
        data, answers = {}, {}
        for name, row, column in self.parts[form]:
            field = self.fields[name]
            if field.disabled:
                continue
            value = self.cleaned_data.get(name)
            if column is not None:
                data[column] = "" if value is None and column not in RELATIONS else value
            elif value not in (None, "", [], False) or (
                row.type == Type.BOOLEAN and value is False and name in self.data
            ):
                answers[row.field_identifier] = self._answer(value)
        if any(row.is_complex for _name, row, _column in self.parts[form]):
            data["complex_field_values"] = answers
        return data

    def session_data(self):
        return self.data_of(Form.SESSION)

    def speaker_data(self):
        return self.data_of(Form.SPEAKER)

    def co_speakers(self):
        rows = []
        for name, email in self.co_speaker_rows:
            if self.cleaned_data.get(email):
                rows.append((self.cleaned_data.get(name) or "", self.cleaned_data[email]))
        return rows

    def clean(self):
        cleaned = super().clean()
        for name, email in self.co_speaker_rows:
            if cleaned.get(name) and not cleaned.get(email) and email not in self.errors:
                self.add_error(email, "Give the co-speaker's e-mail address: the invitation goes there.")
        return cleaned

    # --- errors from the services ----------------------------------------------------------------
    def add_service_errors(self, error):
        """Show a service's refusal on the fields it names (``session.<column>``,
        ``speaker.complex_field_values.<identifier>``, ``co_speakers.<index>.email``…); the rest
        above the form."""
        errors = error.errors if isinstance(error, FieldErrors) else {error.field or "": error.message}
        for key, message in errors.items():
            self.add_error(self._field_for(key), message)

    def _field_for(self, key):
        part, _dot, rest = (key or "").partition(".")
        if part in self.names and rest in self.names[part]:
            name = self.names[part][rest]
            if not self.fields[name].disabled:
                return name
        if part == "co_speakers":
            index, _dot, attribute = rest.partition(".")
            candidate = f"co_speaker_{'name' if attribute == 'name' else 'email'}_{index}"
            if candidate in self.fields:
                return candidate
        return None


def initial_of(form_fields, form, row):
    """Initial values of one part of a ``ProposalForm`` from a saved session or speaker ``row``."""
    initial = {}
    answers = row.complex_field_values or {}
    for field in form_fields:
        if not field.is_included:
            continue
        name = field_name(form, field.field_identifier)
        if field.is_complex:
            if field.field_identifier in answers:
                initial[name] = answers[field.field_identifier]
            continue
        catalogue = built_in(form, field.field_identifier)
        if catalogue is not None:
            value = getattr(row, f"{catalogue.column}_id", None) if catalogue.column in RELATIONS else None
            initial[name] = value if catalogue.column in RELATIONS else getattr(row, catalogue.column, "")
    return initial
