from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.defaults import page_not_found, server_error

from events.api.urls import urlpatterns as events_api
from exports.api.urls import ahead_of_events as exports_ahead_of_events
from exports.api.urls import urlpatterns as exports_api
from mailing.api.urls import ahead_of_sessions as mailing_ahead_of_sessions
from mailing.api.urls import urlpatterns as mailing_api
from notifications.api.urls import urlpatterns as notifications_api
from openevent.api import routing
from openevent.api.exceptions import error_response
from openevent.api.urls import urlpatterns as generic_api
from openevent.uploads.api.urls import urlpatterns as uploads_api
from openevent.uploads.views import media
from openevent.users.api.urls import urlpatterns as users_api
from openevent.users.api.views import LoginView
from sessions_app.api.urls import urlpatterns as sessions_api

# Everything under /v1. The nested lists (``/v1/events/<id>/sessions``…) are bound to the related
# resources' list views once every resource is registered, ahead of the resources' own routes.
api_urlpatterns = [
    *generic_api,
    # Ahead of the nested lists and the event resource (feeds, export and import routes).
    *exports_ahead_of_events,
    *routing.nested_urls(),
    *users_api,
    *uploads_api,
    *exports_api,
    *events_api,
    *mailing_ahead_of_sessions,
    *sessions_api,
    *notifications_api,
    *mailing_api,
]


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs)."""
    return HttpResponsePermanentRedirect(static("img/logo.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("v1/", include(api_urlpatterns)),
    # The Open Event clients' historic login route.
    path("auth/session", LoginView.as_view(), name="auth-session"),
    path("", include("openevent.users.urls")),
    path("", include("exports.urls")),
    path("", include("events.urls")),
    path("", include("sessions_app.urls")),
    path("", include("notifications.urls")),
    path("", include("mailing.urls")),
]

# Our media files in the local storage (every mode; S3 serves its own): names of our pattern only.
if not settings.MEDIA_URL.startswith(("http://", "https://")):
    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", media, name="media"))


def _is_api(request):
    return request.path.startswith(("/v1/", "/auth/"))


def handler404(request, exception=None):
    if _is_api(request):
        return error_response(404, "The requested resource was not found.")
    return page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        return error_response(500, "The server failed to answer this request.")
    return server_error(request)
