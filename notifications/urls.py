from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/unread-count", views.unread_count, name="notification-unread-count"),
    path("notifications/read-all", views.notification_read_all, name="notification-read-all"),
    path("notifications/preferences", views.preferences, name="notification-preferences"),
    path("notifications/<int:pk>/read", views.notification_read, name="notification-read"),
]
