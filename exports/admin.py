"""Django admin for the export and import jobs: read-only lists (who, which event, state, times,
error). Jobs are made and ended by ``exports.services`` alone; the admin writes nothing."""
from django.contrib import admin

from openevent.core.admin import ServiceAdminMixin

from .models import ExportJob, ImportJob


class JobAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_filter = ("status", "kind")
    date_hierarchy = "created_at"
    readonly_fields = ("task",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(JobAdmin):
    list_display = ("created_at", "user", "event", "kind", "status", "starts_at", "finished_at", "file_size", "error")
    search_fields = ("user__email", "event__name", "event__identifier", "error")
    list_select_related = ("user", "event")


@admin.register(ImportJob)
class ImportJobAdmin(JobAdmin):
    list_display = (
        "created_at", "user", "kind", "original_name", "status", "event", "starts_at", "finished_at", "error",
    )
    search_fields = ("user__email", "original_name", "event__name", "error")
    list_select_related = ("user", "event")
