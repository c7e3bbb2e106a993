"""Serializer pieces every resource shares."""
import copy

from django.db.models import Manager
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE
from rest_framework_json_api import serializers as jsonapi

from .relations import target_rules, viewer_of


class ListSerializer(serializers.ListSerializer):
    """A page of rows. Before the rows are rendered, the rules that decide which relationship
    targets the viewer sees (``relations.hide_unless``) load what they need for the whole page at
    once: each row's ``event`` relationship asks whether the viewer may see that event, which
    would otherwise cost a query per event, and a page of invites or memberships has an event per
    row."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, Manager) else data)
        user = viewer_of(self.context)
        for registered in target_rules():
            if registered.prepare is not None:
                registered.prepare(user, rows)
        return super().to_representation(rows)


class ModelSerializer(jsonapi.ModelSerializer):
    """The library's model serializer, with its field set built once per class.

    Building fields means model introspection (~2 ms a serializer); the JSON:API renderer makes a
    new serializer for every included row (a session's speakers, for each of 2,000 sessions), so
    the built set is kept on the class and each instance gets a deep copy, as DRF does for
    declared fields. Nothing in a field set depends on the instance or request.
    """

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

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return copy.deepcopy(built)

    @cached_property
    def fields(self):
        """Serializers that only read share one bound field set per class and request: included
        rows reuse the fields of the first serializer of their class. Fields read nothing from
        their parent but the request's context, which these serializers share. Writes
        (``data=``) always get their own fields: validators look at their parent."""
        if hasattr(self, "initial_data"):
            return super().fields
        shared = self.context.setdefault("_shared_fields", {}) if isinstance(self.context, dict) else {}
        fields = shared.get(type(self))
        if fields is None:
            fields = shared[type(self)] = super().fields
        return fields


class RestorableMixin(serializers.Serializer):
    """``deleted-at`` is shown, and accepts only ``null`` (restore) on write."""

    deleted_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_deleted_at(self, value):
        if value is not None:
            raise serializers.ValidationError("Only null (restore) is accepted; delete with DELETE.")
        return value
