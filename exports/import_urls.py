"""Pages of imports (ahead of the events' pages, whose ``events/<identifier>/`` would take "import")."""
from django.urls import path

from . import import_views

urlpatterns = [
    path("events/import/", import_views.import_page, name="event-import"),
    path("events/import/<str:task>/", import_views.import_job_page, name="event-import-job"),
]
