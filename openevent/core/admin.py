"""Django admin helpers for soft-deleted models (``deleted_at``): a filter and two actions.

Admin lists show trashed rows too (each ModelAdmin's ``get_queryset`` uses ``all_objects``), so an
administrator can find, inspect and restore them.
"""
from django.contrib import admin
from django.db import models
from django.utils import timezone

from .html import sanitize_instance

# Admin forms treat a URL typed without a scheme as https (Django 6's default; silences the
# deprecation warning of Django 5).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class TrashedFilter(admin.SimpleListFilter):
    """Live rows, trashed rows, or both."""

    title = "deleted"
    parameter_name = "trashed"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Trashed")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.action(description="Move selected to the trash (soft delete)")
def trash(modeladmin, request, queryset):
    count = queryset.filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
    modeladmin.message_user(request, f"Moved {count} row(s) to the trash.")


@admin.action(description="Restore selected from the trash")
def restore(modeladmin, request, queryset):
    count = queryset.filter(deleted_at__isnull=False).update(deleted_at=None)
    modeladmin.message_user(request, f"Restored {count} row(s).")


class SoftDeleteAdmin(admin.ModelAdmin):
    """Admin for a soft-deleted model: trashed rows listed too (filter, trash and restore
    actions); HTML fields the model declares (``HTML_FIELDS``) are sanitized on save like every
    other way in."""

    actions = (trash, restore)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return self.model.all_objects.all()

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), TrashedFilter)

    def save_model(self, request, obj, form, change):
        sanitize_instance(obj)
        super().save_model(request, obj, form, change)
