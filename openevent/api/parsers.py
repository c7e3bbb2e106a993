from rest_framework.exceptions import ParseError
from rest_framework_json_api.parsers import JSONParser


class JsonApiParser(JSONParser):
    """JSON:API parser that also understands relationship documents of our own viewsets.

    ``/relationships/<name>`` bodies are resource identifier objects (or lists of them), not
    resource objects; views that serve them say so with ``parses_resource_identifiers``.
    """

    def parse_data(self, result, parser_context):
        view = (parser_context or {}).get("view")
        if getattr(view, "parses_resource_identifiers", False):
            if not isinstance(result, dict) or "data" not in result:
                raise ParseError("Received document does not contain primary data")
            data = result["data"]
            items = data if isinstance(data, list) else [data]
            for item in items:
                if item is None and not isinstance(data, list):
                    continue
                if not (isinstance(item, dict) and item.get("id") and item.get("type")):
                    raise ParseError("Received data is not a valid resource identifier object")
            return data
        return super().parse_data(result, parser_context)
