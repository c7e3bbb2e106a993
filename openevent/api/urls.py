"""Everything under /v1."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from events.api.urls import urlpatterns as events_urls
from openevent.users.api.urls import urlpatterns as users_urls

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(schema=None), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include(users_urls)),
    path("", include(events_urls)),
]
