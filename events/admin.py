"""Django admin for events, roles, team memberships, role invites, the program's building
blocks (tracks, session types, rooms, sponsors, social links, calls for speakers), the fields of
the session and speaker forms, reviewers and review settings.

Every save, delete, trash and restore goes through ``events.services`` (see
``openevent.core.admin.ServiceAdminMixin``), like the API and the pages: publishing an event here
sends ``event_published``, and the services' rules hold for administrators too.
"""
import copy
import datetime

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from openevent.api.views import is_id
from openevent.core.admin import (
    ListPrefetchMixin,
    LocalTimeAdminMixin,
    SafeAutocompleteMixin,
    ServiceAdminMixin,
    SoftDeleteAdmin,
    count_of,
)
from openevent.core.errors import Conflict
from openevent.core.zones import time_zone

from . import services
from .models import (
    CustomForm,
    Event,
    EventCopyright,
    Microlocation,
    Reviewer,
    ReviewSettings,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    StripeAuthorization,
    Track,
    UsersEventsRoles,
)
from .services import custom_forms
from .services import reviews as review_services
from .services import stripe as stripe_services


class UsersEventsRolesInline(SafeAutocompleteMixin, admin.TabularInline):
    model = UsersEventsRoles
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "role")


def save_team_rows(actor, event, formset):
    """Each row of the team inline through the team services: added, re-pointed or removed."""
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data:
            continue
        pk = form.instance.pk
        stored = UsersEventsRoles.objects.select_related("role", "user").get(pk=pk) if pk else None
        if stored is not None and data.get("DELETE"):
            services.remove_from_team(actor, stored)
        elif stored is None and not data.get("DELETE"):
            services.add_to_team(actor, event, data["user"], data["role"])
        elif stored is not None and form.has_changed():
            services.change_membership(actor, stored, user=data.get("user"), role=data.get("role"))


def local_times(start, end, zone_name):
    """“2031-04-10 09:00 – 2031-04-12 18:00 Asia/Singapore”: times of a list row in its event's
    timezone, named (rows of several events list times of several timezones)."""
    zone = time_zone(zone_name) or datetime.UTC
    shown = [timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M") for value in (start, end) if value]
    return f"{' – '.join(shown)} {zone.key}" if shown else None  # None: the admin's "-"


class EventTimeAdmin(LocalTimeAdminMixin):
    """Forms of rows whose times are an event's (the event, its sessions, its call for speakers):
    dates shown and read in the event's timezone. A post reads them in the timezone it chooses
    (the event form's timezone field, the event a new session is added to)."""

    time_zone_help = "Time in {zone}, the event's timezone."
    time_zone_unknown_help = "Time in the event's timezone."

    def form_time_zone(self, request, obj):
        posted = request.POST.get("event") if request.method == "POST" else None
        if posted and is_id(posted):
            chosen = Event.all_objects.filter(pk=posted).values_list("timezone", flat=True).first()
            if chosen:
                return chosen
        return obj.event.timezone if obj is not None else None


@admin.register(Event)
class EventAdmin(EventTimeAdmin, SoftDeleteAdmin):
    list_display = (
        "identifier", "name", "owner", "state", "privacy", "dates", "sessions_count", "speakers_count", "deleted_at"
    )  # fmt: skip
    list_display_links = ("identifier", "name")
    list_filter = ("state", "privacy", "online", "is_featured", "is_promoted", "is_sessions_speakers_enabled")
    search_fields = ("identifier", "name", "location_name", "searchable_location_name", "owner_name")
    readonly_fields = ("identifier", "created_at", "deleted_at", "logo_thumbnail_url")
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
        (
            "Content",
            {"fields": ("description", "code_of_conduct", "owner_name", "owner_description", "has_owner_info")},
        ),
        (
            "Images",
            {
                "classes": ("collapse",),
                "fields": (
                    "logo_url",
                    "logo_thumbnail_url",
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
                )
            },
        ),
        (
            "Payment",
            {
                "classes": ("collapse",),
                "fields": (
                    ("payment_currency", "payment_country", "is_tax_enabled"),
                    ("can_pay_by_stripe", "is_stripe_linked", "can_pay_by_omise"),
                    ("can_pay_by_paypal", "paypal_email"),
                    ("can_pay_by_cheque", "cheque_details"),
                    ("can_pay_by_bank", "bank_details"),
                    ("can_pay_onsite", "onsite_details"),
                    "refund_policy",
                ),
            },
        ),
        ("Curation", {"fields": ("is_featured", "is_promoted")}),
        ("Dates", {"fields": ("created_at", "deleted_at")}),
    )

    def get_queryset(self, request):
        """With the owner's address and the counts of live sessions and speakers (the sessions
        app's relations, by name), each a subquery of the list's one query."""
        owners = UsersEventsRoles.objects.filter(event=OuterRef("pk"), role__name=Role.OWNER)
        return (
            super()
            .get_queryset(request)
            .annotate(
                owner_email=Subquery(owners.values("user__email")[:1]),
                sessions_count=count_of(Event, "sessions", Q(sessions__deleted_at__isnull=True)),
                speakers_count=count_of(Event, "speakers", Q(speakers__deleted_at__isnull=True)),
            )
        )

    @admin.display(description="owner", ordering="owner_email")
    def owner(self, obj):
        return obj.owner_email

    @admin.display(description="dates (event's timezone)", ordering="starts_at")
    def dates(self, obj):
        return local_times(obj.starts_at, obj.ends_at, obj.timezone)

    @admin.display(description="sessions", ordering="sessions_count")
    def sessions_count(self, obj):
        return obj.sessions_count

    @admin.display(description="speakers", ordering="speakers_count")
    def speakers_count(self, obj):
        return obj.speakers_count

    def form_time_zone(self, request, obj):
        """The timezone the form saves: the posted one (a new event's, or a changed one: the
        times typed next to it are meant in it), else the stored one."""
        posted = request.POST.get("timezone") if request.method == "POST" else None
        if time_zone(posted):
            return posted
        return obj.timezone if obj is not None else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        note = "A name such as Asia/Singapore. The dates and times of this form are in this timezone."
        kwargs["help_texts"] = {"timezone": note, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, change=change, **kwargs)

    def create_object(self, request, data):
        """The administrator who creates an event owns it, as anyone who creates one does; an
        owner invite hands it over."""
        return services.create_event(request.user, **data)

    def update_object(self, request, obj, data):
        return services.update_event(request.user, obj, **data)

    def save_relations(self, request, obj, form, formsets, change):
        for formset in formsets:
            save_team_rows(request.user, obj, formset)

    def delete_object(self, request, obj):
        services.delete_event(request.user, obj, permanent=True)

    def trash_object(self, request, obj):
        services.delete_event(request.user, obj)

    def restore_object(self, request, obj):
        services.restore_event(request.user, obj)


