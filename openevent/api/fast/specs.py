"""What a resource looks like on the wire, read off its serializer once per request.

A ``ResourceSpec`` lists a serializer's readable fields in their declared order, split into
attributes (a model column, or a model property read from a row-built instance) and relationships
(to-one, to-many, links-only, computed, absent), each with its wire name, its resource type and its link
templates, exactly as the serializer's own fields render them. Anything a spec cannot describe
raises ``Unsupported`` and the request takes the library path.

Serializers that drop fields per viewer in ``to_representation`` declare the rule for the fast
path with ``private_rule()`` -> ``(field names, condition)``: the condition tells where the
fields are shown (``True``, ``False``, or a ``Q``/boolean expression over the model, evaluated in
the row query). Computed to-one relationships name their rows with ``computed_relation(name)``
-> ``(queryset, source lookup, target lookup)``: the first row per source names the target.
Relationships and attributes read from a ``RowTable`` (``rows_many``, ``rows_flag``) ask the
very table the library path asks, for each set of rows read. Attributes computed in SQL are
declared with ``annotated_attributes()`` -> ``{field name: expression over the model}``: the
row query carries them (the library path annotates its querysets with the same expressions).
"""
from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers as drf_serializers
from rest_framework.relations import ManyRelatedField, PKOnlyObject
from rest_framework_json_api.relations import SerializerMethodResourceRelatedField, SkipDataMixin
from rest_framework_json_api.utils import (
    format_field_name,
    get_resource_type_from_model,
    get_resource_type_from_serializer,
    is_relationship_field,
)

from ..relations import (
    AbsentRelatedField,
    LinkedRelatedField,
    RowsFlag,
    RowsManyField,
    ShownTargetMixin,
    guarded,
    row_tables,
)  # fmt: skip
from ..renderers import JsonApiRenderer
from ..routing import viewset_for

TO_ONE, TO_MANY, LINKS, COMPUTED, ROWS = "to_one", "to_many", "links", "computed", "rows"
#: A relationship to a feature not built (``relations.AbsentRelatedField``): always empty.
EMPTY = "empty"
_PK = "__fast_pk__"


class Unsupported(Exception):
    """The fast path cannot render this resource; the library path does."""


class Attribute:
    """A column (``column`` and ``convert``), a property read off a row-built instance (``convert``
    is the field), a ``RowTable`` flag (``flag`` is the field), or an SQL expression the row query
    annotates (``annotation``, with ``convert``)."""

    __slots__ = ("annotation", "column", "convert", "flag", "name", "wire")

    def __init__(self, name, column, convert, flag=None, annotation=None):
        self.name, self.wire, self.column, self.convert = name, format_field_name(name), column, convert
        self.flag, self.annotation = flag, annotation


class Relation:
    """One relationship field. ``links`` is a list of (key, prefix, suffix): the field's own links
    for a row are prefix + pk + suffix."""

    __slots__ = (
        "column", "computed", "empty", "field", "guarded", "kind", "links", "name", "serializer_class",
        "target_model",
        "target_viewset", "through", "type", "wire",
    )  # fmt: skip

    def __init__(self, name, kind):
        self.name, self.wire, self.kind = name, format_field_name(name), kind
        self.column = self.target_model = self.type = self.serializer_class = self.target_viewset = None
        self.through = self.computed = self.empty = self.field = None
        self.guarded = False
        self.links = []

    def links_for(self, pk):
        return {key: f"{prefix}{pk}{suffix}" for key, prefix, suffix in self.links}


# Field classes whose ``to_representation`` hands back a value of this type unchanged (``str(s)``
# of a str, ``bool(b)`` of a bool, ``int(i)`` of an int...): such values skip the call.
_IDENTITY = {
    drf_serializers.CharField.to_representation: str,
    drf_serializers.BooleanField.to_representation: bool,
    drf_serializers.IntegerField.to_representation: int,
    drf_serializers.FloatField.to_representation: float,
}


