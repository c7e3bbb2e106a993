from rest_framework.exceptions import ParseError
from rest_framework_json_api.parsers import JSONParser


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


class JsonApiParser(JSONParser):
    """JSON:API parser that refuses malformed documents with a 400 (never a 500) and also
    understands relationship documents of our own viewsets: ``/relationships/<name>`` bodies are
    resource identifier objects (or lists of them), not resource objects; views that serve them
    say so with ``parses_resource_identifiers``.
    """

    def parse_data(self, result, parser_context):
        if not isinstance(result, dict) or "data" not in result:
            raise ParseError("Received document does not contain primary data")
        view = (parser_context or {}).get("view")
        if getattr(view, "parses_resource_identifiers", False):
            check_identifiers(result["data"], "The data")
            return result["data"]
        check_resource_object(result["data"])
        return super().parse_data(result, parser_context)
