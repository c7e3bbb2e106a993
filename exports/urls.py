"""The pages of exports and imports (ahead of the events' pages, whose ``events/<identifier>/``
would take "import" for an identifier)."""
from django.urls import path

from openevent.core import converters  # noqa: F401 -- registers <ident:…>

from . import views

urlpatterns = [
    path("events/import/", views.import_page, name="event-import"),
    path("events/import/<str:task>/", views.import_job_page, name="event-import-job"),
    path("events/<ident:identifier>/export/", views.event_export, name="event-export"),
]
