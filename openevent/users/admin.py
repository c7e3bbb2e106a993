"""Django admin for users: e-mail login, soft-deleted rows shown and restorable.

Django's own UserAdmin brings the password views (set, change, make unusable); the forms below
adapt its creation and change forms to a model whose login name is ``email`` and that has no
groups or per-user permissions (``is_admin`` decides, see ``User.has_perm``). Every write goes
through ``openevent.users.services`` (see ``openevent.core.admin.ServiceAdminMixin``).
"""
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.db.models import Q

from openevent.core.admin import (
    URL_FIELDS_ASSUME_HTTPS,
    ServiceAdminMixin,
    TrashedFilter,
    count_of,
    restore,
    trash,
)

from . import services
from .forms import AdminLoginForm
from .models import User, UserManager

# Every way to log in shares one throttle (openevent.users.services.login), the admin's too.
admin.site.login_form = AdminLoginForm


def _unique_email(form, email):
    email = UserManager.normalize_email(email)
    taken = User.all_objects.filter(email=email)  # trashed users keep their address
    if form.instance.pk:
        taken = taken.exclude(pk=form.instance.pk)
    if taken.exists():
        raise forms.ValidationError("A user with this e-mail address already exists.")
    return email


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return _unique_email(self, self.cleaned_data.get("email"))


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email",)  # the admin builds the form from UserAdmin.fieldsets

    def clean_email(self):
        return _unique_email(self, self.cleaned_data.get("email"))


class PasswordForm(AdminPasswordChangeForm):
    """The admin's "set password" form, written by ``services.set_password``."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return services.set_password(self.user, password)


LIVE_EVENT_ROLES = Q(event_roles__event__deleted_at__isnull=True)


@admin.register(User)
class UserAdmin(ServiceAdminMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    change_password_form = PasswordForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {
                "fields": (
                    ("first_name", "last_name"),
                    "public_name",
                    "avatar_url",
                    "details",
                    "contact",
                    ("facebook_url", "twitter_url", "instagram_url"),
                )
            },
        ),
        ("Rights", {"fields": ("is_admin", "is_super_admin", "is_verified", "is_blocked")}),
        ("Dates", {"fields": ("created_at", "last_login", "last_accessed_at", "deleted_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    list_display = (
        "email",
        "first_name",
        "last_name",
        "is_verified",
        "is_admin",
        "is_blocked",
        "events_count",
        "created_at",
        "deleted_at",
    )
    list_filter = ("is_admin", "is_super_admin", "is_verified", "is_blocked", TrashedFilter)
    search_fields = ("email", "first_name", "last_name", "public_name")
    ordering = ("email",)
    readonly_fields = ("created_at", "last_login", "last_accessed_at", "deleted_at")
    filter_horizontal = ()
    date_hierarchy = "created_at"
    actions = (trash, restore)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        """Trashed users too: admins look them up, restore them or see why an address is taken."""
        return User.all_objects.annotate(events_count=count_of(User, "event_roles__event", LIVE_EVENT_ROLES))

    @admin.display(description="events", ordering="events_count")
    def events_count(self, obj):
        """The live events where the user holds a role (the events app's relation, by name)."""
        return obj.events_count

    def create_object(self, request, data):
        password = data["password1"] if data.get("set_usable_password") else None
        fields = {name: value for name, value in data.items() if name in {f.name for f in User._meta.fields}}
        fields.pop("email", None)
        return services.create_account(request.user, data["email"], password, **fields)

    def update_object(self, request, obj, data):
        return services.update_user(request.user, obj, **data)

    def delete_object(self, request, obj):
        services.delete_user(obj, permanent=True)

    def trash_object(self, request, obj):
        services.delete_user(obj)

    def restore_object(self, request, obj):
        services.restore_user(obj)
