"""Everything under /v1."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from events.api import statistics
from events.api.urls import urlpatterns as events_urls
from openevent.core.csp import with_policy
from openevent.users.api.urls import urlpatterns as users_urls

#: Swagger UI and ReDoc style their pages inline and ReDoc parses in a blob: worker; their scripts
#: still come from our static files (Swagger's start-up script from ``?script``, not inline).
DOCS_POLICY = {"style_src": ["'self'", "'unsafe-inline'"], "worker_src": ["'self'", "blob:"]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(schema=None), name="schema"),
    path("docs/", with_policy(SpectacularSwaggerSplitView.as_view(url_name="schema"), **DOCS_POLICY), name="api-docs"),
    path("redoc/", with_policy(SpectacularRedocView.as_view(url_name="schema"), **DOCS_POLICY), name="api-redoc"),
    path("admin/statistics/events", statistics.AdminEventStatistics.as_view(), name="admin-statistics-events"),
    path("admin/statistics/sessions", statistics.AdminSessionStatistics.as_view(), name="admin-statistics-sessions"),
    path("admin/statistics/users", statistics.AdminUserStatistics.as_view(), name="admin-statistics-users"),
    path("admin/statistics/mails", statistics.AdminMailStatistics.as_view(), name="admin-statistics-mails"),
    path(
        "events/<str:event_pk>/general-statistics",
        statistics.EventGeneralStatistics.as_view(),
        name="event-general-statistics",
    ),
    path("", include(users_urls)),
    path("", include(events_urls)),
    path("", include("sessions_app.api.urls")),
]
