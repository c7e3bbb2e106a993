"""``manage.py ensure_admin``: one administrator, a password kept under VAR_DIR, printed each run."""
from io import StringIO

import pytest
from django.core.management import call_command

from openevent.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    settings.VAR_DIR = tmp_path
    return tmp_path


def ensure_admin():
    out = StringIO()
    call_command("ensure_admin", "--url", "http://127.0.0.1:8000", stdout=out)
    return out.getvalue()


def test_creates_the_admin_once_with_a_generated_password(var_dir):
    first = ensure_admin()
    password = (var_dir / "admin_password").read_text().strip()
    second = ensure_admin()

    admin = User.objects.get(email="admin@example.org")
    assert User.all_objects.count() == 1
    assert admin.is_admin
    assert admin.is_super_admin
    assert admin.is_verified
    assert admin.is_staff
    assert admin.check_password(password)
    assert (var_dir / "admin_password").stat().st_mode & 0o777 == 0o600
    for output in (first, second):
        assert "http://127.0.0.1:8000/admin/" in output
        assert "admin@example.org" in output
        assert password in output


def test_admin_password_from_the_environment_wins(var_dir, monkeypatch):
    ensure_admin()
    monkeypatch.setenv("ADMIN_PASSWORD", "from the environment")

    output = ensure_admin()

    assert User.objects.get(email="admin@example.org").check_password("from the environment")
    assert "from the environment" in output


def test_a_changed_password_is_left_alone_and_reported(var_dir):
    ensure_admin()
    admin = User.objects.get(email="admin@example.org")
    admin.set_password("chosen by the admin")
    admin.save()

    output = ensure_admin()

    admin.refresh_from_db()
    assert admin.check_password("chosen by the admin")
    assert "changed since" in output


def test_a_trashed_or_blocked_admin_is_brought_back(var_dir):
    ensure_admin()
    User.objects.filter(email="admin@example.org").update(is_blocked=True, is_admin=False)
    User.all_objects.get(email="admin@example.org").soft_delete()

    ensure_admin()

    admin = User.objects.get(email="admin@example.org")
    assert admin.is_active
    assert admin.is_admin
