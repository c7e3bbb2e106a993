"""Account workflows: registration, login with throttling, tokens, password change, deletion."""
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from openevent.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, Throttled

from .models import User, UserManager


def email_taken():
    return Conflict("A user with this e-mail address already exists.", field="email")


def validate_new_password(password, user=None):
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None


def register_user(email, password, **fields):
    email = UserManager.normalize_email(email)
    if User.all_objects.filter(email=email).exists():
        raise email_taken()
    validate_new_password(password, User(email=email, **fields))
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password, **fields)
    except IntegrityError:
        raise email_taken() from None


# --- login ---------------------------------------------------------------------------------------
def _failure_keys(email, client_ip):
    return [f"login-failures:email:{email}", f"login-failures:ip:{client_ip}"]


def _is_throttled(email, client_ip):
    limit = settings.LOGIN_FAILURE_LIMIT
    email_key, ip_key = _failure_keys(email, client_ip)
    return cache.get(email_key, 0) >= limit or cache.get(ip_key, 0) >= limit * 4


def _record_failure(email, client_ip):
    for key in _failure_keys(email, client_ip):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def login(email, password, client_ip="", request=None):
    """Return the user for these credentials, or raise NotAuthenticated (401) / Throttled (429).

    Blocked and deleted users cannot log in; failures are counted per address and per client, and
    past the limit even a correct password is refused until the window has passed.
    """
    email = UserManager.normalize_email(email)
    if _is_throttled(email, client_ip):
        raise Throttled("Too many failed logins. Try again later.")
    user = authenticate(request, email=email, password=password) if email and password else None
    if user is None:
        _record_failure(email, client_ip)
        raise NotAuthenticated("Invalid e-mail address or password.")
    cache.delete(_failure_keys(email, client_ip)[0])
    return user


def issue_tokens(user):
    refresh = RefreshToken.for_user(user)
    return {"access_token": str(refresh.access_token), "refresh_token": str(refresh)}


def refresh_tokens(raw_refresh):
    """Rotate a refresh token: the old one is blacklisted, a new pair is returned."""
    try:
        refresh = RefreshToken(raw_refresh)
        user = User.objects.get(pk=refresh["user_id"])
    except (TokenError, User.DoesNotExist, KeyError):
        raise NotAuthenticated("The refresh token is invalid, expired or revoked.") from None
    if not user.is_active:
        raise NotAuthenticated("This account is disabled.")
    refresh.blacklist()
    return issue_tokens(user)


def revoke_refresh_token(raw_refresh, user=None):
    try:
        refresh = RefreshToken(raw_refresh)
    except TokenError:
        raise NotAuthenticated("The refresh token is invalid, expired or revoked.") from None
    if user is not None and str(refresh.get("user_id")) != str(user.pk):
        raise NotAllowed("This refresh token belongs to another user.")
    refresh.blacklist()


def revoke_all_tokens(user):
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def change_password(user, old_password, new_password):
    if not user.check_password(old_password or ""):
        raise Invalid("The old password is wrong.", field="old_password")
    validate_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoke_all_tokens(user)


def delete_user(user):
    with transaction.atomic():
        user.soft_delete()
        revoke_all_tokens(user)
