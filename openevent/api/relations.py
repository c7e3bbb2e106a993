"""Relationship fields of our resources, with ``links.self`` and ``links.related``.

- ``to_one(basename, …)``: a to-one relationship with ``data`` and links;
- ``to_many(basename, …)``: a to-many relationship with its resource identifiers and links;
- ``computed(basename, method_name, model)``: a read-only to-one whose target a serializer
  method picks (e.g. an event's owner);
- ``links_only(basename, …)``: links only, no ``data`` (to-many relations, and to-one relations
  whose target is not a model attribute): the rows are fetched from the related link, so listing
  parents never loads children.

Links are built from a URL template reversed once per (route, relation) instead of two
``reverse()`` calls per relationship per row: a 100-row event list has ~1,000 links.
"""
from functools import lru_cache

from django.urls import reverse
from rest_framework_json_api.relations import (
    ResourceRelatedField,
    SerializerMethodResourceRelatedField,
    SkipDataMixin,
)
from rest_framework_json_api.utils import format_link_segment

_PK = "__pk__"


@lru_cache(maxsize=None)
def _link_template(view_name, segment):
    return reverse(view_name, kwargs={"pk": _PK, "related_field": segment})


class CachedLinksMixin:
    def get_links(self, obj=None, lookup_field="pk"):
        request = self.context.get("request")
        if obj is None or request is None or self.related_link_url_kwarg != "pk":
            return super().get_links(obj, lookup_field)
        segment = format_link_segment(self.field_name or self.parent.field_name)
        origin = getattr(request, "_link_origin", None)
        if origin is None:
            origin = request._link_origin = request.build_absolute_uri("/")[:-1]
        pk = str(getattr(obj, lookup_field))
        links = {}
        for name, view_name in (("self", self.self_link_view_name), ("related", self.related_link_view_name)):
            if view_name:
                links[name] = origin + _link_template(view_name, segment).replace(_PK, pk)
        return links


class IncludedTypeCacheMixin:
    """The library works out an included relation's resource type with inflection's regex-heavy
    singularize/pluralize, for every row; the answer depends only on the serializer class and
    the field name, so it is kept."""

    _included_types = {}

    def get_resource_type_from_included_serializer(self):
        parent = self.get_parent_serializer()
        key = (type(parent), self.field_name or self.parent.field_name)
        try:
            return self._included_types[key]
        except KeyError:
            value = self._included_types[key] = super().get_resource_type_from_included_serializer()
            return value


class LinkedRelatedField(CachedLinksMixin, IncludedTypeCacheMixin, ResourceRelatedField):
    pass


class LinksOnlyField(CachedLinksMixin, IncludedTypeCacheMixin, SkipDataMixin, ResourceRelatedField):
    pass


class ComputedRelatedField(CachedLinksMixin, IncludedTypeCacheMixin, SerializerMethodResourceRelatedField):
    pass


def _names(basename):
    return {"self_link_view_name": f"{basename}-relationships", "related_link_view_name": f"{basename}-related"}


def to_one(basename, **kwargs):
    """A to-one relationship of resource ``basename`` with ``data`` and links."""
    return LinkedRelatedField(**_names(basename), **kwargs)


def to_many(basename, **kwargs):
    """A to-many relationship of resource ``basename`` with resource identifiers and links."""
    return LinkedRelatedField(**_names(basename), many=True, **kwargs)


def computed(basename, method_name, model):
    """A read-only to-one relationship whose target ``method_name`` on the serializer returns."""
    return ComputedRelatedField(**_names(basename), method_name=method_name, model=model, read_only=True)


def links_only(basename, **kwargs):
    """A relationship of resource ``basename`` rendered as links only (read-only)."""
    return LinksOnlyField(**_names(basename), read_only=True, **kwargs)