def _converter(field):
    """``field.to_representation``, or None where it returns a value as it is."""
    method = type(field).to_representation
    if method is drf_serializers.JSONField.to_representation and not field.binary:
        return None
    if isinstance(field, drf_serializers.DateTimeField) and not hasattr(field, "timezone"):
        # DRF asks Django for the current time zone on every value; it is the same for the
        # whole request, so it is read once (DRF uses ``field.timezone`` when a field has one).
        field.timezone = field.default_timezone()
    kept = _IDENTITY.get(method)
    convert = field.to_representation
    if kept is None:
        return convert
    return lambda value: value if type(value) is kept else convert(value)


def _links(field):
    """The field's own links for a placeholder row, split around the placeholder."""
    links = []
    for key, url in field.get_links(PKOnlyObject(_PK), field.related_link_lookup_field).items():
        if url.count(_PK) != 1:
            raise Unsupported(f"link {key} of {field.field_name}")
        prefix, suffix = url.split(_PK)
        links.append((key, prefix, suffix))
    return links


def _relation_type(field, target_model):
    resource_type = field.get_resource_type_from_included_serializer()
    return resource_type or get_resource_type_from_model(target_model)


def _overrides_representation(serializer_class):
    return serializer_class.to_representation is not drf_serializers.Serializer.to_representation


