"""Django admin for events, roles, team memberships, role invites and the program's building
blocks (tracks, session types, rooms, sponsors, social links, calls for speakers)."""
from django.contrib import admin

from openevent.core.admin import SoftDeleteAdmin

from .models import (
    Event,
    Microlocation,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
    UsersEventsRoles,
)


class UsersEventsRolesInline(admin.TabularInline):
    model = UsersEventsRoles
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "role")


@admin.register(Event)
class EventAdmin(SoftDeleteAdmin):
    list_display = ("identifier", "name", "starts_at", "ends_at", "state", "privacy", "location_name", "deleted_at")
    list_display_links = ("identifier", "name")
    list_filter = ("state", "privacy", "online", "is_featured", "is_promoted", "is_sessions_speakers_enabled")
    search_fields = ("identifier", "name", "location_name", "searchable_location_name", "owner_name")
    readonly_fields = ("identifier", "created_at", "deleted_at")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at", "-id")
    inlines = (UsersEventsRolesInline,)
    fieldsets = (
        (None, {"fields": ("identifier", "name", "state", "privacy", ("starts_at", "ends_at"), "timezone")}),
        (
            "Place",
            {
                "fields": (
                    "online",
                    "location_name",
                    "searchable_location_name",
                    ("latitude", "longitude"),
                    "is_map_shown",
                    "external_event_url",
                )
            },
        ),
        ("Content", {"fields": ("description", "code_of_conduct", "owner_name", "owner_description", "has_owner_info")}),
        (
            "Images",
            {
                "classes": ("collapse",),
                "fields": (
                    "logo_url",
                    "original_image_url",
                    "thumbnail_image_url",
                    "large_image_url",
                    "icon_image_url",
                ),
            },
        ),
        (
            "Features",
            {
                "fields": (
                    "is_sessions_speakers_enabled",
                    "is_sponsors_enabled",
                    "schedule_published_on",
                    "ticket_url",
                    ("can_pay_by_stripe", "is_stripe_linked", "payment_currency"),
                )
            },
        ),
        ("Curation", {"fields": ("is_featured", "is_promoted")}),
        ("Dates", {"fields": ("created_at", "deleted_at")}),
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """The fixed role vocabulary: titles may be reworded, names are what the code checks."""

    list_display = ("name", "title_name")
    search_fields = ("name", "title_name")

    def get_readonly_fields(self, request, obj=None):
        return ("name",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UsersEventsRoles)
class UsersEventsRolesAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "role", "created_at")
    list_select_related = ("user", "event", "role")
    list_filter = ("role",)
    search_fields = ("user__email", "event__name", "event__identifier")
    autocomplete_fields = ("user", "event")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"


@admin.register(RoleInvite)
class RoleInviteAdmin(admin.ModelAdmin):
    """Invites are sent from the team page or the API (which e-mails the link); here an
    administrator looks them up and may change their status or expiry."""

    list_display = ("email", "event", "role", "status", "invited_by", "created_at", "expires_at", "responded_at")
    list_select_related = ("event", "role", "invited_by")
    list_filter = ("status", "role")
    search_fields = ("email", "event__name", "event__identifier")
    exclude = ("token_hash",)
    readonly_fields = ("email", "event", "role", "invited_by", "created_at", "responded_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


# --- the program's building blocks ----------------------------------------------------------------
class EventPartAdmin(SoftDeleteAdmin):
    """Rows that belong to one event."""

    list_select_related = ("event",)
    search_fields = ("name", "event__name", "event__identifier")
    autocomplete_fields = ("event",)
    readonly_fields = ("created_at", "deleted_at")


@admin.register(Track)
class TrackAdmin(EventPartAdmin):
    list_display = ("name", "event", "color", "position", "deleted_at")


@admin.register(SessionType)
class SessionTypeAdmin(EventPartAdmin):
    list_display = ("name", "event", "length", "position", "deleted_at")


@admin.register(Microlocation)
class MicrolocationAdmin(EventPartAdmin):
    list_display = ("name", "event", "room", "floor", "position", "hidden_in_scheduler", "deleted_at")
    list_filter = ("hidden_in_scheduler",)


@admin.register(Sponsor)
class SponsorAdmin(EventPartAdmin):
    list_display = ("name", "event", "type", "level", "url", "deleted_at")


@admin.register(SocialLink)
class SocialLinkAdmin(EventPartAdmin):
    list_display = ("name", "event", "link", "deleted_at")


@admin.register(SpeakersCall)
class SpeakersCallAdmin(EventPartAdmin):
    list_display = ("event", "privacy", "starts_at", "soft_ends_at", "ends_at", "deleted_at")
    list_filter = ("privacy",)
    search_fields = ("event__name", "event__identifier", "announcement")
    readonly_fields = ("hash", "created_at", "deleted_at")
