"""Login, logout, registration, e-mail verification and password-reset pages: thin wrappers
around ``openevent.users.services``."""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as start_session
from django.contrib.auth import logout as end_session
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from openevent.core.errors import ServiceError
from openevent.core.http import client_address
from openevent.core.pages import attempt

from . import services
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ProfileForm, RegisterForm, SetPasswordForm

#: The session key that carries a new account's address from "Register" to "Log in".
REGISTERED_EMAIL = "registered_email"


def _next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return ""


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = _next_url(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    # Just registered: the address is filled in (kept in the session, never in the address bar).
    initial = {"email": request.session.pop(REGISTERED_EMAIL, "")} if request.method == "GET" else {}
    form = LoginForm(request.POST if request.method == "POST" else None, initial=initial)
    if initial.get("email"):
        form.fields["email"].widget.attrs.pop("autofocus", None)
        form.fields["password"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login(
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                client_ip=client_address(request),
                request=request,
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            start_session(request, user)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "users/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    end_session(request)
    messages.info(request, "You are logged out.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def register_view(request):
    """Register, then log in; a checked ``next`` (an invite link, say) is kept through both."""
    next_url = _next_url(request)
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_user(
                data["email"],
                data["password"],
                base_url=services.site_url(request),
                client_ip=client_address(request),
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Your account {user.email} is ready. Please log in. We sent a link to {user.email}: "
                "open it to verify your address.",
            )
            request.session[REGISTERED_EMAIL] = user.email
            login_url = resolve_url("login")
            return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)
    return render(request, "users/register.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def verify_email_view(request, token):
    """The link of the verification mail. GET only shows what would be verified and asks to
    confirm (mail scanners that fetch links verify nothing); POST verifies."""
    if request.method == "POST":
        try:
            user = services.verify_email(token)
        except ServiceError as error:
            response = render(request, "users/verify_email.html", {"error": error.message}, status=400)
        else:
            messages.success(request, f"Thank you: {user.email} is verified.")
            mine = request.user.is_authenticated and request.user.pk == user.pk
            response = redirect("my-invites" if mine else "login")
    else:
        user = services.check_verification_token(token)
        context = {"email": user.email} if user else {"error": services.BAD_VERIFICATION_TOKEN}
        response = render(request, "users/verify_email.html", context, status=200 if user else 400)
    # The address holds the secret token: no other site gets it as a Referer. (Not "no-referrer":
    # browsers then send "Origin: null" with the confirming POST, which fails the CSRF check.)
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def resend_verification_view(request):
    try:
        services.resend_verification_mail(request.user, services.site_url(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"We sent a new verification link to {request.user.email}.")
    return redirect(_next_url(request) or "my-invites")


@require_http_methods(["GET", "POST"])
def password_reset_view(request):
    """"Forgot password": the same message whatever the address (``request_password_reset``)."""
    form = ForgotPasswordForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        done, _ = attempt(
            request,
            lambda: services.request_password_reset(
                form.cleaned_data["email"], services.site_url(request), client_ip=client_address(request)
            ),
            services.RESET_ANSWER,
        )
        if done:
            return redirect("password-reset")
        status = 429
    return render(request, "users/password_reset.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm_view(request, token):
    """"Set a new password", the link of the reset mail. GET shows the form and leaves the token
    alone (mail scanners fetch links); POST sets the password, which logs the account out
    everywhere, this browser included, and goes on to the login page."""
    account = services.check_password_reset_token(token)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if account is not None and request.method == "POST" and form.is_valid():
        try:
            services.reset_password(token, form.cleaned_data["password"], services.site_url(request))
        except ServiceError as error:
            if error.field == "token":
                account = None
            else:
                form.add_service_error(error)
        else:
            end_session(request)
            messages.success(request, "Your new password is set and you are logged out everywhere. Please log in.")
            return redirect("login")
    if account is None:
        context, status = {"error": services.BAD_RESET_TOKEN}, 400
    else:
        context, status = {"form": form, "account_email": account.email}, 200
    response = render(request, "users/password_reset_confirm.html", context, status=status)
    # The address holds the secret token (see verify_email_view).
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    """"Profile": the logged-in user's public fields and avatar (the upload widget fills its URL;
    the thumbnails follow from ``services.update_user``'s ``user_updated``)."""
    user = request.user
    initial = {name: getattr(user, name) for name in ProfileForm.base_fields}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(user, user, base_url=services.site_url(request), **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return render(request, "users/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    """"Change password" for the logged-in user: every other session and refresh token dies,
    this browser stays logged in."""
    form = ChangePasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_password(
                request.user,
                data["old_password"],
                data["password"],
                base_url=services.site_url(request),
                client_ip=client_address(request),
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password is changed. You are logged out everywhere else.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "users/password_change.html", {"form": form})
