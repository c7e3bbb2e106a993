"""Soft delete: rows are hidden by setting ``deleted_at`` instead of being removed.

``objects`` sees live rows only, so every list, detail and ``include`` hides deleted rows without
thinking about it; ``all_objects`` sees everything and is used where trashed rows are asked for
(``?get_trashed=true``) by someone who may manage them.
"""
from django.db import models
from django.utils import timezone


class SoftDeleteQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """The default manager: live rows only."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """Every row, live or trashed."""


class SoftDeleteModel(models.Model):
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    objects = LiveManager()
    all_objects = AllManager()

    class Meta:
        abstract = True
        # Related managers (event.sessions, prefetches, include) use the base manager; keep it
        # the live one so deleted rows never leak through a relation.
        base_manager_name = "objects"

    def _do_update(self, base_qs, *args, **kwargs):
        # Saving goes through the base manager, which sees live rows only; a trashed row must
        # still be saveable (restore, admin edits), so updates look at every row.
        return super()._do_update(type(self).all_objects.using(base_qs.db), *args, **kwargs)

    @property
    def is_trashed(self):
        return self.deleted_at is not None

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self):
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])

    def remove(self, permanent=False):
        """Into the trash, or (``permanent``) out of the database."""
        if permanent:
            self.delete()
        else:
            self.soft_delete()
