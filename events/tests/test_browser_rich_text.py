"""The rich-text editor in a real browser, under the Content-Security-Policy: an organizer writes a
two-paragraph description with a bold word and a heading, and the event's dashboard shows two
paragraphs; without JavaScript the same field is a textarea whose blank lines make paragraphs."""

import os

import pytest
from playwright.sync_api import expect

from events.models import Event, Role
from events.tests.factories import EventFactory, TrackFactory, give_role
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]



def fill_event(page):
    page.get_by_label("Name").fill("Open Tech Summit")
    page.get_by_label("Starts").fill("2031-04-10T09:00")
    page.get_by_label("Ends").fill("2031-04-12T18:00")


def test_a_two_paragraph_description_written_in_the_editor_shows_two_paragraphs(live_server, page, violations):
    organizer = UserFactory(email="olga@example.org")
    log_in(page, live_server.url, organizer.email)
    page.goto(f"{live_server.url}/events/new")
    fill_event(page)

    # The description is an editor with a toolbar, named by the field's label.
    editor = page.get_by_role("textbox", name="Description")
    expect(editor).to_have_attribute("contenteditable", "true")
    expect(page.locator("textarea[name=description]")).to_be_hidden()
    toolbar = page.locator(".prose-menubar")
    expect(toolbar).to_be_visible()

    # Clicking the label puts the caret in the editor; she types two paragraphs.
    page.locator("label", has_text="Description").click()
    expect(editor).to_be_focused()
    page.keyboard.type("Three days of ")
    page.keyboard.press("Control+b")
    page.keyboard.type("open")
    page.keyboard.press("Control+b")
    page.keyboard.type(" technology.")
    page.keyboard.press("Enter")
    page.keyboard.type("Talks, workshops and a hackathon.")
    expect(editor.locator("p")).to_have_count(2)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "rich-text.png"), full_page=True)
    page.get_by_role("button", name="Create event").click()

    # The dashboard shows the two paragraphs, the bold word kept.
    expect(page.get_by_role("heading", name="Open Tech Summit", level=1)).to_be_visible()
    description = page.locator(".prose")
    expect(description.locator("p")).to_have_text(
        ["Three days of open technology.", "Talks, workshops and a hackathon."]
    )
    expect(description.locator("p strong")).to_have_text("open")
    event = Event.objects.get(name="Open Tech Summit")
    assert (
        event.description
        == "<p>Three days of <strong>open</strong> technology.</p><p>Talks, workshops and a hackathon.</p>"
    )
    assert violations == []


def test_the_editor_starts_from_the_stored_html_and_keeps_it(live_server, page, violations):
    organizer = UserFactory(email="olga@example.org")
    event = EventFactory(name="Open Tech Summit")
    give_role(organizer, event, Role.OWNER)
    track = TrackFactory(event=event, name="Web", description="<h2>Background</h2><ul><li>Python</li></ul>")
    log_in(page, live_server.url, organizer.email)
    page.goto(f"{live_server.url}/events/{event.identifier}/tracks/{track.pk}/edit")

    editor = page.get_by_role("textbox", name="Description")
    expect(editor.get_by_role("heading", name="Background", level=2)).to_be_visible()
    expect(editor.get_by_role("listitem")).to_have_text(["Python"])
    editor.get_by_role("listitem").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Django")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item leaves the list
    page.keyboard.type("Talks about the web.")
    # A link: select a word, the toolbar's link button asks for the address in a dialog.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Control+Shift+ArrowLeft")
    page.get_by_role("button", name="insert link").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("URL").fill("https://example.org/web")
    dialog.get_by_role("button", name="Update").click()
    expect(editor.get_by_role("link", name="web")).to_have_attribute("href", "https://example.org/web")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Tracks", level=1)).to_be_visible()
    track.refresh_from_db()
    assert track.description == (
        "<h2>Background</h2><ul><li><p>Python</p></li><li><p>Django</p></li></ul>"
        '<p>Talks about the <a href="https://example.org/web" rel="noopener noreferrer nofollow">web</a>.</p>'
    )
    assert violations == []


def test_without_javascript_the_description_is_a_textarea_and_blank_lines_make_paragraphs(live_server, browser):
    organizer = UserFactory(email="olga@example.org")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, organizer.email)
    page.goto(f"{live_server.url}/events/new")
    fill_event(page)
    page.get_by_label("Description").fill("Three days of open technology.\n\nTalks,\nworkshops.")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Open Tech Summit", level=1)).to_be_visible()
    expect(page.locator(".prose p")).to_have_count(2)
    assert (
        page.locator(".prose").inner_html().strip()
        == "<p>Three days of open technology.</p><p>Talks,<br>workshops.</p>"
    )
    context.close()
