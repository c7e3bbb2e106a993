"""Soft delete over the API: ``?get_trashed=true`` adds the trashed rows the user manages,
``DELETE`` trashes (``?permanent=true``: admins delete for good), ``PATCH`` with
``deleted-at: null`` restores."""
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from openevent.core import permissions as rules

TRUE_VALUES = {"true", "1", "yes"}


def flag(request, name):
    return request.query_params.get(name, "").lower() in TRUE_VALUES


class TrashMixin:
    """Hooks: ``trashed_queryset`` (which trashed rows the user manages), ``perform_restore`` and
    ``perform_destroy`` (through the resource's service)."""

    #: Rows have ``deleted_at`` and are trashed, not deleted, by ``DELETE``.
    soft_delete = False

    def trashed_queryset(self, queryset):
        """Of ``queryset`` (all rows, trashed included), the trashed ones the user may manage:
        admins manage every trash; subclasses widen this (an event's team manages its rows)."""
        if rules.is_admin(self.request.user):
            return queryset.filter(deleted_at__isnull=False)
        return queryset.none()

    def wants_trashed(self):
        if not self.soft_delete:
            return False
        # Restoring (PATCH deleted-at: null) needs to find the trashed row.
        return flag(self.request, "get_trashed") or self.action in ("partial_update", "update")

    def with_trashed(self, queryset, everything):
        """``queryset`` (the live rows the user sees) plus the trashed rows of ``everything`` (all
        rows under the same parent) that the user manages, when the request asks for them."""
        if not self.wants_trashed():
            return queryset
        model = self.queryset.model
        trashed_ids = self.trashed_queryset(everything).values("pk")
        return model.all_objects.filter(pk__in=queryset.values("pk")) | model.all_objects.filter(pk__in=trashed_ids)

    def is_trashed(self, instance):
        return self.soft_delete and instance.deleted_at is not None

    def restore(self, request, instance):
        """A trashed row accepts exactly one change: ``deleted-at: null``."""
        if "deleted_at" not in request.data or request.data["deleted_at"] is not None:
            raise ValidationError(
                {"deleted_at": ["This object is deleted; restore it with deleted-at: null first."]}
            )
        others = sorted(set(request.data) - {"deleted_at", "id", "type", "_meta"})
        if others:
            raise ValidationError(
                {others[0]: ["Restore the object (deleted-at: null) on its own, then change it."]}
            )
        self.perform_restore(instance)
        return Response(self.get_serializer(instance).data)

    def perform_restore(self, instance):
        """Bring ``instance`` back from the trash (resources with a service restore through it)."""
        instance.restore()

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        if flag(request, "permanent"):
            if not rules.is_admin(request.user):
                raise PermissionDenied("Only administrators may delete permanently.")
            self.perform_destroy(instance, permanent=True)
        else:
            self.perform_destroy(instance, permanent=not self.soft_delete)
        # A meta-only document, rendered as it is (not as a resource object).
        self.resource_name = False
        return Response({"meta": {"message": "Object successfully deleted"}}, status=status.HTTP_200_OK)

    def perform_destroy(self, instance, permanent=False):
        if permanent:
            instance.delete()
        else:
            instance.soft_delete()
