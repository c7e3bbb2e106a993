"""The forms builder: which fields an event's session and speaker forms ask, in which order.

The page shows the form's rows as a table (read-only without JavaScript) and hands them to
``static/js/forms-builder.js`` as a JSON blob; the script posts the whole form back as JSON to the
same URL, where ``services.custom_forms.save_form`` saves it at once or refuses it row by row.
"""
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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


def _error(message, status, errors=None):
    return JsonResponse({"message": message, "errors": errors or {}}, status=status)


def _save(request, event, form):
    if len(request.body) > custom_forms.MAX_FORM_BODY_BYTES:
        return _error("This form is too large to save.", 413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error("The form could not be read (not JSON).", 400)
    rows = payload.get("fields") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return _error("Send the form as {\"fields\": [...]}.", 400)
    try:
        # The service checks every value's kind and type, row by row.
        saved = custom_forms.save_form(request.user, event, form, rows)
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
