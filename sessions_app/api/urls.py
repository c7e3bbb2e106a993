from django.urls import path, re_path

from openevent.api.routing import resource_urls

from . import statistics
from .reviews import ReviewViewSet
from .schedule import ScheduleBlockViewSet
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
    # The blocks of one event's work in progress (organizers only; the public reads releases).
    path(
        "events/<str:event_pk>/schedule-blocks",
        ScheduleBlockViewSet.as_view({"get": "list", "post": "create"}),
        name="event-schedule-blocks",
    ),
    *resource_urls("schedule-blocks", ScheduleBlockViewSet, "schedule-block"),
    *resource_urls("reviews", ReviewViewSet, "review"),
    *resource_urls("sessions", SessionViewSet, "session"),
    *resource_urls("speakers", SpeakerViewSet, "speaker"),
]
