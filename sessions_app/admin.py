"""Django admin for sessions and speakers; trashed rows are listed too and can be restored."""
from django.contrib import admin

from openevent.softdelete_admin import (
    URL_FIELDS_ASSUME_HTTPS,
    TrashedFilter,
    restore,
    trash,
)

from .models import Session, Speaker


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "event", "state", "track", "microlocation", "starts_at", "ends_at", "deleted_at")
    list_select_related = ("event", "track", "microlocation")
    list_filter = ("state", "is_locked", "is_mail_sent", TrashedFilter)
    search_fields = ("title", "subtitle", "event__name", "event__identifier")
    autocomplete_fields = ("event", "track", "session_type", "microlocation", "creator")
    readonly_fields = ("created_at", "deleted_at", "submitted_at")
    date_hierarchy = "starts_at"
    actions = (trash, restore)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return Session.all_objects.all()


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "event", "organisation", "is_featured", "deleted_at")
    list_select_related = ("event", "user")
    list_filter = ("is_featured", TrashedFilter)
    search_fields = ("name", "email", "organisation", "event__name", "event__identifier")
    autocomplete_fields = ("event", "user", "sessions")
    readonly_fields = ("created_at", "deleted_at")
    actions = (trash, restore)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return Speaker.all_objects.all()
