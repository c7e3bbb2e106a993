"""Filter and sort backends (placeholder: replaced by the full implementation)."""
from rest_framework_json_api.filters import OrderingFilter, QueryParameterValidationFilter  # noqa: F401
from rest_framework_json_api.django_filters import DjangoFilterBackend as FieldFilterBackend  # noqa: F401


class JsonFilterBackend:
    def filter_queryset(self, request, queryset, view):
        return queryset
