from rest_framework import renderers
from rest_framework_json_api.renderers import JSONRenderer as _DjaJSONRenderer

JSONAPI_OBJECT = {"version": "1.0"}


class _VersionedJSONRenderer(renderers.JSONRenderer):
    """Adds the top-level ``jsonapi`` member that every document of the dialect carries."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):
            data = {**data, "jsonapi": JSONAPI_OBJECT}
        return super().render(data, accepted_media_type, renderer_context)


class JsonApiRenderer(_DjaJSONRenderer, _VersionedJSONRenderer):
    """djangorestframework-jsonapi's renderer; its final ``super().render`` goes through ours."""
