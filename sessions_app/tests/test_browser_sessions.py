"""The sessions table in a real browser: an organizer sorts by "submitted", filters by a track and
accepts two sessions in bulk; another pages through a long table, sorts it, accepts from page 2 and
shows all rows."""
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
    assert "sort=-submitted" in page.url
    assert f"track={web.pk}" in page.url

    # Both pending sessions are accepted at once.
    page.get_by_label("Select “Alpha talk”").check()
    page.get_by_label("Select “Beta talk”").check()
    page.get_by_role("button", name="Accept selected").click()
    expect(page.get_by_text("Accepted 2 sessions: “Alpha talk”, “Beta talk”.")).to_be_visible()
    expect(titles(page)).to_have_text(["Beta talk", "Alpha talk"])
    expect(row(page, "Alpha talk")).to_contain_text("Accepted")
    expect(row(page, "Beta talk")).to_contain_text("Accepted")

    states = dict(Session.objects.filter(event=event).values_list("title", "state"))
    assert states == {
        "Alpha talk": "accepted",
        "Beta talk": "accepted",
        "Delta talk": "pending",
        "Gamma talk": "accepted",
    }


def test_organizer_pages_through_a_long_table_sorts_it_on_the_server_and_accepts_from_page_two(live_server, page):
    organizer = UserFactory(email="pablo@example.org")
    event = EventFactory(name="Big Conf")
    give_role(organizer, event, Role.OWNER)
    now = timezone.now()
    for n in range(60):  # Talk 00 … Talk 59; Talk n was submitted n minutes ago
        SessionFactory(
            event=event, title=f"Talk {n:02d}", state="pending", submitted_at=now - datetime.timedelta(minutes=n)
        )

    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(organizer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/")
    expect(page.locator("#session-count")).to_have_text("Showing 1–50 of 60 sessions")
    expect(titles(page)).to_have_count(50)
    expect(titles(page).first).to_have_text("Talk 00")

    # A heading of a paged table asks the server, which sorts all 60 before cutting the page.
    page.get_by_role("columnheader", name="Submitted").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Submitted")).to_have_attribute("aria-sort", "ascending")
    expect(titles(page).first).to_have_text("Talk 59")
    pages = page.get_by_role("navigation", name="Pages of sessions")
    pages.get_by_role("link", name="Next page").click()
    expect(page.locator("#session-count")).to_have_text("Showing 51–60 of 60 sessions")
    expect(titles(page)).to_have_text([f"Talk {n:02d}" for n in range(9, -1, -1)])
    assert "sort=submitted" in page.url
    assert "page=2" in page.url
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "sessions-page-2.png"), full_page=True)

    # "Select all" ticks the rows of this page only; the bulk change comes back to page 2.
    page.get_by_label("Select all sessions").check()
    page.get_by_role("button", name="Accept selected").click()
    expect(page.get_by_text("Accepted 10 sessions:")).to_be_visible()
    expect(page.locator("#session-count")).to_have_text("Showing 51–60 of 60 sessions")
    expect(row(page, "Talk 00")).to_contain_text("Accepted")
    assert set(Session.objects.filter(event=event, state="accepted").values_list("title", flat=True)) == {
        f"Talk {n:02d}" for n in range(10)
    }

    # All 60 on one page: the order is kept, and now the script sorts in place.
    page.get_by_label("Sessions per page").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#session-count")).to_have_text("60 sessions")
    expect(titles(page)).to_have_count(60)
    expect(titles(page).first).to_have_text("Talk 59")
    expect(pages).to_have_count(0)
    page.get_by_role("columnheader", name="Title").get_by_role("link").click()
    expect(titles(page).first).to_have_text("Talk 00")
    expect(titles(page).last).to_have_text("Talk 59")
    assert "size=all" in page.url
    assert "sort=title" in page.url
