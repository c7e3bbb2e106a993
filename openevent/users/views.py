"""Login, logout and registration pages: thin wrappers around ``openevent.users.services``."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as start_session
from django.contrib.auth import logout as end_session
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openevent.errors import ServiceError

from . import services
from .forms import LoginForm, RegisterForm


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
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login(
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                client_ip=request.META.get("REMOTE_ADDR", ""),
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
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_user(
                data["email"], data["password"], first_name=data["first_name"], last_name=data["last_name"]
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Your account {user.email} is ready. Please log in.")
            return redirect("login")
    return render(request, "users/register.html", {"form": form})
