from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from openevent.api.parsers import PlainJsonAsJsonApiParser, PlainJsonParser
from openevent.api.permissions import Admin, Anyone, Authenticated, ManagesUser
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
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
    filterset_fields = {"email": ("exact", "icontains"), "is_admin": ("exact",), "is_verified": ("exact",)}

    def filterable_fields(self):
        """The JSON filter (also when reached through another resource's ``has``) may name the
        private fields only for admins; the write-only password never."""
        if rules.is_admin(self.request.user):
            return [*PUBLIC_FIELDS, *PRIVATE_FIELDS]
        return PUBLIC_FIELDS

    def perform_create(self, serializer):
        """Register; the answer shows the registrant their own private attributes (the request
        is anonymous, so the serializer is told whose row it is)."""
        data = dict(serializer.validated_data)
        data.pop("deleted_at", None)
        serializer.instance = services.register_user(
            data.pop("email"),
            data.pop("password"),
            base_url=services.site_url(self.request),
            client_ip=client_address(self.request),
            **data,
        )
        serializer.context["user"] = serializer.instance  # the answer's viewer (``viewer_of``)

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


ACCESS = _body("AccessToken", access_token=True)
TOKENS = _body("Tokens", access_token=True, refresh_token=True)
SUCCESS = inline_serializer("Success", {"success": serializers.BooleanField()})
MESSAGE = inline_serializer("Message", {"message": serializers.CharField()})

#: The web flow's cookies, under the names flask-jwt-extended gives them in Open Event: the
#: refresh token (HttpOnly, sent only to the auth routes) and its CSRF value (readable by the
#: page's script, which echoes it in ``X-CSRF-Token``).
REFRESH_COOKIE = "refresh_token_cookie"
CSRF_COOKIE = "csrf_refresh_token"
CSRF_HEADER = "HTTP_X_CSRF_TOKEN"
REFRESH_COOKIE_PATH = "/v1/auth/"


