from django.urls import path, re_path

from openevent.api.routing import resource_urls

from . import statistics
from .session_mails import SessionMailsView
from .views import MailViewSet

urlpatterns = [
    *resource_urls("mails", MailViewSet, "mail"),
    path("admin/statistics/mails", statistics.AdminMailStatistics.as_view(), name="admin-statistics-mails"),
]

# Routed ahead of the sessions' own patterns (openevent/urls.py), whose detail route would take
# "mails" for a session's id.
ahead_of_sessions = [
    re_path(r"^sessions/mails$", SessionMailsView.as_view(), name="session-mails"),
]
