"""Refusals raised by services, understood by both the API and the pages.

A service raises one of these with a message meant for people; the API exception handler turns it
into a JSON:API error object (status, detail, source pointer from ``field``), a page shows it as a
form error.
"""


class ServiceError(Exception):
    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAuthenticated(ServiceError):
    status = 401


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class FieldErrors(Invalid):
    """Several fields refused at once, so a form shows every error in one go: ``errors`` maps a
    field to its message. ``message`` and ``field`` are the first of them, for callers that show
    one error. Custom answers are named ``complex_field_values.<identifier>``; rows of a form
    saved at once ``<index>.<attribute>``."""

    def __init__(self, errors):
        self.errors = dict(errors)
        field, message = next(iter(self.errors.items()))
        super().__init__(message, field=field)


class Throttled(ServiceError):
    status = 429


class InsufficientStorage(ServiceError):
    """The server has no room for a file (a full disk or quota): 507, nothing was stored."""

    status = 507
