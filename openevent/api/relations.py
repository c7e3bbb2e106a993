"""Relationship fields of our resources, with ``links.self`` and ``links.related``.

- ``to_one(basename, …)``: a to-one relationship with ``data`` and links;
- ``to_many(basename, …)``: a to-many relationship with its resource identifiers and links;
- ``computed(basename, method_name, model)``: a read-only to-one whose target a serializer
  method picks (e.g. an event's owner);
- ``links_only(basename, …)``: links only, no ``data`` (to-many relations, and to-one relations
  whose target is not a model attribute): the rows are fetched from the related link, so listing
  parents never loads children;
- ``rows_many(basename, table, key, model)`` (and the attribute ``rows_flag``): a read-only
  to-many relationship read from a ``RowTable`` of link rows, one query per page of rows, with
  ``data`` only for the rows the table shows to the viewer (an event's organizers to its team).

Links are built from a URL template reversed once per (route, relation) instead of two
``reverse()`` calls per relationship per row: a 100-row event list has ~1,000 links.

A to-one relationship names its target only when ``shown(target, viewer)``: a target in the
trash (``deleted_at`` set), or one that a rule registered for its model with ``hide_unless``
refuses (the events app hides an event the viewer may not see: a draft, below co-organizer),
makes its ``data`` null and keeps it out of ``included``. The check reads the target row, so views
select (or prefetch) the to-one targets they render; ``ResourceViewSet.related_id`` applies the same
rule to the relationship routes.
"""
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from rest_framework import serializers
from rest_framework.fields import SkipField, get_attribute
from rest_framework.relations import PKOnlyObject
from rest_framework_json_api.relations import (
    ManySerializerMethodResourceRelatedField,
    ResourceRelatedField,
    SerializerMethodResourceRelatedField,
    SkipDataMixin,
)
from rest_framework_json_api.serializers import Serializer
from rest_framework_json_api.utils import format_link_segment

_PK = "__pk__"


# --- who may see a relationship's target -------------------------------------------------------------
class TargetRule:
    """Registered with ``hide_unless``: ``rule(viewer, target)`` says whether a relationship may
    name ``target``; ``prepare(viewer, rows)``, if given, loads what ``rule`` will ask about a page
    of rows in one go before they are rendered."""

    def __init__(self, rule, prepare=None):
        self.rule = rule
        self.prepare = prepare


# model -> TargetRule
_target_rules = {}


def hide_unless(model, rule, prepare=None):
    """Relationships name a target of ``model`` only when ``rule(viewer, target)`` holds."""
    _target_rules[model] = TargetRule(rule, prepare)
    guarded.cache_clear()


def target_rules():
    return list(_target_rules.values())


def shown(target, viewer):
    """May a relationship name ``target`` to ``viewer``? Not when it is in the trash (deleted rows
    vanish from lists, details and ``included``), nor when a rule registered for its model
    refuses (a draft event and everything under it is 404 below co-organizer)."""
    if target is None or getattr(target, "deleted_at", None) is not None:
        return False
    for model, registered in _target_rules.items():
        if isinstance(target, model):
            return registered.rule(viewer, target)
    return True


@cache
def guarded(model):
    """Can ``shown`` hide a target of ``model``? (Others keep the library's id-only shortcut.)"""
    if model is None:
        return True
    if any(issubclass(model, registered) for registered in _target_rules):
        return True
    return any(field.name == "deleted_at" for field in model._meta.concrete_fields)


def viewer_of(context):
    request = context.get("request")
    return context.get("user") or (request.user if request is not None else None)


