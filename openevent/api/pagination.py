from django.conf import settings
from rest_framework_json_api.pagination import JsonApiPageNumberPagination

from .exceptions import BadQueryParameter


class Pagination(JsonApiPageNumberPagination):
    """``page[number]`` (1-based) and ``page[size]`` (default 20; ``0`` means all, capped).

    A page number or size that is not a whole number is a 400 naming the parameter; a page past
    the last one is a 404.
    """

    page_size = 20

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        size = self._whole_number(self.page_size_query_param, raw)
        if size < 0:
            raise BadQueryParameter(self.page_size_query_param, "page[size] must not be negative.")
        if size == 0:
            return self.max_page_size
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if not raw or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        number = self._whole_number(self.page_query_param, raw)
        if number < 1:
            raise BadQueryParameter(self.page_query_param, "page[number] starts at 1.")
        return number

    @staticmethod
    def _whole_number(parameter, raw):
        try:
            return int(raw)
        except ValueError:
            raise BadQueryParameter(parameter, f"{parameter} must be a whole number.") from None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # Open Event clients read the total at meta.count.
        response.data["meta"]["count"] = self.page.paginator.count
        return response

    def get_paginated_response_schema(self, schema):
        """The list document as the JSON:API renderer writes it: the page's resource objects under
        ``data``, the totals under ``meta``, the page links under ``links``."""
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": schema,
                "included": {"type": "array", "items": {"type": "object"}},
                "meta": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "pagination": {
                            "type": "object",
                            "properties": {
                                "page": {"type": "integer"},
                                "pages": {"type": "integer"},
                                "count": {"type": "integer"},
                            },
                        },
                    },
                },
                "links": {"type": "object", "properties": dict.fromkeys(("first", "last", "next", "prev"), link)},
                "jsonapi": {"type": "object", "properties": {"version": {"type": "string"}}},
            },
        }
