"""Django admin for the mail log: read-only, it records what was sent; a mail is removed from it
only through ``mailing.services`` (see ``openevent.core.admin.ServiceAdminMixin``)."""
from django.contrib import admin

from openevent.core.admin import ServiceAdminMixin

from . import services
from .models import Mail


@admin.register(Mail)
class MailAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("time", "recipient", "action", "subject", "status", "attempts", "sent_at", "event")
    list_filter = ("status", "action")
    search_fields = ("recipient", "subject", "action", "event__name", "event__identifier")
    list_select_related = ("event",)
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_object(self, request, obj):
        services.delete_mail(obj)
