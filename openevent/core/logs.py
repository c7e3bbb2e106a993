"""Logging of requests: an expected refusal is one line, a server error its traceback once.

Django logs every 4xx response to ``django.request`` as a warning, and a refusal raised as an
exception (``PermissionDenied``, ``Http404``'s siblings, a bad request) with that exception's
traceback — a full traceback on the console for each 403, though nothing went wrong.
``RefusalWithoutTraceback`` keeps the line and drops the traceback of responses below 500;
errors (5xx) keep theirs. The settings attach it to the ``django.request`` logger (``LOGGING``).
"""
import logging


class RefusalWithoutTraceback(logging.Filter):
    """Drops the traceback of a logged response whose status is below 500."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:  # noqa: PLR2004 -- 5xx: the server's own failure
            record.exc_info = None
            record.exc_text = None
        return True
