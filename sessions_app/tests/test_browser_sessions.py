"""The sessions table in a real browser: an organizer sorts by "submitted", filters by a track and
accepts two sessions in bulk."""
import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Role
from events.tests.factories import EventFactory, TrackFactory, give_role
from openevent.users.tests.factories import PASSWORD, UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def titles(page):
    return page.locator("table.sessions-table tbody a.session-title")


def row(page, title):
    return page.locator("table.sessions-table tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))


def test_organizer_sorts_filters_and_accepts_sessions_in_bulk(live_server, page):
    organizer = UserFactory(email="olga@example.org")
    event = EventFactory(name="Open Tech Summit")
    give_role(organizer, event, Role.OWNER)
    web = TrackFactory(event=event, name="Web", color="#1f6feb")
    data = TrackFactory(event=event, name="Data", color="#f5c518")
    now = timezone.now()
    def ago(**delta):
        return now - datetime.timedelta(**delta)
    SessionFactory(event=event, title="Alpha talk", state="pending", track=web, submitted_at=ago(days=3))
    SessionFactory(event=event, title="Beta talk", state="pending", track=web, submitted_at=ago(hours=2))
    SessionFactory(event=event, title="Delta talk", state="pending", track=data, submitted_at=ago(hours=5))
    gamma = SessionFactory(event=event, title="Gamma talk", state="accepted", track=data, submitted_at=ago(days=2))
    gamma.speakers.add(SpeakerFactory(event=event, name="Grace Hopper"))

    # She logs in and opens the sessions page from the event's dashboard.
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(organizer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()
    page.get_by_role("link", name="Open Tech Summit").click()
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Sessions", level=1)).to_be_visible()
    expect(titles(page)).to_have_text(["Alpha talk", "Beta talk", "Delta talk", "Gamma talk"])
    expect(row(page, "Beta talk")).to_contain_text("2\xa0hours ago")

    # Sorted by submission, oldest first; a second click reverses the order.
    submitted = page.get_by_role("columnheader", name="Submitted")
    submitted.get_by_role("link").click()
    expect(titles(page)).to_have_text(["Alpha talk", "Gamma talk", "Delta talk", "Beta talk"])
    expect(submitted).to_have_attribute("aria-sort", "ascending")
    submitted.get_by_role("link").click()
    expect(titles(page)).to_have_text(["Beta talk", "Delta talk", "Gamma talk", "Alpha talk"])
    expect(submitted).to_have_attribute("aria-sort", "descending")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "sessions.png"), full_page=True)

    # Filtered by the Web track, in the same order.
    page.get_by_label("Track", exact=True).select_option(label="Web")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Matching sessions")).to_be_visible()
    expect(titles(page)).to_have_text(["Beta talk", "Alpha talk"])
    assert "sort=-submitted" in page.url and f"track={web.pk}" in page.url

    # Both pending sessions are accepted at once.
    page.get_by_label("Select “Alpha talk”").check()
    page.get_by_label("Select “Beta talk”").check()
    page.get_by_role("button", name="Accept selected").click()
    expect(page.get_by_text("Accepted 2 sessions: “Alpha talk”, “Beta talk”.")).to_be_visible()
    expect(titles(page)).to_have_text(["Beta talk", "Alpha talk"])
    expect(row(page, "Alpha talk")).to_contain_text("Accepted")
    expect(row(page, "Beta talk")).to_contain_text("Accepted")

    states = dict(Session.objects.filter(event=event).values_list("title", "state"))
    assert states == {"Alpha talk": "accepted", "Beta talk": "accepted", "Delta talk": "pending", "Gamma talk": "accepted"}
