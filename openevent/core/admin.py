"""Django admin helpers: writes through services, and the admin of soft-deleted models.

Every write an administrator makes goes through the same service functions as the API and the
pages, so it is checked by the same rules and sends the same signals. ``ServiceAdminMixin`` routes
the admin's saves, deletes, trash and restore to hooks each app's ModelAdmin fills with its own
services (this module imports no app); a refusal (``ServiceError``) is shown as a form error on
the field it names (else above the form), or as a message for actions and deletes — never a 500.

Admin lists of soft-deleted models show trashed rows too (each ModelAdmin's ``get_queryset`` uses
``all_objects``), so an administrator can find, inspect and restore them.

The platform settings (one row) are edited here too: ``PlatformSettingsAdmin``.

Rows whose times belong to a place (an event and what is scheduled in it) show and take them in
that place's timezone: ``LocalTimeAdminMixin``.
"""
import copy
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import services, site
from .errors import ServiceError
from .models import PlatformSettings
from .zones import time_zone

# Admin forms treat a URL typed without a scheme as https (Django 6's default; silences the
# deprecation warning of Django 5).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}

#: Attribute of the request carrying the timezone its change form is shown and read in (see
#: ``LocalTimeAdminMixin``).
FORM_TIME_ZONE = "_admin_form_time_zone"

#: Attribute of the request carrying a refusal from the first pass of a change form (see
#: ``ServiceAdminMixin.changeform_view``).
REFUSAL = "_admin_service_refusal"


class TrashedFilter(admin.SimpleListFilter):
    """Live rows, trashed rows, or both."""

    title = "deleted"
    parameter_name = "trashed"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Trashed")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class RefusedForm:
    """Mixed into an admin form on the second pass of a refused save: the refusal becomes the
    form's error, so the admin renders the form again with the posted data (status 200). Each
    error of a ``FieldErrors`` goes on its own field; one on a field the form has no input for
    (read-only, or not the form's) goes above the form."""

    refusal = None

    def clean(self):
        cleaned = super().clean()
        errors = getattr(self.refusal, "errors", None) or {self.refusal.field: self.refusal.message}
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


def copy_row(source, target):
    """Make the admin's ``target`` (the form's instance) the row a service saved, ``source``:
    Django goes on with ``target`` (inlines, the log entry, the redirect)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db
    return target


def label(obj):
    return f"“{obj}”"


def utc_representable(value):
    """Validator of a form's date and time: read in a timezone east of Greenwich, the first hours
    of year 1 are no time in UTC (west of it, the last of 9999), and could not be stored. (Its
    code is its own: a split date field would replace the message of an "invalid" one with its
    own "Enter a list of values.")"""
    if value is None:
        return
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError("Choose a date between the years 1 and 9999.", code="out_of_range") from None


def count_of(model, relation, condition=None):
    """Annotation counting the distinct rows ``relation`` reaches from each row of ``model`` that
    meet ``condition`` (a Q over ``model``): a subquery per row of the list, in the list's one
    query, so counts of several relations never multiply each other's rows."""
    rows = model._base_manager.filter(pk=OuterRef("pk")).values("pk")
    counted = rows.annotate(n=Count(relation, filter=condition, distinct=True)).values("n")
    return Subquery(counted, output_field=models.IntegerField())


class PrefetchChangeList(ChangeList):
    """A changelist that prefetches its ModelAdmin's ``list_prefetch_related`` (many-to-many
    columns), for the list only: change forms and the services they call load their own rows."""

    def apply_select_related(self, qs):
        return super().apply_select_related(qs).prefetch_related(*self.model_admin.list_prefetch_related)


class ListPrefetchMixin:
    """``list_prefetch_related``: the lookups a ModelAdmin's changelist prefetches (its columns
    that show many-to-many rows), one query each for the whole page."""

    list_prefetch_related = ()

    def get_changelist(self, request, **kwargs):
        return PrefetchChangeList


