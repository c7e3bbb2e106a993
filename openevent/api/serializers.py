"""Serializer pieces every resource shares."""
from django.db.models import Manager
from rest_framework import serializers
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE
from rest_framework_json_api import serializers as jsonapi

from events import permissions as rules

from .relations import viewer_of


class ListSerializer(serializers.ListSerializer):
    """A page of rows. Before the rows are rendered, the viewer's roles at the draft events they
    belong to are loaded with one query (``rules.prime_roles``): each row's ``event``
    relationship asks whether the viewer may see that event (``relations.shown``), which would
    otherwise cost a query per event, and a page of invites or memberships has an event per row.
    """

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, Manager) else data)
        user = viewer_of(self.context)
        if rules.is_authenticated(user) and not rules.is_admin(user):
            rules.prime_roles(user, {row.event_id for row in rows if in_draft(row)})
        return super().to_representation(rows)


def in_draft(row):
    """Does ``row`` belong to a draft event that is already loaded (no query)?"""
    descriptor = getattr(type(row), "event", None)
    is_cached = getattr(descriptor, "is_cached", None)
    return is_cached is not None and is_cached(row) and row.event is not None and not row.event.is_published


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


class RestorableMixin(serializers.Serializer):
    """``deleted-at`` is shown, and accepts only ``null`` (restore) on write."""

    deleted_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_deleted_at(self, value):
        if value is not None:
            raise serializers.ValidationError("Only null (restore) is accepted; delete with DELETE.")
        return value
