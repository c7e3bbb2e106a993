"""Secrets sealed at rest: the SMTP password and the SendGrid key of the platform settings.

``seal(text)`` encrypts with cryptography's Fernet (AES-128-CBC with an HMAC-SHA256, a timestamp
and a random IV: sealing one text twice gives two tokens); ``unseal(token)`` gives the text back,
or raises ``Unsealable`` when the token was sealed with another key (or is no token at all).

The key is ``settings.SETTINGS_ENCRYPTION_KEY`` (env var of that name): a Fernet key, or several
separated by commas, the first sealing and every one unsealing (to rotate: put the new key first,
re-save the secrets, drop the old key). Unset, the key is derived from ``SECRET_KEY`` with
HKDF-SHA256 (no salt, info ``openevent.core.crypto``), 32 bytes, urlsafe base64: changing
SECRET_KEY then makes the stored secrets unreadable (they count as unset, with a warning;
``openevent.core.site``) until an administrator saves them again.
"""
import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

HKDF_INFO = b"openevent.core.crypto"


class Unsealable(ValueError):
    """A token none of the keys opens (the key changed, or the value was never sealed)."""


def derived_key(secret_key):
    """The Fernet key derived from ``secret_key`` (HKDF-SHA256, 32 bytes, urlsafe base64)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@functools.lru_cache(maxsize=4)
def _fernet(configured, secret_key):
    if not configured.strip():
        return Fernet(derived_key(secret_key))
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in configured.split(",") if key.strip()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SETTINGS_ENCRYPTION_KEY must be Fernet keys (32 bytes in urlsafe base64), separated by commas."
        ) from error


def fernet():
    """The Fernet (or MultiFernet) of the current settings; ImproperlyConfigured for a bad key."""
    return _fernet(settings.SETTINGS_ENCRYPTION_KEY or "", settings.SECRET_KEY)


def seal(text):
    """``text`` encrypted, as an ASCII token to store."""
    return fernet().encrypt(text.encode()).decode("ascii")


def unseal(token):
    """The text ``token`` was sealed from; ``Unsealable`` if no key opens it."""
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError) as error:
        raise Unsealable("The value was sealed with another key.") from error


def check_key(app_configs=None, **kwargs):
    """System check: a SETTINGS_ENCRYPTION_KEY that is no Fernet key is reported at start-up,
    not when the first mail is sent."""
    try:
        fernet()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E001")]
    return []
