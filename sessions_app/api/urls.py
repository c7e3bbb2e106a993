from django.urls import re_path

from openevent.api.routing import nested_list_url, resource_urls

from .views import SessionStatesView, SessionViewSet, SpeakerViewSet

urlpatterns = [
    # Before the detail route, which would take "states" for an id.
    re_path(r"^sessions/states$", SessionStatesView.as_view(), name="session-states"),
    *resource_urls("sessions", SessionViewSet, "session"),
    *resource_urls("speakers", SpeakerViewSet, "speaker"),
    nested_list_url("tracks", "track_pk", "sessions", SessionViewSet, "track-sessions"),
    nested_list_url("session-types", "session_type_pk", "sessions", SessionViewSet, "session-type-sessions"),
    nested_list_url("microlocations", "microlocation_pk", "sessions", SessionViewSet, "microlocation-sessions"),
    nested_list_url("users", "user_pk", "sessions", SessionViewSet, "user-sessions"),
    nested_list_url("users", "user_pk", "speakers", SpeakerViewSet, "user-speakers"),
]
