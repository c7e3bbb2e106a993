"""DEBUG is off unless ``make run`` asks for it: the debug page shows the process environment."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import openevent.settings
from openevent import run

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def settings_in_a_clean_environment(tmp_path, **env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'openevent.settings'; django.setup(); "
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    clean = {"PATH": os.environ.get("PATH", ""), "VAR_DIR": str(tmp_path), **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_debug_is_off_by_default(tmp_path):
    assert settings_in_a_clean_environment(tmp_path) == ["False", "True", "True"]


def test_debug_is_on_only_when_asked(tmp_path):
    assert settings_in_a_clean_environment(tmp_path, DEBUG="true")[0] == "True"


def test_the_test_settings_have_debug_off():
    assert openevent.settings.DEBUG is False


def test_make_run_turns_debug_on_for_its_children(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert run.child_environment()["DEBUG"] == "true"
    monkeypatch.setenv("DEBUG", "false")
    assert run.child_environment()["DEBUG"] == "false"


def test_make_run_points_the_links_in_mails_at_the_served_address(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert run.child_environment("http://127.0.0.1:8765")["SITE_URL"] == "http://127.0.0.1:8765"
    monkeypatch.setenv("SITE_URL", "https://events.example.org")
    assert run.child_environment("http://127.0.0.1:8765")["SITE_URL"] == "https://events.example.org"


def test_make_run_says_it_is_a_development_server():
    assert "This is a development server" in run.BANNER


@pytest.mark.django_db
def test_static_files_are_served_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