def related_target(instance, name):
    """The object the to-one relation ``name`` of ``instance`` points at (None when empty, or when
    the live-only manager does not find it: it is in the trash)."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


class ShownTargetMixin:
    """A to-one relationship field whose target is null unless ``shown`` to the viewer. The
    renderer looks up included rows through ``get_attribute`` too, so a hidden target is never
    included."""

    def target_model(self):
        model = getattr(self, "model", None)
        if model is None and getattr(self, "queryset", None) is not None:
            model = self.queryset.model
        return model

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if value is None or not guarded(self.target_model()):
            return value
        if isinstance(value, PKOnlyObject):
            if value.pk is None:
                return value
            try:
                target = get_attribute(instance, self.source_attrs)
            except ObjectDoesNotExist:
                target = None
        else:
            target = value
        return value if shown(target, viewer_of(self.context)) else None


@cache
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


class LinkedRelatedField(ShownTargetMixin, CachedLinksMixin, IncludedTypeCacheMixin, ResourceRelatedField):
    pass


class LinksOnlyField(CachedLinksMixin, IncludedTypeCacheMixin, SkipDataMixin, ResourceRelatedField):
    pass


class ComputedRelatedField(
    ShownTargetMixin, CachedLinksMixin, IncludedTypeCacheMixin, SerializerMethodResourceRelatedField
):
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


# --- relationships to features this project does not build -------------------------------------------
class AbsentRelatedField(CachedLinksMixin, ResourceRelatedField):
    """A relationship to a feature deliberately not built here (tickets, tax, video streams,
    groups…; README, "Scope"): always empty — ``data`` null for a to-one, ``[]`` for a to-many,
    whose related link (when given) answers an empty list. Clients that include it get a 200 and
    nothing included."""

    def __init__(self, resource_type, to_many=False, **kwargs):
        self.to_many = to_many
        # The library (renderer, schema) reads a relationship's type from here when it has no model.
        self.JSONAPIMeta = type("JSONAPIMeta", (), {"resource_name": resource_type})
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return [] if self.to_many else None

    def to_representation(self, value):
        return []


def absent(resource_type, to_many=False, related_link_view_name=None):
    """A relationship to ``resource_type`` rows of a feature that is not built (see
    ``AbsentRelatedField``)."""
    return AbsentRelatedField(resource_type, to_many=to_many, related_link_view_name=related_link_view_name)


def absent_resource(resource_type, **below):
    """The serializer a client's ``include`` of an absent relationship resolves to: it renders
    nothing (the relationship is always empty) and knows the relations ``below`` it in the
    reference (``group.followers.user``), so that deeper include paths are checked too."""
    meta = type("Meta", (), {"resource_name": resource_type})
    return type(f"Absent{resource_type.title().replace('-', '')}Serializer", (Serializer,), {
        "Meta": meta, "included_serializers": below,
    })  # fmt: skip


# --- relationships read from a table of link rows -----------------------------------------------------
class RowTable:
    """Link rows between the rows of a resource and other rows, read for a whole page at once.

    A subclass implements ``read(viewer, pks)`` -> ``{pk: {key: value}}`` for the rows ``pks``
    of the resource: each key names what a field of the resource shows (a list of target model
    instances for ``rows_many``, anything truthy for ``rows_flag``); a row missing from the answer
    (or mapped to None) is withheld from the viewer: its ``rows_many`` relationships render
    links only, as ``links_only`` ones do, and it is never included through them.

    The answers are kept in the serializer context (shared by a request's serializers, the fast
    read path's included), so each row is read once per request: ``ListSerializer`` loads a page
    of rows before rendering it, the fast path loads each set of rows it reads, and a single
    object is loaded when first asked about.
    """

    def read(self, viewer, pks):
        raise NotImplementedError

    def __deepcopy__(self, memo):
        # Serializers deep-copy their declared fields (and the fields' arguments) per instance:
        # every copy reads the one table, so a page is read once whichever field asks.
        return self

    def load(self, context, pks):
        known = context.setdefault("_row_tables", {}).setdefault(self, {})
        missing = [pk for pk in pks if pk is not None and pk not in known]
        if missing:
            found = self.read(viewer_of(context), missing)
            for pk in missing:
                known[pk] = found.get(pk)
        return known

    def get(self, context, pk):
        return self.load(context, [pk]).get(pk)


def row_tables(fields):
    """The ``RowTable`` objects the fields of a serializer read."""
    tables = []
    for field in fields:
        table = getattr(field, "row_table", None)
        if table is not None and table not in tables:
            tables.append(table)
    return tables


class RowsManyField(CachedLinksMixin, IncludedTypeCacheMixin, ManySerializerMethodResourceRelatedField):
    """A read-only to-many relationship whose targets a ``RowTable`` lists under ``row_key``; a
    withheld row's relationship has no ``data`` (``renderers.JsonApiRenderer``)."""

    def __init__(self, row_table, row_key, **kwargs):
        self.row_table, self.row_key = row_table, row_key
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        found = self.row_table.get(self.context, instance.pk)
        if found is None:
            raise SkipField
        return found.get(self.row_key, [])


class RowsFlag(serializers.BooleanField):
    """A read-only attribute: does the ``RowTable`` hold anything under ``row_key`` for the row?
    (Withheld rows: the serializer drops the attribute for that viewer.)"""

    def __init__(self, row_table, row_key, **kwargs):
        self.row_table, self.row_key = row_table, row_key
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        found = self.row_table.get(self.context, instance.pk)
        if found is None:
            raise SkipField
        return bool(found.get(self.row_key))


def rows_many(basename, row_table, row_key, model):
    """A read-only to-many relationship of resource ``basename`` to ``model`` rows, read from
    ``row_table`` under ``row_key``."""
    # The library tells to-many relationships by the ``child_relation`` they were made with.
    child = ResourceRelatedField(model=model, read_only=True)
    return RowsManyField(row_table, row_key, child_relation=child, model=model, read_only=True, **_names(basename))


def rows_flag(row_table, row_key):
    """A read-only boolean attribute read from ``row_table`` under ``row_key``."""
    return RowsFlag(row_table, row_key)
