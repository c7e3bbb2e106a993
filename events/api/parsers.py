import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from events.services.custom_forms import MAX_FORM_BODY_BYTES
from openevent.api.exceptions import RequestTooLarge
from openevent.api.parsers import JsonApiParser, check_depth, too_deep


class TypeAttributeParser(JsonApiParser):
    """For resources with an attribute named ``type`` (Open Event's sponsor type).

    The JSON:API parser puts the resource object's ``type`` and its attributes into one dict, the
    attribute winning when present; without it the resource type ("sponsor") would pass for the
    attribute's value. Here ``type`` is in the parsed data only when the attributes carry it. The
    resource type itself is still checked (409) by the parser before that.
    """

    def parse_data(self, result, parser_context):
        parsed = super().parse_data(result, parser_context)
        view = (parser_context or {}).get("view")
        if getattr(view, "parses_resource_identifiers", False) or not isinstance(parsed, dict):
            return parsed
        attributes = result.get("data", {}).get("attributes") or {}
        if "type" not in attributes:
            parsed.pop("type", None)
        return parsed


class FormDocumentParser(BaseParser):
    """The document of a whole form saved at once (``PUT /v1/events/<id>/custom-forms/<form>``):
    JSON:API whose ``data`` is a list of resource objects, which the library's parser does not
    read. Returned as it is (the view reads its shape); a body past ``MAX_FORM_BODY_BYTES`` is 413
    (the forms page has the same cap), one that is no JSON, or nests too deeply, 400."""

    media_type = "application/vnd.api+json"

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        body = b"" if declared > MAX_FORM_BODY_BYTES else stream.read(MAX_FORM_BODY_BYTES + 1)
        if declared > MAX_FORM_BODY_BYTES or len(body) > MAX_FORM_BODY_BYTES:
            raise RequestTooLarge(MAX_FORM_BODY_BYTES)
        try:
            document = json.loads(body)
        except RecursionError:
            raise too_deep() from None
        except ValueError as error:  # UnicodeDecodeError is one
            raise ParseError(f"JSON parse error - {error}") from None
        check_depth(document)
        return document
