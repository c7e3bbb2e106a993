"""Real parallel requests against pytest-django's ``live_server`` (a threaded server: one thread
per request, each with its own database connection), for the concurrency tests.

``at_once(calls)`` runs each call in a thread of its own; a ``threading.Barrier`` releases them
together, so every request is sent before any answer comes back. ``behind`` makes the overlap
certain rather than likely: the test's own connection holds a row lock (``SELECT … FOR UPDATE``
of those rows) while the requests run, waits until each of them waits for a lock in the
database, and only then lets go. Every request has then read what it read and stands at the
service's lock when the first one goes on, which is exactly the race a missing lock would lose.

Only PostgreSQL runs requests in parallel with row locks (SQLite serializes every write and
ignores ``select_for_update``): ``POSTGRES_ONLY`` skips the tests elsewhere.

Each thread talks HTTP through a ``requests`` session of its own (``Browser``, opened with the
``browsers`` fixture of the root conftest), logged in with a session cookie (as the pages and the scheduler's
``fetch`` calls are) or a JWT (as API clients).
"""
import threading
import time
from contextlib import contextmanager, nullcontext

import pytest
import requests
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from openevent.users.services import issue_tokens

POSTGRES_ONLY = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="concurrency tests need PostgreSQL (DATABASE_URL=postgres://…): SQLite serializes every "
    "write and has no row locks, so requests cannot race there",
)

#: Seconds a test waits for its requests before it fails (they take well under one).
TIMEOUT = 30
POLL_SECONDS = 0.01
JSONAPI = "application/vnd.api+json"


class Browser:
    """One user's HTTP client against ``base`` (the live server's URL); never reads proxies from
    the environment (the server is on 127.0.0.1)."""

    def __init__(self, base, user=None, jwt=False):
        self.base = base
        self.http = requests.Session()
        self.http.trust_env = False
        if user is not None and jwt:
            self.http.headers["Authorization"] = f"JWT {issue_tokens(user)['access_token']}"
        elif user is not None:
            client = Client()
            client.force_login(user)
            name = settings.SESSION_COOKIE_NAME
            self.http.cookies.set(name, client.cookies[name].value)

    def send(self, method, path, **kw):
        """One request; redirects are not followed (the test reads where they lead)."""
        response = self.http.request(method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kw)
        # The CSRF and messages cookies are Secure while DEBUG is off; browsers send them to
        # http://localhost (a secure context to them), ``requests`` would not.
        for cookie in self.http.cookies:
            cookie.secure = False
        return response

    def get(self, path, **kw):
        return self.send("GET", path, **kw)

    def post(self, path, **kw):
        return self.send("POST", path, **kw)

    def csrf(self, path):
        """GET the page ``path`` (which sets the CSRF cookie, as a browser opening it); its token."""
        response = self.get(path)
        assert response.status_code == 200, response.text[:500]
        return self.http.cookies["csrftoken"]

    def patch_json(self, path, body, csrf=None):
        headers = {"Content-Type": JSONAPI, "Accept": JSONAPI}
        if csrf:
            headers["X-CSRFToken"] = csrf
        return self.send("PATCH", path, json=body, headers=headers)


def _waiting_for_locks():
    """Backends of this test database waiting for a lock (the test's own never is). Asked from
    inside the test's transaction, which would see the activity as it was when first asked:
    ``pg_stat_clear_snapshot()`` takes a fresh look each time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _activity():
    """(state, wait event, query) of the other sessions of this test database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT state, wait_event_type, wait_event, left(query, 200) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


@contextmanager
def _locked(rows):
    """Hold a lock on ``rows`` (a queryset) in the test's own connection."""
    with transaction.atomic():
        list(rows.select_for_update())
        yield


def _wait_until_waiting(count, threads, what):
    """Until ``count`` backends wait for a lock (or a request ended without waiting)."""
    deadline = time.monotonic() + TIMEOUT
    while _waiting_for_locks() < count:
        if any(not thread.is_alive() for thread in threads):
            return  # a request got past without waiting: the test's assertions will say so
        if time.monotonic() > deadline:
            raise AssertionError(
                f"fewer than {count} requests came to wait for the lock of {what}; the database's "
                f"other sessions: {_activity()}"
            )
        time.sleep(POLL_SECONDS)


def at_once(calls, behind=None):
    """Run every call of ``calls`` (callables without arguments, each making one request) in a
    thread of its own, released together; with ``behind`` (a queryset), while the test holds a
    lock on its rows until each request waits for a lock. Returns their results in order (an
    exception in a call is raised here, after every thread has ended)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(TIMEOUT)
            results[index] = call()
        except Exception as error:  # handed to the test's thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    try:
        with _locked(behind) if behind is not None else nullcontext():
            for thread in threads:
                thread.start()
            if behind is not None:
                _wait_until_waiting(len(calls), threads, behind.model.__name__)
    finally:
        for thread in threads:
            if thread.ident is not None:  # started
                thread.join(TIMEOUT)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"a request did not end within {TIMEOUT} s")
    if errors:
        raise errors[0]
    return results
