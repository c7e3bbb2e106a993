"""Custom forms: which fields an event's session and speaker forms ask, and checking the answers.

Organizers (co-organizer and up, ``rules.can_manage_program_part``) shape the forms: include,
require or publish a built-in field, add custom fields and order them. Fixed fields (session title,
speaker name and e-mail) stay included and required. Every way a session or speaker is written —
the API, the pages, the import — checks its answers here (``check_answers``): custom answers are
kept in ``complex_field_values`` under the field's identifier, typed and size-capped; unknown keys
are refused; answers to fields since deleted are kept as they were (shown as archived).
"""
import json
import math
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import storages
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from openevent.core.errors import Conflict, FieldErrors, Invalid, NotAllowed
from openevent.core.html import sanitize_html
from openevent.core.signals import send_after_commit
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.uploads.services import open_upload, url_of

from .. import permissions as rules
from .. import signals
from ..form_fields import built_in, default_fields
from ..models import CustomForm
from ..queries import form_fields

Form = CustomForm.Form
Type = CustomForm.Type

#: A custom field's identifier: lowercase letters, digits and dashes, starting with a letter.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9-]{0,99}$")
TAGS = re.compile(r"<[^>]*>")
NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
NUMBER_LIMIT = 10**15
YEARS = (1000, 9999)
NAME_MAX_LENGTH = 255
HELP_MAX_LENGTH = 2000
URL_MAX_LENGTH = 500
#: What a caller may set on a form field.
FIELD_ATTRIBUTES = {
    "form", "field_identifier", "name", "type", "description", "is_included", "is_required", "is_public",
    "is_complex", "is_fixed", "position", "min", "max", "options",
}  # fmt: skip
MAX_CUSTOM_FIELDS = 50
#: The largest body a save of a whole form may send (the page's JSON, the API's document): 50
#: custom fields with 100 choices each fit well below.
MAX_FORM_BODY_BYTES = 512 * 1024
#: What each attribute of a field must be in the values a caller sends, before anything reads
#: them (JSON from the page or the API: a number for a label, a text for a flag…).
TEXT_ATTRIBUTES = ("form", "field_identifier", "name", "type", "description")
FLAG_ATTRIBUTES = ("is_included", "is_required", "is_public", "is_complex", "is_fixed")
NUMBER_ATTRIBUTES = ("position", "min", "max")
INT_LIMIT = 2**31
MAX_OPTIONS = 100
MAX_OPTION_LENGTH = 200
#: The longest answer to a short-text field; paragraphs may be as long as an abstract.
TEXT_MAX_LENGTH = 1000
#: All custom answers of one session or speaker together, as JSON.
ANSWERS_MAX_BYTES = 64 * 1024
#: Types whose answers have bounds (a number's value, a year, a text's length).
BOUNDED = {Type.NUMBER, Type.YEAR, Type.TEXT, Type.PARAGRAPH, Type.RICHTEXTLINK}
CHOICES = {Type.SELECT, Type.CHECKBOX}
#: Forms organizers may shape: attendee forms come with ticket sales, which this server leaves out.
EDITABLE_FORMS = (Form.SESSION, Form.SPEAKER)


# --- shaping the forms -------------------------------------------------------------------------------
def _require_manager(actor, event):
    if not rules.can_manage_program_part(actor, event, CustomForm):
        raise NotAllowed("You may not change the forms of this event.")


def _check_form_name(form):
    if form not in EDITABLE_FORMS:
        if form == Form.ATTENDEE:
            raise Invalid("Attendee forms come with ticket sales, which this server does not run.", field="form")
        raise Invalid(f"'{form}' is not a form; use session or speaker.", field="form")


@transaction.atomic
def ensure_form(event, form):
    """The saved rows of ``event``'s ``form``, creating the starting fields where it has none (the
    rows are locked for the caller's transaction, so two first saves cannot both create them)."""
    _check_form_name(form)
    rows = list(CustomForm.objects.select_for_update().filter(event=event, form=form).order_by("position", "id"))
    if not rows:
        rows = CustomForm.objects.bulk_create(default_fields(event, form))
    return rows


