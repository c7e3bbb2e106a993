from openevent.api.parsers import JsonApiParser


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
