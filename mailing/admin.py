"""Django admin for the mail log: read-only, it records what was sent."""
from django.contrib import admin

from .models import Mail


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ("time", "recipient", "action", "subject")
    list_filter = ("action",)
    search_fields = ("recipient", "subject", "action")
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