def unique_identifier(name, taken):
    """An identifier for a new custom field called ``name``, not in ``taken``."""
    base = (slugify(name)[:90].strip("-") or "field").lower()
    if not base[0].isalpha():
        base = f"field-{base}"
    candidate, number = base, 2
    while candidate in taken or built_in(Form.SESSION, candidate) or built_in(Form.SPEAKER, candidate):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _clean_options(options):
    if not isinstance(options, list) or not all(isinstance(option, str) for option in options):
        raise ValueError("Options are a list of texts.")
    cleaned = [option.strip() for option in options]
    if not cleaned or any(not option for option in cleaned):
        raise ValueError("Give every choice a text, and at least one choice.")
    if len(cleaned) > MAX_OPTIONS:
        raise ValueError(f"A field offers at most {MAX_OPTIONS} choices.")
    if any(len(option) > MAX_OPTION_LENGTH for option in cleaned):
        raise ValueError(f"A choice is at most {MAX_OPTION_LENGTH} characters long.")
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("Each choice appears once.")
    return cleaned


def _label_errors(row, errors):
    row.name = (row.name or "").strip()
    if not row.name:
        errors["name"] = "Give the field a label."
    elif len(row.name) > NAME_MAX_LENGTH:
        errors["name"] = f"A label is at most {NAME_MAX_LENGTH} characters long."
    if row.type not in Type.values:
        errors["type"] = f"'{row.type}' is not a field type."
    if len(row.description or "") > HELP_MAX_LENGTH:
        errors["description"] = f"Help text is at most {HELP_MAX_LENGTH} characters long."


def _identity_errors(row, errors):
    """A custom field has an identifier of its own; a built-in one keeps its catalogue's type and,
    when fixed, stays included and required."""
    catalogue = built_in(row.form, row.field_identifier)
    if row.is_complex:
        row.is_fixed = False
        if not IDENTIFIER.match(row.field_identifier or ""):
            errors["field_identifier"] = "Use lowercase letters, digits and dashes, starting with a letter."
        elif catalogue is not None:
            errors["field_identifier"] = f"'{row.field_identifier}' is a built-in field."
        return
    if catalogue is None:
        errors["field_identifier"] = f"'{row.field_identifier}' is not a built-in field of the {row.form} form."
        return
    if row.type != catalogue.type:
        errors["type"] = "The type of a built-in field cannot change."
    row.is_fixed = catalogue.fixed
    if catalogue.fixed and not (row.is_included and row.is_required):
        errors["is_required"] = f"{catalogue.name} is always included and required."


def _option_errors(row, errors):
    if row.type not in CHOICES or not row.is_complex:
        row.options = []
        return
    try:
        row.options = _clean_options(row.options)
    except ValueError as error:
        errors["options"] = str(error)


