from django.urls import path, re_path

from openevent.api.routing import resource_urls

from . import statistics
from .reviews import ReviewViewSet
from .views import (
    SessionConflictsView,
    SessionDatesView,
    SessionLanguagesView,
    SessionStatesView,
    SessionViewSet,
    SpeakerViewSet,
)

urlpatterns = [
    path(
        "admin/statistics/sessions", statistics.AdminSessionStatistics.as_view(), name="admin-statistics-sessions"
    ),
    path(
        "events/<str:event_pk>/general-statistics",
        statistics.EventGeneralStatistics.as_view(),
        name="event-general-statistics",
    ),
    path("events/<str:event_pk>/sessions/dates", SessionDatesView.as_view(), name="event-session-dates"),
    path("events/<str:event_pk>/sessions/languages", SessionLanguagesView.as_view(), name="event-session-languages"),
    # Before the detail route, which would take "states" for an id.
    re_path(r"^sessions/states$", SessionStatesView.as_view(), name="session-states"),
    path("sessions/<str:session_pk>/conflicts", SessionConflictsView.as_view(), name="session-conflicts"),
    path(
        "sessions/<str:session_pk>/reviews",
        ReviewViewSet.as_view({"get": "list"}),
        name="session-reviews",
    ),
    *resource_urls("reviews", ReviewViewSet, "review"),
    *resource_urls("sessions", SessionViewSet, "session"),
    *resource_urls("speakers", SpeakerViewSet, "speaker"),
]
