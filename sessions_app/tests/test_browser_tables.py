"""Tables and focus in a real browser, on a narrow screen: no word is split inside a cell, a long
e-mail address stays whole while the table scrolls inside its card, and the focus ring has its
own colour, not the error colour."""
import pytest

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

PASSWORD = "a long enough passphrase"
LONG_EMAIL = "a.very.long.participant.address@conferencedepartment.example.org"  # no break opportunity

# [text, lines] of each element matching ``selector``: the number of lines its text takes.
LINES = """selector => [...document.querySelectorAll(selector)].map(element => {
  const tops = new Set();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
  }
  return [element.textContent.trim(), tops.size];
})"""


def log_in(page, base_url, user):
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My events", level=1).wait_for()


@pytest.fixture
def team_event():
    owner = UserFactory(email="owner@example.org", first_name="Mei", last_name="Tan")
    owner.set_password(PASSWORD)
    owner.save()
    event, _ = event_with_owner(owner)
    give_role(UserFactory(email=LONG_EMAIL, first_name="Moderating", last_name="Person"), event, Role.MODERATOR)
    SpeakerFactory(event=event, name="Ada Lovelace", email=LONG_EMAIL, organisation="Analytical Engines")
    return event, owner


def test_cells_keep_their_words_whole_on_a_narrow_screen(live_server, page, team_event):
    event, owner = team_event
    page.set_viewport_size({"width": 400, "height": 900})
    log_in(page, live_server.url, owner)

    page.goto(f"{live_server.url}/events/{event.identifier}/")
    roles = page.evaluate(LINES, ".table .tag--role")
    assert sorted(roles) == [["Moderator", 1], ["Owner", 1]]
    cells = page.evaluate(LINES, ".table td")
    assert [LONG_EMAIL, 1] in cells, cells  # plain text: whole, the table scrolls in its card
    assert all(lines == 1 for text, lines in cells if " " not in text), cells
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{live_server.url}/events/{event.identifier}/speakers/")
    cells = page.evaluate(LINES, ".table td")
    assert all(lines == 1 for text, lines in cells if " " not in text and "@" not in text), cells
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_focus_ring_is_not_the_error_colour(live_server, page, team_event):
    event, owner = team_event
    log_in(page, live_server.url, owner)
    page.goto(f"{live_server.url}/events/{event.identifier}/team/")  # the invite form

    field = page.locator("input[type=email]").first
    field.focus()
    outline, style, border = field.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineColor, s.outlineStyle, s.borderTopColor]; }"
    )
    danger = page.evaluate(
        "() => { const p = document.createElement('p'); p.style.color = 'var(--color-danger)';"
        " document.body.append(p); const c = getComputedStyle(p).color; p.remove(); return c; }"
    )

    assert (outline, style, border) == ("rgb(91, 33, 182)", "solid", "rgb(91, 33, 182)")
    assert outline != danger
