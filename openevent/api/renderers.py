from rest_framework import renderers
from rest_framework_json_api.renderers import JSONRenderer as _DjaJSONRenderer
from rest_framework_json_api.utils import format_field_name, undo_format_field_name

from .relations import RowsManyField

JSONAPI_OBJECT = {"version": "1.0"}


class _VersionedJSONRenderer(renderers.JSONRenderer):
    """Adds the top-level ``jsonapi`` member that every document of the dialect carries."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):
            data = {**data, "jsonapi": JSONAPI_OBJECT}
        return super().render(data, accepted_media_type, renderer_context)


class JsonApiRenderer(_DjaJSONRenderer, _VersionedJSONRenderer):
    """djangorestframework-jsonapi's renderer; its final ``super().render`` goes through ours."""

    @classmethod
    def _filter_sparse_fields(cls, serializer, fields, resource_name):
        """Sparse fieldsets with dasherized names (``fields[event]=starts-at``).

        The library's renderer compares the raw names with python field names, so dashed names
        would silently vanish; the serializer side already undoes the formatting.
        """
        request = serializer.context.get("request")
        value = request.query_params.get(f"fields[{resource_name}]") if request else None
        if value is None:
            return fields
        wanted = {undo_format_field_name(name.strip()) for name in value.split(",")}
        return {name: field for name, field in fields.items() if field.field_name in wanted}

    @classmethod
    def extract_relationships(cls, fields, resource, resource_instance):
        """The library's, except that a ``rows_many`` relationship withheld from the viewer (absent
        from the serialized row) has links only, as a ``links_only`` one."""
        withheld = [name for name, field in fields.items() if isinstance(field, RowsManyField) and name not in resource]
        if not withheld or resource_instance is None:
            return super().extract_relationships(fields, resource, resource_instance)
        data = super().extract_relationships(fields, {**resource, **{name: [] for name in withheld}}, resource_instance)
        for name in map(format_field_name, withheld):
            links = data[name].get("links")
            data[name] = {"links": links} if links else {}
        return data


class JsonApiAsJsonRenderer(JsonApiRenderer):
    """The same documents for clients that ask for ``Accept: application/json``."""

    media_type = "application/json"


class PlainJsonAsJsonApiRenderer(renderers.JSONRenderer):
    """Plain JSON (the auth routes, ``/v1/sessions/states``, ``/v1/events/<id>/sessions/dates``…) for clients that
    ask for ``application/vnd.api+json`` on every request, as the Open Event front end does."""

    media_type = "application/vnd.api+json"
