"""The "Import / export" page in a real browser, with a real Celery worker: an organizer starts an
export of her event with images, watches the progress bar reach done, and downloads the zip."""
import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from exports.models import ExportJob, JobStatus
from openevent.users.tests.helpers import log_in

from .helpers import full_event

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def test_organizer_exports_and_downloads_the_zip(live_server, worker_queue, page, violations, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = live_server.url
    event, owner, sessions, _speakers = full_event(sessions=3)
    base = live_server.url
    log_in(page, base, owner.email)
    page.goto(f"{base}/events/{event.identifier}/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Import / export").click()
    expect(page.get_by_role("heading", name="Import / export", level=1)).to_be_visible()

    page.get_by_label("Format").select_option("json")
    page.get_by_label("Images (the event's logo and background, speakers' photos, sponsors' logos)").check()
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_text("The export is started")).to_be_visible()

    row = page.locator("[data-export-job]").first
    # The script polls the task until the worker is done (generous wait: a loaded machine); the bar is
    # then full and a link appears in the File column, where a reload shows it too.
    expect(row).to_have_attribute("data-job-status", "done", timeout=90_000)
    expect(row.locator("progress")).to_have_attribute("value", "1")
    expect(row.get_by_role("link", name="Download")).to_have_count(1)
    link = row.locator("td").last.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    job = ExportJob.objects.get(event=event)
    assert job.status == JobStatus.SUCCESS

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"event-{event.identifier}-json.zip"
    with open(download.path(), "rb") as saved:
        archive = zipfile.ZipFile(io.BytesIO(saved.read()))
    exported = json.loads(archive.read("sessions"))
    assert {row["id"] for row in exported} == {session.pk for session in sessions}
    assert "images/logo.png" in archive.namelist()
    assert violations == []
