"""Serializer pieces every resource shares."""
import copy

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi


class ModelSerializer(jsonapi.ModelSerializer):
    """The library's model serializer, with its field set built once per class.

    Building fields means model introspection (~2 ms a serializer); the JSON:API renderer makes a
    new serializer for every included row (a session's speakers, for each of 2,000 sessions), so
    the built set is kept on the class and each instance gets a deep copy, as DRF does for
    declared fields. Nothing in a field set depends on the instance or request.
    """

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
