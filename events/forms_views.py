"""The forms builder: which fields an event's session and speaker forms ask, in which order.

The page shows the form's rows as a table (read-only without JavaScript) and hands them to
``static/js/forms-builder.js`` as a JSON blob; the script posts the whole form back as JSON to the
same URL, where ``services.custom_forms.save_form`` saves it at once or refuses it row by row.
"""
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openevent.core.errors import FieldErrors, ServiceError

from . import permissions as rules
from .models import CustomForm
from .queries import form_fields
from .services import custom_forms
from .views import team_event

#: The largest form a save may post (50 custom fields with 100 choices each fit well below).
MAX_BODY_BYTES = 512 * 1024
TABS = (CustomForm.Form.SESSION, CustomForm.Form.SPEAKER)
ROW_ATTRIBUTES = (
    "field_identifier", "name", "type", "description", "is_included", "is_required", "is_public",
    "is_complex", "is_fixed", "position", "min", "max", "options",
)  # fmt: skip


def _forms_event(request, identifier):
    event = team_event(request, identifier)
    if not rules.can_manage_program_part(request.user, event, CustomForm):
        raise PermissionDenied("Only co-organizers and up shape the forms of this event.")
    return event


def _row(field):
    data = {name: getattr(field, name) for name in ROW_ATTRIBUTES}
    data["id"] = field.pk
    return data


TEXTS = ("field_identifier", "name", "type", "description")
FLAGS = ("is_included", "is_required", "is_public", "is_complex", "is_fixed")
BOUNDS = ("min", "max")
INT_LIMIT = 2**31


def _shape_errors(rows):
    """Attributes whose JSON type is wrong (a number for a label, a text for a flag…), keyed like
    ``save_form``'s errors, so the service only sees values of the types it reads."""
    errors = {}
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name in TEXTS and not isinstance(value, str):
                errors[f"{index}.{name}"] = "Give a text."
            elif name in FLAGS and not isinstance(value, bool):
                errors[f"{index}.{name}"] = "Give true or false."
            elif name in BOUNDS and value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or abs(value) >= INT_LIMIT
            ):
                errors[f"{index}.{name}"] = "Give a whole number (or leave it empty)."
            elif name == "id" and value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                errors[f"{index}.{name}"] = "This field is not part of this form."
            elif name == "position" and value is not None and not isinstance(value, int):
                errors[f"{index}.{name}"] = "Give a whole number."
    return errors


def _error(message, status, errors=None):
    return JsonResponse({"message": message, "errors": errors or {}}, status=status)


def _with_ids(event, form, rows):
    """Built-in rows sent without an id (an event whose form was never saved shows the starting
    fields) get the id of the row ``save_form`` will find for them."""
    if all(row.get("id") is not None or row.get("is_complex", True) for row in rows):
        return rows
    ids = {field.field_identifier: field.pk for field in custom_forms.ensure_form(event, form)}
    return [
        row if row.get("id") is not None or row.get("is_complex", True)
        else {**row, "id": ids.get(row.get("field_identifier"))}
        for row in rows
    ]


def _save(request, event, form):
    if len(request.body) > MAX_BODY_BYTES:
        return _error("This form is too large to save.", 413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error("The form could not be read (not JSON).", 400)
    rows = payload.get("fields") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return _error("Send the form as {\"fields\": [...]}.", 400)
    shape = _shape_errors(rows)
    if shape:
        return _error("Some fields need attention; nothing was saved.", 422, shape)
    try:
        # One transaction: the built-in rows ``_with_ids`` may create go again when the save is refused.
        with transaction.atomic():
            saved = custom_forms.save_form(request.user, event, form, _with_ids(event, form, rows))
    except FieldErrors as error:
        return _error("Some fields need attention; nothing was saved.", 422, error.errors)
    except ServiceError as error:
        return _error(error.message, error.status, {error.field or "fields": error.message})
    return JsonResponse({"message": "The form is saved.", "fields": [_row(field) for field in saved]})


@login_required
def forms_home(request, identifier):
    event = _forms_event(request, identifier)
    return redirect("event-forms", identifier=event.identifier, form=CustomForm.Form.SESSION)


@login_required
@require_http_methods(["GET", "POST"])
def forms_builder(request, identifier, form):
    if form not in TABS:
        raise Http404("No such form.")
    event = _forms_event(request, identifier)
    if request.method == "POST":
        return _save(request, event, form)
    fields = form_fields(event, form)
    context = {
        "event": event,
        "section": "Forms",
        "form_name": form,
        "form_label": CustomForm.Form(form).label,
        "tabs": [
            (tab, CustomForm.Form(tab).label, reverse("event-forms", args=[event.identifier, tab])) for tab in TABS
        ],
        "fields": fields,
        "builder": {
            "fields": [_row(field) for field in fields],
            "types": [{"value": value, "label": label} for value, label in CustomForm.Type.choices],
            "choiceTypes": sorted(custom_forms.CHOICES),
            "boundedTypes": sorted(custom_forms.BOUNDED),
            "maxCustomFields": custom_forms.MAX_CUSTOM_FIELDS,
            "form": form,
        },
    }
    return render(request, "events/forms_builder.html", context)
