"""Account workflows: registration, e-mail verification, login with throttling, tokens, password
change, profile changes, deletion."""

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, UntypedToken

from openevent.core import permissions as rules
from openevent.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, Throttled
from openevent.core.signals import send_after_commit

from . import signals, throttle
from .models import User, UserManager

logger = logging.getLogger(__name__)


def email_exists(email):
    """Whether a live account has the address ``email`` (for administrators: see CheckEmailView)."""
    return User.objects.filter(email=UserManager.normalize_email(email)).exists()


def email_taken():
    return Conflict("A user with this e-mail address already exists.", field="email")


def validate_new_password(password, user=None):
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None


def register_user(email, password, base_url=None, client_ip=None, **fields):
    """Create an account. Unless it is created verified (demo data), a verification mail with a
    link to ``base_url`` (see ``site_url``) goes to the address once the account is committed.

    Registrations from one client address (``client_ip``, see ``openevent.core.http``) are
    throttled: at most ``settings.REGISTRATION_LIMIT`` per ``REGISTRATION_WINDOW``."""
    email = UserManager.normalize_email(email)
    client_key = throttle.key("registrations:client", client_ip) if client_ip is not None else None
    if client_key and throttle.exceeded(client_key, settings.REGISTRATION_LIMIT):
        raise Throttled("Too many accounts were created from your address. Try again later.")
    if User.all_objects.filter(email=email).exists():
        raise email_taken()
    validate_new_password(password, User(email=email, **fields))
    if not fields.get("is_verified"):
        _check_verification_mail_allowed(None, email)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, **fields)
            if not user.is_verified:
                _count_verification_mail(user)
                send_verification_mail(user, base_url, registration=True)
    except IntegrityError:
        raise email_taken() from None
    if client_key:
        throttle.hit(client_key, settings.REGISTRATION_WINDOW)
    return user


def create_account(actor, email, password=None, **fields):
    """An administrator makes an account (Django admin): no verification mail goes out, and
    without ``password`` the account has no usable password until one is set."""
    if not rules.is_admin(actor):
        raise NotAllowed("Only administrators create accounts for others; register instead.")
    email = UserManager.normalize_email(email)
    if User.all_objects.filter(email=email).exists():
        raise email_taken()
    if password is not None:
        validate_new_password(password, User(email=email, **fields))
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password, **fields)
    except IntegrityError:
        raise email_taken() from None


def update_user(actor, user, base_url=None, **data):
    """Change profile fields ``data`` (already validated by the serializer) of ``user``.

    A new e-mail address is unproven: when the user changes their own, ``is_verified`` drops to
    False and a verification mail goes to the new address. An administrator changing someone
    else's address (or setting ``is_verified`` explicitly) is trusted as they are with the flag.

    Whoever changes it, a verified former address is told (``email_changed``): if someone took
    over the account, its owner learns it where they still read mail. A former address that was
    never verified is not written to: it may belong to someone who never had the account, and
    setting it and moving away would otherwise mail it as often as one likes.
    """
    old_email, was_verified = user.email, user.is_verified
    email = data.get("email")
    changes_email = False
    if email is not None:
        data["email"] = email = UserManager.normalize_email(email)
        if User.all_objects.filter(email=email).exclude(pk=user.pk).exists():
            raise email_taken()
        changes_email = email != user.email
    if changes_email and not (rules.is_admin(actor) and (actor.pk != user.pk or "is_verified" in data)):
        data["is_verified"] = False
    if changes_email and not data.get("is_verified", user.is_verified):
        _check_verification_mail_allowed(user, email)
    with transaction.atomic():
        changed = frozenset(name for name, value in data.items() if getattr(user, name, None) != value)
        for name, value in data.items():
            setattr(user, name, value)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise email_taken() from None
        if changes_email and not user.is_verified:
            _count_verification_mail(user)
            send_verification_mail(user, base_url)
        if changes_email and was_verified:
            send_after_commit(
                signals.email_changed,
                User,
                user=user,
                actor=actor,
                old_email=old_email,
                new_email=user.email,
                changed_at=timezone.now(),
            )
        send_after_commit(signals.user_updated, User, user=user, actor=actor, changed=changed)
    return user


