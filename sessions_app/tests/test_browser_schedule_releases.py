"""The schedule releases page in a real browser, under the Content-Security-Policy: an organizer
sees what a release will change, releases with a comment, then unpublishes."""
import pytest
from playwright.sync_api import expect

from events.models import Event
from openevent.users.tests.helpers import log_in
from sessions_app.models import ScheduleRelease
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.helpers import Program

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def test_an_organizer_releases_and_unpublishes_the_schedule(live_server, page, violations):
    program = Program()
    SessionFactory(
        event=program.event,
        title="Opening keynote",
        state="confirmed",
        starts_at=program.at(1),
        ends_at=program.at(2),
        microlocation=program.room,
    )
    base = live_server.url
    log_in(page, base, program.people["coorganizer"].email)
    page.goto(f"{base}/events/{program.event.identifier}/")
    page.get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", name="Schedule releases", level=1)).to_be_visible()
    expect(page.get_by_text("New (1)")).to_be_visible()
    expect(page.get_by_text("Opening keynote")).to_be_visible()
    page.get_by_label("Comment").fill("The first version")
    page.get_by_role("button", name="Release schedule").click()
    expect(page.get_by_text("Version 1 of the schedule is released.")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    expect(page.get_by_text("The first version")).to_be_visible()
    assert ScheduleRelease.objects.get().comment == "The first version"
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("The schedule is unpublished")).to_be_visible()
    assert Event.objects.get(pk=program.event.pk).schedule_published_on is None
    assert violations == []
