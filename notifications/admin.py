"""Django admin for notifications (read-only: the receivers write them), the message settings
of each action (administrators' switches) and users' mail preferences per event. Every write
goes through ``notifications.services`` (see ``openevent.core.admin.ServiceAdminMixin``)."""
from django.contrib import admin

from openevent.core.admin import ServiceAdminMixin

from . import services
from .models import ACTIONS, PREFERENCES, EmailNotification, MessageSettings, Notification


@admin.register(Notification)
class NotificationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("received_at", "user", "action", "title", "is_read", "event")
    list_filter = ("is_read", "action")
    search_fields = ("title", "message", "user__email", "event__name", "event__identifier")
    list_select_related = ("user", "event")
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_object(self, request, obj):
        services.delete_notification(obj, actor=request.user)


@admin.register(MessageSettings)
class MessageSettingsAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """One row per action (seeded): switched here, never added or removed."""

    list_display = ("action", "label", *services.SWITCHES)
    list_editable = services.SWITCHES
    list_filter = services.SWITCHES
    search_fields = ("action",)
    fields = ("action", *services.SWITCHES)
    readonly_fields = ("action",)

    @admin.display(description="what")
    def label(self, obj):
        return ACTIONS.get(obj.action, obj.action)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def update_object(self, request, obj, data):
        return services.update_message_settings(obj, data, actor=request.user)


@admin.register(EmailNotification)
class EmailNotificationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("user", "event", *PREFERENCES)
    list_filter = tuple(PREFERENCES)
    search_fields = ("user__email", "event__name", "event__identifier")
    list_select_related = ("user", "event")
    autocomplete_fields = ("user", "event")

    def get_readonly_fields(self, request, obj=None):
        # A row stays the one user's about the one event.
        return ("user", "event") if obj is not None else ()

    def create_object(self, request, data):
        values = {name: data[name] for name in PREFERENCES if name in data}
        return services.update_email_preferences(data["user"], data["event"], values, actor=request.user)

    def update_object(self, request, obj, data):
        values = {name: data[name] for name in PREFERENCES if name in data}
        return services.update_email_preferences(obj.user, obj.event, values, actor=request.user)

    def delete_object(self, request, obj):
        services.delete_email_preferences(obj, actor=request.user)
