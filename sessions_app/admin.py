"""Django admin for sessions and speakers; trashed rows are listed too and can be restored.

A session's state is read-only on its page: it changes only through the state machine
(``services.change_state``), which the accept / confirm / reject actions call for each selected
session.
"""
from django import forms
from django.contrib import admin, messages

from openevent.core.admin import SoftDeleteAdmin, restore, trash
from openevent.core.errors import ServiceError

from . import services
from .models import Session, Speaker


class SessionSpeakerForm(forms.ModelForm):
    """One row of the speakers inline: the speaker must belong to the session's event."""

    def clean(self):
        cleaned = super().clean()
        speaker, session = cleaned.get("speaker"), cleaned.get("session") or self.instance.session
        if speaker is not None and session is not None and speaker.event_id != session.event_id:
            raise forms.ValidationError({"speaker": f"{speaker} speaks at another event."})
        return cleaned


class SpeakerInline(admin.TabularInline):
    """Who speaks in the session (rows of the speakers-sessions table)."""

    model = Speaker.sessions.through
    form = SessionSpeakerForm
    extra = 0
    autocomplete_fields = ("speaker",)
    verbose_name = "speaker"
    verbose_name_plural = "speakers"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker__event")


def _change_states(modeladmin, request, queryset, target):
    """Move each selected session to ``target`` through the state machine, one by one; report the
    sessions it moved and those it skipped (in the trash, already there, or not allowed)."""
    moved, already, skipped = [], [], []
    for session in queryset.select_related("event").order_by("pk"):
        if session.deleted_at is not None:
            skipped.append(f"“{session.title}” is in the trash")
        elif session.state == target:
            already.append(f"“{session.title}”")
        else:
            try:
                services.change_state(request.user, session, target)
            except ServiceError as error:
                skipped.append(f"“{session.title}”: {error.message}")
            else:
                moved.append(f"“{session.title}”")
    if moved:
        modeladmin.message_user(request, f"Moved {len(moved)} session(s) to {target}: {', '.join(moved)}.", messages.SUCCESS)
    if already:
        modeladmin.message_user(request, f"Already {target}: {', '.join(already)}.", messages.INFO)
    if skipped:
        modeladmin.message_user(request, f"Skipped {len(skipped)} session(s): {'; '.join(skipped)}.", messages.WARNING)


@admin.action(description="Accept selected sessions")
def accept(modeladmin, request, queryset):
    _change_states(modeladmin, request, queryset, Session.State.ACCEPTED)


@admin.action(description="Confirm selected sessions")
def confirm(modeladmin, request, queryset):
    _change_states(modeladmin, request, queryset, Session.State.CONFIRMED)


@admin.action(description="Reject selected sessions")
def reject(modeladmin, request, queryset):
    _change_states(modeladmin, request, queryset, Session.State.REJECTED)


@admin.register(Session)
class SessionAdmin(SoftDeleteAdmin):
    list_display = ("title", "event", "state", "track", "microlocation", "starts_at", "ends_at", "deleted_at")
    list_select_related = ("event", "track", "microlocation")
    list_filter = ("state", "is_locked", "is_mail_sent")
    search_fields = ("title", "subtitle", "event__name", "event__identifier")
    autocomplete_fields = ("event", "track", "session_type", "microlocation", "creator")
    readonly_fields = ("state", "created_at", "deleted_at", "submitted_at", "last_modified_at")
    date_hierarchy = "starts_at"
    inlines = (SpeakerInline,)
    actions = (accept, confirm, reject, trash, restore)


@admin.register(Speaker)
class SpeakerAdmin(SoftDeleteAdmin):
    list_display = ("name", "email", "event", "organisation", "is_featured", "deleted_at")
    list_select_related = ("event", "user")
    list_filter = ("is_featured",)
    search_fields = ("name", "email", "organisation", "event__name", "event__identifier")
    autocomplete_fields = ("event", "user", "sessions")
    readonly_fields = ("created_at", "deleted_at")