class ResourceSpec:
    """The wire shape of one serializer class, for one request (its context)."""

    def __init__(self, serializer_class, context, viewset_class):
        serializer = serializer_class(context=context)
        meta = getattr(serializer_class, "Meta", None)
        if getattr(meta, "meta_fields", None) or hasattr(serializer, "get_root_meta"):
            raise Unsupported("meta fields")
        self.serializer = serializer
        self.serializer_class = serializer_class
        self.viewset_class = viewset_class
        self.model = meta.model
        self.type = get_resource_type_from_serializer(serializer)
        self.attributes, self.relations, self.needs_instance = [], [], False
        self.included_serializers = getattr(serializer, "included_serializers", None) or {}
        hook = getattr(serializer, "annotated_attributes", None)
        self.annotated = hook() if hook is not None else {}
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if is_relationship_field(field):
                self.relations.append(self._relation(name, field))
            else:
                self.attributes.append(self._attribute(name, field))
        self.relation = {relation.name: relation for relation in self.relations}
        self.tables = row_tables(serializer.fields.values())
        self.private_names, self.private_condition = (), True
        if _overrides_representation(serializer_class):
            rule = getattr(serializer, "private_rule", None)
            if rule is None:
                raise Unsupported(f"{serializer_class.__name__}.to_representation without private_rule()")
            self.private_names, self.private_condition = rule()
        # What the serializer renders (sparse fieldsets) and what the renderer keeps of it.
        readable = [field.field_name for field in serializer._readable_fields]
        self.serialized = set(readable)
        self.rendered = set(self._renderer_fields(serializer))
        # The attributes a row shows, in order: all of them, or those that are not private.
        self.shown = [a for a in self.attributes if a.name in self.serialized and a.name in self.rendered]
        self.shown_private = [a for a in self.shown if a.name not in self.private_names]

    @staticmethod
    def _renderer_fields(serializer):
        fields = JsonApiRenderer._filter_sparse_fields(
            serializer, serializer.fields, get_resource_type_from_serializer(serializer)
        )
        return fields.keys()

    # --- attributes ---------------------------------------------------------------------------------
    def _attribute(self, name, field):
        if name in self.annotated:
            return Attribute(name, None, _converter(field), annotation=self.annotated[name])
        if isinstance(field, RowsFlag):
            return Attribute(name, None, None, flag=field)
        attrs = field.source_attrs
        if len(attrs) == 1:
            try:
                model_field = self.model._meta.get_field(attrs[0])
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and model_field.concrete and not model_field.is_relation:
                return Attribute(name, model_field.attname, _converter(field))
            if model_field is None and isinstance(getattr(self.model, attrs[0], None), property):
                self.needs_instance = True
                return Attribute(name, None, field)
        raise Unsupported(f"attribute {name}")

    # --- relationships ------------------------------------------------------------------------------
    def _target_viewset(self, name):
        resources = getattr(self.viewset_class, "related_resources", None) or {}
        if name in resources:
            return viewset_for(resources[name][0])
        return None

    def _relation(self, name, field):
        if isinstance(field, RowsManyField):
            return self._rows(name, field)
        if isinstance(field, ManyRelatedField):
            return self._to_many(name, field)
        if isinstance(field, AbsentRelatedField):
            relation = Relation(name, EMPTY)
            relation.links = _links(field)
            relation.empty = [] if field.to_many else None
            return relation
        if isinstance(field, SkipDataMixin):
            relation = Relation(name, LINKS)
            relation.links = _links(field)
            return relation
        if isinstance(field, SerializerMethodResourceRelatedField) and isinstance(field, ShownTargetMixin):
            return self._computed(name, field)
        if isinstance(field, LinkedRelatedField):
            return self._to_one(name, field)
        raise Unsupported(f"relationship {name}")

    def _included(self, relation):
        if relation.name in self.included_serializers:
            relation.serializer_class = self.included_serializers[relation.name]

    def _to_one(self, name, field):
        try:
            model_field = self.model._meta.get_field(field.source)
        except FieldDoesNotExist:
            raise Unsupported(f"to-one {name}") from None
        if not (model_field.concrete and (model_field.many_to_one or model_field.one_to_one)):
            raise Unsupported(f"to-one {name}")
        relation = Relation(name, TO_ONE)
        relation.column = model_field.attname
        relation.target_model = model_field.related_model
        relation.guarded = guarded(relation.target_model)
        relation.type = _relation_type(field, relation.target_model)
        relation.links = _links(field)
        relation.target_viewset = self._target_viewset(name)
        self._included(relation)
        return relation

    def _computed(self, name, field):
        hook = getattr(self.serializer, "computed_relation", None)
        if hook is None or field.model is None:
            raise Unsupported(f"computed {name}")
        relation = Relation(name, COMPUTED)
        relation.computed = hook(name)
        relation.target_model = field.model
        relation.guarded = guarded(field.model)
        relation.target_viewset = self._target_viewset(name)
        if relation.target_viewset is not None and hasattr(relation.target_viewset, "shown_targets"):
            raise Unsupported(f"computed {name} with a shown_targets rule")
        relation.type = _relation_type(field, field.model)
        relation.links = _links(field)
        self._included(relation)
        return relation

    def _rows(self, name, field):
        relation = Relation(name, ROWS)
        relation.field = field
        relation.target_model = field.model
        relation.type = _relation_type(field, field.model)
        relation.links = _links(field)
        relation.target_viewset = self._target_viewset(name)
        self._included(relation)
        return relation

    def _to_many(self, name, field):
        child = field.child_relation
        if not isinstance(child, LinkedRelatedField):
            raise Unsupported(f"to-many {name}")
        try:
            model_field = self.model._meta.get_field(field.source)
        except FieldDoesNotExist:
            raise Unsupported(f"to-many {name}") from None
        if not model_field.many_to_many:
            raise Unsupported(f"to-many {name}")
        relation = Relation(name, TO_MANY)
        if model_field.concrete:  # declared here
            through = model_field.remote_field.through
            source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        else:  # the other side of a many-to-many declared on the target
            through = model_field.through
            source, target = model_field.field.m2m_reverse_field_name(), model_field.field.m2m_field_name()
        relation.through = (through, source, target)
        relation.target_model = model_field.related_model
        relation.type = _relation_type(child, relation.target_model)
        relation.links = _links(child)
        relation.target_viewset = self._target_viewset(name)
        if relation.target_viewset is None:
            raise Unsupported(f"to-many {name} without a viewset")
        self._included(relation)
        return relation
