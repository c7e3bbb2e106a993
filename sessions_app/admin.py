"""Django admin for sessions, speakers and reviews; trashed sessions and speakers are listed too
and can be restored.

A session's state is read-only on its page: it changes only through the state machine
(``services.change_states``), which the accept / confirm / reject actions call for the selected
sessions. Every save, delete, trash and restore goes through ``sessions_app.services`` (see
``openevent.core.admin.ServiceAdminMixin``), like the API and the pages.
"""
from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, Q

from events.admin import EventTimeAdmin, local_times
from openevent.core.admin import (
    ListPrefetchMixin,
    SafeAutocompleteMixin,
    ServiceAdminMixin,
    SoftDeleteAdmin,
    count_of,
    label,
    restore,
    trash,
)

from . import services
from .models import Review, ScheduleBlock, ScheduleRelease, Session, Speaker
from .services import schedule


class SessionSpeakerForm(forms.ModelForm):
    """One row of the speakers inline: the speaker must belong to the session's event."""

    def clean(self):
        cleaned = super().clean()
        speaker, session = cleaned.get("speaker"), cleaned.get("session") or self.instance.session
        if speaker is not None and session is not None and speaker.event_id != session.event_id:
            raise forms.ValidationError({"speaker": f"{speaker} speaks at another event."})
        return cleaned


class SpeakerInline(SafeAutocompleteMixin, admin.TabularInline):
    """Who speaks in the session (rows of the speakers-sessions table)."""

    model = Speaker.sessions.through
    form = SessionSpeakerForm
    extra = 0
    autocomplete_fields = ("speaker",)
    verbose_name = "speaker"
    verbose_name_plural = "speakers"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker__event")


def inline_speakers(formset):
    """The speakers the rows of the speakers inline name, without the rows ticked for deletion."""
    speakers = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("speaker") is not None and not data.get("DELETE"):
            speakers.append(data["speaker"])
    return speakers


