from django.urls import path

from openevent.core import converters  # noqa: F401 -- registers <ident:…>

from . import views

urlpatterns = [
    path("events/<ident:identifier>/export/", views.event_export, name="event-export"),
]