def _flag(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")


def set_refresh_cookies(request, response, tokens):
    secure = request.is_secure() or settings.REFRESH_COOKIE_SECURE or settings.REFRESH_COOKIE_SAMESITE == "None"
    common = {
        "max_age": int(jwt_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        "secure": secure,
        "samesite": settings.REFRESH_COOKIE_SAMESITE,
    }
    response.set_cookie(REFRESH_COOKIE, tokens["refresh_token"], path=REFRESH_COOKIE_PATH, httponly=True, **common)
    response.set_cookie(CSRF_COOKIE, tokens["csrf_token"], path="/", httponly=False, **common)


def clear_refresh_cookies(response):
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite=settings.REFRESH_COOKIE_SAMESITE)
    response.delete_cookie(CSRF_COOKIE, path="/", samesite=settings.REFRESH_COOKIE_SAMESITE)


class AuthView(APIView):
    """Plain-JSON auth endpoints of the Open Event dialect (errors still as JSON:API objects)."""

    schema = PlainAutoSchema()
    schema_tags = ["auth"]
    #: Failed logins, reset and verification requests are limited per address and per client.
    schema_error_statuses = ["429"]

    parser_classes = [PlainJsonParser, PlainJsonAsJsonApiParser]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    authentication_classes = []
    permission_classes = [Anyone]

    def body(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        if isinstance(data.get("data"), dict):
            data = data["data"]
        return data

    def field(self, request, *names, required=True):
        data = self.body(request)
        for name in names:
            if data.get(name) not in (None, ""):
                value = data[name]
                if not isinstance(value, str):
                    raise ValidationError({names[0]: "Must be a string."})
                return value
        if required:
            raise ValidationError({names[0]: "This field is required."})
        return None

    def bearer(self, request):
        """The token of ``Authorization: JWT <token>`` (or ``Bearer``), or None."""
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if len(parts) == 2 and parts[0] in jwt_settings.AUTH_HEADER_TYPES:  # noqa: PLR2004
            return parts[1]
        return None

    def refresh_source(self, request):
        """Where the refresh token comes from: the body (``refresh_token``), ``Authorization:
        JWT <refresh>`` (the mobile flow) or the web flow's cookie. An access token in the
        Authorization header (a web client sends it everywhere) does not count as a refresh
        token, so its cookie is used. Returns ``(token, from_cookie)``; ``(None, False)`` when
        there is none."""
        token = self.field(request, "refresh_token", "refresh-token", "refresh", required=False)
        if token is not None:
            return token, False
        header = self.bearer(request)
        if header is not None and services.is_refresh_token(header):
            return header, False
        cookie = request.COOKIES.get(REFRESH_COOKIE)
        if cookie:
            return cookie, True
        return None, False


class LoggedInAuthView(AuthView):
    authentication_classes = APIView.authentication_classes
    permission_classes = [Authenticated]


@extend_schema(
    request=inline_serializer(
        "Credentials",
        {
            "email": serializers.EmailField(),
            "password": serializers.CharField(),
            "remember-me": serializers.BooleanField(required=False),
            "include-in-response": serializers.BooleanField(required=False),
        },
    ),
    responses=TOKENS,
    description=(
        "Answers a fresh `access_token`. With `remember-me: true` a refresh token is issued too: "
        "in the answer as `refresh_token` with `include-in-response: true` (mobile clients), "
        "otherwise (web) in the HttpOnly cookie `refresh_token_cookie` (path `/v1/auth/`), with "
        "its CSRF value in the readable cookie `csrf_refresh_token`, to be sent back in "
        "`X-CSRF-Token` when refreshing."
    ),
)
class LoginView(AuthView):
    def post(self, request):
        email = self.field(request, "email", "username")
        password = self.field(request, "password")
        data = self.body(request)
        remember, in_response = _flag(data.get("remember-me")), _flag(data.get("include-in-response"))
        user = services.login(email, password, client_ip=client_address(request), request=request._request)
        if not remember:
            return Response(services.issue_access_token(user))
        tokens = services.issue_tokens(user, cookie=not in_response)
        if in_response:
            return Response({"access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]})
        response = Response({"access_token": tokens["access_token"]})
        set_refresh_cookies(request, response, tokens)
        return response


@extend_schema(
    request=_body("Reauthentication", email=True, password=True),
    responses=ACCESS,
    description=(
        "Re-authenticate the logged-in user (their access token in Authorization) with their "
        "e-mail address and password: a fresh access token, which changing the password needs. "
        "Throttled like login."
    ),
)
class FreshLoginView(LoggedInAuthView):
    def post(self, request):
        email = self.field(request, "email", "username")
        password = self.field(request, "password")
        return Response(
            services.fresh_login(
                request.user, email, password, client_ip=client_address(request), request=request._request
            )
        )


@extend_schema(
    request=_body("Password", password=True),
    responses=inline_serializer("PasswordVerified", {"result": serializers.BooleanField()}),
    description=(
        "Whether the password is the logged-in user's. Wrong answers count as failed logins, so "
        "past the login limit it answers 429, even for the right password."
    ),
)
class VerifyPasswordView(LoggedInAuthView):
    def post(self, request):
        password = self.field(request, "password")
        return Response({"result": services.verify_password(request.user, password, client_address(request))})


@extend_schema(
    request=_body("RefreshToken", refresh_token=True),
    responses=TOKENS,
    description=(
        "A new (not fresh) access token. The refresh token comes in the body (`refresh_token`), "
        "as `Authorization: JWT <refresh token>` (mobile) or in the web flow's cookie, which "
        "needs the `csrf_refresh_token` value in `X-CSRF-Token`. The refresh token is rotated: "
        "the new one comes back where the old one came from (the answer, or the cookie)."
    ),
)
class RefreshView(AuthView):
    def post(self, request):
        token, from_cookie = self.refresh_source(request)
        tokens = services.refresh_tokens(token, csrf=request.META.get(CSRF_HEADER), from_cookie=from_cookie)
        if not from_cookie:
            return Response({key: value for key, value in tokens.items() if key != "csrf_token"})
        response = Response({"access_token": tokens["access_token"]})
        if "refresh_token" in tokens:
            set_refresh_cookies(request, response, tokens)
        return response


@extend_schema(
    request=_body("RefreshTokenToRevoke", refresh_token=True),
    responses=SUCCESS,
    description=(
        "Revokes the refresh token given in the body, in `Authorization: JWT <refresh token>` or "
        "in the web flow's cookie, and clears the cookies. With no token at all it only clears "
        "them."
    ),
)
class LogoutView(AuthView):
    """No CSRF header is asked for: a forged logout can only log the user out, and SameSite keeps
    other sites' requests from carrying the cookie."""

    def post(self, request):
        token, from_cookie = self.refresh_source(request)
        if token is not None:
            # A dead cookie is simply cleared; a dead token the client sent itself is an error.
            services.revoke_refresh_token(token, quiet=from_cookie)
        cookie = request.COOKIES.get(REFRESH_COOKIE)
        if cookie and cookie != token:
            services.revoke_refresh_token(cookie, quiet=True)
        response = Response({"success": True})
        clear_refresh_cookies(response)
        return response


@extend_schema(
    request=_body("TokenToBlacklist", token=True),
    responses=SUCCESS,
    description=(
        "For a logged-in user. Without a body, every refresh token they hold stops working (as in "
        "Open Event). With `token` (or `refresh_token`), that refresh token is revoked: one's own, "
        "or for an administrator that of an account they may manage (403 otherwise). Access "
        "tokens are not stored and simply expire."
    ),
)
class BlacklistView(LoggedInAuthView):
    def post(self, request):
        token = self.field(request, "token", "refresh_token", "refresh-token", required=False)
        services.blacklist_tokens(request.user, token)
        return Response({"success": True})


@extend_schema(
    request=_body("PasswordChange", old_password=True, new_password=True),
    responses=inline_serializer(
        "PasswordChanged",
        {
            "id": serializers.CharField(),
            "email": serializers.EmailField(),
            "name": serializers.CharField(),
            "password-changed": serializers.BooleanField(),
        },
    ),
    description="Needs a fresh access token (login or fresh-login, not a refresh).",
)
class ChangePasswordView(LoggedInAuthView):
    def post(self, request):
        services.require_fresh(request.auth)
        old = self.field(request, "old-password", "old_password")
        new = self.field(request, "new-password", "new_password", "password")
        services.change_password(
            request.user, old, new, base_url=services.site_url(request), client_ip=client_address(request)
        )
        return Response(
            {
                "id": str(request.user.pk),
                "email": request.user.email,
                "name": request.user.display_name,
                "password-changed": True,
            },
            status=status.HTTP_200_OK,
        )


class ResetPasswordView(AuthView):
    """``/v1/auth/reset-password``: ask for a reset link by address (POST), set the password with
    the link's token (PATCH)."""

    @extend_schema(
        request=_body("PasswordResetRequest", email=True),
        responses=MESSAGE,
        description=(
            '`{"data": {"email": …}}`, for anyone: the same 200 answer whether or not an account '
            "has that address; a live, unblocked account gets a mail with a single-use link to the "
            '"Set a new password" page, working `PASSWORD_RESET_HOURS` hours. Throttled per '
            "address and per client (429, alike for every address)."
        ),
    )
    def post(self, request):
        email = self.field(request, "email")
        message = services.request_password_reset(email, services.site_url(request), client_ip=client_address(request))
        return Response({"message": message})

    @extend_schema(
        request=_body("PasswordReset", token=True, password=True),
        responses=inline_serializer(
            "PasswordResetDone",
            {"id": serializers.CharField(), "email": serializers.EmailField(), "name": serializers.CharField()},
        ),
        description=(
            '`{"data": {"token": …, "password": …}}` (the token from the mail\'s link): sets the '
            "password, revokes every refresh token and marks the address verified. An unusable "
            "token (malformed, expired, already used) is one 422 error pointing at `token`; a "
            "password the validators refuse, a 422 pointing at `password`."
        ),
    )
    def patch(self, request):
        token = self.field(request, "token")
        password = self.field(request, "password", "new-password", "new_password")
        user = services.reset_password(token, password, base_url=services.site_url(request))
        return Response({"id": str(user.pk), "email": user.email, "name": user.display_name})


@extend_schema(request=_body("VerificationToken", token=True), responses=MESSAGE)
class VerifyEmailView(AuthView):
    """Open Event's ``{"data": {"token": …}}`` (or ``{"token": …}``) from the verification mail.
    Any unusable token is one 422 error object pointing at ``token``."""

    def post(self, request):
        services.verify_email(self.field(request, "token"))
        return Response({"message": "Email Verified"})


@extend_schema(request=None, responses=MESSAGE)
class ResendVerificationMailView(LoggedInAuthView):
    """A new verification mail for the logged-in user (409 when verified, 429 within a minute)."""

    def post(self, request):
        services.resend_verification_mail(request.user, services.site_url(request))
        return Response({"message": "Verification mail sent"})


@extend_schema(
    request=_body("VerificationMailRequest", email=True),
    responses=MESSAGE,
    description=(
        '`{"data": {"email": …}}`, for anyone: the same 200 answer whether or not an account '
        "has that address and whether or not it is verified (only an unverified account gets a "
        "mail). Throttled per address and per client (429, alike for every address). Without a "
        "body, a logged-in user asks for their own mail (409 when verified)."
    ),
)
class ResendVerificationEmailView(AuthView):
    authentication_classes = APIView.authentication_classes

    def post(self, request):
        email = self.field(request, "email", required=not rules.is_authenticated(request.user))
        base_url = services.site_url(request)
        if email is None:
            services.resend_verification_mail(request.user, base_url)
            return Response({"message": services.RESEND_ANSWER})
        message = services.request_verification_mail(email, base_url, client_ip=client_address(request))
        return Response({"message": message})


@extend_schema(
    request=None,
    responses=inline_serializer("UserId", {"user_id": serializers.CharField()}),
    description="The id of the logged-in user (401 for anonymous callers).",
)
class UserIdView(LoggedInAuthView):
    schema_tags = ["users"]

    def get(self, request):
        return Response({"user_id": str(request.user.pk)})


@extend_schema(
    request=_body("EmailToCheck", email=True),
    responses=inline_serializer("EmailExists", {"exists": serializers.BooleanField()}),
    description=(
        "Administrators only. Whether a live account has this e-mail address. Open Event serves it "
        "to anyone, which makes it an address-enumeration oracle (learn who has an account); "
        "throttling would only slow that down and constant answers would make it useless, so "
        "only administrators, who can list users anyway, may ask. 403 for everyone else."
    ),
)
class CheckEmailView(AuthView):
    """``POST /v1/users/check_email`` → ``{"exists": bool}``, for administrators only.

    In Open Event anyone may ask, which tells an attacker which addresses have accounts (to phish
    them or to aim password guessing). Throttling would only slow the enumeration, and a constant
    answer would make the route pointless, so it is served to administrators, who may list every
    user anyway. Clients that used it before a login or a registration simply try those: login
    says "wrong address or password" alike, and registration (throttled per client) answers 409
    for a taken address."""

    schema_tags = ["users"]
    authentication_classes = APIView.authentication_classes
    permission_classes = [Admin]

    def post(self, request):
        return Response({"exists": services.email_exists(self.field(request, "email"))})
