from django.urls import path

from openevent.api.routing import resource_urls

from .views import (
    BlacklistView,
    ChangePasswordView,
    CheckEmailView,
    FreshLoginView,
    LoginView,
    LogoutView,
    RefreshView,
    ResendVerificationEmailView,
    ResendVerificationMailView,
    ResetPasswordView,
    UserIdView,
    UserViewSet,
    VerifyEmailView,
    VerifyPasswordView,
)

urlpatterns = [
    path("auth/login", LoginView.as_view(), name="auth-login"),
    path("auth/fresh-login", FreshLoginView.as_view(), name="auth-fresh-login"),
    path("auth/verify-password", VerifyPasswordView.as_view(), name="auth-verify-password"),
    path("auth/token/refresh", RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout", LogoutView.as_view(), name="auth-logout"),
    path("auth/blacklist", BlacklistView.as_view(), name="auth-blacklist"),
    path("auth/change-password", ChangePasswordView.as_view(), name="auth-change-password"),
    path("auth/verify-email", VerifyEmailView.as_view(), name="auth-verify-email"),
    path("auth/reset-password", ResetPasswordView.as_view(), name="auth-reset-password"),
    path(
        "auth/resend-verification-email",
        ResendVerificationEmailView.as_view(),
        name="auth-resend-verification-email",
    ),
    path(
        "auth/resend-verification-mail",
        ResendVerificationMailView.as_view(),
        name="auth-resend-verification-mail",
    ),
    # Before the users resource, whose detail route would take these for ids.
    path("users/user-details/get-user-id", UserIdView.as_view(), name="user-get-user-id"),
    path("users/check_email", CheckEmailView.as_view(), name="user-check-email"),
    *resource_urls("users", UserViewSet, "user"),
]
