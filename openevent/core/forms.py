"""Widgets of the pages' forms that a module in ``static/js`` enhances (loaded by base.html on
every page, so a form gets them by using the widget and nothing else).

Both are ordinary form controls first: without JavaScript the form works with the plain control.
"""

from django import forms
from django.templatetags.static import static

# django-prose-editor's assets, as its package installs them (INSTALLED_APPS); the module loads
# them only on pages with such a field. Their URLs come from here so that they carry the hashed
# names of a manifest storage.
EDITOR_MODULE = "django_prose_editor/editor.js"
EDITOR_STYLES = ("django_prose_editor/material-icons.css", "django_prose_editor/editor.css")


class RichTextarea(forms.Textarea):
    """A textarea that ``static/js/rich-text.js`` turns into the rich-text editor.

    Used for every field a model lists in ``HTML_FIELDS``: the program forms'
    ``events.forms.program_formfield`` and ``PageForm.rich_text_fields`` (``use_rich_text``). The value
    posted is HTML (from the editor) or plain text (without JavaScript); both are sanitized by the
    service with ``openevent.core.html.sanitize_html``, which keeps plain text's paragraphs.
    """

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-rich-text"] = static(EDITOR_MODULE)
        context["widget"]["attrs"]["data-rich-text-styles"] = " ".join(static(path) for path in EDITOR_STYLES)
        return context


def use_rich_text(fields, names):
    """Give the form fields ``names`` (of the dict ``fields``) the rich-text editor."""
    for name in names:
        field = fields.get(name)
        if field is not None and not isinstance(field.widget, RichTextarea):
            widget = RichTextarea()
            widget.is_required = field.required
            widget.attrs.update(field.widget_attrs(widget))
            field.widget = widget


class SearchableSelectMultiple(forms.SelectMultiple):
    """A ``<select multiple>`` that ``static/js/multi-select.js`` turns into a searchable picker
    (type to find, click or Enter to add, × or Backspace to remove). The select stays in the form
    and posts the choice, so the page works the same without JavaScript.

    ``noun`` names one choice in the picker's texts ("Type to find a speaker", "Remove speaker
    Ada"). The candidates are the select's options, filtered in the browser: no request per key.
    """

    def __init__(self, attrs=None, noun="item"):
        super().__init__({"size": 6, "data-multi-select": noun, **(attrs or {})})
