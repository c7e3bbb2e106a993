from django.urls import path

from . import views

urlpatterns = [
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("register", views.register_view, name="register"),
    path("verify-email/resend", views.resend_verification_view, name="verify-email-resend"),
    path("verify-email/<str:token>", views.verify_email_view, name="verify-email"),
    path("account/password", views.password_change_view, name="password-change"),
    path("account/profile", views.profile_view, name="profile"),
    path("reset-password", views.password_reset_view, name="password-reset"),
    path("reset-password/<str:token>", views.password_reset_confirm_view, name="password-reset-confirm"),
]
