"""What the import tests share: a media directory per test, the sample zips, counting the rows
an import may leave, and starting an import over the API."""
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import (
    CustomForm,
    Event,
    EventCopyright,
    Microlocation,
    SessionType,
    SocialLink,
    Sponsor,
    Track,
    UsersEventsRoles,
)  # fmt: skip
from exports.models import ImportJob
from sessions_app.models import Session, Speaker

SAMPLES = ("FOSSASIASummit2017", "OSCON17", "OpenTechSummit2017")
MODELS = (Event, Session, Speaker, Track, Microlocation, SessionType, Sponsor, SocialLink, CustomForm, EventCopyright,
          UsersEventsRoles, Speaker.sessions.through)


@pytest.fixture
def media_root(settings, tmp_path):
    """Each test stores its files (uploads, import sources) under a directory of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://events.example.org"
    return tmp_path / "media"


def sample(shared_dir, name):
    return shared_dir / "fixtures" / "open-event-samples" / f"{name}.zip"


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def stored_files():
    """The files in the storage (the test's own MEDIA_ROOT), by name."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def make_zip(files, raw=None):
    """A zip of ``files`` ({name: object or bytes}); ``raw(zf)`` may add members by hand."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = content if isinstance(content, bytes) else json.dumps(content).encode()
            archive.writestr(name, data)
        if raw is not None:
            raw(archive)
    return buffer.getvalue()


def post_import(api, user, data, kind="json", name="export.zip", capture=None):
    """POST the file to the import route as ``user`` (the job runs when ``capture``, pytest-django's
    ``django_capture_on_commit_callbacks``, runs the commit callbacks); (response, job or None)."""
    client = api.as_user(user).client
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    if capture is None:
        response = client.post(f"/v1/events/import/{kind}", {"file": upload}, format="multipart")
    else:
        with capture(execute=True):
            response = client.post(f"/v1/events/import/{kind}", {"file": upload}, format="multipart")
    job = ImportJob.objects.filter(user=user).order_by("-id").first() if user is not None else None
    return response, job
