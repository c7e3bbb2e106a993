"""Forms of the account pages. They only shape input; the rules live in ``services``."""
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from openevent.core.errors import NotAuthenticated, ServiceError
from openevent.core.forms import use_rich_text
from openevent.core.http import client_address
from openevent.core.text import LONG_TEXT_MAX_LENGTH

from . import services


def upload_attrs(kind="image"):
    """The attributes that make a URL input an upload field (``static/js/upload-field.js``):
    ``kind`` "image" (sent to ``/v1/upload/image``) or "file" (``/v1/upload/files``), and the size
    limit of that kind when the settings have one (``UPLOAD_MAX_SIZES``), for a check before
    sending. Without JavaScript the input stays a plain URL field."""
    attrs = {"data-upload-field": kind}
    caps = getattr(settings, "UPLOAD_MAX_SIZES", {})
    limit = caps.get(kind) if kind != "file" else max(caps.values(), default=None)
    if limit:
        attrs["data-upload-max"] = str(limit)
    return attrs


def use_upload_fields(fields, kinds):
    """Give the fields named in ``kinds`` (name -> "image" or "file") the upload widget."""
    for name, kind in kinds.items():
        if name in fields:
            fields[name].widget.attrs.update(upload_attrs(kind))


class PageForm(forms.Form):
    """A form of our pages: labels without Django's trailing colon, service refusals shown as
    form errors, the rich-text editor on the fields named in ``rich_text_fields`` (a model's
    ``HTML_FIELDS``) and the upload widget on those of ``upload_fields`` (name -> kind)."""

    rich_text_fields = ()
    upload_fields = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        use_rich_text(self.fields, self.rich_text_fields)
        use_upload_fields(self.fields, self.upload_fields)

    def add_service_error(self, error):
        """Show an ``openevent.core.errors.ServiceError`` on its field, or above the form."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


class LoginForm(PageForm):
    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewPasswordForm(PageForm):
    """A new password, typed twice."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ.")
        return data


class RegisterForm(NewPasswordForm):
    field_order = ("email", "first_name", "last_name", "password", "password_again")

    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    first_name = forms.CharField(
        label="First name", max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class ForgotPasswordForm(PageForm):
    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SetPasswordForm(NewPasswordForm):
    """The "Set a new password" page's form (the token is in the page's address)."""


class ChangePasswordForm(NewPasswordForm):
    field_order = ("old_password", "password", "password_again")

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class ProfileForm(PageForm):
    """The profile fields a user changes on their "Profile" page; the avatar takes an upload."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    public_name = forms.CharField(
        label="Public name", max_length=200, required=False, help_text="Shown to others instead of your name."
    )
    avatar_url = forms.URLField(
        label="Avatar", max_length=500, required=False, assume_scheme="https",
        help_text="Upload an image, or give the address of one.",
    )  # fmt: skip
    details = forms.CharField(
        label="About you", required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label="Contact", max_length=200, required=False)
    facebook_url = forms.URLField(label="Facebook", max_length=500, required=False, assume_scheme="https")
    twitter_url = forms.URLField(label="Twitter", max_length=500, required=False, assume_scheme="https")
    instagram_url = forms.URLField(label="Instagram", max_length=500, required=False, assume_scheme="https")

    upload_fields = {"avatar_url": "image"}


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form, logging in through ``services.login`` like the API and the pages:
    its failures count towards the same throttle, and a throttled account or client is refused
    here too."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.login(
                    email, password, client_ip=client_address(self.request), request=self.request
                )
            except NotAuthenticated:
                raise self.get_invalid_login_error() from None
            except ServiceError as error:
                raise ValidationError(error.message, code="throttled") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
