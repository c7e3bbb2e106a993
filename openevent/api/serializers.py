"""Serializer pieces every resource shares."""
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Manager
from rest_framework import serializers
from rest_framework.fields import SkipField, get_attribute
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE
from rest_framework_json_api import serializers as jsonapi
from rest_framework_json_api.utils import get_included_resources

from .relations import RowsManyField, row_tables, target_rules, viewer_of


class ListSerializer(serializers.ListSerializer):
    """A page of rows. Before the rows are rendered, the rules that decide which relationship
    targets the viewer sees (``relations.hide_unless``) load what they need for the whole page at
    once: each row's ``event`` relationship asks whether the viewer may see that event, which
    would otherwise cost a query per event, and a page of invites or memberships has an event per
    row. The ``RowTable`` objects the rows' fields read are loaded for the page the same way."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, Manager) else data)
        user = viewer_of(self.context)
        for registered in target_rules():
            if registered.prepare is not None:
                registered.prepare(user, rows)
        for table in row_tables(self.child.fields.values()):
            table.load(self.context, [row.pk for row in rows])
        self.load_included_tables(rows)
        return super().to_representation(rows)

    def load_included_tables(self, rows):
        """The renderer serializes included to-one targets (``?include=event.owner``) one by one:
        the row tables their fields read are loaded here for the whole page, level by level along
        each include path, as long as it goes through to-one relations (an included to-many list
        is a ``ListSerializer`` of its own)."""
        for path in get_included_resources(self.context.get("request"), self.child):
            serializer, objects = self.child, rows
            for name in path.split("."):
                target_class = (getattr(serializer, "included_serializers", None) or {}).get(name)
                field = serializer.fields.get(name)
                to_one = isinstance(field, RelatedField) and getattr(field, "child_relation", None) is None
                if not isinstance(target_class, type) or not to_one:
                    break
                objects = to_one_targets(field, objects)
                serializer = target_class(context=self.context)
                for table in row_tables(serializer.fields.values()):
                    table.load(self.context, [target.pk for target in objects])


def to_one_targets(field, objects):
    """The targets the to-one relationship ``field`` names for ``objects`` (loaded already: views
    select or prefetch what they render)."""
    targets = []
    for obj in objects:
        try:
            value = field.get_attribute(obj)
            if isinstance(value, PKOnlyObject):
                value = get_attribute(obj, field.source_attrs)
        except (SkipField, ObjectDoesNotExist):
            continue
        if value is not None:
            targets.append(value)
    return targets


class ModelSerializer(jsonapi.ModelSerializer):
    """The library's model serializer, listing pages with our ``ListSerializer``."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        """DRF's, with our ``ListSerializer`` as the default list class."""
        list_kwargs = {}
        for key in LIST_SERIALIZER_KWARGS_REMOVE:
            value = kwargs.pop(key, None)
            if value is not None:
                list_kwargs[key] = value
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({key: value for key, value in kwargs.items() if key in LIST_SERIALIZER_KWARGS})
        list_class = getattr(getattr(cls, "Meta", None), "list_serializer_class", ListSerializer)
        return list_class(*args, **list_kwargs)

    def to_internal_value(self, data):
        """A write that would change a relationship read from a ``RowTable`` (an event's
        organizers) is refused (422 at ``/data/relationships/<name>``) rather than silently
        ignored. Sending it back unchanged is accepted: Open Event's web client sends every
        to-many relationship it has loaded with each save."""
        refused = {
            name: ["This relationship is read-only."]
            for name, field in self.fields.items()
            if isinstance(field, RowsManyField) and name in data and not self.unchanged(field, data[name])
        }
        if refused:
            raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def unchanged(self, field, value):
        """Does ``value`` (resource identifiers) name exactly what the read-only ``field`` holds?"""
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return False
        try:
            current = [] if self.instance is None else field.get_attribute(self.instance)
        except SkipField:
            return False
        return sorted(str(item.get("id")) for item in value) == sorted(str(target.pk) for target in current)

    @classmethod
    def add_fields(cls, **fields):
        """Add read-only ``fields`` (name -> field) to the resource: an app above this one extends
        it (the events app gives users their events) without the lower app importing it."""
        for name, field in fields.items():
            cls._declared_fields[name] = field
            if name not in cls.Meta.fields:
                cls.Meta.fields = [*cls.Meta.fields, name]


class RestorableMixin(serializers.Serializer):
    """``deleted-at`` is shown, and accepts only ``null`` (restore) on write."""

    deleted_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_deleted_at(self, value):
        if value is not None:
            raise serializers.ValidationError("Only null (restore) is accepted; delete with DELETE.")
        return value
