"""The scheduler in a real browser: an organizer drags an unscheduled session into a room, moves
it, resizes it, moves it with the keyboard, undoes, and unschedules it again; a refused change puts
the card back and says why. Every change is checked in the database, and no page breaks the
Content-Security-Policy."""
import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Role
from events.tests.factories import EventFactory, MicrolocationFactory, SessionTypeFactory, TrackFactory, give_role
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.helpers import log_in
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

PX_PER_MINUTE = 2  # static/js/scheduler.js
COLUMN = 176


class World:
    """An event from 09:00 (``late`` minutes later) to 18:00, its grid from 09:00, two rooms and
    a hidden one, an unscheduled talk of 45 minutes and a session at 09:15 in Hall A."""

    def __init__(self, late=0):
        self.owner = UserFactory(email="sam@example.org")
        day = (timezone.now() + datetime.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
        self.start = day
        # Sessions and speakers enabled: the public pages show a schedule only then.
        self.event = EventFactory(
            name="Scheduler Summit", starts_at=day + datetime.timedelta(minutes=late),
            ends_at=day + datetime.timedelta(hours=9), is_sessions_speakers_enabled=True,
        )  # fmt: skip
        give_role(self.owner, self.event, Role.ORGANIZER)
        self.hall_a = MicrolocationFactory(event=self.event, name="Hall A", position=0)
        self.hall_b = MicrolocationFactory(event=self.event, name="Hall B", position=1)
        self.backstage = MicrolocationFactory(event=self.event, name="Backstage", position=2, hidden_in_scheduler=True)
        track = TrackFactory(event=self.event, name="Web", color="#1f6feb")
        talk = SessionTypeFactory(event=self.event, name="Talk", length="00:45")
        self.unplaced = SessionFactory(event=self.event, title="Unplaced talk", track=track, session_type=talk)
        self.unplaced.speakers.add(SpeakerFactory(event=self.event, name="Ada Lovelace"))
        self.early = SessionFactory(event=self.event, title="Opening", track=track, microlocation=self.hall_a,
                                    starts_at=self.at(15), ends_at=self.at(45))  # fmt: skip
        SessionFactory(event=self.event, title="Pending idea", state="pending")

    def at(self, minutes):
        return self.start + datetime.timedelta(minutes=minutes)

    def url(self, base):
        return f"{base}/events/{self.event.identifier}/schedule/"


def open_scheduler(page, live_server, world):
    page.set_viewport_size({"width": 1400, "height": 1100})
    log_in(page, live_server.url, world.owner.email)
    page.goto(f"{live_server.url}/events/{world.event.identifier}/sessions/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", name="Schedule", level=1)).to_be_visible()
    expect(page.locator("[data-scheduler][data-ready]")).to_be_attached()


def card(page, title):
    return page.locator("[data-session]").filter(has_text=title)


def canvas_point(page, room_index, minutes, dx=20):
    box = page.locator("[data-canvas]").bounding_box()
    return box["x"] + room_index * COLUMN + dx, box["y"] + minutes * PX_PER_MINUTE + 1


def drag(page, source, to, grab=None):
    box = source.bounding_box()
    x, y = grab or (box["x"] + box["width"] / 2, box["y"] + 4)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=3)
    page.mouse.move(*to, steps=6)
    page.mouse.up()


def saved(page):
    status = page.get_by_role("status")
    expect(status).to_contain_text("Saved:")


def landed(page):
    """Wait until the page has no change in flight (the card moves before its PATCH lands); the
    database is read only then (polling it would lock the live server's shared SQLite)."""
    expect(page.locator("[data-scheduler]")).to_have_attribute("data-saving", "0")


def schedule_of(session):
    session.refresh_from_db()
    return session.microlocation_id, session.starts_at, session.ends_at


def test_drag_move_resize_keyboard_undo_and_unschedule(live_server, page, violations):
    world = World()
    open_scheduler(page, live_server, world)
    pane = page.get_by_role("list", name="Unscheduled sessions")
    rooms = page.get_by_role("list", name="Rooms").get_by_role("listitem")
    expect(rooms).to_have_text(["Hall A", "Hall B"])  # Backstage is hidden from the scheduler
    expect(pane.locator("[data-session]")).to_have_text(["Unplaced talkAda LovelaceWeb"])
    # Pending proposals show when asked for.
    page.get_by_label("Pending proposals too").check()
    expect(pane.locator("[data-session]")).to_have_count(2)
    page.get_by_label("Search").fill("lovelace")
    expect(pane.locator("[data-session]")).to_have_count(1)
    page.get_by_label("Search").fill("")
    page.get_by_label("Track").select_option(label="Web")
    expect(pane.locator("[data-session]")).to_have_count(1)
    page.get_by_label("Track").select_option(label="All tracks")
    page.get_by_label("Pending proposals too").uncheck()

    # Dragged into Hall B at 11:00: its type's 45 minutes.
    drag(page, card(page, "Unplaced talk"), canvas_point(page, 1, 120))
    saved(page)
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_b.pk, world.at(120), world.at(165))
    expect(pane.locator("[data-session]")).to_have_count(0)
    expect(card(page, "Unplaced talk")).to_contain_text("11:00–11:45")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "scheduler.png"))
        page.emulate_media(media="print")
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "scheduler-print.png"))
        page.emulate_media(media="screen")

    # Moved half an hour later into Hall A.
    placed = card(page, "Unplaced talk")
    box = placed.bounding_box()
    drag(page, placed, (box["x"] + box["width"] / 2 - COLUMN, box["y"] + 4 + 30 * PX_PER_MINUTE))
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_a.pk, world.at(150), world.at(195))
    expect(card(page, "Unplaced talk")).to_contain_text("11:30–12:15")

    # Resized by its bottom edge to end at 12:30.
    box = card(page, "Unplaced talk").bounding_box()
    bottom = box["y"] + box["height"] - 2
    drag(page, card(page, "Unplaced talk"), (box["x"] + 30, bottom + 15 * PX_PER_MINUTE), grab=(box["x"] + 30, bottom))
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_a.pk, world.at(150), world.at(210))
    expect(card(page, "Unplaced talk")).to_contain_text("11:30–12:30")

    # The keyboard: down one step (15 minutes), right one room.
    card(page, "Unplaced talk").focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_a.pk, world.at(165), world.at(225))
    expect(card(page, "Unplaced talk")).to_be_focused()
    page.keyboard.press("ArrowRight")
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_b.pk, world.at(165), world.at(225))
    expect(card(page, "Unplaced talk")).to_contain_text("11:45–12:45")

    # Undo (button): back to Hall A; undo again (Ctrl+Z): back to 11:30.
    page.get_by_role("button", name="Undo").click()
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_a.pk, world.at(165), world.at(225))
    page.keyboard.press("Control+z")
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_a.pk, world.at(150), world.at(210))
    expect(card(page, "Unplaced talk")).to_contain_text("11:30–12:30")

    # Dropped back on the pane: unscheduled.
    drag(page, card(page, "Unplaced talk"), (pane.bounding_box()["x"] + 40, pane.bounding_box()["y"] + 10))
    landed(page)
    assert schedule_of(world.unplaced) == (None, None, None)
    expect(pane.locator("[data-session]")).to_have_text(["Unplaced talkAda LovelaceWeb"])
    assert violations == []


