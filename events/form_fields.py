"""The built-in fields of the session and speaker forms, and the form every event starts with.

Open Event names the built-in fields by camelCase identifiers (``shortAbstract``); each maps to a
column of the session or speaker row. ``default_fields`` gives an event's starting rows (saved by
``create_event``, by the migration for older events, and read in their place where an event has
none yet), so every reader of a form sees the same fields.
"""
from dataclasses import dataclass

from .models import CustomForm

Form = CustomForm.Form
Type = CustomForm.Type


@dataclass(frozen=True)
class BuiltIn:
    identifier: str
    #: The column of the session or speaker row (or the relation: ``track``, ``session_type``).
    column: str
    name: str
    type: str = Type.TEXT
    included: bool = False
    required: bool = False
    public: bool = True
    fixed: bool = False


SESSION = (
    BuiltIn("title", "title", "Title", included=True, required=True, fixed=True),
    BuiltIn("subtitle", "subtitle", "Subtitle"),
    BuiltIn("shortAbstract", "short_abstract", "Short abstract", Type.PARAGRAPH, included=True),
    BuiltIn("longAbstract", "long_abstract", "Long abstract", Type.PARAGRAPH, included=True),
    BuiltIn("comments", "comments", "Comments to the organizers", Type.PARAGRAPH, included=True, public=False),
    BuiltIn("track", "track", "Track", Type.SELECT, included=True),
    BuiltIn("sessionType", "session_type", "Session type", Type.SELECT, included=True),
    BuiltIn("level", "level", "Level"),
    BuiltIn("language", "language", "Language"),
    BuiltIn("slidesUrl", "slides_url", "Slides", Type.URL, included=True),
    BuiltIn("videoUrl", "video_url", "Video", Type.URL),
    BuiltIn("audioUrl", "audio_url", "Audio", Type.URL),
    BuiltIn("website", "website", "Website", Type.URL),
    BuiltIn("facebook", "facebook", "Facebook", Type.URL),
    BuiltIn("twitter", "twitter", "Twitter", Type.URL),
    BuiltIn("github", "github", "GitHub", Type.URL),
    BuiltIn("linkedin", "linkedin", "LinkedIn", Type.URL),
)

SPEAKER = (
    BuiltIn("name", "name", "Name", included=True, required=True, fixed=True),
    BuiltIn("email", "email", "E-mail address", Type.EMAIL, included=True, required=True, public=False, fixed=True),
    BuiltIn("photoUrl", "photo_url", "Photo", Type.IMAGE, included=True),
    BuiltIn("organisation", "organisation", "Organisation", included=True),
    BuiltIn("position", "position", "Position", included=True),
    BuiltIn("address", "address", "Address", Type.PARAGRAPH, public=False),
    BuiltIn("country", "country", "Country", included=True),
    BuiltIn("city", "city", "City"),
    BuiltIn("shortBiography", "short_biography", "Short biography", Type.PARAGRAPH, included=True),
    BuiltIn("longBiography", "long_biography", "Long biography", Type.PARAGRAPH),
    BuiltIn("speakingExperience", "speaking_experience", "Speaking experience", Type.PARAGRAPH, public=False),
    BuiltIn("sponsorshipRequired", "sponsorship_required", "Sponsorship required", Type.PARAGRAPH, public=False),
    BuiltIn("gender", "gender", "Gender", public=False),
    BuiltIn("heardFrom", "heard_from", "Where did you hear of us?", public=False),
    BuiltIn("mobile", "mobile", "Mobile phone", public=False),
    BuiltIn("website", "website", "Website", Type.URL, included=True),
    BuiltIn("facebook", "facebook", "Facebook", Type.URL),
    BuiltIn("twitter", "twitter", "Twitter", Type.URL, included=True),
    BuiltIn("github", "github", "GitHub", Type.URL),
    BuiltIn("linkedin", "linkedin", "LinkedIn", Type.URL),
)

#: form -> the built-in fields of that form, in their default order.
BUILT_IN = {Form.SESSION: SESSION, Form.SPEAKER: SPEAKER}
#: form -> identifier -> BuiltIn.
BY_IDENTIFIER = {form: {field.identifier: field for field in fields} for form, fields in BUILT_IN.items()}


def built_in(form, identifier):
    """The built-in field ``identifier`` of ``form``, or None (a custom field, or unknown)."""
    return BY_IDENTIFIER.get(form, {}).get(identifier)


def default_fields(event, form=None):
    """Unsaved CustomForm rows of ``event``'s starting forms (``form``: one of them only)."""
    forms = [form] if form else list(BUILT_IN)
    return [
        CustomForm(
            event=event,
            form=name,
            field_identifier=field.identifier,
            name=field.name,
            type=field.type,
            is_included=field.included,
            is_required=field.required,
            is_public=field.public,
            is_fixed=field.fixed,
            is_complex=False,
            position=position,
        )
        for name in forms
        for position, field in enumerate(BUILT_IN[name])
    ]
