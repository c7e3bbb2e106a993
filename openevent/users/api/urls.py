from django.urls import path

from openevent.api.routing import resource_urls

from .views import (
    ChangePasswordView,
    LoginView,
    LogoutView,
    RefreshView,
    ResendVerificationMailView,
    UserViewSet,
    VerifyEmailView,
)

urlpatterns = [
    path("auth/login", LoginView.as_view(), name="auth-login"),
    path("auth/token/refresh", RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout", LogoutView.as_view(), name="auth-logout"),
    path("auth/change-password", ChangePasswordView.as_view(), name="auth-change-password"),
    path("auth/verify-email", VerifyEmailView.as_view(), name="auth-verify-email"),
    path(
        "auth/resend-verification-mail",
        ResendVerificationMailView.as_view(),
        name="auth-resend-verification-mail",
    ),
    *resource_urls("users", UserViewSet, "user"),
]