# --- e-mail verification -------------------------------------------------------------------------
class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token scheme (an HMAC of the user's state and a timestamp; nothing
    is stored) keyed on what verification changes: the token dies when ``is_verified`` flips or the
    address changes, and after ``settings.EMAIL_VERIFICATION_LIFETIME``."""

    key_salt = "openevent.users.services.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}|{user.email}|{int(user.is_verified)}|{timestamp}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= settings.EMAIL_VERIFICATION_LIFETIME.total_seconds()

    def _now(self):
        # Naive local time like Django's generator; tests travel in time by patching this.
        return datetime.now()


verification_tokens = EmailVerificationTokenGenerator()
#: The one answer to every unusable token: it says nothing about which check failed.
#: (An error message, not a secret: S105 only sees "TOKEN" in the name.)
BAD_VERIFICATION_TOKEN = "This verification link is invalid, expired or already used. Log in and ask for a new one."  # noqa: S105
#: At most one verification mail per user in this many seconds when asked for again.
VERIFICATION_MAIL_INTERVAL = 60
#: Longer "tokens" are refused before any decoding (a real one is about 50 characters).
MAX_TOKEN_LENGTH = 200


def _verification_mail_keys(user, email):
    keys = [throttle.key("verification-mails:address", email)]
    if user is not None:
        keys.append(throttle.key("verification-mails:user", user.pk))
    return keys


def _check_verification_mail_allowed(user, email):
    """Throttled (429) when ``user`` or the address ``email`` had ``VERIFICATION_MAIL_LIMIT``
    verification mails within ``VERIFICATION_MAIL_WINDOW``: changing one's address again and
    again must not bomb anyone's inbox."""
    limit = settings.VERIFICATION_MAIL_LIMIT
    if any(throttle.exceeded(name, limit) for name in _verification_mail_keys(user, email)):
        raise Throttled("Too many verification mails were sent to you or to this address. Try again later.")


def _count_verification_mail(user):
    """Count a mail as soon as it is decided (before the commit that sends it): requests that
    overlap cannot slip past the limit."""
    for name in _verification_mail_keys(user, user.email):
        throttle.hit(name, settings.VERIFICATION_MAIL_WINDOW)


def email_verification_token(user):
    """``<user id in base64>-<timestamp>-<hmac>``: one string for the link and for the API."""
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}-{verification_tokens.make_token(user)}"


