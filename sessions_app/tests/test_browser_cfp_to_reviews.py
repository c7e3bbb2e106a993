"""From the forms builder to the reviews in one real browser, as the issue's "done" story: the
organizer makes the short abstract required and adds a "T-shirt size" choice; a speaker submits
without an abstract, sees the error, completes it and finds the proposal in My proposals; the
organizer sees the answer; two reviewers score it with the keyboard; the sessions table sorts by
score."""
import pytest
from playwright.sync_api import expect

from events.models import CustomForm, Reviewer, Role
from events.tests.factories import SpeakersCallFactory, event_with_owner, give_role
from events.tests.forms_builder_page import add_field
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import log_in
from sessions_app.models import Review, Session
from sessions_app.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    log_in(page, live_server.url, user.email, PASSWORD)


def build_the_form(page, live_server, event):
    page.goto(f"{live_server.url}/events/{event.identifier}/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Forms").click()
    expect(page.get_by_role("heading", name="Session form")).to_be_visible()
    page.get_by_label("Require Short abstract").check()
    add_field(page, "T-shirt size", "Choose one", "S\nM\nL")
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")


def submit_the_proposal(page, live_server, event):
    page.goto(f"{live_server.url}/e/{event.identifier}/cfp/")
    page.get_by_role("link", name="Submit a proposal").click()
    page.get_by_label("Title *").fill("Open hardware for everyone")
    page.get_by_label("T-shirt size").select_option("M")
    page.get_by_role("button", name="Submit proposal").click()
    # Refused: the error sits on the short abstract, the other answers are kept.
    invalid = page.locator(".field--invalid")
    expect(invalid).to_have_count(1)
    expect(invalid).to_contain_text("Short abstract")
    expect(page.get_by_label("T-shirt size")).to_have_value("M")
    assert not Session.objects.filter(event=event, title="Open hardware for everyone").exists()

    editor = page.get_by_role("textbox", name="Short abstract *")
    editor.click()
    page.keyboard.type("Why open hardware matters.")
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your proposal was submitted")
    page.get_by_role("link", name="My proposals").first.click()
    expect(page.get_by_role("row", name="Open hardware for everyone")).to_contain_text("Pending")


def mark_reviewer(page, member):
    page.get_by_label("Team member").select_option(label=member.email)
    page.get_by_label("Reviews proposals", exact=True).check()
    page.get_by_role("button", name="Save reviewer").click()
    expect(page.get_by_text(f"{member.email} reviews.")).to_be_visible()


def score_everything(page, live_server, event, scores):
    """Score the proposals as the queue offers them: a digit key, then Enter."""
    page.goto(f"{live_server.url}/events/{event.identifier}/reviews/")
    for _ in scores:
        title = page.locator("#proposal-heading").inner_text()
        page.locator("body").click(position={"x": 1, "y": 1})
        page.keyboard.press(str(scores[title]))
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Your review of “{title}” was saved.")).to_be_visible()
    expect(page.get_by_text("Nothing left to review")).to_be_visible()


def test_from_the_forms_builder_to_a_table_sorted_by_score(live_server, page, violations):
    organizer = UserFactory(email="olga@example.org")
    event, _ = event_with_owner(owner=organizer, name="Open Tech Summit", is_sessions_speakers_enabled=True)
    SpeakersCallFactory(event=event)
    speaker = UserFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")
    reviewers = [UserFactory(email="rita@example.org"), UserFactory(email="ravi@example.org")]
    for reviewer in reviewers:
        give_role(reviewer, event, Role.MODERATOR)
    SessionFactory(event=event, state="pending", title="A modest proposal")

    # The organizer shapes the session form.
    log_in(page, live_server.url, organizer.email, PASSWORD)
    build_the_form(page, live_server, event)
    shirt = CustomForm.objects.get(event=event, form="session", name="T-shirt size")

    # The speaker proposes a talk.
    switch_user(page, live_server, speaker)
    submit_the_proposal(page, live_server, event)
    proposal = Session.objects.get(event=event, title="Open hardware for everyone")
    assert proposal.complex_field_values == {shirt.field_identifier: "M"}
    assert "Why open hardware matters." in proposal.short_abstract

    # The organizer reads the answer and marks two reviewers.
    switch_user(page, live_server, organizer)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/{proposal.pk}/")
    answers = page.get_by_role("region", name="Answers")
    expect(answers).to_contain_text("T-shirt size")
    expect(answers).to_contain_text("M")
    page.goto(f"{live_server.url}/events/{event.identifier}/reviews/settings")
    for reviewer in reviewers:
        mark_reviewer(page, reviewer)
    assert Reviewer.objects.filter(event=event).count() == len(reviewers)

    # Both reviewers score both proposals; the speaker's scores higher.
    for reviewer, high in zip(reviewers, (3, 2), strict=True):
        switch_user(page, live_server, reviewer)
        score_everything(page, live_server, event, {"Open hardware for everyone": high, "A modest proposal": 1})
    assert sorted(Review.objects.filter(session=proposal).values_list("score", flat=True)) == [2, 3]

    # The organizer's table shows the figures and sorts by score.
    switch_user(page, live_server, organizer)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/")
    titles = page.locator("table.sessions-table tbody a.session-title")
    score = page.get_by_role("columnheader", name="Score")
    score.get_by_role("link").click()
    expect(score).to_have_attribute("aria-sort", "ascending")
    expect(titles).to_have_text(["A modest proposal", "Open hardware for everyone"])
    score.get_by_role("link").click()
    expect(score).to_have_attribute("aria-sort", "descending")
    expect(titles).to_have_text(["Open hardware for everyone", "A modest proposal"])
    best = page.locator("table.sessions-table tbody tr").first
    expect(best).to_contain_text("2.5")
    assert violations == []
