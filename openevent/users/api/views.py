from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from openevent.api.parsers import PlainJsonAsJsonApiParser, PlainJsonParser
from openevent.api.permissions import Admin, Anyone, Authenticated, ManagesUser
from openevent.api.schema import PlainAutoSchema
from openevent.api.views import ResourceViewSet
from openevent.core import permissions as rules
from openevent.core.http import client_address

from .. import services
from ..models import User
from .serializers import PRIVATE_FIELDS, PUBLIC_FIELDS, UserSerializer


class UserViewSet(ResourceViewSet):
    queryset = User.objects.all()
    serializer_class = UserSerializer
    soft_delete = True
    policy = {
        "list": Admin,
        # Users listed under another resource (an event's organizers): guarded by its routes.
        "nested_list": Anyone,
        "retrieve": Anyone,
        "create": Anyone,
        "partial_update": ManagesUser,
        "destroy": ManagesUser,
    }
    # By registered basename: the program's resources list a user's rows under ``user_pk``.
    related_resources = {"sessions": ("session", "user_pk"), "speakers": ("speaker", "user_pk")}
    ordering_fields = ["id", "email", "first_name", "last_name", "created_at"]
    filterset_fields = {"email": ("exact", "icontains"), "is_admin": ("exact",), "is_verified": ("exact",)}

    def filterable_fields(self):
        """The JSON filter (also when reached through another resource's ``has``) may name the
        private fields only for admins; the write-only password never."""
        if rules.is_admin(self.request.user):
            return [*PUBLIC_FIELDS, *PRIVATE_FIELDS]
        return PUBLIC_FIELDS

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("deleted_at", None)
        serializer.instance = services.register_user(
            data.pop("email"),
            data.pop("password"),
            base_url=services.site_url(self.request),
            client_ip=client_address(self.request),
            **data,
        )

    def perform_update(self, serializer):
        password = serializer.validated_data.pop("password", None)
        if password is not None:
            raise ValidationError({"password": ["Use /v1/auth/change-password to change a password."]})
        serializer.instance = services.update_user(
            self.request.user,
            serializer.instance,
            base_url=services.site_url(self.request),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance, permanent=False):
        services.delete_user(instance, permanent=permanent)

    def perform_restore(self, instance):
        services.restore_user(instance)


def _body(name, **fields):
    return inline_serializer(name, {key: serializers.CharField() for key in fields})


TOKENS = _body("Tokens", access_token=True, refresh_token=True)
REFRESH = _body("RefreshToken", refresh_token=True)


class AuthView(APIView):
    """Plain-JSON auth endpoints of the Open Event dialect (errors still as JSON:API objects)."""

    schema = PlainAutoSchema()
    schema_tags = ["auth"]

    parser_classes = [PlainJsonParser, PlainJsonAsJsonApiParser]
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = [Anyone]

    def field(self, request, *names, required=True):
        data = request.data if isinstance(request.data, dict) else {}
        if isinstance(data.get("data"), dict):
            data = data["data"]
        for name in names:
            if data.get(name) not in (None, ""):
                value = data[name]
                if not isinstance(value, str):
                    raise ValidationError({names[0]: "Must be a string."})
                return value
        if required:
            raise ValidationError({names[0]: "This field is required."})
        return None


@extend_schema(request=_body("Credentials", email=True, password=True), responses=TOKENS)
class LoginView(AuthView):
    def post(self, request):
        email = self.field(request, "email")
        password = self.field(request, "password")
        user = services.login(email, password, client_ip=client_address(request), request=request._request)
        return Response(services.issue_tokens(user))


@extend_schema(request=REFRESH, responses=TOKENS)
class RefreshView(AuthView):
    def post(self, request):
        token = self.field(request, "refresh_token", "refresh-token", "refresh")
        return Response(services.refresh_tokens(token))


@extend_schema(request=REFRESH, responses=inline_serializer("LoggedOut", {"success": serializers.BooleanField()}))
class LogoutView(AuthView):
    def post(self, request):
        token = self.field(request, "refresh_token", "refresh-token", "refresh")
        services.revoke_refresh_token(token)
        return Response({"success": True})


@extend_schema(
    request=_body("PasswordChange", old_password=True, new_password=True),
    responses=inline_serializer(
        "PasswordChanged", {"email": serializers.EmailField(), "name": serializers.CharField()}
    ),
)
class ChangePasswordView(AuthView):
    authentication_classes = APIView.authentication_classes
    permission_classes = [Authenticated]

    def post(self, request):
        old = self.field(request, "old-password", "old_password")
        new = self.field(request, "new-password", "new_password", "password")
        services.change_password(request.user, old, new)
        return Response(
            {"email": request.user.email, "name": request.user.display_name, "password-changed": True},
            status=status.HTTP_200_OK,
        )


MESSAGE = inline_serializer("Message", {"message": serializers.CharField()})


@extend_schema(request=_body("VerificationToken", token=True), responses=MESSAGE)
class VerifyEmailView(AuthView):
    """Open Event's ``{"data": {"token": …}}`` (or ``{"token": …}``) from the verification mail.
    Any unusable token is one 422 error object pointing at ``token``."""

    def post(self, request):
        services.verify_email(self.field(request, "token"))
        return Response({"message": "Email Verified"})


@extend_schema(request=None, responses=MESSAGE)
class ResendVerificationMailView(AuthView):
    """A new verification mail for the logged-in user (409 when verified, 429 within a minute)."""

    authentication_classes = APIView.authentication_classes
    permission_classes = [Authenticated]

    def post(self, request):
        services.resend_verification_mail(request.user, services.site_url(request))
        return Response({"message": "Verification mail sent"})
