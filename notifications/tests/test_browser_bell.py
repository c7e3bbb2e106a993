"""The bell in a real browser: a speaker has a page open when an organizer accepts their
session; the bell's count rises without a reload; they open their notifications, mark it read
and the count is gone."""
import os

import pytest
from playwright.sync_api import expect

from events.models import Role
from events.tests.factories import EventFactory, give_role
from notifications.models import Notification
from openevent.users.tests.factories import PASSWORD, UserFactory
from sessions_app import services
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def test_a_speaker_sees_the_bell_rise_and_marks_the_notification_read(live_server, page, settings):
    settings.NOTIFICATION_POLL_SECONDS = 1
    organizer = UserFactory(email="olga@example.org")
    event = EventFactory(name="Open Tech Summit")
    give_role(organizer, event, Role.OWNER)
    speaker_user = UserFactory(email="sam@example.org")
    session = SessionFactory(event=event, title="Rust for the web", state="pending", creator=speaker_user)
    session.speakers.add(SpeakerFactory(event=event, user=speaker_user, email=speaker_user.email))

    # Sam logs in; nothing is unread.
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(speaker_user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()
    bell = page.locator("[data-notification-bell]")
    badge = bell.locator("[data-bell-count]")
    expect(badge).to_be_hidden()

    # Olga accepts the session while Sam's page is open: the bell polls and shows it.
    services.change_state(organizer, session, "accepted")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1 unread")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "bell.png"))

    # He opens his notifications and marks it read (a plain form post).
    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    title = "Your session “Rust for the web” was accepted"
    expect(page.get_by_role("heading", name=f"Unread: {title}")).to_be_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "notifications.png"))
    page.get_by_role("button", name=f"Mark “{title}” read").click()
    expect(page.get_by_text("Marked read.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Mark “{title}” unread")).to_be_visible()
    expect(badge).to_be_hidden()
    assert Notification.objects.get(user=speaker_user).is_read
