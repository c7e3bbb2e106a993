"""Serializer pieces every resource shares."""
from rest_framework import serializers


class RestorableMixin(serializers.Serializer):
    """``deleted-at`` is shown, and accepts only ``null`` (restore) on write."""

    deleted_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_deleted_at(self, value):
        if value is not None:
            raise serializers.ValidationError("Only null (restore) is accepted; delete with DELETE.")
        return value
