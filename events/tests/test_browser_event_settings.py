"""The settings and team pages in a real browser: edit and publish an event (a refused publish
first, with its explanation, then fixed), and change a member's role, then remove them."""

import datetime
import os
import zoneinfo

import pytest
from playwright.sync_api import expect

from events.models import Event, Role, UsersEventsRoles
from events.tests.factories import event_with_owner, give_role
from events.tests.test_browser_invite_flow import log_in
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")


def screenshot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def test_edit_and_publish_an_event(live_server, page):
    owner = UserFactory(email="olga@example.org")
    event, _ = event_with_owner(
        owner=owner,
        name="Draft Summit",
        state=Event.State.DRAFT,
        location_name="",
        timezone="Asia/Singapore",
        starts_at=datetime.datetime(2031, 4, 10, 9, 0, tzinfo=SINGAPORE),
        ends_at=datetime.datetime(2031, 4, 12, 18, 0, tzinfo=SINGAPORE),
    )
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.get_by_role("link", name="Draft Summit").click()
    page.get_by_role("link", name="Edit settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    expect(page.get_by_label("Starts")).to_have_value("2031-04-10T09:00")

    # Publishing is explained before, and refused with the reason while the location is missing.
    publishing = page.get_by_role("region", name="Publishing")
    expect(publishing).to_contain_text("Say where the event takes place, or mark it as online.")
    publishing.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event cannot be published yet: Say where the event takes place")).to_be_visible()
    assert Event.objects.get(pk=event.pk).state == Event.State.DRAFT

    # She edits the event: a new name, a later start in another time zone, a location, PayPal.
    page.get_by_label("Name", exact=True).fill("Open Tech Summit")
    page.get_by_label("Starts").fill("2031-04-10T10:30")
    page.get_by_label("Time zone").select_option("Asia/Jakarta")
    page.get_by_label("Location", exact=True).fill("Lifelong Learning Institute")
    page.get_by_label("Sessions and speakers").check()
    page.get_by_label("Currency").select_option("SGD")
    page.get_by_label("PayPal", exact=True).check()
    page.get_by_role("button", name="Save settings").click()
    # PayPal without its address: the service refuses, the error sits on that field, nothing is saved.
    expect(page.get_by_text("Say how to pay: give the PayPal e-mail address when this method is on.")).to_be_visible()
    assert Event.objects.get(pk=event.pk).name == "Draft Summit"
    page.get_by_label("PayPal e-mail address").fill("pay@example.org")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The settings of “Open Tech Summit” were saved.")).to_be_visible()
    expect(page.get_by_label("Starts")).to_have_value("2031-04-10T10:30")

    # Now it has what publishing requires.
    expect(publishing).to_contain_text("It has everything publishing requires")
    screenshot(page, "event-settings.png")
    publishing.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("“Open Tech Summit” is published: everybody can find it now.")).to_be_visible()
    expect(publishing.get_by_role("button", name="Unpublish")).to_be_visible()

    event.refresh_from_db()
    assert (event.name, event.state, event.timezone, event.location_name) == (
        "Open Tech Summit", Event.State.PUBLISHED, "Asia/Jakarta", "Lifelong Learning Institute",
    )  # fmt: skip
    assert event.starts_at == datetime.datetime(2031, 4, 10, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert event.is_sessions_speakers_enabled
    assert (event.can_pay_by_paypal, event.paypal_email, event.payment_currency) == (True, "pay@example.org", "SGD")


def test_change_a_members_role_and_remove_them(live_server, page):
    owner = UserFactory(email="olga@example.org")
    event, _ = event_with_owner(owner=owner, name="Team Summit")
    colleague = UserFactory(email="chen@example.org", first_name="Chen", last_name="Colleague")
    give_role(colleague, event, Role.MODERATOR)
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/events/{event.identifier}/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Team").click()
    members = page.get_by_role("region", name="Members")

    # Change Chen's role with the keyboard: focus the select, choose, save.
    select = members.get_by_label("Role of Chen Colleague")
    expect(select).to_have_value(Role.MODERATOR)
    select.select_option(label="Co-organizer")
    members.get_by_role("button", name="Save the role of Chen Colleague").press("Enter")
    expect(page.get_by_text("chen@example.org is now Co-organizer (was Moderator).")).to_be_visible()
    expect(members.get_by_label("Role of Chen Colleague")).to_have_value(Role.COORGANIZER)
    assert UsersEventsRoles.objects.get(event=event, user=colleague).role.name == Role.COORGANIZER
    screenshot(page, "team.png")

    # Remove Chen: a confirmation page first; cancelling keeps him.
    members.get_by_role("link", name="Remove Chen Colleague as Co-organizer").click()
    expect(page.get_by_role("heading", name="Remove Chen Colleague as Co-organizer?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(members).to_contain_text("chen@example.org")
    members.get_by_role("link", name="Remove Chen Colleague as Co-organizer").click()
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("chen@example.org is no longer Co-organizer of “Team Summit”.")).to_be_visible()
    expect(members).not_to_contain_text("chen@example.org")
    assert not UsersEventsRoles.objects.filter(event=event, user=colleague).exists()
    # The owner's own row offers neither a role select nor a removal.
    expect(members.get_by_role("link", name="Remove")).to_have_count(0)