class LocalTimeAdminMixin:
    """A change or add form that shows and reads its dates and times in the timezone the row's
    times belong to (an event's), not the server's, and says which on every date field.

    The timezone is active while the form is cleaned and while the page is rendered (Django's
    widgets and readonly fields convert to the current timezone), so each date field needs
    nothing of its own. Subclasses name the timezone with ``form_time_zone``.
    """

    #: Help text of the date fields; ``{zone}`` is the timezone's name.
    time_zone_help = "Time in {zone}."
    #: Help text of the date fields while the timezone is not known yet (an add form).
    time_zone_unknown_help = "Time in the row's own timezone."

    def form_time_zone(self, request, obj):
        """The name of the timezone the form of ``obj`` (None: the add form) is shown and read
        in, for this request (a POST may name another one); None: not known yet."""
        raise NotImplementedError(f"{type(self).__name__} does not say which timezone its forms use.")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            to_field = None  # Django's view refuses it next
        obj = self.get_object(request, unquote(object_id), to_field) if object_id else None
        zone = time_zone(self.form_time_zone(request, obj))
        setattr(request, FORM_TIME_ZONE, zone)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, SimpleTemplateResponse):
                response.render()  # now, while the timezone is active
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        zone = getattr(request, FORM_TIME_ZONE, None)
        note = self.time_zone_help.format(zone=zone.key) if zone else self.time_zone_unknown_help
        dates = [field for field in self.model._meta.fields if isinstance(field, models.DateTimeField)]
        help_texts = {field.name: " ".join(filter(None, [str(field.help_text), note])) for field in dates}
        kwargs["help_texts"] = {**help_texts, **kwargs.get("help_texts", {})}
        form = super().get_form(request, obj, change=change, **kwargs)
        for field in dates:
            formfield = form.base_fields.get(field.name)
            if formfield is not None and utc_representable not in formfield.validators:
                formfield.validators.append(utc_representable)
        return form


def is_key(target, item, db):
    """Could ``item`` (a posted value) be a value of the key field ``target`` in database ``db``?
    Keys of integer fields are whole numbers within the database's range ("²", "1.0" and forty
    digits are not: looked up, some crash the query)."""
    model = target.model
    try:
        key = target.get_prep_value(target.to_python(item))
    except (TypeError, ValueError, ValidationError):
        return False
    if isinstance(key, int):
        low, high = connections[db or router.db_for_read(model)].ops.integer_field_range(target.get_internal_type())
        return (low is None or low <= key) and (high is None or key <= high)
    return True


