"""Test helpers for Django admin pages: post a change form as a browser would."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openevent.core.admin import FORM_TIME_ZONE


def _widget_values(bound):
    """(name, value) pairs a browser would send for one bound field, as its widget renders it."""
    widget = bound.field.widget
    widget = getattr(widget, "widget", widget)  # the admin's related-field wrapper
    context = widget.get_context(bound.html_name, bound.value(), {})["widget"]
    for sub in context.get("subwidgets") or [context]:
        name, value = sub["name"], sub["value"]
        if sub.get("type") == "checkbox":
            if sub["attrs"].get("checked"):
                yield name, "on"
        elif isinstance(value, list | tuple):
            yield name, [str(item) for item in value if item not in (None, "")]
        else:
            yield name, "" if value is None else str(value)


def _initial_value(bound):
    """The hidden initial a field with ``show_hidden_initial`` renders (a model field with a
    callable default): the form's ``changed_data`` compares the posted value with it."""
    if bound.html_initial_name in bound.form.data:
        value = bound.form._widget_data_value(bound.field.hidden_widget(), bound.html_initial_name)
    else:
        value = bound.value()
    return bound.html_initial_name, "" if value is None else str(value)


def form_values(form):
    data = {}
    for bound in form:
        if not bound.field.disabled:
            data.update(_widget_values(bound))
            if bound.field.show_hidden_initial:
                data.update([_initial_value(bound)])
    return data


def change_form_data(response, **changes):
    """The data of the admin change (or add) page ``response`` as a browser posts it unchanged,
    with ``changes`` (posted names) applied; a change of ``None`` leaves the name out. Dates are
    the page's: in the timezone it was rendered in (``LocalTimeAdminMixin``)."""
    with timezone.override(getattr(response.wsgi_request, FORM_TIME_ZONE, None)):
        data = form_values(response.context["adminform"].form)
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            data.update(form_values(formset.management_form))
            for form in formset.forms:
                data.update(form_values(form))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def changelist_queries(client, changelists):
    """``{changelist: queries its list page ran}`` for admin changelists named ``app_model``."""
    counts = {}
    for changelist in changelists:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(f"admin:{changelist}_changelist"))
        assert response.status_code == 200
        counts[changelist] = len(ctx)
    return counts
