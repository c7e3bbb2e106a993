from django.urls import path, re_path

from .views import ExportDownloadView, ExportStartView, TaskView

urlpatterns = [
    path("tasks/<str:task>", TaskView.as_view(), name="task"),
    re_path(
        r"^events/(?P<event_pk>[^/.]+)/export/(?P<kind>json|ical|xcal|pentabarf|frab-json)$",
        ExportStartView.as_view(),
        name="export-start",
    ),
    path("events/<str:event_pk>/exports/<str:job_id>/download", ExportDownloadView.as_view(), name="export-download"),
]