def _bound_errors(row, errors):
    if row.type not in BOUNDED:
        row.min = row.max = None
        return
    for bound in ("min", "max"):
        value = getattr(row, bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            errors[bound] = "Give a whole number."
    if not errors.keys() & {"min", "max"} and None not in (row.min, row.max) and row.min > row.max:
        errors["max"] = "The maximum cannot be below the minimum."


def row_errors(row):
    """What is wrong with the form field ``row`` (attribute -> message); fixes what needs no
    asking (only choice fields keep options, only bounded types bounds)."""
    errors = {}
    _label_errors(row, errors)
    _identity_errors(row, errors)
    if row.is_required and not row.is_included:
        errors["is_included"] = "A required field must be included."
    _option_errors(row, errors)
    _bound_errors(row, errors)
    return errors


def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < INT_LIMIT


def _value_error(name, value):
    """Why ``value`` is of the wrong kind for the attribute ``name`` (or None)."""
    if name in TEXT_ATTRIBUTES and not isinstance(value, str):
        return "Give a text."
    if name in FLAG_ATTRIBUTES and not isinstance(value, bool):
        return "Give true or false."
    if name in NUMBER_ATTRIBUTES and value is not None and not _whole_number(value):
        return "Give a whole number (or leave it empty)." if name in ("min", "max") else "Give a whole number."
    if name == "id" and value is not None and not (_whole_number(value) or _is_digits(value)):
        return "This field is not part of this form."
    return None


def _is_digits(value):
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < len(str(INT_LIMIT))


def value_errors(data):
    """The attributes of ``data`` (one field's values, as a caller sends them) whose kind is wrong,
    attribute -> message: texts, true/false flags, whole numbers; an ``id`` is a whole number or
    its digits. Every write of a field checks here first (``create_field``, ``update_field``,
    each row of ``save_form``), so no service reads a value of a kind it does not expect."""
    errors = {}
    for name, value in data.items():
        message = _value_error(name, value)
        if message:
            errors[name] = message
    return errors


def _check_values(data):
    errors = value_errors(data)
    if errors:
        raise FieldErrors(errors)


def _apply(row, data):
    for name, value in data.items():
        setattr(row, name, value)


def _check_known(data):
    unknown = set(data) - FIELD_ATTRIBUTES
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(f"'{name}' cannot be set here.", field=name)


def _save_row(row):
    errors = row_errors(row)
    if errors:
        raise FieldErrors(errors)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(f"The {row.form} form already has a field '{row.field_identifier}'.",
                       field="field_identifier") from None
    return row


@transaction.atomic
def create_field(actor, event, data):
    """Add a field to one of ``event``'s forms. A custom field (``is_complex``, the default for an
    identifier that is not built in) gets an identifier from its name when it has none. Sending a
    built-in field the form already has changes that row (clients that build a new event's forms
    send every field, and ours exist from the start). Returns ``(field, created)``."""
    _require_manager(actor, event)
    data = dict(data)
    _check_known(data)
    _check_values(data)
    form = data.pop("form", None) or Form.SESSION
    rows = ensure_form(event, form)
    identifier = data.get("field_identifier") or ""
    existing = next((row for row in rows if row.field_identifier == identifier), None)
    if existing is not None and not existing.is_complex:
        data.pop("is_complex", None)
        return update_field(actor, existing, data), False
    if existing is not None:
        raise Conflict(f"The {form} form already has a field '{identifier}'.", field="field_identifier")
    is_complex = data.pop("is_complex", None)
    if is_complex is None:
        is_complex = built_in(form, identifier) is None
    if not is_complex:
        raise Invalid(f"The {form} form has all its built-in fields already.", field="field_identifier")
    if sum(row.is_complex for row in rows) >= MAX_CUSTOM_FIELDS:
        raise Invalid(f"A form holds at most {MAX_CUSTOM_FIELDS} custom fields.", field="form")
    if not identifier:
        data["field_identifier"] = unique_identifier(data.get("name") or "", {row.field_identifier for row in rows})
    data.setdefault("position", max((row.position for row in rows), default=-1) + 1)
    data.pop("is_fixed", None)
    row = CustomForm(event=event, form=form, is_complex=True, **data)
    _save_row(row)
    send_after_commit(signals.part_created, CustomForm, part=row, actor=actor)
    return row, True


@transaction.atomic
def update_field(actor, row, data):
    """Change one form field; it stays in its event, form and kind (built-in or custom)."""
    _require_manager(actor, row.event)
    data = dict(data)
    event = data.pop("event", row.event)
    if event.pk != row.event_id:
        raise NotAllowed("A form field cannot move to another event.", field="event")
    _check_known(data)
    _check_values(data)
    for name, label in (("form", "form"), ("is_complex", "kind"), ("is_fixed", "fixedness")):
        if name in data and data.pop(name) != getattr(row, name):
            raise NotAllowed(f"A field's {label} cannot change.", field=name)
    if not row.is_complex and data.get("field_identifier", row.field_identifier) != row.field_identifier:
        raise NotAllowed("A built-in field's identifier cannot change.", field="field_identifier")
    _apply(row, data)
    _save_row(row)
    send_after_commit(signals.part_updated, CustomForm, part=row, actor=actor)
    return row


@transaction.atomic
def delete_field(actor, row):
    """Delete a custom field. Its answers stay in the sessions' and speakers' stored values (the
    pages show them as archived); built-in fields are left out of a form, not deleted."""
    _require_manager(actor, row.event)
    if not row.is_complex:
        raise NotAllowed("Built-in fields cannot be deleted; leave them out of the form instead.")
    row.delete()
    send_after_commit(signals.part_deleted, CustomForm, part=row, actor=actor, permanent=True)


def _form_row(event, form, data, existing, seen):
    """The CustomForm a row of ``save_form`` describes, changed as it asks (not saved), or the
    messages why it cannot be (attribute -> message). Returns ``(row, errors)``."""
    wrong = dict.fromkeys(sorted(set(data) - FIELD_ATTRIBUTES - {"id"}), "This cannot be set here.")
    wrong.update(value_errors(data))
    if wrong:
        return None, wrong
    pk = data.pop("id", None)
    for name in ("form", "is_fixed"):
        data.pop(name, None)
    if pk is None and data.get("is_complex", True) is not True:
        pk = _built_in_pk(existing, data.get("field_identifier"))
        if pk is None:
            return None, {"field_identifier": f"Not a built-in field of the {form} form (new fields are custom)."}
    if pk is None:
        data.pop("is_complex", None)
        row = CustomForm(event=event, form=form, is_complex=True)
    else:
        row = existing.get(int(pk))
        if row is None:
            return None, {"id": "This field is not part of this form."}
        if row.pk in seen:
            return None, {"id": "This field appears twice."}
        seen.add(row.pk)
        data.pop("is_complex", None)
        if not row.is_complex:
            data.pop("field_identifier", None)
    _apply(row, data)
    return row, {}


def _built_in_pk(existing, identifier):
    """The id of the built-in row ``identifier`` among ``existing`` (a row sent without an id: a
    form never saved shows its starting fields, which have none yet), or None."""
    return next((pk for pk, row in existing.items() if not row.is_complex and row.field_identifier == identifier), None)


@transaction.atomic
def save_form(actor, event, form, rows):
    """Save a whole form at once, in the order of ``rows`` (dicts of field attributes; ``id`` names
    an existing field of this form, rows without one are new custom fields, or with ``is_complex``
    false the built-in field their ``field_identifier`` names). Values of the wrong kind are
    refused first (``value_errors``): the page and the API hand the rows over as clients sent them.

    Every built-in field must be among the rows; custom fields left out are deleted (their answers
    stay stored). All rows are checked before anything is written: refusals come back together as
    ``FieldErrors`` keyed ``<index>.<attribute>``, and nothing changes. Returns the saved rows.
    """
    _require_manager(actor, event)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise Invalid("A form is a list of fields.", field="fields")
    existing = {row.pk: row for row in ensure_form(event, form)}
    errors, seen, saved = {}, set(), []
    for index, data in enumerate(rows):
        row, refused = _form_row(event, form, dict(data), existing, seen)
        if refused:
            errors.update({f"{index}.{name}": message for name, message in refused.items()})
            continue
        row.position = index
        errors.update({f"{index}.{name}": message for name, message in row_errors(row).items()})
        saved.append((index, row))
    missing = [row for row in existing.values() if not row.is_complex and row.pk not in seen]
    if missing:
        errors["fields"] = f"Every built-in field stays in the form ({missing[0].name} is missing)."
    if sum(row.is_complex for _index, row in saved) > MAX_CUSTOM_FIELDS:
        errors["fields"] = f"A form holds at most {MAX_CUSTOM_FIELDS} custom fields."
    _name_new_fields(saved, errors)
    if errors:
        raise FieldErrors(errors)
    CustomForm.objects.filter(pk__in=[pk for pk, row in existing.items() if row.is_complex and pk not in seen]).delete()
    for index, row in saved:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise FieldErrors({f"{index}.field_identifier": "Another field of this form has this identifier."}) \
                from None
    send_after_commit(signals.form_saved, CustomForm, event=event, form=form, actor=actor)
    return [row for _index, row in saved]


def _name_new_fields(saved, errors):
    """Give new custom fields identifiers from their names; refuse two rows with one identifier."""
    taken = {}
    for index, row in saved:
        if row.field_identifier:
            if row.field_identifier in taken:
                errors[f"{index}.field_identifier"] = "Another field of this form has this identifier."
            taken[row.field_identifier] = index
    for index, row in saved:
        if not row.field_identifier and row.is_complex:
            row.field_identifier = unique_identifier(row.name, set(taken))
            taken[row.field_identifier] = index
            errors.pop(f"{index}.field_identifier", None)


# --- checking answers --------------------------------------------------------------------------------
def _check_bounds(field, number, unit=""):
    low, high = field.min, field.max
    if (low is None or number >= low) and (high is None or number <= high):
        return
    if low is not None and high is not None:
        raise ValueError(f"{field.name}: give {unit}between {low} and {high}.")
    if low is not None:
        raise ValueError(f"{field.name}: give {unit}at least {low}.")
    raise ValueError(f"{field.name}: give {unit}at most {high}.")


def _text(field, value):
    if not isinstance(value, str):
        raise ValueError(f"{field.name}: give a text.")
    text = value.strip()
    limit = TEXT_MAX_LENGTH if field.type == Type.TEXT else LONG_TEXT_MAX_LENGTH
    if len(text) > limit:
        raise ValueError(f"{field.name}: at most {limit} characters.")
    _check_bounds(field, len(text), "a text of length ")
    return text if field.type == Type.TEXT else sanitize_html(text)


def _email(field, value):
    try:
        validate_email(value if isinstance(value, str) else "")
    except DjangoValidationError:
        raise ValueError(f"{field.name}: give an e-mail address.") from None
    return value.strip().lower()


def _url(field, value):
    try:
        URLValidator(schemes=["http", "https"])(value if isinstance(value, str) else "")
    except DjangoValidationError:
        raise ValueError(f"{field.name}: give a web address (http or https).") from None
    if len(value) > URL_MAX_LENGTH:
        raise ValueError(f"{field.name}: a web address is at most {URL_MAX_LENGTH} characters long.")
    return value


def _as_number(value):
    """``value`` as an int or float, or None (booleans, NaN and texts that are no number)."""
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        value = float(value) if "." in value else int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return value


def _number(field, value):
    number = _as_number(value)
    if number is None or math.isinf(number) or abs(number) > NUMBER_LIMIT:
        raise ValueError(f"{field.name}: give a number.")
    _check_bounds(field, number)
    return number


def _year(field, value):
    year = _as_number(value)
    if year is None or year != int(year) or not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"{field.name}: give a year with four digits.")
    _check_bounds(field, int(year))
    return int(year)