@admin.register(Role)
class RoleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The fixed role vocabulary (made by a migration): titles may be reworded, names are what
    the code checks."""

    list_display = ("name", "title_name")
    search_fields = ("name", "title_name")
    readonly_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def update_object(self, request, obj, data):
        return services.rename_role(request.user, obj, data.get("title_name", obj.title_name))


@admin.register(UsersEventsRoles)
class UsersEventsRolesAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("user", "event", "role", "created_at")
    list_select_related = ("user", "event", "role")
    list_filter = ("role",)
    search_fields = ("user__email", "event__name", "event__identifier")
    autocomplete_fields = ("user", "event")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"

    def create_object(self, request, data):
        return services.add_to_team(request.user, data["event"], data["user"], data["role"])

    def update_object(self, request, obj, data):
        return services.change_membership(request.user, obj, **data)

    def delete_object(self, request, obj):
        services.remove_from_team(request.user, obj)


@admin.register(RoleInvite)
class RoleInviteAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Invites are sent from the team page or the API (which e-mails the link); here an
    administrator looks them up and may withdraw or reopen them or change their expiry."""

    list_display = ("email", "event", "role", "status", "invited_by", "created_at", "expires_at", "responded_at")
    list_select_related = ("event", "role", "invited_by")
    list_filter = ("status", "role")
    search_fields = ("email", "event__name", "event__identifier")
    exclude = ("token_hash",)
    readonly_fields = ("email", "event", "role", "invited_by", "created_at", "responded_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def update_object(self, request, obj, data):
        return services.revise_invite(request.user, obj, status=data.get("status"), expires_at=data.get("expires_at"))

    def delete_object(self, request, obj):
        services.delete_invite(request.user, obj)


# --- the program's building blocks ----------------------------------------------------------------
class EventPartAdmin(SoftDeleteAdmin):
    """Rows that belong to one event."""

    list_select_related = ("event",)
    search_fields = ("name", "event__name", "event__identifier")
    autocomplete_fields = ("event",)
    readonly_fields = ("created_at", "deleted_at")

    def create_object(self, request, data):
        event = data.pop("event")
        return services.create_part(request.user, self.model, event, **data)

    def update_object(self, request, obj, data):
        return services.update_part(request.user, obj, **data)

    def delete_object(self, request, obj):
        services.delete_part(request.user, obj, permanent=True)

    def trash_object(self, request, obj):
        services.delete_part(request.user, obj)

    def restore_object(self, request, obj):
        services.restore_part(request.user, obj)


@admin.register(Track)
class TrackAdmin(EventPartAdmin):
    list_display = ("name", "event", "color", "position", "deleted_at")


@admin.register(SessionType)
class SessionTypeAdmin(EventPartAdmin):
    list_display = ("name", "event", "length", "position", "deleted_at")


@admin.register(Microlocation)
class MicrolocationAdmin(EventPartAdmin):
    list_display = (
        "name", "event", "room", "floor", "position", "hidden_in_scheduler", "allows_parallel", "deleted_at",
    )  # fmt: skip
    list_filter = ("hidden_in_scheduler", "allows_parallel")


@admin.register(Sponsor)
class SponsorAdmin(EventPartAdmin):
    list_display = ("name", "event", "type", "level", "url", "deleted_at")
    readonly_fields = (*EventPartAdmin.readonly_fields, "logo_thumbnail_url")  # made from the logo


@admin.register(SocialLink)
class SocialLinkAdmin(EventPartAdmin):
    list_display = ("name", "event", "link", "deleted_at")


@admin.register(SpeakersCall)
class SpeakersCallAdmin(EventTimeAdmin, EventPartAdmin):
    list_display = ("event", "privacy", "period", "soft_end", "deleted_at")
    list_filter = ("privacy",)
    search_fields = ("event__name", "event__identifier", "announcement")
    readonly_fields = ("hash", "created_at", "deleted_at")

    @admin.display(description="open (event's timezone)", ordering="starts_at")
    def period(self, obj):
        return local_times(obj.starts_at, obj.ends_at, obj.event.timezone)

    @admin.display(description="soft end", ordering="soft_ends_at")
    def soft_end(self, obj):
        return local_times(obj.soft_ends_at, None, obj.event.timezone)


@admin.register(EventCopyright)
class EventCopyrightAdmin(EventPartAdmin):
    list_display = ("event", "holder", "licence", "year", "deleted_at")
    search_fields = ("holder", "licence", "event__name", "event__identifier")


# --- the session and speaker forms -----------------------------------------------------------------
class CustomFormAdminForm(forms.ModelForm):
    """A form field's row. A required field must be included: said here on the field, before the
    model's constraint would say it in its own words above the form."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_required") and not cleaned.get("is_included"):
            self.add_error("is_included", "A required field must be included.")
        return cleaned


@admin.register(CustomForm)
class CustomFormAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The fields of the events' session and speaker forms, as the forms builder shapes them: every
    add, change and delete through ``events.services.custom_forms``. A field's event, form,
    identifier and kind (built-in or custom) never change; built-in fields are not deleted (a form
    leaves them out instead)."""

    form = CustomFormAdminForm
    list_display = (
        "name", "event", "form", "position", "field_identifier", "type", "is_complex", "is_included", "is_required",
        "is_public", "is_fixed",
    )  # fmt: skip
    list_display_links = ("name",)
    list_select_related = ("event",)
    list_filter = ("form", "type", "is_complex", "is_required")
    search_fields = ("name", "field_identifier", "event__name", "event__identifier")
    autocomplete_fields = ("event",)
    ordering = ("event", "form", "position", "id")
    add_fields = (
        "event", "form", "name", "field_identifier", "type", "description", "is_included", "is_required", "is_public",
        "position", "min", "max", "options",
    )  # fmt: skip
    change_fields = (
        "event", "form", "field_identifier", "is_complex", "is_fixed", "name", "type", "description", "is_included",
        "is_required", "is_public", "position", "min", "max", "options", "created_at",
    )  # fmt: skip
    optional_on_add = {
        "field_identifier": "Blank: made from the name (a custom field).",
        "position": "Blank: after the form's last field.",
    }

    def get_fields(self, request, obj=None):
        return self.change_fields if obj is not None else self.add_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("event", "form", "field_identifier", "is_complex", "is_fixed", "created_at")
        # A built-in field keeps its catalogue's type.
        return fixed if obj.is_complex else (*fixed, "type")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            for name, note in self.optional_on_add.items():
                # A copy: the base fields are shared by every form class made from this one.
                field = form.base_fields[name] = copy.copy(form.base_fields[name])
                field.required, field.initial, field.help_text = False, None, note
        return form

    def create_object(self, request, data):
        event = data.pop("event")
        if data.get("position") is None:
            data.pop("position", None)
        row, created = custom_forms.create_field(request.user, event, data)
        if not created:
            # The service changed the form's built-in row instead; an add adds (rolled back).
            raise Conflict(
                f"The {row.form} form has its built-in field '{row.field_identifier}' already; change that row.",
                field="field_identifier",
            )
        return row

    def update_object(self, request, obj, data):
        return custom_forms.update_field(request.user, obj, data)

    def delete_object(self, request, obj):
        custom_forms.delete_field(request.user, obj)


# --- reviews ---------------------------------------------------------------------------------------
@admin.register(Reviewer)
class ReviewerAdmin(ListPrefetchMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Team members marked as reviewers (of some tracks, or of every session): marked, re-tracked
    and unmarked through ``events.services.reviews``. Who and where never change: unmark and mark
    someone else."""

    list_display = ("user", "event", "track_names", "created_at")
    list_select_related = ("user", "event")
    list_prefetch_related = (Prefetch("tracks", queryset=Track.objects.order_by("name", "pk").only("name")),)
    list_filter = (("event", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__email", "user__first_name", "user__last_name", "event__name", "event__identifier")
    autocomplete_fields = ("event", "user", "tracks")
    fields = ("event", "user", "tracks", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return ("created_at",) if obj is None else ("event", "user", "created_at")

    @admin.display(description="tracks")
    def track_names(self, obj):
        return ", ".join(track.name for track in obj.tracks.all()) or "every session"

    @staticmethod
    def form_data(form, change):
        """The form's values, the tracks included: ``mark_reviewer`` writes them with the row."""
        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    def create_object(self, request, data):
        return review_services.mark_reviewer(request.user, data["event"], data["user"], list(data.get("tracks", ())))

    def update_object(self, request, obj, data):
        if "tracks" not in data:
            return obj
        return review_services.mark_reviewer(request.user, obj.event, obj.user, list(data["tracks"]))

    def save_relations(self, request, obj, form, formsets, change):
        """Nothing left to write: the tracks went with the row."""

    def delete_object(self, request, obj):
        review_services.unmark_reviewer(request.user, obj)


class ReviewSettingsAdminForm(forms.ModelForm):
    """An event's review settings. The scale goes upwards: said here on its field, before the
    model's constraint would say it in its own words above the form."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("score_min"), cleaned.get("score_max")
        if low is not None and high is not None and high <= low:
            self.add_error("score_max", "The highest score must be above the lowest.")
        return cleaned


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(EventTimeAdmin, ServiceAdminMixin, admin.ModelAdmin):
    """How an event's proposals are reviewed, through ``update_review_settings`` (which creates
    an event's row on its first save). No service deletes the row: an event without one uses the
    defaults, and an administrator sets those values instead."""

    form = ReviewSettingsAdminForm
    list_display = ("event", "score_min", "score_max", "phase_end", "is_anonymous")
    list_select_related = ("event",)
    list_filter = ("is_anonymous",)
    search_fields = ("event__name", "event__identifier")
    autocomplete_fields = ("event",)
    fields = ("event", "score_min", "score_max", "score_labels", "ends_at", "is_anonymous")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("event",)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="reviews end (event's timezone)", ordering="ends_at")
    def phase_end(self, obj):
        return local_times(obj.ends_at, None, obj.event.timezone)

    def create_object(self, request, data):
        event = data.pop("event")
        return review_services.update_review_settings(request.user, event, **data)

    def update_object(self, request, obj, data):
        return review_services.update_review_settings(request.user, obj.event, **data)


@admin.register(StripeAuthorization)
class StripeAuthorizationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Events' connected Stripe accounts, to look up; connections are made by organizers on the
    event's settings page (or the API). Deleting one revokes it at Stripe
    (``events.services.stripe.disconnect``). The sealed tokens are neither listed nor shown."""

    list_display = ("event", "stripe_user_id", "livemode", "created_by", "created_at")
    list_select_related = ("event", "created_by")
    list_filter = ("livemode",)
    search_fields = ("event__name", "event__identifier", "stripe_user_id")
    fields = ("event", "stripe_user_id", "stripe_publishable_key", "livemode", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_object(self, request, obj):
        stripe_services.disconnect(request.user, obj.event)
