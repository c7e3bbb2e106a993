"""Secrets at rest: sealed with cryptography's Fernet (AES-128-CBC with an HMAC), so a copy of the
database alone does not reveal them.

The key is ``settings.SETTINGS_ENCRYPTION_KEY`` (a Fernet key) where set, else derived from
``SECRET_KEY`` with HKDF-SHA256; changing the key makes earlier seals unreadable (``unseal``
answers None for them, and the caller treats the secret as unset).
"""
import base64
import logging

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

logger = logging.getLogger(__name__)


def _fernet():
    key = getattr(settings, "SETTINGS_ENCRYPTION_KEY", "")
    if not key:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"openevent-seal").derive(
            settings.SECRET_KEY.encode()
        )
        key = base64.urlsafe_b64encode(derived)
    return Fernet(key)


def seal(text):
    """``text`` sealed (a str safe to store)."""
    return _fernet().encrypt(text.encode()).decode()


def unseal(token):
    """The text of a seal, or None where the seal is empty or was made with another key."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        logger.warning("A sealed secret could not be read (the encryption key changed?)")
        return None
