"""``GET /v1/settings``: the site's settings as ONE ``setting`` resource (id "1"), as Open Event
serves them. The Open Event front end asks for ``?public=true`` before anything else and expects
a single resource (a list blanks the whole app); anyone may read that public subset. Without
``public=true`` the settings are an administrator's (``openevent.core.site``)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_json_api.utils import format_field_names

from openevent.core import site

from .exceptions import BadQueryParameter
from .permissions import Admin, Anyone
from .schema import PlainAutoSchema

#: Query parameters the front end sends with it: ``public`` chooses the subset, the cache hints
#: mean nothing here.
PARAMETERS = {"public", "cache", "nocache"}


@extend_schema(responses={200: OpenApiTypes.OBJECT})
class SettingsView(APIView):
    # The document is built here, not by a serializer.
    resource_name = False
    schema = PlainAutoSchema()
    schema_tags = ["settings"]

    def is_public(self):
        return self.request.query_params.get("public") == "true"

    def get_permissions(self):
        return [Anyone()] if self.is_public() else [Admin()]

    def get(self, request):
        for parameter in request.query_params:
            if parameter not in PARAMETERS:
                raise BadQueryParameter(parameter, f"Unknown query parameter '{parameter}'.")
        values = site.public_settings() if self.is_public() else site.admin_settings()
        # Unset (FRONTEND_URL and SITE_URL empty): the pages are served here, at this origin.
        values["frontend_url"] = values["frontend_url"] or request.build_absolute_uri("/").rstrip("/")
        return Response({"data": {"type": "setting", "id": "1", "attributes": format_field_names(values)}})
