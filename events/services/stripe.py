"""Stripe Connect (OAuth) for organizers: an event's own Stripe account linked to the platform's
Connect application (the platform settings' client id and secret key, ``openevent.core.site``).

The page flow: ``authorize_url`` sends the organizer to Stripe with a signed, expiring ``state``
bound to them and the event (``django.core.signing``, salt ``STATE_SALT``, at most
``settings.STRIPE_STATE_MAX_AGE`` seconds old, single-use: each redeemed state is recorded as
``UsedStripeState``); Stripe sends them back to our callback with a ``code``; ``connect`` checks
the state, exchanges the code (``POST /oauth/token`` of Stripe's Connect API) and stores the
connected account, its publishable key and the tokens sealed (``openevent.core.crypto``), and
marks the event ``can_pay_by_stripe`` / ``is_stripe_linked``; an event without a payment currency
takes the account's default currency (``GET /v1/accounts/<id>``), as card payments need one. The API (``POST
/v1/stripe-authorizations``, Open Event's front end does the OAuth dance itself) passes no state:
``connect(..., state=None)`` — the code alone, bound by Stripe to our client id, is what it sends.
``disconnect`` revokes (``POST /oauth/deauthorize``) and clears; an account that already revoked
the platform is cleared all the same, and one another event still uses is only cleared (Stripe's
deauthorize cuts the platform off the whole account, every event linked to it).

Stripe's bases are ``settings.STRIPE_CONNECT_BASE`` and ``settings.STRIPE_API_BASE`` (tests point
them at a fake server on 127.0.0.1). Stripe's errors become ``ServiceError``s in words for the
organizer; the tokens never appear in an error, a log line or a response.
"""
import hashlib
import logging
import re
import secrets

import pycountry
import stripe
from django.conf import settings
from django.core import signing
from django.db import DatabaseError, IntegrityError, transaction

from openevent.core import site
from openevent.core.crypto import seal
from openevent.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, ServiceError

from .. import permissions as rules
from ..models import Event, StripeAuthorization, UsedStripeState

logger = logging.getLogger(__name__)

STATE_SALT = "events.stripe.connect"
#: The scope asked of Stripe: the platform acts on the connected account (Open Event's).
SCOPE = "read_write"
NOT_SET_UP = "Stripe is not set up on this platform: an administrator must enter the Stripe Connect settings first."
#: Stripe's words for a deauthorize of an account that already disconnected the platform.
ALREADY_REVOKED = "not connected"
#: What an authorization code looks like (Stripe's are ``ac_`` and some 30 letters and digits):
#: anything else is refused before it reaches Stripe (and Stripe's error that would echo it back).
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,255}")
#: What Stripe's answer must hold for us to record it (the columns are 255 long).
ACCOUNT_SHAPE = re.compile(r"acct_[A-Za-z0-9]{1,250}")
KEY_LENGTH = 255


class StripeUnavailable(ServiceError):
    """Stripe could not be reached or failed: nothing was changed."""

    status = 502


def _check(user, event):
    if not rules.is_authenticated(user):
        raise NotAuthenticated("Log in to connect a Stripe account.")
    if not rules.can_connect_stripe(user, event):
        raise NotAllowed("Only the event's owner and organizers connect or disconnect its Stripe account.")


def _platform():
    platform = site.stripe_settings()
    if not platform.configured:
        raise Invalid(NOT_SET_UP)
    return platform


def _client(platform):
    return stripe.StripeClient(
        platform.secret_key,
        client_id=platform.client_id,
        base_addresses={"api": settings.STRIPE_API_BASE, "connect": settings.STRIPE_CONNECT_BASE},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
    )


def is_available():
    """Organizers can connect: the platform's Stripe settings are there."""
    return site.stripe_settings().configured


# --- state ---------------------------------------------------------------------------------------
def make_state(user, event):
    """A signed, timestamped state naming ``user`` and ``event``, with a nonce (single use)."""
    return signing.dumps({"u": user.pk, "e": event.pk, "n": secrets.token_urlsafe(16)}, salt=STATE_SALT)