def _change_states(modeladmin, request, queryset, target):
    """Move each selected session to ``target`` through the state machine (``change_states``);
    report the sessions it moved and those it skipped (in the trash, already there, or not
    allowed)."""
    report = services.change_states(request.user, queryset.select_related("event").order_by("pk"), target)
    if report.changed:
        moved = ", ".join(label(session.title) for session in report.changed)
        modeladmin.message_user(
            request, f"Moved {len(report.changed)} session(s) to {target}: {moved}.", messages.SUCCESS
        )
    if report.unchanged:
        already = ", ".join(label(session.title) for session in report.unchanged)
        modeladmin.message_user(request, f"Already {target}: {already}.", messages.INFO)
    if report.refused:
        skipped = "; ".join(f"{label(session.title)}: {why}" for session, why in report.refused)
        modeladmin.message_user(request, f"Skipped {len(report.refused)} session(s): {skipped}.", messages.WARNING)


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
class SessionAdmin(EventTimeAdmin, ListPrefetchMixin, SoftDeleteAdmin):
    list_display = ("title", "event", "state", "track", "speaker_names", "microlocation", "when", "deleted_at")
    list_select_related = ("event", "track", "microlocation")
    list_prefetch_related = (Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk").only("name")),)
    list_filter = ("state", "is_locked", "is_mail_sent")
    # Speakers too: a session is often looked up by who gives it (the admin lists each session once).
    search_fields = ("title", "subtitle", "event__name", "event__identifier", "speakers__name", "speakers__email")
    autocomplete_fields = ("event", "track", "session_type", "microlocation", "creator")
    readonly_fields = ("state", "created_at", "deleted_at", "submitted_at", "last_modified_at")
    date_hierarchy = "starts_at"
    inlines = (SpeakerInline,)
    actions = (accept, confirm, reject, trash, restore)

    @admin.display(description="speakers")
    def speaker_names(self, obj):
        return ", ".join(speaker.name for speaker in obj.speakers.all()) or None

    @admin.display(description="when (event's timezone)", ordering="starts_at")
    def when(self, obj):
        return local_times(obj.starts_at, obj.ends_at, obj.event.timezone)

    def create_object(self, request, data):
        event = data.pop("event")
        return services.create_session(request.user, event, data)

    def update_object(self, request, obj, data):
        return services.update_session(request.user, obj, data)

    def save_relations(self, request, obj, form, formsets, change):
        """The speakers inline names who speaks in the session: one ``set_session_speakers``."""
        for formset in formsets:
            if formset.has_changed():
                services.set_session_speakers(request.user, obj, inline_speakers(formset), services.REPLACE)

    def delete_object(self, request, obj):
        services.delete_session(request.user, obj, permanent=True)

    def trash_object(self, request, obj):
        services.delete_session(request.user, obj)

    def restore_object(self, request, obj):
        services.restore_session(request.user, obj)


@admin.register(Speaker)
class SpeakerAdmin(SoftDeleteAdmin):
    list_display = ("name", "email", "event", "user", "sessions_count", "organisation", "is_featured", "deleted_at")
    list_select_related = ("event", "user")
    list_filter = ("is_featured",)
    search_fields = ("name", "email", "organisation", "event__name", "event__identifier")
    autocomplete_fields = ("event", "user", "sessions")
    readonly_fields = ("created_at", "deleted_at")

    def get_queryset(self, request):
        live = Q(sessions__deleted_at__isnull=True)
        return super().get_queryset(request).annotate(sessions_count=count_of(Speaker, "sessions", live))

    @admin.display(description="sessions", ordering="sessions_count")
    def sessions_count(self, obj):
        return obj.sessions_count

    def create_object(self, request, data):
        event = data.pop("event")
        return services.create_speaker(request.user, event, data)

    def update_object(self, request, obj, data):
        return services.update_speaker(request.user, obj, data)

    def save_relations(self, request, obj, form, formsets, change):
        """The sessions field: each session gained or lost goes through ``set_session_speakers``."""
        if "sessions" not in form.changed_data:
            return
        current = set(obj.sessions.values_list("pk", flat=True))
        wanted = {session.pk: session for session in form.cleaned_data["sessions"]}
        for session in wanted.values():
            if session.pk not in current:
                services.set_session_speakers(request.user, session, [obj], services.ADD)
        for session in obj.sessions.filter(pk__in=current - set(wanted)).select_related("event"):
            services.set_session_speakers(request.user, session, [obj], services.REMOVE)

    def delete_object(self, request, obj):
        services.delete_speaker(request.user, obj, permanent=True)

    def trash_object(self, request, obj):
        services.delete_speaker(request.user, obj)

    def restore_object(self, request, obj):
        services.restore_speaker(request.user, obj)


@admin.register(Review)
class ReviewAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Reviews are written by reviewers (the review pages and the API); here an administrator
    reads them, corrects a score or a comment (``update_review``) or deletes one
    (``delete_review``). Which session and whose review never change."""

    list_display = ("session", "event", "reviewer", "score", "created_at", "updated_at")
    list_select_related = ("session__event", "reviewer")
    list_filter = (("session__event", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("session__title", "reviewer__email", "session__event__name", "session__event__identifier")
    fields = ("session", "reviewer", "score", "comment", "created_at", "updated_at")
    readonly_fields = ("session", "reviewer", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="event", ordering="session__event__name")
    def event(self, obj):
        return obj.session.event

    def update_object(self, request, obj, data):
        return services.update_review(request.user, obj, score=data.get("score"), comment=data.get("comment"))

    def delete_object(self, request, obj):
        services.delete_review(request.user, obj)


@admin.register(ScheduleBlock)
class ScheduleBlockAdmin(EventTimeAdmin, ServiceAdminMixin, admin.ModelAdmin):
    """Breaks and other blocks of the work in progress, written through ``services.schedule``."""

    list_display = ("title", "event", "kind", "microlocation", "when")
    list_select_related = ("event", "microlocation")
    list_filter = ("kind",)
    search_fields = ("title", "event__name", "event__identifier")
    autocomplete_fields = ("event", "microlocation")
    readonly_fields = ("created_at",)
    date_hierarchy = "starts_at"

    @admin.display(description="when (event's timezone)", ordering="starts_at")
    def when(self, obj):
        return local_times(obj.starts_at, obj.ends_at, obj.event.timezone)

    def create_object(self, request, data):
        event = data.pop("event")
        return schedule.create_block(request.user, event, data)

    def update_object(self, request, obj, data):
        return schedule.update_block(request.user, obj, data)

    def delete_object(self, request, obj):
        schedule.delete_block(request.user, obj)


@admin.register(ScheduleRelease)
class ScheduleReleaseAdmin(admin.ModelAdmin):
    """The released versions: history, read only (organizers release from the event's
    "Releases" page, ``services.schedule.release_schedule``)."""

    list_display = ("event", "version", "released_at", "released_by", "changes")
    list_select_related = ("event", "released_by")
    search_fields = ("event__name", "event__identifier", "comment")
    date_hierarchy = "released_at"
    fields = ("event", "version", "released_at", "released_by", "comment", "changelog", "slots", "blocks")
    readonly_fields = fields

    @admin.display(description="new / moved / off")
    def changes(self, obj):
        log = obj.changelog
        return " / ".join(str(len(log.get(kind, ()))) for kind in schedule.CHANGE_KINDS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
