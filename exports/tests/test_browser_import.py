"""Importing OSCON17 through the page in a real browser: the progress ends, and the link leads to
the new event's dashboard and its sessions. (The task runs eagerly here: a worker thread writing
the in-memory SQLite test database while the live server reads it fails on table locks; the real
worker is tested in test_import_worker.py.)"""
import os

import pytest
from playwright.sync_api import expect

from events.tests.test_browser_invite_flow import log_in
from exports.models import ImportJob, JobStatus
from exports.tests.import_support import media_root, sample  # noqa: F401
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles", "media_root")]

OSCON_SESSION = "Wednesday opening welcome"


def test_import_oscon_through_the_page(live_server, page, violations, shared_dir):
    user = UserFactory(email="ines@example.org")
    log_in(page, live_server.url, user.email, PASSWORD)
    page.get_by_role("link", name="Import event").click()
    expect(page.get_by_role("heading", name="Import an event", level=1)).to_be_visible()
    page.get_by_label("File").set_input_files(str(sample(shared_dir, "OSCON17")))
    page.get_by_label("Format").select_option("json")
    page.get_by_role("button", name="Import").click()

    # The job's page polls the task route until the worker is done.
    # The eager task runs inside the POST: allow for a loaded machine.
    expect(page.get_by_role("heading", name="Import of OSCON17.zip")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("Done: the event is imported.", timeout=30_000)
    expect(page.locator("progress[data-job-bar]")).to_have_js_property("value", 1)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "import-job.png"), full_page=True)
    job = ImportJob.objects.get(user=user)
    assert job.status == JobStatus.SUCCESS

    page.get_by_role("link", name="Back to my imports").click()
    expect(page.locator("[data-import-job]")).to_have_count(1)
    expect(page.locator("[data-import-job]")).to_contain_text("OSCON 2017")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "import-page.png"), full_page=True)
    page.get_by_role("link", name="OSCON 2017").click()
    expect(page.get_by_role("heading", name="OSCON 2017", level=1)).to_be_visible()
    page.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_text(OSCON_SESSION).first).to_be_visible()
    assert violations == []
