"""The invite flow in a real browser: register, create an event, invite; the invitee registers,
verifies her address from the mail, follows the invite link from the invite mail and accepts; the
inviter is mailed that she did."""
import os
import re

import pytest
from playwright.sync_api import expect

from events.models import Event, RoleInvite, UsersEventsRoles

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

NEW_PASSWORD = "a long enough passphrase"


def register(page, base_url, email, first_name, last_name):
    page.goto(f"{base_url}/register")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text(f"Your account {email} is ready.")).to_be_visible()


def verification_link(mailoutbox, email):
    """The link of the last verification mail to ``email`` (the live server shares this process's
    outbox)."""
    body = [message.body for message in mailoutbox if message.to == [email]][-1]
    return re.search(r"https?://\S+/verify-email/\S+", body).group(0)


def invite_link_in_mail(mailoutbox, email):
    """The link of the last invite mail to ``email``."""
    body = [message.body for message in mailoutbox if message.to == [email] and "/invites/link/" in message.body][-1]
    return re.search(r"https?://\S+/invites/link/[\w-]+", body).group(0)


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("You are logged out.")).to_be_visible()


def test_organizer_invites_a_coorganizer_who_accepts(live_server, page, mailoutbox, settings):
    base = live_server.url
    # Links in mails point at SITE_URL (the worker that sends them knows no request).
    settings.SITE_URL = base
    colleague = "colleague@example.org"

    # An organizer registers and logs in.
    register(page, base, "organizer@example.org", "Olga", "Organizer")
    log_in(page, base, "organizer@example.org", NEW_PASSWORD)
    expect(page.get_by_text("You hold no role at any event yet.")).to_be_visible()

    # She creates an event and lands on its dashboard as owner.
    page.get_by_role("navigation").get_by_role("link", name="Create event").click()
    page.get_by_label("Name").fill("Open Tech Summit")
    page.get_by_label("Starts").fill("2031-04-10T09:00")
    page.get_by_label("Ends").fill("2031-04-12T18:00")
    page.get_by_label("Time zone").select_option("Asia/Singapore")
    page.get_by_label("Location").fill("Lifelong Learning Institute")
    page.get_by_label("Description").fill("Three days of open technology.")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Open Tech Summit", level=1)).to_be_visible()
    expect(page.get_by_text("“Open Tech Summit” was created. You are its owner.")).to_be_visible()
    expect(page.get_by_text("Thu 10 Apr 2031, 09:00")).to_be_visible()

    # She invites a colleague as co-organizer on the team page, and is shown the link to pass on.
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Team").click()
    invite_form = page.get_by_role("region", name="Invite someone")
    invite_form.get_by_label("E-mail address").fill(colleague)
    invite_form.get_by_label("Role").select_option(label="Co-organizer")
    invite_form.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text("colleague@example.org was invited as Co-organizer.")).to_be_visible()
    link_box = page.get_by_role("textbox", name="Link to pass on")
    expect(link_box).to_have_value(re.compile(r"/invites/link/[\w-]+$"))
    invite_link = link_box.input_value()
    pending = page.get_by_role("region", name="Pending invites")
    expect(pending.get_by_role("cell", name="colleague@example.org", exact=True)).to_be_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "dashboard.png"), full_page=True)
    log_out(page)

    # The colleague registers and logs in; invites to an address show only once it is verified.
    register(page, base, colleague, "Chen", "Colleague")
    log_in(page, base, colleague, NEW_PASSWORD)
    expect(page.get_by_text("You hold no role at any event yet.")).to_be_visible()
    invites_link = page.get_by_role("navigation").get_by_role("link", name="My invites")
    invites_link.click()
    expect(page.get_by_role("heading", name="Verify your e-mail address first")).to_be_visible()
    expect(page.get_by_role("heading", name="Open Tech Summit")).to_have_count(0)

    # She opens the link from her mail, confirms, then finds the invite and accepts.
    page.goto(verification_link(mailoutbox, colleague))
    page.get_by_role("button", name=f"Verify {colleague}").click()
    expect(page.get_by_text(f"Thank you: {colleague} is verified.")).to_be_visible()
    expect(invites_link).to_contain_text("1")
    mailed_link = invite_link_in_mail(mailoutbox, colleague)
    assert mailed_link.endswith(invite_link.rpartition("/invites/link/")[2])
    page.goto(mailed_link)
    expect(page.get_by_text("You are invited to be Co-organizer of “Open Tech Summit”.")).to_be_visible()
    expect(page.get_by_role("heading", name="Verify your e-mail address first")).to_have_count(0)
    page.get_by_role("button", name="Accept the invite to Open Tech Summit").click()

    # The event is now among the colleague's events, with the new role.
    expect(page.get_by_text("You are now Co-organizer of “Open Tech Summit”.")).to_be_visible()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Open Tech Summit"))
    expect(card).to_contain_text("Co-organizer")
    expect(card).to_contain_text("Published")
    card.get_by_role("link", name="Open Tech Summit").click()
    expect(page.get_by_role("heading", name="Open Tech Summit", level=1)).to_be_visible()
    team = page.get_by_role("region", name="Team")
    expect(team).to_contain_text("organizer@example.org")
    expect(team).to_contain_text("colleague@example.org")

    event = Event.objects.get(name="Open Tech Summit")
    assert RoleInvite.objects.get(event=event).status == RoleInvite.Status.ACCEPTED
    assert set(UsersEventsRoles.objects.filter(event=event).values_list("user__email", "role__name")) == {
        ("organizer@example.org", "owner"),
        ("colleague@example.org", "coorganizer"),
    }
    # The inviter hears that the invite was accepted.
    accepted = [message for message in mailoutbox if message.to == ["organizer@example.org"]][-1]
    assert "Open Tech Summit" in accepted.subject
    assert "/team/" in accepted.body
