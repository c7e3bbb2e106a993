"""``/v1/settings``: the site's settings as ONE ``setting`` resource (id "1"), as Open Event
serves them. The Open Event front end asks for ``?public=true`` before anything else and expects
a single resource (a list blanks the whole app); anyone may read that public subset. Without
``public=true`` the settings are an administrator's (``openevent.core.site``): the values in
force, the stored ones over the environment's, secrets only as ``smtp-password-set`` and
``sendgrid-key-set``.

``PATCH`` (administrators) changes the attributes it names, through
``openevent.core.services.update_platform_settings``: ``null`` or ``""`` sets one back to the
environment's default. The secrets ``smtp-password`` and ``sendgrid-key`` are write-only (never
shown): a string sets one, ``null`` removes the stored one, ``""`` keeps it (an empty password
box). A value equal to the one in force (what ``GET`` shows) changes nothing, so a client saving
back what it read pins no environment value. Read-only attributes (``app-environment``, the
social links, the payment flags, the ``*-set`` flags) may be sent back unchanged, as the Open
Event front end sends every attribute it has; a different value, or an attribute the resource
does not have, is 422.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_json_api.utils import format_field_names

from openevent.core import services, site

from .exceptions import BadQueryParameter, Conflict
from .parsers import PlainJsonAsJsonApiParser
from .permissions import Admin, Anyone
from .schema import PlainAutoSchema

#: Query parameters the front end sends with it: ``public`` chooses the subset, the cache hints
#: mean nothing here.
PARAMETERS = {"public", "cache", "nocache"}
#: The attributes PATCH writes (dashed) -> the service's names.
WRITABLE = {name.replace("_", "-"): name for name in services.WRITABLE}
RESOURCE_TYPE = "setting"
RESOURCE_ID = "1"


def _document(values, request):
    # Unset (FRONTEND_URL and SITE_URL empty): the pages are served here, at this origin.
    values["frontend_url"] = values["frontend_url"] or request.build_absolute_uri("/").rstrip("/")
    return {"data": {"type": RESOURCE_TYPE, "id": RESOURCE_ID, "attributes": format_field_names(values)}}


def _resource_object(body):
    """The attributes of a PATCH body, once its shape is the settings resource's."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ParseError("The document must have a resource object as its primary data.")
    if data.get("type") != RESOURCE_TYPE:
        raise Conflict(f"The resource object's type must be '{RESOURCE_TYPE}'.")
    if "id" not in data:
        raise ParseError("The resource identifier object must contain an 'id' member.")
    if str(data["id"]) != RESOURCE_ID:
        raise Conflict(f"The settings resource's id is '{RESOURCE_ID}'.")
    if data.get("relationships"):
        raise ParseError("The setting resource has no relationships.")
    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ParseError("'attributes' must be an object.")
    return attributes


@extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
class SettingsView(APIView):
    # The document is built here, not by a serializer.
    resource_name = False
    schema = PlainAutoSchema()
    schema_tags = ["settings"]

    def is_public(self):
        return self.request.query_params.get("public") == "true"

    # The body is checked here (``_resource_object``): the resource has no serializer.
    parser_classes = [PlainJsonAsJsonApiParser]

    def get_permissions(self):
        return [Anyone()] if self.request.method in ("GET", "HEAD") and self.is_public() else [Admin()]

    def check_parameters(self, request):
        for parameter in request.query_params:
            if parameter not in PARAMETERS:
                raise BadQueryParameter(parameter, f"Unknown query parameter '{parameter}'.")

    def get(self, request):
        self.check_parameters(request)
        values = site.public_settings() if self.is_public() else site.admin_settings()
        return Response(_document(values, request))

    def patch(self, request):
        self.check_parameters(request)
        attributes = _resource_object(request.data)
        shown = _document(site.admin_settings(), request)["data"]["attributes"]
        refused = {}
        for name, value in attributes.items():
            if name in WRITABLE:
                continue
            if name not in shown:
                refused[name] = [f"The setting resource has no attribute '{name}'."]
            elif value != shown[name]:
                refused[name] = [f"'{name}' is read-only."]
        if refused:
            raise ValidationError(refused)
        # A value equal to the one in force changes nothing: a client sending back what it read
        # does not pin the environment's values (or this origin) into the stored settings.
        # A secret's "" keeps the stored one (an empty password box, as on the admin page); null
        # removes it.
        values = {
            WRITABLE[name]: value
            for name, value in attributes.items()
            if name in WRITABLE and (value != shown[name] if name in shown else value != "")
        }
        services.update_platform_settings(values, request.user)
        return Response(_document(site.admin_settings(), request))
