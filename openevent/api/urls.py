"""The generic routes under /v1: the schema and its documentation. The resources' routes are
composed with these in the project's URL conf (``openevent/urls.py``)."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from openevent.core.csp import with_policy

from .site import SettingsView

#: Swagger UI and ReDoc style their pages inline and ReDoc parses in a blob: worker; their scripts
#: and fonts still come from our static files (Swagger's start-up script from ``?script``, not
#: inline; ReDoc's fonts from ``templates/api/redoc.html``, not Google Fonts).
DOCS_POLICY = {"style_src": ["'self'", "'unsafe-inline'"], "worker_src": ["'self'", "blob:"]}
#: ReDoc's bundle always shows Redocly's logo from cdn.redoc.ly: images from elsewhere are refused
#: on its page, so nothing is fetched from the internet (the logo hides itself when it fails).
REDOC_POLICY = {**DOCS_POLICY, "img_src": ["'self'", "data:"]}

urlpatterns = [
    path("settings", SettingsView.as_view(), name="settings"),
    path("schema/", SpectacularAPIView.as_view(schema=None), name="schema"),
    path("docs/", with_policy(SpectacularSwaggerSplitView.as_view(url_name="schema"), **DOCS_POLICY), name="api-docs"),
    path(
        "redoc/",
        with_policy(SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"), **REDOC_POLICY),
        name="api-redoc",
    ),
]
