from django.urls import re_path

from .feeds import ScheduleFeedView

# Ahead of the event resource's routes (``/v1/events/<id>``): an identifier never has a dot.
urlpatterns = [
    re_path(r"^events/(?P<event_ref>[A-Za-z0-9_-]{1,64})\.(?P<extension>ics|xcs|xml|json)$",
            ScheduleFeedView.as_view(), name="event-schedule-feed"),
]  # fmt: skip
