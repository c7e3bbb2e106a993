"""Choosing a session's speakers with the searchable picker in a real browser: an organizer adds
one speaker by typing and clicking and another with the keyboard only, saves and finds both linked;
then removes one with × and another with Backspace. Without JavaScript the native select posts the
choice as before."""

import os

import pytest
from playwright.sync_api import expect

from events.models import Role
from events.tests.factories import EventFactory, give_role
from openevent.users.tests.factories import PASSWORD, UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]



@pytest.fixture
def event():
    event = EventFactory(name="Open Tech Summit")
    organizer = UserFactory(email="olga@example.org")
    give_role(organizer, event, Role.OWNER)
    for name in ("Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Zoë Ångström"):
        SpeakerFactory(event=event, name=name)
    SpeakerFactory(name="Ada Elsewhere")  # a speaker of another event is never offered
    return event


def log_in(page, base, email="olga@example.org"):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()


def chosen(page):
    return page.locator(".multi-select__chip > span")


def test_organizer_picks_two_speakers_by_typing_and_by_keyboard(live_server, page, event, violations):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/new")
    page.get_by_label("Title", exact=True).fill("Compilers for everyone")

    picker = page.get_by_role("combobox", name="Speakers")
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(page.locator("select[name=speakers]")).to_be_hidden()

    # Typing filters the suggestions (case and accents ignored); a click adds one.
    picker.fill("ada")
    expect(picker).to_have_attribute("aria-expanded", "true")
    suggestions = page.get_by_role("listbox", name="Speakers: suggestions")
    expect(suggestions.get_by_role("option")).to_have_text(["Ada Lovelace"])
    suggestions.get_by_role("option", name="Ada Lovelace").click()
    expect(chosen(page)).to_have_text(["Ada Lovelace"])
    expect(picker).to_be_focused()
    expect(picker).to_have_value("")
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("status")).to_have_text("Ada Lovelace added; 1 chosen.")

    # With the keyboard only: type, arrow down to the second match, Enter.
    page.keyboard.type("o")  # Ada Lovelace is chosen already, so no longer offered
    expect(suggestions.get_by_role("option")).to_have_text(
        ["Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Zoë Ångström"]
    )
    expect(suggestions.get_by_role("option", name="Grace Hopper")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    active = suggestions.get_by_role("option", name="Linus Torvalds")
    expect(active).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-activedescendant", active.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chosen(page)).to_have_text(["Ada Lovelace", "Linus Torvalds"])
    page.keyboard.type("angst")
    expect(suggestions.get_by_role("option")).to_have_text(["Zoë Ångström"])
    page.keyboard.press("Escape")
    expect(picker).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Escape")
    expect(picker).to_have_value("")

    # Enter on a name that matches nobody says so and does not submit the form; the button does.
    page.keyboard.type("nobody")
    expect(suggestions).to_contain_text("No speaker matches “nobody”.")
    page.keyboard.press("Enter")
    expect(picker).to_have_value("nobody")
    assert not Session.objects.filter(title="Compilers for everyone").exists()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "speaker-picker.png"), full_page=True)
    picker.fill("")
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", name="Compilers for everyone", level=1)).to_be_visible()
    session = Session.objects.get(title="Compilers for everyone")
    assert sorted(session.speakers.values_list("name", flat=True)) == ["Ada Lovelace", "Linus Torvalds"]
    details = page.locator("main")
    expect(details.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(details.get_by_role("link", name="Linus Torvalds")).to_be_visible()

    # Editing: the chosen speakers are shown; × removes one, Backspace in the empty box another.
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/{session.pk}/edit")
    expect(chosen(page)).to_have_text(["Ada Lovelace", "Linus Torvalds"])
    page.get_by_role("button", name="Remove speaker Ada Lovelace").click()
    expect(chosen(page)).to_have_text(["Linus Torvalds"])
    expect(page.get_by_role("button", name="Remove speaker Linus Torvalds")).to_be_focused()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Compilers for everyone", level=1)).to_be_visible()
    assert list(session.speakers.values_list("name", flat=True)) == ["Linus Torvalds"]
    expect(page.locator("main").get_by_role("link", name="Ada Lovelace")).to_have_count(0)
    assert violations == []


def test_keyboard_removes_chosen_speakers(live_server, page, event, violations):
    session = SessionFactory(event=event, title="Compilers for everyone", state="pending")
    session.speakers.add(*event.speakers.filter(name__in=["Grace Hopper", "Margaret Hamilton"]))
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/{session.pk}/edit")
    picker = page.get_by_role("combobox", name="Speakers")
    expect(chosen(page)).to_have_text(["Grace Hopper", "Margaret Hamilton"])

    # Backspace in the empty box removes the last one; Delete on a focused × removes that one.
    picker.focus()
    page.keyboard.press("Backspace")
    expect(chosen(page)).to_have_text(["Grace Hopper"])
    page.keyboard.press("Shift+Tab")
    remove = page.get_by_role("button", name="Remove speaker Grace Hopper")
    expect(remove).to_be_focused()
    page.keyboard.press("Delete")
    expect(chosen(page)).to_have_count(0)
    expect(picker).to_be_focused()

    # ArrowDown opens every candidate; End and Enter add the last one.
    page.keyboard.press("ArrowDown")
    options = page.get_by_role("listbox", name="Speakers: suggestions").get_by_role("option")
    expect(options).to_have_count(5)
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    expect(chosen(page)).to_have_text(["Zoë Ångström"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Compilers for everyone", level=1)).to_be_visible()
    assert list(session.speakers.values_list("name", flat=True)) == ["Zoë Ångström"]
    assert violations == []


def test_without_javascript_the_native_select_posts_the_speakers(live_server, browser, event):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/new")
    page.get_by_label("Title", exact=True).fill("Compilers for everyone")
    expect(page.get_by_role("combobox", name="Speakers")).to_have_count(0)
    page.get_by_label("Speakers").select_option(label=["Grace Hopper", "Margaret Hamilton"])
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", name="Compilers for everyone", level=1)).to_be_visible()
    session = Session.objects.get(title="Compilers for everyone")
    assert sorted(session.speakers.values_list("name", flat=True)) == ["Grace Hopper", "Margaret Hamilton"]
    context.close()
