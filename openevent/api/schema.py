"""OpenAPI generation (drf-spectacular + drf-spectacular-jsonapi) adapted to our routes."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular_jsonapi.schemas.openapi import JsonApiAutoSchema


class OpenEventAutoSchema(JsonApiAutoSchema):
    """Related and relationship routes get operation ids of their own (they share a path shape
    with the detail route), and views may name their tags with ``schema_tags``."""

    ACTION_SUFFIXES = {"retrieve_related": "related", "relationships": "relationships"}

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        suffix = self.ACTION_SUFFIXES.get(getattr(self.view, "action", None))
        return f"{operation_id}_{suffix}" if suffix else operation_id

    def get_tags(self):
        tags = getattr(self.view, "schema_tags", None)
        return list(tags) if tags else super().get_tags()

    def _get_filter_parameters(self):
        """The library drops ``sort`` from views without ``ordering_fields``; ours have none, as
        what sorts is derived from the serializer per viewer (``openevent.api.filters``)."""
        parameters = AutoSchema._get_filter_parameters(self)
        self._patch_translations_for_fields(parameters=parameters)
        for parameter in parameters:
            if parameter["name"] == "sort":
                parameter["description"] = (
                    "Comma-separated attribute names, '-' for descending, one level through a to-one "
                    "relationship (track.name). Private attributes sort only for those who read them."
                )
        return parameters


class PlainAutoSchema(AutoSchema):
    """For the few views that answer plain JSON or build their document by hand (auth, session
    state tables, statistics): described with ``extend_schema`` on the view."""

    def get_tags(self):
        tags = getattr(self.view, "schema_tags", None)
        return list(tags) if tags else super().get_tags()


class JWTScheme(OpenApiAuthenticationExtension):
    """``Authorization: JWT <token>`` (``Bearer`` is accepted too)."""

    target_class = "openevent.api.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION", token_prefix="JWT", bearer_format="JWT"  # noqa: S106 -- the scheme name, not a secret
        )
