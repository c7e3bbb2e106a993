"""Dependencies run one way (ARCHITECTURE.md, "Rules of the house"):

    openevent.core  <-  openevent.api, openevent.users, openevent.uploads  <-  events
        <-  sessions_app  <-  exports  <-  notifications  <-  mailing

Every module of the project's apps is read with ``ast`` (imports inside functions included; only
migrations are left out) and each import of another project app must point down this order.
Within the middle layer, ``openevent.users`` may use ``openevent.api`` (its endpoints are API
resources) and ``openevent.uploads`` may use both. The side-effect apps sit on top: ``exports``
is a domain app like the others (its jobs send signals), ``notifications`` holds the users'
message preferences and in-app notifications, and ``mailing`` reads those preferences before it
queues a mail, so it may import both. Tests hold to the rule of their app: a test imports its own app and
the apps below (test helpers of the apps below included), plus the project wiring they run.
The project wiring (``openevent.settings``, ``urls``, ``celery``, ``run``, ``wsgi``, ``asgi``) and
the tooling outside the apps (``conftest.py``, ``manage.py``, ``bench/``) may import anything.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APP_DIRS = ["openevent", "events", "sessions_app", "notifications", "mailing", "exports"]
WIRING = {f"openevent.{name}" for name in ("settings", "urls", "celery", "run", "wsgi", "asgi")} | {"openevent"}

# component -> the components it may import (itself included).
BELOW = {
    "openevent.core": set(),
    "openevent.api": {"openevent.core"},
    "openevent.users": {"openevent.core", "openevent.api"},
    "openevent.uploads": {"openevent.core", "openevent.api", "openevent.users"},
}
BELOW["events"] = {"openevent.core", "openevent.api", "openevent.users", "openevent.uploads"}
BELOW["sessions_app"] = BELOW["events"] | {"events"}
BELOW["exports"] = BELOW["sessions_app"] | {"sessions_app"}
BELOW["notifications"] = BELOW["exports"] | {"exports"}
BELOW["mailing"] = BELOW["notifications"] | {"notifications"}
COMPONENTS = sorted(BELOW, key=len, reverse=True)


def component(module):
    """The component a dotted module name belongs to: ``"wiring"``, one of ``BELOW``, or None
    for anything outside the project (the standard library, Django, other packages)."""
    if module in WIRING or any(module.startswith(f"{name}.") for name in WIRING - {"openevent"}):
        return "wiring"
    for name in COMPONENTS:
        if module == name or module.startswith(f"{name}."):
            return name
    if module == "openevent" or module.startswith("openevent."):
        return "wiring"
    return None


def imported_modules(module, source, is_package=False):
    """(line, dotted name) of every import in ``source``, the module ``module``; relative imports
    resolved, ``from x import y`` counted as ``x.y`` (which may be a module)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = ".".join(part for part in (base, node.module) if part)
            else:
                target = node.module
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def violations(module, source, is_package=False):
    """The imports of ``module`` that point against the direction, as readable lines."""
    own = component(module)
    if own in (None, "wiring"):
        return []
    allowed = BELOW[own] | {own}
    wrong = []
    for line, target in imported_modules(module, source, is_package):
        theirs = component(target)
        if theirs is None or theirs in allowed:
            continue
        if theirs == "wiring" and ".tests." in f"{module}.":
            continue
        wrong.append(f"{module}:{line} imports {target} ({own} may not import {theirs})")
    return wrong


def project_modules():
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield ".".join(parts), path, is_package


def test_every_import_points_down():
    wrong = []
    for module, path, is_package in project_modules():
        wrong.extend(violations(module, path.read_text(encoding="utf-8"), is_package))
    assert wrong == []


def test_the_walk_sees_every_app():
    modules = {module for module, _, _ in project_modules()}
    assert {"openevent.core.softdelete", "openevent.api.views", "events.permissions", "sessions_app.queries"} <= modules
    assert not any(".migrations." in module for module in modules)


# --- the checker itself ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("module", "source"),
    [
        # An import tucked into a function is still an import.
        ("events.permissions", "def f():\n    from sessions_app.models import Session\n"),
        ("openevent.core.softdelete", "import events.models\n"),
        ("openevent.api.views", "from events.models import Event\n"),
        ("openevent.users.services", "from events import permissions as rules\n"),
        ("openevent.api.relations", "from ...events import models\n"),
        ("events.statistics", "from mailing.models import Mail\n"),
        ("exports.statistics", "from mailing.models import Mail\n"),
        ("notifications.receivers", "from mailing.services import queue_mail\n"),
        ("exports.tasks", "from notifications.models import Notification\n"),
        ("events.tests.test_x", "from sessions_app.tests.factories import SessionFactory\n"),
        ("openevent.api.tests.test_x", "from events.tests.factories import EventFactory\n"),
    ],
)
def test_an_import_against_the_direction_is_found(module, source):
    assert len(violations(module, source)) == 1


@pytest.mark.parametrize(
    ("module", "source", "is_package"),
    [
        ("sessions_app.api.views", "from events.api.base import EventResourceViewSet\n", False),
        ("sessions_app.api.views", "from ..models import Session\nfrom . import serializers\n", False),
        ("events.api", "from .views import EventViewSet\n", True),
        ("openevent.users.api.views", "from openevent.api.views import ResourceViewSet\n", False),
        ("openevent.api.views", "from rest_framework import status\nimport django.db\n", False),
        ("mailing.api.statistics", "def f():\n    from sessions_app import statistics\n", False),
        ("mailing.receivers", "from notifications.queries import wants_mail\n", False),
        ("notifications.receivers", "from exports import signals\n", False),
        ("openevent.urls", "from sessions_app.api.urls import urlpatterns\n", False),
        ("events.tests.test_x", "from openevent.users.tests.factories import UserFactory\n", False),
        ("openevent.api.tests.test_x", "from openevent.celery import app\n", False),
    ],
)
def test_an_import_along_the_direction_passes(module, source, is_package):
    assert violations(module, source, is_package) == []


def test_relative_imports_resolve_against_the_package():
    assert imported_modules("events.api.views", "from ..models import Event\n") == [(1, "events.models.Event")]
    assert imported_modules("events.api", "from .views import X\n", is_package=True) == [(1, "events.api.views.X")]
