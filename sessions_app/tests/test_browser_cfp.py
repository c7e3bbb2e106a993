"""The call for papers in a real browser: a speaker opens the call, submits without the short
abstract the organizers made required, sees the error on that field, writes it in the rich-text
editor, gets the confirmation and finds the proposal in My proposals."""
import pytest
from playwright.sync_api import expect

from events.models import CustomForm
from events.services.custom_forms import ensure_form
from events.tests.factories import EventFactory, SpeakersCallFactory
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.helpers import log_in
from sessions_app.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def test_speaker_fixes_a_missing_required_field_and_sees_the_proposal(live_server, page, violations):
    event = EventFactory(name="Open Tech Summit", is_sessions_speakers_enabled=True)
    SpeakersCallFactory(event=event, announcement="<p>Send us your talks.</p>")
    ensure_form(event, "session")
    CustomForm.objects.filter(event=event, form="session", field_identifier="shortAbstract").update(is_required=True)
    speaker = UserFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")
    log_in(page, live_server.url, speaker.email)

    page.goto(f"{live_server.url}/e/{event.identifier}/cfp/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open Tech Summit")
    expect(page.get_by_text("Send us your talks.")).to_be_visible()
    page.get_by_role("link", name="Submit a proposal").click()

    expect(page.get_by_label("Name *")).to_have_value("Ada Lovelace")
    page.get_by_label("Title *").fill("Open hardware for everyone")
    page.get_by_role("button", name="Submit proposal").click()

    # The error sits on the short abstract; nothing was saved.
    field = page.locator(".field--invalid")
    expect(field).to_have_count(1)
    expect(field).to_contain_text("Short abstract")
    assert not Session.objects.exists()
    expect(page.get_by_label("Title *")).to_have_value("Open hardware for everyone")

    editor = page.get_by_role("textbox", name="Short abstract *")
    expect(editor).to_have_attribute("contenteditable", "true")
    editor.click()
    page.keyboard.type("Why open hardware matters.")
    page.get_by_role("button", name="Submit proposal").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("your proposal was submitted")
    session = Session.objects.get(event=event)
    assert "Why open hardware matters." in session.short_abstract

    page.get_by_role("link", name="My proposals").first.click()
    row = page.get_by_role("row", name="Open hardware for everyone")
    expect(row).to_contain_text("Open Tech Summit")
    expect(row).to_contain_text("Pending")
    assert violations == []