class KeysOnlyAutocomplete:
    """Django's autocomplete widgets look the posted values up again to show them on a refused
    form; a value that is no key of the related model would crash that query (a 500). Such values
    are left out: the field's own error says what is wrong."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if is_key(target, item, self.db)], attr)


class KeysOnlyAutocompleteSelect(KeysOnlyAutocomplete, AutocompleteSelect):
    pass


class KeysOnlyAutocompleteSelectMultiple(KeysOnlyAutocomplete, AutocompleteSelectMultiple):
    pass


class KeysOnlyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many field that refuses a posted value that is no key before it is looked up
    (Django looks them all up in one query, which a key out of the database's range crashes)."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            opts = self.queryset.model._meta
            target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for item in value:
                if item not in self.empty_values and not is_key(target, item, self.queryset.db):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    )
        return super().clean(value)


class SafeAutocompleteMixin:
    """A ModelAdmin or inline whose related fields refuse posted values that are no keys with a
    form error, never a 500: ``autocomplete_fields`` use ``KeysOnlyAutocomplete`` widgets, and
    many-to-many fields ``KeysOnlyMultipleChoiceField``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", KeysOnlyMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ServiceAdminMixin(SafeAutocompleteMixin):
    """Routes every write of a ModelAdmin to service hooks.

    Subclasses fill the hooks with their app's services; ``request.user`` is the actor:

    - ``create_object(request, data)`` -> the new row; ``data`` is the form's cleaned data
    - ``update_object(request, obj, data)`` -> the row; ``obj`` as stored (not the form's copy, so
      the service sees what changes), ``data`` the changed fields only
    - ``save_relations(request, obj, form, formsets, change)``: many-to-many fields and inlines
      (the default accepts none: a form with one must say how it is written)
    - ``delete_object(request, obj)``: the admin's delete (for good)
    - ``trash_object(request, obj)`` / ``restore_object(request, obj)``: the trash and restore
      actions, row by row
    """

    def create_object(self, request, data):
        raise NotImplementedError(f"{type(self).__name__} does not say which service creates rows.")

    def update_object(self, request, obj, data):
        raise NotImplementedError(f"{type(self).__name__} does not say which service changes rows.")

    def delete_object(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} does not say which service deletes rows.")

    def trash_object(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} does not say which service trashes rows.")

    def restore_object(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} does not say which service restores rows.")

    def save_relations(self, request, obj, form, formsets, change):
        many = [field.name for field in obj._meta.many_to_many if field.name in form.changed_data]
        if many or any(formset.has_changed() for formset in formsets):
            raise NotImplementedError(f"{type(self).__name__} does not say how {many or 'its inlines'} are written.")

    # --- what the hooks are given ------------------------------------------------------------
    @staticmethod
    def form_data(form, change):
        """The form's values for the model's own fields (not many-to-many): on a change only the
        fields that changed."""
        many = {field.name for field in form._meta.model._meta.many_to_many}
        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data and name not in many}

    def stored_object(self, request, obj):
        """``obj`` as it is stored: the form already wrote the new values onto its instance."""
        return self.get_queryset(request).get(pk=obj.pk)

    # --- Django's admin, routed to the hooks -----------------------------------------------
    def save_model(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            saved = self.update_object(request, self.stored_object(request, obj), data)
        else:
            saved = self.create_object(request, data)
        copy_row(saved, obj)

    def save_related(self, request, form, formsets, change):
        self.save_relations(request, form.instance, form, formsets, change)
        for formset in formsets:
            # The admin's change message reads what ``formset.save()`` would have recorded.
            for name in ("new_objects", "changed_objects", "deleted_objects"):
                if not hasattr(formset, name):
                    setattr(formset, name, [])

    def delete_model(self, request, obj):
        self.delete_object(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_object(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, REFUSAL, None)
        if refusal is None:
            return form
        return type(form.__name__, (RefusedForm, form), {"refusal": refusal})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refused save rolls back (the admin runs it in a transaction) and the form is shown
        again with the posted data and the refusal as its error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as refusal:
            if request.method != "POST":
                raise
            setattr(request, REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceError as refusal:
            self.message_user(request, f"Not deleted: {refusal.message}", messages.ERROR)
            return HttpResponseRedirect(request.path)

    def response_action(self, request, queryset):
        """An action runs in one transaction; a refusal that stops it undoes it and is shown as a
        message (the trash and restore actions report refusals row by row instead)."""
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except ServiceError as refusal:
            self.message_user(request, f"Nothing was changed: {refusal.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def each_row(self, request, rows, write, done):
        """Apply ``write`` to each row on its own; report how many it changed (``done``, a format
        with ``{count}``) and which rows it refused, and why."""
        count, refused = 0, []
        for obj in rows:
            try:
                write(request, obj)
            except ServiceError as refusal:
                refused.append(f"{label(obj)}: {refusal.message}")
            else:
                count += 1
        self.message_user(request, done.format(count=count), messages.SUCCESS if count else messages.INFO)
        if refused:
            self.message_user(request, f"Skipped {len(refused)} row(s): {'; '.join(refused)}", messages.WARNING)


@admin.action(description="Move selected to the trash (soft delete)")
def trash(modeladmin, request, queryset):
    rows = queryset.filter(deleted_at__isnull=True)
    modeladmin.each_row(request, rows, modeladmin.trash_object, "Moved {count} row(s) to the trash.")


@admin.action(description="Restore selected from the trash")
def restore(modeladmin, request, queryset):
    rows = queryset.filter(deleted_at__isnull=False)
    modeladmin.each_row(request, rows, modeladmin.restore_object, "Restored {count} row(s).")


class SoftDeleteAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Admin for a soft-deleted model: trashed rows listed too (filter, trash and restore
    actions), every write through the hooks of ``ServiceAdminMixin`` (the services sanitize HTML
    like every other way in)."""

    actions = (trash, restore)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return self.model.all_objects.all()

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), TrashedFilter)


# --- The platform settings: one row, edited on one page -----------------------------------------
class PlatformSettingsForm(forms.ModelForm):
    """The settings row's fields, and the secrets as password inputs that never show what is
    stored: left blank, the stored secret stays; "remove" takes it away (the environment's applies)."""

    smtp_password = forms.CharField(
        label="SMTP password", required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    clear_smtp_password = forms.BooleanField(label="Remove the stored SMTP password", required=False)
    sendgrid_key = forms.CharField(
        label="SendGrid key", required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    clear_sendgrid_key = forms.BooleanField(label="Remove the stored SendGrid key", required=False)
    stripe_secret_key = forms.CharField(
        label="Stripe secret key", required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    clear_stripe_secret_key = forms.BooleanField(label="Remove the stored Stripe secret key", required=False)

    class Meta:
        model = PlatformSettings
        fields = (
            "app_name", "tagline", "frontend_url", "support_url", "cookie_policy", "cookie_policy_link",
            "email_service", "email_from", "email_from_name", "smtp_host", "smtp_port", "smtp_username",
            "smtp_password", "clear_smtp_password", "smtp_encryption", "sendgrid_key", "clear_sendgrid_key",
            "stripe_client_id", "stripe_secret_key", "clear_stripe_secret_key", "stripe_publishable_key",
            "stripe_mode",
        )  # fmt: skip


def _environment_note(value):
    return f"Blank: the environment's value ({value})." if value not in (None, "") else "Blank: unset."


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The one settings row: the list goes straight to its change form; no add, no delete. Saves
    go through ``update_platform_settings``. Each field says what blank means (the environment's
    value, secrets only as set or not)."""

    form = PlatformSettingsForm
    readonly_fields = ("updated_at",)
    fieldsets = (
        ("Site", {"fields": ("app_name", "tagline", "frontend_url", "support_url", "cookie_policy",
                             "cookie_policy_link")}),
        ("Mail", {"fields": ("email_service", "email_from", "email_from_name")}),
        ("SMTP", {"fields": ("smtp_host", "smtp_port", "smtp_encryption", "smtp_username", "smtp_password",
                             "clear_smtp_password")}),
        ("SendGrid", {"fields": ("sendgrid_key", "clear_sendgrid_key")}),
        ("Stripe Connect", {"fields": ("stripe_client_id", "stripe_secret_key", "clear_stripe_secret_key",
                                       "stripe_publishable_key", "stripe_mode")}),
        (None, {"fields": ("updated_at",)}),
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:core_platformsettings_change", args=[PlatformSettings.SINGLETON]))

    def get_object(self, request, object_id, from_field=None):
        """The row, or while none was saved a blank one (the environment's defaults): the form
        opens without writing anything; the first save creates the row."""
        if str(object_id) != str(PlatformSettings.SINGLETON):
            return None
        return PlatformSettings.stored() or PlatformSettings(pk=PlatformSettings.SINGLETON)

    def stored_object(self, request, obj):
        return obj  # the service loads (and locks) the row itself

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        environment = site.mail_settings_of(None)
        public = site.public_settings_of(None)
        notes = {name: _environment_note(public[name]) for name in site.PUBLIC_FIELDS}
        notes.update(
            email_service=_environment_note(environment.service or "Django's EMAIL_BACKEND"),
            email_from=_environment_note(environment.from_email),
            email_from_name=_environment_note(environment.from_name),
            smtp_host=_environment_note(environment.smtp_host),
            smtp_port=_environment_note(environment.smtp_port),
            smtp_username=_environment_note(environment.smtp_username),
            smtp_encryption=_environment_note(environment.smtp_encryption),
        )
        for name, secret, env_value in (
            ("smtp_password", obj and obj.smtp_password_sealed, environment.smtp_password),
            ("sendgrid_key", obj and obj.sendgrid_key_sealed, environment.sendgrid_key),
            ("stripe_secret_key", obj and obj.stripe_secret_key_sealed, ""),
        ):
            stored = "One is stored; leave blank to keep it." if secret else "None is stored."
            fallback = "the environment's is set" if env_value else "the environment sets none"
            notes[name] = f"{stored} Without one, {fallback}."
        for name, note in notes.items():
            if name in form.base_fields:
                # A copy: the declared fields are shared by every form class made from this one.
                form.base_fields[name] = copy.copy(form.base_fields[name])
                form.base_fields[name].help_text = note
        return form

    def update_object(self, request, obj, data):
        values = {name: value for name, value in data.items() if not name.startswith("clear_")}
        for name in services.SECRET_FIELDS:
            if data.get(f"clear_{name}"):
                values[name] = ""
            elif not values.get(name):
                values.pop(name, None)  # blank: the stored one stays
        return services.update_platform_settings(values, request.user)
