from django.urls import re_path

from openevent.api.routing import resource_urls

from .views import SessionStatesView, SessionViewSet, SpeakerViewSet

urlpatterns = [
    # Before the detail route, which would take "states" for an id.
    re_path(r"^sessions/states$", SessionStatesView.as_view(), name="session-states"),
    *resource_urls("sessions", SessionViewSet, "session"),
    *resource_urls("speakers", SpeakerViewSet, "speaker"),
]