def read_state(state):
    """The payload of ``state``, or ``Invalid`` if it was tampered with or is too old."""
    try:
        payload = signing.loads(state or "", salt=STATE_SALT, max_age=settings.STRIPE_STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise Invalid("The link to Stripe expired: press “Connect with Stripe” again.", field="state") from None
    except signing.BadSignature:
        raise Invalid("This answer from Stripe is not one we asked for: connect again.", field="state") from None
    if not isinstance(payload, dict) or not {"u", "e", "n"} <= set(payload):
        raise Invalid("This answer from Stripe is not one we asked for: connect again.", field="state")
    return payload


def event_of_state(state):
    """The event a state was made for (the callback learns it from the state), or ``Invalid``."""
    event = Event.objects.filter(pk=read_state(state)["e"]).first()
    if event is None:
        raise Invalid("The event of this Stripe connection no longer exists.", field="state")
    return event


def _redeem_state(user, event, state):
    payload = read_state(state)
    if payload["u"] != user.pk or payload["e"] != event.pk:
        raise NotAllowed("This Stripe connection was started by someone else or for another event.")
    try:
        with transaction.atomic():
            UsedStripeState.objects.create(digest=hashlib.sha256(state.encode()).hexdigest())
    except IntegrityError:
        raise Conflict("This answer from Stripe was already used: press “Connect with Stripe” again.") from None


def authorize_url(user, event, redirect_uri):
    """Where to send ``user`` to connect ``event``'s Stripe account (Stripe's authorize page)."""
    _check(user, event)
    platform = _platform()
    params = {"scope": SCOPE, "state": make_state(user, event), "redirect_uri": redirect_uri}
    return _client(platform).oauth.authorize_url(params)


# --- connect and disconnect ------------------------------------------------------------------------
def _words(error):
    """Stripe's error for the organizer (no secrets in it: Stripe's descriptions name none)."""
    description = getattr(error, "user_message", None) or getattr(error, "error_description", None) or ""
    return str(description).strip() or "Stripe refused the request."


def _exchange(platform, code):
    try:
        answer = _client(platform).oauth.token({"grant_type": "authorization_code", "code": code})
    except stripe.oauth_error.InvalidGrantError as error:
        raise Invalid(
            f"Stripe did not accept the authorization ({_words(error)}): connect again.", field="stripe_auth_code"
        ) from None
    except stripe.oauth_error.OAuthError as error:
        logger.warning("Stripe refused the code exchange: %s", error.code)
        raise Invalid(f"Stripe refused the connection: {_words(error)}", field="stripe_auth_code") from None
    except stripe.StripeError as error:
        logger.warning("Stripe failed the code exchange: %s", type(error).__name__)
        raise StripeUnavailable("Stripe could not be reached; nothing was changed. Try again later.") from None
    token = answer.to_dict() if hasattr(answer, "to_dict") else None
    account = token.get("stripe_user_id") if isinstance(token, dict) else None
    if not isinstance(account, str) or not ACCOUNT_SHAPE.fullmatch(account):
        logger.warning("Stripe answered the code exchange without a connected account")
        raise StripeUnavailable("Stripe answered without a connected account; nothing was changed.")
    key = token.get("stripe_publishable_key")
    token["stripe_publishable_key"] = key if isinstance(key, str) and len(key) <= KEY_LENGTH else ""
    for name in ("access_token", "refresh_token"):
        token[name] = token[name] if isinstance(token.get(name), str) else ""
    return token


def _account_currency(platform, account):
    """The connected account's default currency as our upper-case ISO 4217 code, or ``""`` when
    Stripe does not say (or cannot be asked): it is a convenience for the event's payment
    currency, never a reason to fail the connection."""
    try:
        details = _client(platform).v1.accounts.retrieve(account)
    except stripe.StripeError as error:
        logger.warning("Stripe account %s's currency could not be read: %s", account, type(error).__name__)
        return ""
    currency = details.to_dict().get("default_currency") if hasattr(details, "to_dict") else None
    if not isinstance(currency, str) or pycountry.currencies.get(alpha_3=currency.strip().upper()) is None:
        return ""
    return currency.strip().upper()


def _save(user, event, token, account, currency):
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if StripeAuthorization.objects.filter(event=locked).exists():
            raise Conflict("This event is already connected to a Stripe account.", field="event")
        authorization = StripeAuthorization.objects.create(
            event=locked,
            stripe_user_id=account,
            stripe_publishable_key=token.get("stripe_publishable_key") or "",
            access_token_sealed=seal(token.get("access_token") or ""),
            refresh_token_sealed=seal(token.get("refresh_token") or ""),
            livemode=bool(token.get("livemode")),
            created_by=user,
        )
        linked = {"can_pay_by_stripe": True, "is_stripe_linked": True}
        if currency and not locked.payment_currency:
            linked["payment_currency"] = currency
        Event.objects.filter(pk=locked.pk).update(**linked)
    return linked, authorization


def _release(platform, account):
    """Undo an exchange we could not record (a lost race, a failed save): revoke ``account`` unless
    an event of ours uses it, so it is not left authorized at Stripe with no row to disconnect."""
    if _shared(account, but=None):
        return
    try:
        _deauthorize(platform, account)
    except ServiceError as error:
        logger.warning("Stripe account %s could not be revoked after a failed connect: %s", account, error.message)


def connect(user, event, code, state=None):
    """Link ``event`` to the Stripe account that ``code`` authorizes; return the authorization.

    ``state`` (the page flow) must be one ``authorize_url`` made for this user and event, unused
    and not expired. An event already linked is refused (``Conflict``): disconnect first."""
    _check(user, event)
    platform = _platform()
    if state is not None:
        _redeem_state(user, event, state)
    if not isinstance(code, str) or not code.strip():
        raise Invalid("Stripe sent no authorization code.", field="stripe_auth_code")
    if not CODE_SHAPE.fullmatch(code.strip()):
        raise Invalid("This is not a Stripe authorization code: connect again.", field="stripe_auth_code")
    if StripeAuthorization.objects.filter(event=event).exists():
        raise Conflict("This event is already connected to a Stripe account: disconnect it first.", field="event")
    token = _exchange(platform, code.strip())
    account = token["stripe_user_id"]
    currency = "" if event.payment_currency else _account_currency(platform, account)
    try:
        linked, authorization = _save(user, event, token, account, currency)
    except Conflict:
        _release(platform, account)
        raise
    except DatabaseError as error:
        logger.warning("Saving event %s's Stripe connection failed: %s", event.pk, type(error).__name__)
        _release(platform, account)
        raise StripeUnavailable(
            "The Stripe connection could not be saved, so it was undone: press “Connect with Stripe” again."
        ) from None
    for name, value in linked.items():
        setattr(event, name, value)
    logger.info("Event %s connected to Stripe account %s by user %s", event.pk, account, user.pk)
    return authorization


def _shared(account, but):
    """Another event is linked to ``account`` too: Stripe's deauthorize would cut it off as well."""
    return StripeAuthorization.objects.filter(stripe_user_id=account).exclude(pk=but).exists()


def _deauthorize(platform, account):
    try:
        _client(platform).oauth.deauthorize({"stripe_user_id": account})
    except stripe.oauth_error.InvalidClientError as error:
        if ALREADY_REVOKED not in _words(error):
            raise Invalid(f"Stripe refused to disconnect the account: {_words(error)}") from None
        logger.info("Stripe account %s had already disconnected the platform", account)
    except stripe.oauth_error.OAuthError as error:
        raise Invalid(f"Stripe refused to disconnect the account: {_words(error)}") from None
    except stripe.StripeError as error:
        logger.warning("Stripe failed the deauthorization: %s", type(error).__name__)
        raise StripeUnavailable(
            "Stripe could not be reached; the account is still connected. Try again later."
        ) from None


def disconnect(user, event):
    """Revoke the platform's access to ``event``'s Stripe account and forget it."""
    _check(user, event)
    authorization = StripeAuthorization.objects.filter(event=event).first()
    if authorization is None:
        raise Invalid("This event has no Stripe account connected.")
    account = authorization.stripe_user_id
    with transaction.atomic():
        # The rows linked to this account, locked: of two events sharing it that disconnect at
        # once, the second sees the first gone and revokes (rather than each leaving it to the
        # other). The lock is held over Stripe's answer, so a failed revoke keeps the row.
        linked = list(StripeAuthorization.objects.select_for_update().filter(stripe_user_id=account).order_by("pk"))
        if not any(row.pk == authorization.pk for row in linked):
            raise Invalid("This event has no Stripe account connected.")
        if len(linked) > 1:
            logger.info("Stripe account %s stays authorized: another event uses it", account)
        else:
            _deauthorize(_platform(), account)
        StripeAuthorization.objects.filter(pk=authorization.pk).delete()
        Event.objects.filter(pk=event.pk).update(can_pay_by_stripe=False, is_stripe_linked=False)
    event.can_pay_by_stripe = event.is_stripe_linked = False
    logger.info(
        "Event %s disconnected from Stripe account %s by user %s", event.pk, authorization.stripe_user_id, user.pk
    )
