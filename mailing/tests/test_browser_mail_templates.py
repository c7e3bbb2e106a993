"""The mail templates in a real browser: an organizer rewrites the acceptance mail of her event,
watches the preview follow her typing (placeholders inserted with a click), saves; then she
accepts a session, and the mail the speaker receives (over SMTP) has her wording."""
import os

import pytest
from playwright.sync_api import expect

from mailing.models import MailTemplate
from openevent.users.tests.helpers import log_in
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]



def test_organizer_rewrites_the_acceptance_mail_and_the_next_one_uses_it(live_server, page, smtp_sink, violations):
    w = Program(name="Open Tech Summit")
    session, speaker = w.own_session, w.speaker
    base = live_server.url
    log_in(page, base, w.people["organizer"].email)

    # From the event's pages to the acceptance mail's editor.
    page.goto(f"{base}/events/{w.event.identifier}/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Mail").click()
    expect(page.get_by_role("heading", name="Mail templates", level=1)).to_be_visible()
    page.get_by_role("link", name="Edit the mail “Session accepted”").click()
    expect(page.get_by_role("heading", name="Mail “Session accepted”", level=1)).to_be_visible()

    # It starts from the platform's wording, previewed with the event's own session and speaker.
    subject = page.get_by_label("Subject")
    text = page.get_by_label("Text", exact=True)
    expect(subject).to_have_value("Your session “{session_title}” was accepted at {event_name}")
    preview = page.get_by_role("region", name="Preview")
    preview_subject = preview.locator("[data-preview=subject]")
    expect(preview_subject).to_have_text(f"Your session “{session.title}” was accepted at Open Tech Summit")
    mail_frame = page.frame_locator("iframe[title='The mail as HTML']")
    expect(mail_frame.get_by_text(f"Hello {speaker.name},")).to_be_visible()

    # She types a new subject and inserts a placeholder with a click; the preview follows.
    subject.fill("Welcome aboard, ")
    subject.press("End")
    page.get_by_role("button", name="{speaker_name}").click()
    expect(subject).to_have_value("Welcome aboard, {speaker_name}")
    expect(preview_subject).to_have_text(f"Welcome aboard, {speaker.name}")

    # A placeholder the mail does not have is pointed out as she types.
    text.fill("Dear {nickname},")
    expect(preview.get_by_role("alert")).to_contain_text("This mail has no placeholder {nickname}")
    text.fill("Dear ")
    text.press("End")
    page.get_by_role("button", name="{speaker_name}").click()
    text.press("End")
    text.press_sequentially(",\n\nsee you at {event_name}: your talk “{session_title}” is in.")
    expect(mail_frame.get_by_text(f"Dear {speaker.name},")).to_be_visible()
    expect(mail_frame.get_by_text(f"see you at Open Tech Summit: your talk “{session.title}” is in.")).to_be_visible()
    expect(preview.get_by_role("alert")).to_be_hidden()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "mail-template.png"), full_page=True)

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The mail “Session accepted” of Open Tech Summit now uses your wording.")).to_be_visible()
    expect(page.locator(".page-head__actions")).to_contain_text("Customized")
    template = MailTemplate.objects.get(event=w.event, action="session_accepted")
    assert template.subject == "Welcome aboard, {speaker_name}"
    assert template.body == "Dear {speaker_name},\n\nsee you at {event_name}: your talk “{session_title}” is in."

    # She accepts the speaker's session; the mail the speaker receives has her wording.
    page.goto(f"{base}/events/{w.event.identifier}/sessions/{session.pk}/")
    page.get_by_label("New state").select_option("accepted")
    page.get_by_role("button", name="Change state").click()
    expect(page.get_by_text(f"“{session.title}” moved from Pending to Accepted.")).to_be_visible()
    (message,) = [message for message in smtp_sink.messages if message["To"] == speaker.email]
    assert message["Subject"] == f"Welcome aboard, {speaker.name}"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(
        f"Dear {speaker.name},\n\nsee you at Open Tech Summit: your talk “{session.title}” is in."
    )
    # The organizer's pages ran under the strict policy, the preview frame included.
    assert violations == []


def test_placeholders_go_in_with_the_keyboard_too(live_server, page):
    w = Program()
    base = live_server.url
    log_in(page, base, w.people["coorganizer"].email)
    page.goto(f"{base}/events/{w.event.identifier}/mail/templates/session_rejected/")
    text = page.get_by_label("Text", exact=True)
    text.fill("Sorry, ")
    text.press("End")
    # Tab away to the placeholder and press Enter: it goes where the cursor was in the text.
    button = page.get_by_role("button", name="{session_title}")
    button.focus()
    page.keyboard.press("Enter")
    expect(text).to_have_value("Sorry, {session_title}")
    expect(page.get_by_role("region", name="Preview").locator("[data-preview=text]")).to_contain_text(
        f"Sorry, {w.own_session.title}"
    )


def test_organizer_mails_the_speakers_of_accepted_sessions(live_server, page, mailoutbox, violations):
    w = Program(name="Open Tech Summit")
    accepted = SessionFactory(event=w.event, title="Rust in space", state="accepted")
    ada = SpeakerFactory(event=w.event, name="Ada", email="ada@example.org")
    bob = SpeakerFactory(event=w.event, name="Bob", email="bob@example.org")
    accepted.speakers.add(ada, bob)
    base = live_server.url
    log_in(page, base, w.people["coorganizer"].email)
    page.goto(f"{base}/events/{w.event.identifier}/mail/")
    page.get_by_role("navigation", name="Mail pages").get_by_role("link", name="Mail speakers").click()
    expect(page.get_by_role("heading", name="Mail speakers", level=1)).to_be_visible()

    page.get_by_role("group", name="Speakers of sessions in these states").get_by_label("Accepted").check()
    page.get_by_label("Subject").fill("Rooms for {speaker_name}")
    page.get_by_label("Text", exact=True).fill("Dear {speaker_name}, “{session_titles}” is in Hall A.")
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_role("status")).to_have_text("This mail goes to 2 addresses.")
    expect(preview.locator("[data-preview=subject]")).to_have_text("Rooms for Ada")
    page.get_by_label("Preview as").select_option(label="Bob")
    expect(preview.locator("[data-preview=subject]")).to_have_text("Rooms for Bob")
    frame = page.frame_locator("iframe[title='The mail as HTML']")
    expect(frame.get_by_text("Dear Bob, “Rust in space” is in Hall A.")).to_be_visible()

    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Sent mail", level=1)).to_be_visible()
    expect(page.get_by_text("2 mails queued.")).to_be_visible()
    expect(page.get_by_role("cell", name="Rooms for Ada")).to_be_visible()
    expect(page.get_by_role("cell", name="Rooms for Bob")).to_be_visible()
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.org", "bob@example.org"]
    assert violations == []
