"""Every API failure becomes a JSON:API error object with status, title, detail and source."""
from http import HTTPStatus

from django.db import DataError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework_json_api.exceptions import exception_handler as dja_exception_handler
from rest_framework_json_api.exceptions import rendered_with_json_api
from rest_framework_json_api.utils import format_value
from rest_framework_simplejwt.exceptions import InvalidToken

from openevent.core.errors import FieldErrors, ServiceError

from .renderers import JSONAPI_OBJECT

JSONAPI_MEDIA_TYPE = "application/vnd.api+json"


class BadQueryParameter(exceptions.APIException):
    """A query parameter (filter, sort, page, include…) the server cannot honour: 400."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"

    def __init__(self, parameter, detail):
        self.parameter = parameter
        super().__init__(detail)


class Conflict(exceptions.APIException):
    """A write that clashes with what exists (duplicate, wrong type): 409."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    """A request body past ``settings.DATA_UPLOAD_MAX_MEMORY_SIZE``: 413, nothing is read further."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit):
        super().__init__(f"The request body is larger than {limit} bytes.")


class UnprocessableEntity(exceptions.ValidationError):
    """Validation failed; rendered as 422 like every other validation error."""


def _title(code):
    try:
        return HTTPStatus(int(code)).phrase
    except ValueError:
        return "Error"


def from_service_error(exc):
    """A service refusal as the DRF exception of the same meaning."""
    if isinstance(exc, FieldErrors):
        # Every refused field at once, each its own error object.
        return exceptions.ValidationError({field: [message] for field, message in exc.errors.items()})
    if exc.status == HTTPStatus.UNPROCESSABLE_ENTITY or (exc.status == HTTPStatus.BAD_REQUEST and exc.field):
        return exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    # A refusal about one field (403 on ``is-featured``, on the ``sessions`` relationship) points at it.
    error = exceptions.APIException({exc.field: [exc.message]} if exc.field else exc.message)
    error.status_code = exc.status
    return error


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        exc = from_service_error(exc)
    elif isinstance(exc, (OverflowError, DataError)):
        # A number or text the database cannot hold (an id of 30 digits…): the request's fault.
        exc = exceptions.ParseError("A value in the request is out of range.")
    elif isinstance(exc, InvalidToken):
        # simplejwt details every token class it tried; one error object says it.
        exc = exceptions.AuthenticationFailed("The token is invalid or expired.", code="token_not_valid")
    if isinstance(exc, exceptions.ValidationError):
        # Open Event answers validation failures with 422 Unprocessable Entity.
        exc.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
        view = context.get("view")
        if not hasattr(view, "get_serializer") and isinstance(exc.detail, dict):
            return _plain_validation_response(exc, wrap=not rendered_with_json_api(view))
    response = dja_exception_handler(exc, context)
    if response is None:
        return None
    errors = response.data if isinstance(response.data, list) else response.data.get("errors", [])
    for error in errors:
        _complete(error, exc, response.status_code)
    if isinstance(response.data, dict):
        response.data["jsonapi"] = JSONAPI_OBJECT
    return response


def _complete(error, exc, status_code):
    """Status, title and source of one error object of the response to ``exc``."""
    error["status"] = str(status_code)
    error.setdefault("title", _title(status_code))
    source = error.get("source") or {}
    if isinstance(exc, BadQueryParameter):
        source = {"parameter": exc.parameter}
    elif not isinstance(exc, exceptions.ValidationError) and source.get("pointer") == "/data":
        source = {}
    if "." in source.get("pointer", ""):
        # An answer to a custom field (``complex_field_values.<identifier>``) is a member of
        # that attribute: /data/attributes/complex-field-values/<identifier>.
        source = {"pointer": source["pointer"].replace(".", "/", 1)}
    if source:
        error["source"] = source
    else:
        error.pop("source", None)


def _plain_validation_response(exc, wrap=True):
    """Validation errors of views without a serializer (the auth endpoints, the settings): one
    error object per message, pointing at the dasherized attribute. A view rendered as JSON:API
    is given the list alone (its renderer wraps it in the document, as for every error)."""
    errors = []
    for field, messages in exc.detail.items():
        for message in messages if isinstance(messages, list) else [messages]:
            error = {"status": "422", "title": _title(422), "detail": str(message)}
            if field != "non_field_errors":
                error["source"] = {"pointer": f"/data/attributes/{format_value(field, 'dasherize')}"}
            errors.append(error)
    return Response({"errors": errors, "jsonapi": JSONAPI_OBJECT} if wrap else errors, status=422)


def error_response(status_code, detail, **source):
    """A JSON:API error document for places outside DRF (404/500 handlers, middleware)."""
    error = {"status": str(status_code), "title": _title(status_code), "detail": detail}
    if source:
        error["source"] = source
    return JsonResponse(
        {"errors": [error], "jsonapi": JSONAPI_OBJECT},
        status=status_code,
        content_type=JSONAPI_MEDIA_TYPE,
    )
