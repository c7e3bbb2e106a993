"""The routes of exports under /v1. ``ahead_of_events`` come before the event resource's routes
(``/v1/events/<id>``) and the nested lists (which would take "export" or "import" for a relation
of an event): the schedule feeds (an identifier never has a dot), starting exports and imports,
downloads. ``urlpatterns``: the task route and the import-job resource."""
from django.urls import path, re_path

from openevent.api.routing import resource_urls

from .feeds import ScheduleFeedView
from .views import ExportDownloadView, ExportStartView, ImportJobViewSet, ImportStartView, TaskView

ahead_of_events = [
    re_path(r"^events/(?P<event_ref>[A-Za-z0-9_-]{1,64})\.(?P<extension>ics|xcs|xml|json)$",
            ScheduleFeedView.as_view(), name="event-schedule-feed"),
    re_path(r"^events/(?P<event_pk>[^/.]+)/export/(?P<kind>json|ical|xcal|pentabarf|frab-json)$",
            ExportStartView.as_view(), name="export-start"),
    re_path(r"^events/import/(?P<kind>json|frab-xml|frab-json)$", ImportStartView.as_view(), name="import-start"),
    path("events/<str:event_pk>/exports/<str:job_id>/download", ExportDownloadView.as_view(), name="export-download"),
]  # fmt: skip

urlpatterns = [
    path("tasks/<str:task>", TaskView.as_view(), name="task"),
    *resource_urls("import-jobs", ImportJobViewSet, "import-job"),
]
