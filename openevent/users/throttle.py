"""Counting attempts in the shared cache: failed logins, verification mails, registrations.

A counter lives under one key for a window that starts with its first hit; every web process
shares it through the cache (``CACHE_URL``). Keys that hold an e-mail address are hashed, so no
address ends up in a cache key (nor a key too long for memcached).
"""
import hashlib

from django.core.cache import cache


def key(kind, value):
    digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
    return f"throttle:{kind}:{digest}"


def count(name):
    return cache.get(name, 0)


def exceeded(name, limit):
    return count(name) >= limit


def hit(name, window):
    """Count one attempt under ``name``; the count expires ``window`` seconds after the first."""
    if not cache.add(name, 1, window):
        try:
            cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, window)


def reset(name):
    cache.delete(name)