def test_a_refused_change_puts_the_card_back_and_says_why(live_server, page, violations):
    world = World(late=10)  # the event starts at 09:10; its grid at 09:00
    open_scheduler(page, live_server, world)
    opening = card(page, "Opening")
    expect(opening).to_contain_text("09:15–09:45")
    # 09:00 is before the event starts: the API refuses, the card returns, the error shows.
    opening.focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("alert")).to_contain_text("“Opening” was not moved: A session must start within its event.")
    expect(card(page, "Opening")).to_contain_text("09:15–09:45")
    assert schedule_of(world.early) == (world.hall_a.pk, world.at(15), world.at(45))
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()
    # The next change clears the error.
    card(page, "Opening").focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    assert schedule_of(world.early) == (world.hall_a.pk, world.at(30), world.at(60))
    expect(page.locator("[data-error]")).to_be_hidden()
    assert violations == []


def test_steps_the_day_edge_and_enter_opening_the_session(live_server, page, violations):
    world = World()
    SessionFactory(event=world.event, title="Late one", microlocation=world.hall_b,
                   starts_at=world.at(8 * 60), ends_at=world.at(8 * 60 + 30))  # fmt: skip
    open_scheduler(page, live_server, world)
    expect(page.get_by_role("tab")).to_have_count(1)
    page.get_by_label("Step").select_option("30")
    card(page, "Late one").focus()
    page.keyboard.press("ArrowUp")
    landed(page)
    assert Session.objects.get(title="Late one").starts_at == world.at(7 * 60 + 30)
    # The grid ends at 18:00: a move past the day's end is not sent.
    card(page, "Late one").focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    page.keyboard.press("ArrowDown")
    landed(page)
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("status")).to_contain_text("“Late one” stays within")
    landed(page)
    assert Session.objects.get(title="Late one").ends_at == world.at(9 * 60)
    card(page, "Late one").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/events/{world.event.identifier}/sessions/"
                             f"{Session.objects.get(title='Late one').pk}/edit")  # fmt: skip
    assert violations == []


def test_day_tabs_show_one_day_at_a_time(live_server, page, violations):
    world = World()
    world.event.ends_at = world.at(24 * 60 + 9 * 60)
    world.event.save()
    SessionFactory(event=world.event, title="Second day talk", microlocation=world.hall_b,
                   starts_at=world.at(24 * 60 + 60), ends_at=world.at(24 * 60 + 90))  # fmt: skip
    SessionFactory(event=world.event, title="Backstage chat", microlocation=world.backstage,
                   starts_at=world.at(60), ends_at=world.at(90))  # fmt: skip
    open_scheduler(page, live_server, world)
    # A session in a room hidden from the scheduler waits in the pane, its time said.
    expect(card(page, "Backstage chat")).to_contain_text("10:00, no room shown")
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(2)
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    expect(card(page, "Opening")).to_be_visible()
    expect(card(page, "Second day talk")).to_have_count(0)  # only the shown day's cards exist
    tabs.nth(1).click()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(card(page, "Second day talk")).to_contain_text("10:00–10:30")
    expect(card(page, "Opening")).to_have_count(0)
    assert violations == []


def test_the_scheduler_opens_on_the_day_of_the_earliest_session(live_server, page, violations):
    # Sessions come sorted by title: a second-day "Aardvark" sorts before the first day's "Opening",
    # and the scheduler still opens on the first day.
    world = World()
    world.event.ends_at = world.at(24 * 60 + 9 * 60)
    world.event.save()
    SessionFactory(event=world.event, title="Aardvark keynote", microlocation=world.hall_b,
                   starts_at=world.at(24 * 60 + 60), ends_at=world.at(24 * 60 + 90))  # fmt: skip
    open_scheduler(page, live_server, world)
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    expect(card(page, "Opening")).to_be_visible()
    expect(card(page, "Aardvark keynote")).to_have_count(0)
    assert violations == []
