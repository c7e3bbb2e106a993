"""Widgets of the pages' forms that a module in ``static/js`` enhances (loaded by base.html on
every page, so a form gets them by using the widget and nothing else).

Both are ordinary form controls first: without JavaScript the form works with the plain control.
"""

from django import forms


class RichTextarea(forms.Textarea):
    """A textarea that ``static/js/rich-text.js`` turns into the rich-text editor.

    Used for every field a model lists in ``HTML_FIELDS`` (see ``use_rich_text``). The value
    posted is HTML (from the editor) or plain text (without JavaScript); both are sanitized by the
    service with ``openevent.core.html.sanitize_html``, which keeps plain text's paragraphs.
    """

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, "data-rich-text": "", **(attrs or {})})


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

    ``noun`` names one choice in the picker's labels ("Add a speaker", "Remove speaker Ada").
    """

    def __init__(self, attrs=None, noun="item"):
        super().__init__({"size": 6, "data-multi-select": noun, **(attrs or {})})