def site_url(request=None):
    """The origin links in mails point to: ``settings.SITE_URL``, else the (ALLOWED_HOSTS-checked)
    origin of the request."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://127.0.0.1:8000"


def verification_link(user, base_url=None):
    return (base_url or site_url()) + reverse("verify-email", args=[email_verification_token(user)])


def send_verification_mail(user, base_url=None, *, registration=False):
    """Mail ``user`` a link that verifies their current address (the mail issue's path: the
    ``verification_mail_requested`` signal, whose mail receiver queues the mail in this
    transaction and sends it after commit; a rolled-back change sends nothing). The link is a
    secret: it is sent, never stored in clear."""
    with transaction.atomic():
        send_after_commit(
            signals.verification_mail_requested,
            User,
            user=user,
            link=verification_link(user, base_url),
            days=settings.EMAIL_VERIFICATION_LIFETIME.days,
            registration=registration,
        )
    cache.set(f"verification-mail:{user.pk}", True, VERIFICATION_MAIL_INTERVAL)
    logger.info("Verification mail queued for user %s", user.pk)


def resend_verification_mail(user, base_url=None):
    """A new verification mail for the logged-in ``user`` (at most one a minute)."""
    if user.is_verified:
        raise Conflict("Your e-mail address is already verified.")
    if cache.get(f"verification-mail:{user.pk}"):
        raise Throttled("A verification mail was sent less than a minute ago; please check your inbox.")
    _check_verification_mail_allowed(user, user.email)
    _count_verification_mail(user)
    send_verification_mail(user, base_url)


#: The one answer to a resend request by address, whatever became of it.
RESEND_ANSWER = "Verification email resent"


def _resend_request_keys(email, client_ip):
    return [
        (throttle.key("verification-requests:address", email), settings.VERIFICATION_MAIL_LIMIT),
        (throttle.key("verification-requests:client", client_ip), settings.VERIFICATION_REQUEST_LIMIT),
    ]


def request_verification_mail(email, base_url=None, client_ip=""):
    """``POST /v1/auth/resend-verification-email`` by address, for anyone (no login needed).

    It must not tell whether an account has this address, nor whether it is verified: every
    request gets the same answer, and the throttle (Throttled, 429) counts requests, not mails,
    per address (``VERIFICATION_MAIL_LIMIT``) and per client (``VERIFICATION_REQUEST_LIMIT``) in
    ``VERIFICATION_MAIL_WINDOW`` — so it trips alike for any address. Only an unverified live
    account gets a mail, and only within the limits ``resend_verification_mail`` keeps.

    The mail is queued and sent by a worker, so a slow mail server does not slow the answer."""
    email = UserManager.normalize_email(email)
    keys = _resend_request_keys(email, client_ip)
    if any(throttle.exceeded(name, limit) for name, limit in keys):
        raise Throttled("Too many verification mails were asked for. Try again later.")
    for name, _ in keys:
        throttle.hit(name, settings.VERIFICATION_MAIL_WINDOW)
    user = User.objects.filter(email=email, is_verified=False, is_blocked=False).first()
    if user is None or cache.get(f"verification-mail:{user.pk}"):
        return RESEND_ANSWER
    limit = settings.VERIFICATION_MAIL_LIMIT
    if any(throttle.exceeded(name, limit) for name in _verification_mail_keys(user, user.email)):
        return RESEND_ANSWER
    _count_verification_mail(user)
    send_verification_mail(user, base_url)
    return RESEND_ANSWER


def _user_of_token(token):
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None, None
    try:
        uid_b64, ts_b36, digest = token.rsplit("-", 2)
        pk = int(force_str(urlsafe_base64_decode(uid_b64)))
    except (ValueError, TypeError, OverflowError):
        return None, None
    return User.objects.filter(pk=pk).first(), f"{ts_b36}-{digest}"


def check_verification_token(token):
    """The user whose address ``token`` would verify now, or None (nothing is changed)."""
    user, user_token = _user_of_token(token)
    if user is None or not verification_tokens.check_token(user, user_token):
        return None
    return user


@transaction.atomic
def verify_email(token):
    """Mark the address of the token's user verified. The token works once: verifying changes the
    state it was made from. Raises Invalid (422, pointing at ``token``) for any unusable token."""
    user, user_token = _user_of_token(token)
    if user is not None:
        user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None or not verification_tokens.check_token(user, user_token):
        raise Invalid(BAD_VERIFICATION_TOKEN, field="token")
    user.is_verified = True
    user.save(update_fields=["is_verified"])
    return user


# --- login ---------------------------------------------------------------------------------------
def _failure_keys(email, client_ip):
    """The account's counter and the client's (``client_ip`` from ``openevent.core.http``)."""
    return [throttle.key("login-failures:email", email), throttle.key("login-failures:client", client_ip)]


def _is_throttled(email, client_ip):
    limit = settings.LOGIN_FAILURE_LIMIT
    email_key, client_key = _failure_keys(email, client_ip)
    return throttle.exceeded(email_key, limit) or throttle.exceeded(client_key, limit * 4)


def login(email, password, client_ip="", request=None):
    """Return the user for these credentials, or raise NotAuthenticated (401) / Throttled (429).

    Every way to log in (API, pages, admin) ends here. Blocked and deleted users cannot log in;
    failures are counted per account and per client address, and past the limit even a correct
    password is refused until the window has passed.
    """
    email = UserManager.normalize_email(email)
    if _is_throttled(email, client_ip):
        raise Throttled("Too many failed logins. Try again later.")
    user = authenticate(request, email=email, password=password) if email and password else None
    if user is None:
        for name in _failure_keys(email, client_ip):
            throttle.hit(name, settings.LOGIN_FAILURE_WINDOW)
        raise NotAuthenticated("Invalid e-mail address or password.")
    throttle.reset(_failure_keys(email, client_ip)[0])
    return user


#: The claim that marks an access token made from a password just checked (login, fresh-login);
#: one made by a refresh is not fresh, and sensitive changes (a new password) want a fresh one.
FRESH_CLAIM = "fresh"
#: The claim of a refresh token issued for the web flow's cookie: the CSRF value (double submit)
#: that the client reads from the ``csrf_refresh_token`` cookie and sends as ``X-CSRF-Token``.
CSRF_CLAIM = "csrf"
#: Open Event clients read the user's id from this claim of the access token (flask-jwt-extended's
#: name); simplejwt's own ``user_id`` claim stays the one we read.
IDENTITY_CLAIM = "identity"
BAD_REFRESH_TOKEN = "The refresh token is invalid, expired or revoked."  # noqa: S105 (a message)


def issue_access_token(user):
    """A fresh access token alone (a login without ``remember-me``, a fresh-login): no refresh
    token is made, so none is left outstanding."""
    access = AccessToken.for_user(user)
    access[IDENTITY_CLAIM] = user.pk
    access[FRESH_CLAIM] = True
    return {"access_token": str(access)}


def issue_tokens(user, cookie=False, fresh=True):
    """The tokens of a login: ``access_token`` (``fresh`` unless made by a refresh) and
    ``refresh_token``.

    With ``cookie`` (the web flow) the refresh token carries a random CSRF value, also returned as
    ``csrf_token``: a refresh that comes from the cookie must present it (``refresh_tokens``)."""
    refresh = RefreshToken.for_user(user)
    refresh[IDENTITY_CLAIM] = user.pk  # copied into the access token
    access = refresh.access_token
    access[FRESH_CLAIM] = fresh
    tokens = {"access_token": str(access)}
    if cookie:
        refresh[CSRF_CLAIM] = tokens["csrf_token"] = secrets.token_urlsafe(32)
    tokens["refresh_token"] = str(refresh)
    return tokens


def fresh_login(current_user, email, password, client_ip="", request=None):
    """Re-authentication (``POST /v1/auth/fresh-login``): the credentials must be those of
    ``current_user``. Checked and throttled like any login; answers a fresh access token and no
    new refresh token."""
    user = login(email, password, client_ip=client_ip, request=request)
    if user.pk != current_user.pk:
        raise NotAuthenticated("These credentials are not those of the logged-in user.")
    return issue_access_token(user)


def require_fresh(access_token):
    """NotAuthenticated (401) unless the request was authenticated with a fresh access token (or
    not with a token at all: a page session began with the password)."""
    if access_token is not None and access_token.get(FRESH_CLAIM) is not True:
        raise NotAuthenticated("This needs a fresh login: POST /v1/auth/fresh-login first.")


def verify_password(user, password, client_ip=""):
    """Whether ``password`` is the logged-in ``user``'s. Wrong answers count as failed logins of
    the account and the client (``login``'s counters), so a stolen access token is no way to
    guess the password: past the limit even the right one is Throttled (429)."""
    if _is_throttled(user.email, client_ip):
        raise Throttled("Too many failed logins. Try again later.")
    if user.check_password(password):
        throttle.reset(_failure_keys(user.email, client_ip)[0])
        return True
    for name in _failure_keys(user.email, client_ip):
        throttle.hit(name, settings.LOGIN_FAILURE_WINDOW)
    return False


def _load_refresh(raw_refresh):
    """The (verified, not blacklisted) refresh token and its user, or NotAuthenticated."""
    if not isinstance(raw_refresh, str) or not raw_refresh:
        raise NotAuthenticated(BAD_REFRESH_TOKEN)
    try:
        refresh = RefreshToken(raw_refresh)
        user = User.objects.get(pk=refresh[jwt_settings.USER_ID_CLAIM])
    except (TokenError, User.DoesNotExist, KeyError, ValueError, TypeError):
        raise NotAuthenticated(BAD_REFRESH_TOKEN) from None
    return refresh, user


def refresh_tokens(raw_refresh, csrf=None, from_cookie=False):
    """A new access token (not fresh) for a refresh token.

    A token issued for the cookie (it has a CSRF claim), and any token read from the cookie, needs
    the matching ``csrf`` (the ``X-CSRF-Token`` header): a page on another site can make the
    browser send the cookie but cannot read the CSRF value.

    A token read from the cookie is always rotated: the old one is blacklisted and a new one (with
    a new ``csrf_token``) goes back into the cookie, which the browser keeps for the client. A
    token the client holds itself (body or ``Authorization``) is rotated only with
    ``SIMPLE_JWT["ROTATE_REFRESH_TOKENS"]`` (``JWT_ROTATE_REFRESH``, off by default): the
    blueprint answers ``{"access_token"}`` alone, and Open Event's clients, the Ember front end
    among them, keep sending their first refresh token, which rotation would have revoked."""
    refresh, user = _load_refresh(raw_refresh)
    expected = refresh.get(CSRF_CLAIM)
    if (from_cookie or expected is not None) and not (
        isinstance(expected, str) and isinstance(csrf, str) and constant_time_compare(expected, csrf)
    ):
        raise NotAuthenticated("The X-CSRF-Token header is missing or does not match the refresh cookie.")
    if not user.is_active:
        raise NotAuthenticated("This account is disabled.")
    rotate = from_cookie or settings.SIMPLE_JWT.get("ROTATE_REFRESH_TOKENS", False)  # read now: tests change it
    if not rotate:
        access = refresh.access_token
        access[FRESH_CLAIM] = False
        return {"access_token": str(access)}
    refresh.blacklist()
    return issue_tokens(user, cookie=expected is not None, fresh=False)


def is_refresh_token(raw_token):
    """Whether ``raw_token`` is a valid, unexpired refresh token (not whether it is revoked)."""
    try:
        return UntypedToken(raw_token).get(jwt_settings.TOKEN_TYPE_CLAIM) == RefreshToken.token_type
    except TokenError:
        return False


def revoke_refresh_token(raw_refresh, quiet=False):
    """Blacklist one refresh token (logout). NotAuthenticated when it is unusable already, unless
    ``quiet`` (then there is nothing left to revoke)."""
    try:
        refresh, _ = _load_refresh(raw_refresh)
    except NotAuthenticated:
        if quiet:
            return
        raise
    refresh.blacklist()


def blacklist_tokens(actor, raw_refresh=None):
    """``POST /v1/auth/blacklist``. Without a token: every refresh token of ``actor`` issued so far
    stops working (Open Event's meaning). With one: that refresh token, if the actor may manage
    its user's account (``can_manage_user``: their own, or an administrator; NotAllowed, 403,
    otherwise). Access tokens are not stored, so they cannot be revoked; they expire after
    ``JWT_ACCESS_MINUTES``."""
    if raw_refresh is None:
        revoke_all_tokens(actor)
        return
    try:
        refresh = RefreshToken(raw_refresh)
    except TokenError:
        raise Invalid(BAD_REFRESH_TOKEN, field="token") from None
    owner = User.all_objects.filter(pk=refresh.get(jwt_settings.USER_ID_CLAIM)).first()
    if owner is None or not rules.can_manage_user(actor, owner):
        raise NotAllowed("Only administrators may revoke the tokens of another user.")
    refresh.blacklist()


def revoke_all_tokens(user):
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def _password_changed(user, base_url=None, reset=False):
    """Tell the account's owner that its password changed (inside the change's transaction).

    Only a verified address is told: an unverified one may be someone else's (an account
    registered with it), who would get one mail per change."""
    if user.is_verified:
        send_after_commit(
            signals.password_changed,
            User,
            user=user,
            changed_at=timezone.now(),
            reset_link=forgot_password_link(base_url),
            reset=reset,
        )


def change_password(user, old_password, new_password, base_url=None, client_ip=""):
    """The logged-in ``user`` changes their password: every refresh token dies (page sessions
    die with the old password hash), and a verified address gets a ``password_change`` mail.

    A wrong old password counts as a failed login (``verify_password``): a stolen session is no
    way to guess the password either."""
    if not verify_password(user, old_password or "", client_ip):
        raise Invalid("The old password is wrong.", field="old_password")
    validate_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoke_all_tokens(user)
        _password_changed(user, base_url)


def set_password(user, password):
    """An administrator sets (or, with ``password`` None, disables) someone's password (Django
    admin, which only administrators reach); like a password change, it logs the account out
    everywhere, and the account's verified address is told."""
    if password is not None:
        validate_new_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        revoke_all_tokens(user)
        if password is not None:
            _password_changed(user)
    return user


