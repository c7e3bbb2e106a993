from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework_json_api.pagination import JsonApiPageNumberPagination


class Pagination(JsonApiPageNumberPagination):
    """``page[number]`` (1-based) and ``page[size]`` (default 20; ``0`` means all, capped)."""

    page_size = 20

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError(
                {"page[size]": "page[size] must be a whole number."}, code="invalid"
            ) from None
        if size < 0:
            raise ValidationError({"page[size]": "page[size] must not be negative."})
        if size == 0:
            return self.max_page_size
        return min(size, self.max_page_size)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # Open Event clients read the total at meta.count.
        response.data["meta"]["count"] = self.page.paginator.count
        return response
