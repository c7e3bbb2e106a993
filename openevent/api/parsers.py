"""Parsers of request bodies: bounded in size and nesting, and never a 500 for a bad document."""
from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework_json_api.parsers import JSONParser

from .exceptions import RequestTooLarge

#: Deeper JSON than this is refused (Open Event documents need a handful of levels).
MAX_JSON_DEPTH = 32


def _is_identifier(item):
    return isinstance(item, dict) and bool(item.get("id")) and bool(item.get("type"))


def check_identifiers(data, where):
    """``data`` is null, a resource identifier object or a list of them."""
    items = data if isinstance(data, list) else [] if data is None else [data]
    if not all(_is_identifier(item) for item in items):
        raise ParseError(f"{where} is not a valid resource identifier object (or list of them).")


def check_resource_object(data):
    """The shape of a resource object, checked before the library reads it (it assumes it)."""
    if not isinstance(data, dict):
        raise ParseError("Received data is not a valid JSON:API resource object.")
    for member in ("attributes", "relationships", "meta"):
        if member in data and not isinstance(data[member], dict):
            raise ParseError(f"'{member}' must be an object.")
    for name, relationship in (data.get("relationships") or {}).items():
        if not isinstance(relationship, dict) or "data" not in relationship:
            raise ParseError(f"Relationship '{name}' must be an object with a 'data' member.")
        check_identifiers(relationship["data"], f"The data of relationship '{name}'")


def check_size(parser_context):
    """RequestTooLarge (413) for a body past ``settings.DATA_UPLOAD_MAX_MEMORY_SIZE``.

    DRF reads a JSON body straight from the request stream, past Django's own check of that
    setting (which guards ``request.body`` and form data only), so the parsers check it here. DRF
    reads only bodies that declare their ``Content-Length``, and the WSGI stream ends there."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is None or request is None:
        return
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise RequestTooLarge(limit)


def depth_of(value):
    """How deeply lists and objects nest in ``value`` (walked without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        pending.extend((child, depth + 1) for child in item)
    return deepest


class BoundedJsonMixin:
    """JSON parsing refused with an error object, not a 500, when the body is too large (413) or
    nested too deeply for the decoder (400: ``[[[[…]]]]`` made it raise RecursionError). The
    parsers also refuse documents nested deeper than ``MAX_JSON_DEPTH`` (``check_depth``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        check_size(parser_context)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None


def too_deep():
    return ParseError(f"JSON parse error - the document nests more than {MAX_JSON_DEPTH} levels.")


def check_depth(document):
    if depth_of(document) > MAX_JSON_DEPTH:
        raise too_deep()


class PlainJsonParser(BoundedJsonMixin, parsers.JSONParser):
    """Plain JSON (the auth endpoints), bounded like the JSON:API parser."""

    def parse(self, stream, media_type=None, parser_context=None):
        document = super().parse(stream, media_type, parser_context)
        check_depth(document)
        return document


class PlainJsonAsJsonApiParser(PlainJsonParser):
    """Clients that send every request as ``application/vnd.api+json`` post plain JSON too."""

    media_type = "application/vnd.api+json"


class JsonApiParser(BoundedJsonMixin, JSONParser):
    """JSON:API parser that refuses malformed documents with a 400 (never a 500) and also
    understands relationship documents of our own viewsets: ``/relationships/<name>`` bodies are
    resource identifier objects (or lists of them), not resource objects; views that serve them
    say so with ``parses_resource_identifiers``.
    """

    def parse_data(self, result, parser_context):
        check_depth(result)  # before anything walks the document
        if not isinstance(result, dict) or "data" not in result:
            raise ParseError("Received document does not contain primary data")
        view = (parser_context or {}).get("view")
        if getattr(view, "parses_resource_identifiers", False):
            check_identifiers(result["data"], "The data")
            return result["data"]
        check_resource_object(result["data"])
        return super().parse_data(result, parser_context)
