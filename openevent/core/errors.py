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


class Throttled(ServiceError):
    status = 429
