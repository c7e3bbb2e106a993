"""Fixtures shared by every app's tests."""
import importlib
import json
import os
import uuid
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from events.models import Role
from openevent.users.services import issue_tokens

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DIR = Path(__file__).resolve().parent.parent / "shared"
JSONAPI = "application/vnd.api+json"


class Api:
    """A JSON:API client: ``api.get(url)``, ``api.post(url, body)``; login with ``api.as_user(u)``."""

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


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    """Each test gets its own cache, so neither login throttling nor cached API documents leak
    between tests: a local-memory cache of its own, or, when ``CACHE_URL`` names a shared cache
    (Redis), keys under a prefix of its own that no other test (or process) uses."""
    configured = settings.CACHES["default"]
    if configured["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
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
def seeded_roles(transactional_db):
    """The Role rows of the seeding migration; transactional tests (live_server) flush them."""
    seed = importlib.import_module("events.migrations.0002_seed_roles")
    for name, title in seed.ROLES:
        Role.objects.update_or_create(name=name, defaults={"title_name": title})
