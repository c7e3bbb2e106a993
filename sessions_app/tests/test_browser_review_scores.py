"""Reviews in a real browser, end to end: two reviewers score three proposals from the keyboard
(a digit picks the score, Enter saves and shows the next), then the organizer sorts the sessions
table by score and by review count and sees the best-scored proposal first."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Role
from events.services import reviews as reviewer_services
from events.tests.factories import EventFactory, TrackFactory, give_role
from openevent.users.tests.factories import PASSWORD, UserFactory
from sessions_app.models import Review
from sessions_app.services import write_review
from sessions_app.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

# Each reviewer's score of each proposal, in the order the queue shows them (first submitted first).
SCORES = {
    "Rust at scale": {"rita@example.org": 1, "raj@example.org": 2},  # 1.5
    "Typed Python": {"rita@example.org": 3, "raj@example.org": 3},  # 3.0
    "Legacy COBOL": {"rita@example.org": 0, "raj@example.org": 1},  # 0.5
}


def log_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()


def titles(page):
    return page.locator("table.sessions-table tbody a.session-title")


def score_cells(page):
    return page.locator("table.sessions-table tbody td.numeric:last-child")


def review_with_the_keyboard(page, base_url, event, reviewer):
    """Open the review page and score every proposal in the queue with a digit key and Enter."""
    log_in(page, base_url, reviewer)
    page.goto(f"{base_url}/events/{event.identifier}/reviews/")
    for title, scores in SCORES.items():
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
        page.keyboard.press(str(scores[reviewer.email]))
        expect(page.get_by_role("radio", name=f"{scores[reviewer.email]} ·")).to_be_checked()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Your review of “{title}” was saved.")).to_be_visible()
    expect(page.get_by_text("Nothing left to review")).to_be_visible()
    mine = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Changed"))
    expect(mine.locator("tbody tr")).to_have_count(len(SCORES))


def test_two_reviewers_score_and_the_organizer_sorts_the_table_by_score(live_server, page, violations):
    organizer = UserFactory(email="olga@example.org")
    event = EventFactory(name="Open Tech Summit", is_sessions_speakers_enabled=True)
    give_role(organizer, event, Role.OWNER)
    track = TrackFactory(event=event, name="Languages")
    reviewers = [UserFactory(email=email) for email in ("rita@example.org", "raj@example.org")]
    for reviewer in reviewers:
        give_role(reviewer, event, Role.MODERATOR)
        reviewer_services.mark_reviewer(organizer, event, reviewer)
    now = timezone.now()
    sessions = {
        title: SessionFactory(
            event=event,
            title=title,
            state="pending",
            track=track,
            submitted_at=now - datetime.timedelta(days=len(SCORES) - position),
        )
        for position, title in enumerate(SCORES)
    }

    for reviewer in reviewers:
        review_with_the_keyboard(page, live_server.url, event, reviewer)

    stored = {(review.session.title, review.reviewer.email): review.score for review in Review.objects.all()}
    assert stored == {(title, email): score for title, scores in SCORES.items() for email, score in scores.items()}

    # The organizer opens the sessions table: each proposal's review count and mean score.
    log_in(page, live_server.url, organizer)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/")
    expect(titles(page)).to_have_text(["Legacy COBOL", "Rust at scale", "Typed Python"])
    expect(score_cells(page)).to_have_text(["0.5", "1.5", "3.0"])

    # Sorted by score (the script, in place): lowest first, then a second click puts the best first.
    score = page.get_by_role("columnheader", name="Score")
    score.get_by_role("link").click()
    expect(score).to_have_attribute("aria-sort", "ascending")
    expect(titles(page)).to_have_text(["Legacy COBOL", "Rust at scale", "Typed Python"])
    score.get_by_role("link").click()
    expect(score).to_have_attribute("aria-sort", "descending")
    expect(titles(page)).to_have_text(["Typed Python", "Rust at scale", "Legacy COBOL"])
    expect(score_cells(page)).to_have_text(["3.0", "1.5", "0.5"])
    assert page.url.endswith("?sort=-score")

    # The address keeps the order: reloaded, the server sorts the same way.
    page.reload()
    expect(titles(page)).to_have_text(["Typed Python", "Rust at scale", "Legacy COBOL"])
    expect(page.get_by_role("columnheader", name="Score")).to_have_attribute("aria-sort", "descending")

    # By review count, after ten more team members scored the weakest proposal: 12 reviews sort
    # after 2 as numbers (as text "12" would come first).
    for n in range(10):
        member = UserFactory(email=f"member{n}@example.org")
        give_role(member, event, Role.MODERATOR)
        reviewer_services.mark_reviewer(organizer, event, member)
        write_review(member, sessions["Legacy COBOL"], 2)
    page.goto(f"{live_server.url}/events/{event.identifier}/sessions/?sort=title")
    reviews = page.get_by_role("columnheader", name="Reviews")
    reviews.get_by_role("link").click()
    expect(reviews).to_have_attribute("aria-sort", "ascending")
    expect(titles(page)).to_have_text(["Rust at scale", "Typed Python", "Legacy COBOL"])  # 2, 2, 12
    reviews.get_by_role("link").click()
    expect(titles(page)).to_have_text(["Legacy COBOL", "Typed Python", "Rust at scale"])  # ties: newer first
    expect(score_cells(page)).to_have_text(["1.8", "3.0", "1.5"])  # (0 + 1 + 10 × 2) / 12 = 1.75
    assert violations == []


NARROW = 375  # px, a small phone


def test_score_choices_stay_whole_on_a_narrow_screen(live_server, page, violations):
    """At 375 px the four choices wrap, but each "2 · Yes" keeps its radio and label on one line."""
    event = EventFactory(is_sessions_speakers_enabled=True)
    owner = UserFactory()
    give_role(owner, event, Role.OWNER)
    reviewer_services.mark_reviewer(owner, event, owner)
    SessionFactory(event=event, title="Typed Python", state="pending", submitted_at=timezone.now())
    page.set_viewport_size({"width": NARROW, "height": 800})
    log_in(page, live_server.url, owner)
    page.goto(f"{live_server.url}/events/{event.identifier}/reviews/")
    labels = page.locator("label.review-score")
    expect(labels).to_have_count(4)
    # A label broken over two lines has a box per line.
    lines = labels.evaluate_all("labels => labels.map((label) => label.getClientRects().length)")
    assert lines == [1, 1, 1, 1], labels.all_inner_texts()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
    assert violations == []
