"""URL path converters every app's pages use.

``<ident:identifier>`` matches what an event's public identifier can be (letters, digits,
``-`` and ``_``, at most 64 characters; ours are 8): anything else, a NUL byte or a 5,000-character
segment, is a 404 before any view or query sees it (PostgreSQL refuses NUL in text and would
answer with a server error)."""
from django.urls import register_converter


class EventIdentifierConverter:
    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(EventIdentifierConverter, "ident")
