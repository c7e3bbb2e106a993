"""Fixtures shared by every app's tests."""
import importlib
import json
import logging
import os
import socket
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.db import connections
from rest_framework.test import APIClient

from events.models import Role
from openevent.celery import app as celery_app
from openevent.users.services import issue_tokens
from openevent.users.tests.parallel import Browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DIR = Path(__file__).resolve().parent.parent / "shared"
JSONAPI = "application/vnd.api+json"


class Api:
    """A JSON:API client: ``api.get(url)``, ``api.post(url, body)`` (``put``, ``patch``, ``delete``
    alike); login with ``api.as_user(u)``."""

    def __init__(self):
        self.client = APIClient()

    def as_user(self, user):
        if user is None:
            self.client.credentials()
        else:
            self.client.credentials(HTTP_AUTHORIZATION=f"JWT {issue_tokens(user)['access_token']}")
        return self

    def _send(self, method, url, body=None, content_type=JSONAPI, raw=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = getattr(self.client, method)(url, data=data, content_type=content_type)
        response.json_body = _json(response)
        return response

    def get(self, url, **params):
        response = self.client.get(url, params or None, HTTP_ACCEPT=JSONAPI)
        response.json_body = _json(response)
        return response

    def post(self, url, body=None, **kw):
        return self._send("post", url, body, **kw)

    def patch(self, url, body=None, **kw):
        return self._send("patch", url, body, **kw)

    def put(self, url, body=None, **kw):
        return self._send("put", url, body, **kw)

    def delete(self, url, body=None, **kw):
        return self._send("delete", url, body, **kw)


def _json(response):
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


@pytest.fixture
def api():
    return Api()


#: Caches that a test may replace with a local-memory cache of its own (a shared Redis cannot be).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    """Each test gets its own cache, so neither login throttling nor cached API documents leak
    between tests: a local-memory cache of its own, or, when ``CACHE_URL`` names a shared cache
    (Redis), keys under a prefix of its own that no other test (or process) uses."""
    configured = settings.CACHES["default"]
    if configured["BACKEND"] in PER_PROCESS_CACHES:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
        }
    else:
        settings.CACHES = {"default": {**configured, "KEY_PREFIX": f"test-{uuid.uuid4().hex}", "TIMEOUT": 600}}
        settings.API_DOCUMENT_CACHE_SECONDS = 600
    # Tests write rows with factories, which bump no version: documents are cached only in the
    # tests that ask for it (``document_cache``), and those write through the services.
    settings.API_DOCUMENT_CACHE = False
    # A fast hasher: the real one costs ~0.2 s per password and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def document_cache(settings):
    """Cache anonymous API documents (``openevent.api.cache``), as production does."""
    settings.API_DOCUMENT_CACHE = True


@pytest.fixture
def shared_dir():
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent (a stranger's clone): real-world fixtures unavailable")
    return SHARED_DIR


# --- Browser tests (Playwright driving Debian's chromium; see ARCHITECTURE.md "Tests") ----------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system chromium; never a browser downloaded by ``playwright install``."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def violations(page):
    """What a browser test's pages report as wrong: Content-Security-Policy violations (console
    messages) and uncaught script errors."""
    found = []
    page.on("console", lambda message: "Content Security Policy" in message.text and found.append(message.text))
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


@pytest.fixture
def seeded_roles(transactional_db):
    """The Role rows of the seeding migration; transactional tests (live_server) flush them."""
    seed = importlib.import_module("events.migrations.0002_seed_roles")
    for name, title in seed.ROLES:
        Role.objects.update_or_create(name=name, defaults={"title_name": title})


@pytest.fixture
def browsers(live_server):
    """``browsers(user=None, jwt=False)`` opens a ``Browser`` (``openevent.users.tests.parallel``:
    one user's HTTP client, for real parallel requests) on the live server; all are closed
    when the test ends (the server's thread for a kept-alive connection holds a database
    connection until the connection closes)."""
    opened = []

    def open_browser(user=None, jwt=False):
        opened.append(Browser(live_server.url, user, jwt))
        return opened[-1]

    yield open_browser
    for browser in opened:
        browser.http.close()


# --- Celery: eager in tests, a real worker where a test asks for one ----------------------------
@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in the test's process when sent (``.delay`` after commit included), and their
    errors surface in the test. ``worker_queue`` switches to a real worker instead."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates, conf.task_default_queue
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates, conf.task_default_queue = saved


@contextmanager
def _worker_shares_in_memory_sqlite():
    """An in-memory SQLite test database is visible to other threads only through shared-cache
    mode, whose table locks fail fast ("database table is locked") when the worker writes a
    result while the test reads. Hand the worker thread our connection instead, as Django's
    LiveServerThread does. PostgreSQL needs none of this."""
    shared = [c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()]
    if not shared:
        yield
        return

    def use_shared(**kwargs):
        for connection in shared:
            connections[connection.alias] = connection

    for connection in shared:
        connection.inc_thread_sharing()
    task_prerun.connect(use_shared, weak=False, dispatch_uid=__name__)
    try:
        yield
    finally:
        task_prerun.disconnect(dispatch_uid=__name__)
        for connection in shared:
            connection.dec_thread_sharing()


@pytest.fixture
def worker_queue(transactional_db):
    """Run a real worker for the duration of a test (tasks are not run eagerly meanwhile); yield
    the name of the queue it consumes. Tasks sent without a queue go to it too."""
    queue = f"test-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    # The worker sets up Celery's logging on the root logger; the next tests of this process
    # log through the project's own handlers again.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with (
        _worker_shares_in_memory_sqlite(),
        start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue]),
    ):
        yield queue
    root.handlers[:], root.level = handlers, level
    # Remove the queue and, on Redis, its binding table; declaring first tells this connection
    # which bindings to drop.
    with celery_app.connection_for_write() as connection:
        declared = celery_app.amqp.queues.new_missing(queue)(connection.default_channel)
        declared.declare()
        declared.delete()
    control_folder = (celery_app.conf.broker_transport_options or {}).get("control_folder")
    if control_folder:  # filesystem:// keeps an emptied exchange table per queue
        (Path(control_folder) / f"{queue}.exchange").unlink(missing_ok=True)


# --- A real SMTP server (aiosmtpd) on 127.0.0.1 --------------------------------------------------
class SmtpSink:
    """Receives what the platform sends over SMTP; ``stop()`` takes it down (connections are
    refused) and ``start()`` brings it back on the same port."""

    def __init__(self):
        self.messages = []
        # Answers to give instead of accepting the next messages, e.g. "451 4.3.0 Try again later".
        self.answers = []
        self.port = None
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def start(self):
        if self.port is None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def bodies(self, to):
        """The text parts of the messages to ``to``, oldest first."""
        return [
            message.get_body(("plain",)).get_content() for message in self.messages if message["To"] == to
        ]


@pytest.fixture
def smtp_sink(settings):
    """Mail goes through Django's SMTP backend to a real SMTP server on 127.0.0.1."""
    sink = SmtpSink().start()
    settings.EMAIL_SERVICE = "smtp"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()
