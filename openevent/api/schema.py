"""OpenAPI generation (drf-spectacular + drf-spectacular-jsonapi) adapted to our routes."""
from django.db import models
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_bearer_security_scheme_object
from drf_spectacular_jsonapi.schemas.converters import JsonApiRelationshipObject, JsonApiResourceObject
from drf_spectacular_jsonapi.schemas.openapi import JsonApiAutoSchema
from rest_framework import relations, serializers
from rest_framework_json_api.exceptions import rendered_with_json_api
from rest_framework_json_api.serializers import ResourceIdentifierObjectSerializer
from rest_framework_json_api.utils import format_link_segment

from .exceptions import JSONAPI_MEDIA_TYPE
from .trash import TrashMixin

#: The error document every failure of the API answers (``openevent.api.exceptions``).
ERROR_DOCUMENT = {
    "type": "object",
    "description": "A JSON:API error document: one error object per problem.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "description": "The HTTP status code, as a string."},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                    "source": {
                        "type": "object",
                        "properties": {
                            "pointer": {"type": "string", "description": "/data/attributes/<name> refused."},
                            "parameter": {"type": "string", "description": "The refused query parameter."},
                        },
                    },
                },
                "required": ["status", "detail"],
            },
        },
        "jsonapi": {"type": "object", "properties": {"version": {"type": "string"}}},
    },
    "required": ["errors"],
}

#: What each error status means, for the operations that can answer it.
ERROR_DESCRIPTIONS = {
    "400": "Malformed request: bad JSON or JSON:API document, or a query parameter (filter, sort, page, "
    "include, fields) the server cannot honour.",
    "401": "Not logged in where that is needed, or the token is invalid or expired.",
    "403": "Logged in, but not allowed to do this.",
    "404": "No such resource (or not visible to the caller), or no such page of a list.",
    "405": "This route does not take this method for this relationship.",
    "409": "The document's type or id does not match the route, or the write clashes with what exists.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is of a media type this operation does not read.",
    "422": "A value was refused; each error object points at it.",
    "429": "Too many requests; try again later.",
}

BODY_METHODS = ("POST", "PUT", "PATCH")

JSONAPI_OBJECT_SCHEMA = {"type": "object", "properties": {"version": {"type": "string"}}}
IDENTIFIER = {
    "type": "object",
    "required": ["type", "id"],
    "properties": {"type": {"type": "string"}, "id": {"type": "string"}, "meta": {"type": "object"}},
}
RESOURCE_OBJECT = {
    "type": "object",
    "required": ["type", "id"],
    "properties": {
        "type": {"type": "string"},
        "id": {"type": "string"},
        "attributes": {"type": "object"},
        "relationships": {"type": "object"},
        "links": {"type": "object"},
        "meta": {"type": "object"},
    },
}


def _document(primary, description):
    """A JSON:API document whose primary data is ``primary``, one of them, or null."""
    return {
        "type": "object",
        "description": description,
        "required": ["data"],
        "properties": {
            "data": {"oneOf": [primary, {"type": "array", "items": primary}], "nullable": True},
            "included": {"type": "array", "items": RESOURCE_OBJECT},
            "links": {"type": "object"},
            "meta": {"type": "object"},
            "jsonapi": JSONAPI_OBJECT_SCHEMA,
        },
    }


#: ``/v1/<type>/<id>/<relation>``: the related resource(s), of the relation's type.
RELATED_DOCUMENT = _document(RESOURCE_OBJECT, "The related resource object(s) of the relation named in the path.")
#: ``/v1/<type>/<id>/relationships/<relation>``: the relation's resource identifiers.
RELATIONSHIP_DOCUMENT = _document(IDENTIFIER, "The resource identifier(s) of the relation named in the path.")
#: ``DELETE`` of a resource with a trash (``openevent.api.trash``): a meta-only document.
DELETED_DOCUMENT = {
    "type": "object",
    "required": ["meta"],
    "properties": {
        "meta": {"type": "object", "properties": {"message": {"type": "string"}}},
        "jsonapi": JSONAPI_OBJECT_SCHEMA,
    },
}


class BlankUrlMixin:
    """URL fields that may be blank are documented as a URI or the empty string."""

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # DRF drops ``allow_blank`` from read-only fields, whose blank values are answered all the same.
        if isinstance(field, serializers.URLField) and (field.allow_blank or field.read_only):
            _blank_uri(schema)

    def _map_model_field(self, model_field, direction):
        schema = super()._map_model_field(model_field, direction)
        if isinstance(model_field, models.URLField) and model_field.blank:
            _blank_uri(schema)
        return schema


class ErrorResponsesMixin:
    """Every operation documents the JSON:API error documents it can answer, with the media types
    it renders (a view's errors go through the same renderers as its answers)."""

    def error_statuses(self):
        statuses = {"400", "401", "403", "404"}
        if self.method in BODY_METHODS or getattr(self.view, "action", None) == "relationships":
            statuses |= {"409", "413", "415", "422"}
        if getattr(self.view, "action", None) == "relationships":
            statuses.add("405")
        if self.view.get_throttles():
            statuses.add("429")
        statuses |= set(getattr(self.view, "schema_error_statuses", ()))
        return statuses

    def success_responses(self, direction):
        return super()._get_response_bodies(direction)

    def component_content(self, name, schema):
        """``content`` with the component ``name`` for each media type the view renders."""
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        media_types = self.map_renderers("media_type") or [JSONAPI_MEDIA_TYPE]
        return {media_type: {"schema": component.ref} for media_type in media_types}

    def document_response(self, name, schema, description=""):
        return {"description": description, "content": self.component_content(name, schema)}

    def _get_response_bodies(self, direction="response"):
        responses = self.success_responses(direction)
        content = self.component_content("ErrorDocument", ERROR_DOCUMENT)
        for code in sorted(self.error_statuses() | {code for code in responses if code >= "400"}):
            response = responses.setdefault(code, {"description": ERROR_DESCRIPTIONS.get(code, "")})
            response.setdefault("content", content)
        return responses


