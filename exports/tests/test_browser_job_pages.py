"""What a new user saw wrong on the job pages in a real browser: the import job page showed an
"Open the event" button leading nowhere while the import ran or after it failed, and the
"Import / export" page scrolled sideways on a phone (the live feeds' long addresses)."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.tests.factories import event_with_owner
from exports.models import ExportJob, ImportJob, JobStatus
from exports.services import jobs
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

PHONE = {"width": 375, "height": 740}
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("status", [JobStatus.RUNNING, JobStatus.FAILURE])
def test_open_the_event_is_hidden_until_the_import_is_done(live_server, page, violations, status):
    user = UserFactory(email="nadia@example.org")
    job = ImportJob.objects.create(user=user, status=status, original_name="summit.zip",
                                   error="sessions, item 1 (id 5): starts-at is not a date")  # fmt: skip
    if status == JobStatus.RUNNING:
        jobs.report_progress(job, "Importing sessions (12/371)")
    log_in(page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/events/import/{job.task}/")
    expected = "Importing sessions (12/371)" if status == JobStatus.RUNNING else job.error
    expect(page.get_by_role("status")).to_have_text(expected)
    # Not a role query: an <a> without href is no link, so it would be "hidden" to one even when shown.
    button = page.get_by_text("Open the event")
    expect(button).to_have_count(1)
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="Back to my imports")).to_be_visible()
    assert violations == []


def test_import_export_page_fits_a_phone(live_server, page, violations, settings):
    settings.SITE_URL = live_server.url
    event, owner = event_with_owner(schedule_published_on=timezone.now())
    ExportJob.objects.create(user=owner, event=event, status=JobStatus.FAILURE, error="The disk is full.")
    log_in(page, live_server.url, owner.email)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/events/{event.identifier}/export/")
    feed = page.get_by_role("link", name=f"{live_server.url}/v1/events/{event.identifier}.json")
    expect(feed).to_be_visible()
    assert page.evaluate(SCROLLS_SIDEWAYS) is False
    expect(page.get_by_role("link", name="Import an event")).to_have_attribute("href", "/events/import/")
    assert violations == []
