from django.urls import path, re_path

from openevent.api.routing import resource_urls

from .views import ExportDownloadView, ExportStartView, ImportJobViewSet, TaskView

urlpatterns = [
    path("tasks/<str:task>", TaskView.as_view(), name="task"),
    re_path(
        r"^events/(?P<event_pk>[^/.]+)/export/(?P<kind>json|ical|xcal|pentabarf|frab-json)$",
        ExportStartView.as_view(),
        name="export-start",
    ),
    path("events/<str:event_pk>/exports/<str:job_id>/download", ExportDownloadView.as_view(), name="export-download"),
    *resource_urls("import-jobs", ImportJobViewSet, "import-job"),
]