def _boolean(field, value):
    if value in (True, False):
        return value
    if value in ("true", "false", "on"):
        return value in ("true", "on")
    raise ValueError(f"{field.name}: answer yes or no.")


def _select(field, value):
    if not isinstance(value, str) or value not in field.options:
        raise ValueError(f"{field.name}: choose one of {', '.join(field.options)}.")
    return value


def _checkbox(field, value):
    chosen = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) and item in field.options for item in chosen):
        raise ValueError(f"{field.name}: choose from {', '.join(field.options)}.")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"{field.name}: choose each option once.")
    return [option for option in field.options if option in chosen]


def _looks_stored(url):
    """Whether ``url`` names a place in one of our storages (local or S3; ``MEDIA_URL`` or the
    bucket): uploads, but also the export and import files kept there, which an answer must never
    point at."""
    origins = [url_of("", storages[alias]).split("?", 1)[0] for alias in ("default", "local")]
    parts = urlsplit(url)
    if not parts.netloc:  # a bare path: under our MEDIA_URL
        return parts.path.startswith(settings.MEDIA_URL)
    return any(url.startswith(origin) for origin in origins)


def _stored_file(field, value, image):
    """A file or image answer: a web address; one that points at our storage must be one of our
    stored files (``open_upload``), and an image field's must be an image. Other addresses are
    kept as given, as before uploads existed."""
    value = _url(field, value)
    opened = open_upload(value)
    if opened is None:
        if _looks_stored(value):
            raise ValueError(f"{field.name}: this is not a file uploaded here; upload it again.")
        return value
    fileobj, content_type, _name = opened
    fileobj.close()
    if image and not (content_type or "").startswith("image/"):
        raise ValueError(f"{field.name}: the uploaded file is {content_type}, not an image.")
    return value