# --- password reset ------------------------------------------------------------------------------
class PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's password-reset tokens (an HMAC of the account's id, password hash, last login,
    address and a timestamp; nothing is stored): a token dies once the password changes (it works
    once), when the address changes, and after ``settings.PASSWORD_RESET_TIMEOUT`` seconds."""

    key_salt = "openevent.users.services.PasswordResetTokens"

    def _now(self):
        # Tests travel in time by patching this (as for verification tokens).
        return datetime.now()


password_reset_tokens = PasswordResetTokens()
#: The one answer to every unusable reset token (an error message, not a secret).
BAD_RESET_TOKEN = "This link to set a new password is invalid, expired or already used. Ask for a new one."  # noqa: S105
#: The one answer to a reset request, whatever became of it (no mail, a mail, no such account).
RESET_ANSWER = "If an account has this address, we sent it a link to set a new password."


def password_reset_token(user):
    """``<user id in base64>-<timestamp>-<hmac>``, like the verification token."""
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}-{password_reset_tokens.make_token(user)}"


def password_reset_link(user, base_url=None):
    """The "Set a new password" page for ``user`` (a secret: mailed, never stored in clear)."""
    return (base_url or site_url()) + reverse("password-reset-confirm", args=[password_reset_token(user)])


def forgot_password_link(base_url=None):
    """The "Forgot password" page, where anyone asks for a reset link."""
    return (base_url or site_url()) + reverse("password-reset")


def reset_hours():
    return settings.PASSWORD_RESET_TIMEOUT // 3600


def _reset_request_keys(email, client_ip):
    return [
        (throttle.key("password-reset-requests:address", email), settings.PASSWORD_RESET_LIMIT),
        (throttle.key("password-reset-requests:client", client_ip), settings.PASSWORD_RESET_REQUEST_LIMIT),
    ]


def request_password_reset(email, base_url=None, client_ip=""):
    """``POST /v1/auth/reset-password`` and the "Forgot password" page, for anyone.

    Every request gets ``RESET_ANSWER``: nothing tells whether an account has the address. The
    throttle (Throttled, 429) counts requests, not mails, per address (``PASSWORD_RESET_LIMIT``)
    and per client (``PASSWORD_RESET_REQUEST_LIMIT``) in ``PASSWORD_RESET_WINDOW``, so it trips
    alike for every address. Only a live, unblocked account with a usable password gets a mail
    (an administrator who disabled a password, ``set_password(None)``, is not undone by mail).
    The mail is queued in this transaction and sent by a worker."""
    email = UserManager.normalize_email(email)
    keys = _reset_request_keys(email, client_ip)
    if any(throttle.exceeded(name, limit) for name, limit in keys):
        raise Throttled("Too many password resets were asked for. Try again later.")
    for name, _ in keys:
        throttle.hit(name, settings.PASSWORD_RESET_WINDOW)
    user = User.objects.filter(email=email, is_blocked=False).first()
    if user is None or not user.has_usable_password():
        return RESET_ANSWER
    with transaction.atomic():
        send_after_commit(
            signals.password_reset_requested,
            User,
            user=user,
            link=password_reset_link(user, base_url),
            hours=reset_hours(),
        )
    logger.info("Password-reset mail queued for user %s", user.pk)
    return RESET_ANSWER


def _reset_user(token, lock=False):
    user, user_token = _user_of_token(token)
    if user is None or not user.is_active:
        return None
    if lock:
        user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None or not password_reset_tokens.check_token(user, user_token):
        return None
    return user


def check_password_reset_token(token):
    """The user whose password ``token`` would set now, or None (nothing is changed: the "Set a
    new password" page shows its form without using the token)."""
    return _reset_user(token)


@transaction.atomic
def reset_password(token, password, base_url=None):
    """Set the password of the token's user (``PATCH /v1/auth/reset-password``, the "Set a new
    password" page). Raises Invalid (422) pointing at ``token`` for any unusable token, or at
    ``password`` when the validators refuse it (the token then still works).

    The token works once (the new password hash kills it). Every refresh token is revoked (page
    sessions die with the old hash), the account's failed-login count is cleared, and the address
    becomes verified: the link reached it, which proves it as a verification link would (Open
    Event's ``PASSWORD_RESET_AND_VERIFY``)."""
    user = _reset_user(token, lock=True)
    if user is None:
        raise Invalid(BAD_RESET_TOKEN, field="token")
    validate_new_password(password, user)
    user.set_password(password)
    user.is_verified = True
    user.save(update_fields=["password", "is_verified"])
    revoke_all_tokens(user)
    throttle.reset(_failure_keys(user.email, "")[0])
    _password_changed(user, base_url, reset=True)
    return user


def delete_user(user, permanent=False):
    """Move an account to the trash (its tokens are revoked), or delete it for good."""
    with transaction.atomic():
        if permanent:
            signals.user_deleting.send(sender=User, user=user)
            user.delete()
            return
        user.soft_delete()
        revoke_all_tokens(user)
        send_after_commit(signals.user_deleted, User, user=user)


def restore_user(user):
    user.restore()
    send_after_commit(signals.user_restored, User, user=user)
    return user