#: JSON:API ids are strings (``"id": "12"``), whatever the column type of the key.
STRING_ID = {"type": "string"}


def _string_id(schema):
    """``schema`` (an identifier or resource object, or an array of them) with a string ``id``."""
    target = schema.get("items", schema)
    if "id" in target.get("properties", {}):
        id_schema = target["properties"]["id"]
        target["properties"]["id"] = {
            **STRING_ID, **{key: id_schema[key] for key in ("title", "description") if key in id_schema}
        }
    return schema


def _blank_uri(schema):
    """A blank URL field answers an empty string, which is no URI."""
    if schema.get("format") == "uri":
        del schema["format"]
        schema["anyOf"] = [{"format": "uri"}, {"maxLength": 0}]


def _as_rendered(resource_object):
    """A resource object's response schema as documents really carry it: sparse fieldsets
    (``fields[type]=…``) leave out any attribute and relationship, a relationship may carry links
    only (no ``data``: ``links_only``, or withheld from the viewer), a to-one's data may be null and
    a relation we do not model (``absent``) answers an empty list or null."""
    properties = resource_object.get("properties", {})
    properties.setdefault("links", {"type": "object"})
    properties.setdefault("meta", {"type": "object"})
    for member in ("attributes", "relationships"):
        properties.get(member, {}).pop("required", None)
    for relationship in properties.get("relationships", {}).get("properties", {}).values():
        relationship.pop("required", None)
        members = relationship.setdefault("properties", {})
        data = members.get("data")
        if data is not None and data.get("type") != "array":
            members["data"] = {"oneOf": [data, {"type": "array", "items": data}], "nullable": True}
        members.setdefault("links", {"type": "object"})
        members.setdefault("meta", {"type": "object"})


class RelationshipObject(JsonApiRelationshipObject):
    def patch_id(self):
        super().patch_id()
        _string_id(self._schema)


class ResourceObject(JsonApiResourceObject):
    related_field_converter_class = RelationshipObject

    def _patch_id_for_json_api_resource_object(self):
        super()._patch_id_for_json_api_resource_object()
        _string_id(self._schema)


class OpenEventAutoSchema(BlankUrlMixin, ErrorResponsesMixin, JsonApiAutoSchema):
    """Related and relationship routes get operation ids of their own (they share a path shape
    with the detail route), and views may name their tags with ``schema_tags``."""

    ACTION_SUFFIXES = {"retrieve_related": "related", "relationships": "relationships"}
    json_api_resource_object_converter_class = ResourceObject

    def success_responses(self, direction):
        """Related and relationship routes answer the relation named in the path, not the parent
        resource; a DELETE of a resource with a trash answers a meta document with 200."""
        action = getattr(self.view, "action", None)
        if action == "retrieve_related":
            return {"200": self.document_response("RelatedDocument", RELATED_DOCUMENT)}
        if action == "relationships":
            responses = {"200": self.document_response("RelationshipDocument", RELATIONSHIP_DOCUMENT)}
            if self.method == "DELETE":
                responses["204"] = {"description": "No response body"}
            return responses
        if self.method == "DELETE" and isinstance(self.view, TrashMixin):
            return {"200": self.document_response("DeletedDocument", DELETED_DOCUMENT, "Moved to the trash.")}
        return super().success_responses(direction)

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        """``Accept: application/json`` is answered the same JSON:API document
        (``renderers.JsonApiAsJsonRenderer``), not the bare resource object."""
        if not rendered_with_json_api(self.view):
            # A plain-JSON view annotated per method (``extend_schema`` on ``post``) is described
            # by this class too: its documents are not framed.
            return AutoSchema._get_response_for_code(self, serializer, status_code, media_types, direction)
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if JSONAPI_MEDIA_TYPE in content and "application/json" in content:
            content["application/json"] = dict(content[JSONAPI_MEDIA_TYPE])
        return response

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and self.is_json_api_resource_serializer(serializer):
            _as_rendered(schema)
        return schema

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if isinstance(serializer, ResourceIdentifierObjectSerializer):
            for option in schema.get("oneOf", []):
                _string_id(option)
        return schema

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        suffix = self.ACTION_SUFFIXES.get(getattr(self.view, "action", None))
        return f"{operation_id}_{suffix}" if suffix else operation_id

    def get_tags(self):
        tags = getattr(self.view, "schema_tags", None)
        return list(tags) if tags else super().get_tags()

    def _get_parameters(self):
        """``{related_field}`` of related and relationship routes names one of the resource's
        relationships (dasherized, as in its documents)."""
        parameters = super()._get_parameters()
        if getattr(self.view, "action", None) in self.ACTION_SUFFIXES:
            names = self.relationship_names()
            for parameter in parameters:
                if parameter["name"] == "related_field" and names:
                    parameter["schema"] = {"type": "string", "enum": names}
        return parameters

    def relationship_names(self):
        serializer = self._get_serializer()
        fields = getattr(serializer, "fields", {})
        return sorted(
            format_link_segment(name)
            for name, field in fields.items()
            if isinstance(field, (relations.RelatedField, relations.ManyRelatedField))
        )

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


class PlainAutoSchema(BlankUrlMixin, ErrorResponsesMixin, AutoSchema):
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
