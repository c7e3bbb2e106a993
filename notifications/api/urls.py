from django.urls import path

from openevent.api.routing import resource_urls

from .views import EmailNotificationViewSet, MarkAllReadView, MessageSettingsViewSet, NotificationViewSet

urlpatterns = [
    path(
        "users/<str:user_pk>/notifications/mark-all-read",
        MarkAllReadView.as_view(),
        name="user-notifications-mark-all-read",
    ),
    *resource_urls("notifications", NotificationViewSet, "notification"),
    *resource_urls("message-settings", MessageSettingsViewSet, "message-setting"),
    *resource_urls("email-notifications", EmailNotificationViewSet, "email-notification"),
]
