"""Request logging (``LOGGING`` in the settings, ``openevent.core.logs``): a refusal (4xx) is one
line without a traceback, a server error (5xx) keeps its traceback, and each is printed once —
with DEBUG on too, where Django's own console handler used to print it a second time."""
import io
import logging
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import include, path


def refused(request):
    raise PermissionDenied("Only the event's team adds sessions here.")


def missing(request):
    raise Http404("No such event.")


def broken(request):
    raise RuntimeError("a real bug")


# The project's pages too: the error pages link to them.
urlpatterns = [
    path("refused", refused),
    path("missing", missing),
    path("broken", broken),
    path("", include("openevent.urls")),
]

pytestmark = pytest.mark.urls(__name__)


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.parametrize(
    ("url", "status", "line"),
    [("/refused", 403, "Forbidden (Permission denied): /refused"), ("/missing", 404, "Not Found: /missing")],
)
def test_a_refusal_logs_one_line_without_a_traceback(client, caplog, url, status, line):
    response = client.get(url)

    assert response.status_code == status
    [record] = request_records(caplog)
    assert (record.levelname, record.getMessage(), record.exc_info) == ("WARNING", line, None)
    assert "Traceback" not in caplog.text


def test_a_server_error_logs_its_traceback(client, caplog):
    client.raise_request_exception = False

    response = client.get("/broken")

    assert response.status_code == 500
    [record] = request_records(caplog)
    assert (record.levelname, record.getMessage()) == ("ERROR", "Internal Server Error: /broken")
    assert record.exc_info[0] is RuntimeError
    assert caplog.text.count("Traceback") == 1


@contextmanager
def console():
    """What the console handlers a ``django.request`` record reaches print, in one text."""
    out = io.StringIO()
    handlers, logger = [], logging.getLogger("django.request")
    while logger is not None:
        handlers += [handler for handler in logger.handlers if type(handler) is logging.StreamHandler]
        logger = logger.parent if logger.propagate else None
    assert handlers, "no console handler configured"
    streams = [handler.setStream(out) for handler in handlers]
    try:
        yield out
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def test_the_console_prints_each_refusal_and_error_once_with_debug_on(client, settings):
    settings.DEBUG = True  # as under runserver: Django's own console handler would be on
    client.raise_request_exception = False

    with console() as out:
        client.get("/refused")
    assert out.getvalue() == "Forbidden (Permission denied): /refused\n"

    with console() as out:
        client.get("/broken")
    assert out.getvalue().count("Internal Server Error: /broken") == 1
    assert out.getvalue().count("Traceback (most recent call last)") == 1
