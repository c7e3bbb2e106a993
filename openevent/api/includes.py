"""Limits on the ``include`` query parameter.

Every include path costs work per row of the answer, and a path may go as deep as the serializers
reach (``speakers.sessions.speakers.sessions…``), so an anonymous client could otherwise ask for
unbounded work with one short URL. ``include_paths`` refuses, with a 400 naming the parameter,
more than ``settings.API_MAX_INCLUDE_PATHS`` paths or a path deeper than
``settings.API_MAX_INCLUDE_DEPTH`` relations, before anything walks the paths.
"""
from django.conf import settings

from .exceptions import BadQueryParameter


def max_depth():
    return settings.API_MAX_INCLUDE_DEPTH


def max_paths():
    return settings.API_MAX_INCLUDE_PATHS


def include_paths(raw):
    """The comma-separated paths of an ``include`` value, each checked against the caps."""
    paths = raw.split(",")
    if len(paths) > max_paths():
        raise BadQueryParameter("include", f"At most {max_paths()} include paths are allowed.")
    for path in paths:
        if path.count(".") + 1 > max_depth():
            raise BadQueryParameter(
                "include", f"'{path[:100]}' is too deep: include paths may have at most {max_depth()} levels."
            )
    return paths
