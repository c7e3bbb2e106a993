"""The public schedule in a real browser: search by a speaker's name answers live as one types,
the same search works with JavaScript off (``?q=``), filters narrow without a reload, the zone
switch shows the visitor's time, and a phone-sized screen (375 px) never scrolls sideways."""
import datetime

import pytest
from playwright.sync_api import expect

from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.public_world import PublicWorld

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

PHONE = {"width": 375, "height": 740}
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def world():
    return PublicWorld()


def visible_titles(page):
    return page.locator("[data-session]:visible .session-card__title").all_inner_texts()


def test_search_by_speaker_name_is_live(live_server, page, world, violations):
    page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
    expect(page.locator("[data-session]:visible")).to_have_count(2)
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].name")
    page.get_by_label("Search title, speaker, position or organisation").press_sequentially("alice")
    expect(page.locator("[data-session]:visible")).to_have_count(1)
    assert visible_titles(page) == ["Open hardware for all"]
    # Case does not matter, and a miss says so.
    page.get_by_label("Search title, speaker, position or organisation").fill("NOBODY AT ALL")
    expect(page.get_by_text("No matching results found.")).to_be_visible()
    expect(page.locator("[data-session]:visible")).to_have_count(0)
    page.get_by_label("Search title, speaker, position or organisation").fill("BOB OKAFOR")
    expect(page.locator("[data-session]:visible")).to_have_count(2)
    expect(page.get_by_text("No matching results found.")).to_be_hidden()
    # A filter narrows it further, still without a reload; the address keeps what was asked.
    page.get_by_label("Day").select_option("2031-05-07")
    expect(page.locator("[data-session]:visible")).to_have_count(1)
    assert visible_titles(page) == ["Keynote: the road ahead"]
    assert page.evaluate("() => performance.getEntriesByType('navigation')[0].name") == loaded
    assert "q=BOB+OKAFOR" in page.url
    assert "day=2031-05-07" in page.url
    assert violations == []


def test_search_by_speaker_name_without_javascript(live_server, browser, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
        page.get_by_label("Search title, speaker, position or organisation").fill("alice jansen")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**q=alice+jansen**")
        assert visible_titles(page) == ["Open hardware for all"]
        page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/?q=nobody")
        expect(page.get_by_text("No matching results found.")).to_be_visible()
        # The filters are links and a form: the grid view is a link away.
        page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
        page.get_by_role("link", name="Rooms × time").click()
        expect(page.locator(".schedule-grid").first).to_be_visible()
        assert page.locator(".schedule-grid").first.evaluate("e => getComputedStyle(e).display") == "grid"
        times = page.locator("time[data-local]").first.inner_text()
        assert times == "10:00–11:00"
    finally:
        context.close()


def test_the_visitors_time_zone_on_request(live_server, browser, world):
    context = browser.new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
        first = page.locator("time[data-local]").first
        expect(first).to_have_text("10:00–11:00")
        page.get_by_role("button", name="Show in my time zone").click()
        # 02:00 UTC is 04:00 in Berlin in May (CEST).
        expect(first).to_have_text("04:00–05:00")
        expect(page.get_by_text("your time zone (Europe/Berlin)")).to_be_visible()
        page.get_by_role("button", name="Show in the event's time zone").click()
        expect(first).to_have_text("10:00–11:00")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "schedule/", "schedule/?view=grid", "sessions/{talk}/", "speakers/", "rooms/"])
def test_no_sideways_scroll_at_375_px(live_server, page, world, path, violations):
    long_name = "Dr. Maximiliana Wolfeschlegelsteinhausenbergerdorff"
    speaker = SpeakerFactory(event=world.event, name=long_name, organisation="International Consortium")
    session = SessionFactory(
        event=world.event, title="A rather long title about distributed systems and their many failure modes",
        starts_at=world.talk.starts_at, ends_at=world.talk.starts_at + datetime.timedelta(minutes=90),
        microlocation=world.other_room,
    )  # fmt: skip
    session.speakers.add(speaker)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/e/{world.event.identifier}/{path.format(talk=world.talk.pk)}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(SCROLLS_SIDEWAYS) is False
    assert violations == []


#: What one keystroke may cost on 1,000 sessions (the issue asks for 16 ms; the margin is for a
#: loaded CI machine).
KEYSTROKE_BUDGET_MS = 50


def test_a_keystroke_filters_1000_sessions_quickly(live_server, page, world):
    speakers = SpeakerFactory._meta.model.objects.bulk_create(
        SpeakerFactory.build(event=world.event, email=f"bulk{i}@example.org") for i in range(50)
    )
    start = world.talk.starts_at
    sessions = SessionFactory._meta.model.objects.bulk_create(
        SessionFactory.build(event=world.event, title=f"Bulk session {i}", microlocation=world.room,
                             starts_at=start + datetime.timedelta(minutes=5 * i),
                             ends_at=start + datetime.timedelta(minutes=5 * i + 30))
        for i in range(1000)
    )
    through = SessionFactory._meta.model.speakers.through
    through.objects.bulk_create(
        through(session_id=session.pk, speaker_id=speakers[i % len(speakers)].pk) for i, session in enumerate(sessions)
    )
    page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
    expect(page.locator("[data-session]")).to_have_count(1002)
    box = page.get_by_label("Search title, speaker, position or organisation")
    timings = []
    for text in ("s", "sp", "spe", "speaker 1", "bulk session 999"):
        timings.append(box.evaluate(
            """(input, text) => {
                 const started = performance.now();
                 input.value = text;
                 input.dispatchEvent(new Event("input", { bubbles: true }));
                 return performance.now() - started;
               }""",
            text,
        ))  # fmt: skip
    expect(page.locator("[data-session]:visible")).to_have_count(1)
    assert max(timings[1:]) < KEYSTROKE_BUDGET_MS, timings