def _file(field, value):
    return _stored_file(field, value, image=False)


def _image(field, value):
    return _stored_file(field, value, image=True)


#: type -> the function that checks an answer to a custom field of that type and returns what to
#: store (file and image fields hold a web address: an upload of ours, or any other address).
CLEANERS = {
    Type.TEXT: _text, Type.PARAGRAPH: _text, Type.RICHTEXTLINK: _text, Type.EMAIL: _email, Type.URL: _url,
    Type.FILE: _file, Type.IMAGE: _image, Type.NUMBER: _number, Type.YEAR: _year, Type.BOOLEAN: _boolean,
    Type.SELECT: _select, Type.CHECKBOX: _checkbox,
}  # fmt: skip


def clean_answer(field, value):
    """The stored form of ``value`` as an answer to the custom ``field``; ValueError says why not."""
    return CLEANERS[field.type](field, value)


def answer_key(identifier):
    """How ``check_answers`` names the answer to a custom field in its errors."""
    return f"complex_field_values.{identifier}"


def _present(value):
    return value not in (None, "", [], {})


def _present(value):
    return value not in (None, "", [], {})


def _clean_answers(answers, custom, stored, errors):
    """The answers to store after a write sends ``answers`` (see ``check_answers``)."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise Invalid("Custom field values are an object of answers.", field="complex_field_values")
    if len(json.dumps(answers, default=str)) > ANSWERS_MAX_BYTES:
        raise Invalid(
            f"The answers are too long (at most {ANSWERS_MAX_BYTES // 1024} KB in all).", field="complex_field_values"
        )
    result = {key: value for key, value in stored.items() if key not in custom}
    for key, value in answers.items():
        field = custom.get(key)
        if field is None:
            if key not in stored or stored[key] != value:
                errors[answer_key(key)] = f"'{key}' is not a question of this form."
        elif _present(value):
            try:
                result[key] = clean_answer(field, value)
            except ValueError as error:
                errors[answer_key(key)] = str(error)
    return result


def _missing_answers(form, included, data, instance, answers, errors):
    """Refuse each included required field left without an answer."""
    for field in included:
        if not field.is_required:
            continue
        if field.is_complex:
            key = answer_key(field.field_identifier)
            if not _present(answers.get(field.field_identifier)):
                errors.setdefault(key, f"{field.name}: please answer this question.")
            continue
        column = built_in(form, field.field_identifier).column
        value = data[column] if column in data else getattr(instance, column, None)
        if isinstance(value, str):
            # Markup alone (an empty paragraph from the editor) is no answer.
            value = TAGS.sub("", value).replace("&nbsp;", "").strip()
        if not _present(value):
            errors.setdefault(column, f"{field.name} is required.")


def check_answers(event, form, data, instance=None, *, enforce_required, fields=None):
    """Check what a write of a ``form`` row (a session or a speaker) of ``event`` sends, in place:
    ``data["complex_field_values"]`` becomes the answers to store; every refusal is collected
    into one ``FieldErrors`` (built-in fields named by their column, custom answers by
    ``answer_key``).

    Custom answers: an object keyed by included custom fields' identifiers, each typed; empty
    answers are dropped; a key of no included field is refused unless it repeats the stored answer
    (a client sending a whole object back, or an answer to a field since deleted, which is kept).
    Stored answers the write does not mention stay.

    ``enforce_required`` (speakers' proposals and edits; organizers curate freely): the included
    required fields must be answered, in the values after the write (``instance`` is the row being
    changed, None for a new one).
    """
    fields = fields if fields is not None else form_fields(event, form)
    included = [field for field in fields if field.is_included]
    custom = {field.field_identifier: field for field in included if field.is_complex}
    stored = dict(getattr(instance, "complex_field_values", None) or {})
    errors = {}
    answers = stored
    if "complex_field_values" in data:
        answers = data["complex_field_values"] = _clean_answers(data["complex_field_values"], custom, stored, errors)
    if enforce_required:
        _missing_answers(form, included, data, instance, answers, errors)
    if errors:
        raise FieldErrors(errors)


def public_answers(fields, answers):
    """The answers of ``answers`` that everyone may read: those to public custom fields."""
    public = {field.field_identifier for field in fields if field.is_complex and field.is_public and field.is_included}
    return {key: value for key, value in (answers or {}).items() if key in public}
