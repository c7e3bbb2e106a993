"""The scheduler's tools in a real browser, under the Content-Security-Policy: the issue's done
story (drag in, resize, a speaker's conflict shown live, undo, release, the public schedule), a
stale change reloaded (409), "Clear overlaps" with its undo, a break across all rooms, rooms added
and reordered, the conflicts list and the day's exports. Every change is checked in the database
once the page has nothing in flight."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Microlocation
from sessions_app.models import ScheduleBlock, ScheduleRelease, Session
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.test_browser_scheduler import (
    COLUMN,
    PX_PER_MINUTE,
    World,
    canvas_point,
    card,
    drag,
    landed,
    open_scheduler,
    schedule_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def conflicts_list(page):
    return page.get_by_role("region", name="Conflicts")


def test_done_story_drag_resize_conflict_undo_release(live_server, page, violations):
    world = World()
    ada = world.unplaced.speakers.get()
    workshop = SessionFactory(event=world.event, title="Ada's workshop", microlocation=world.hall_a,
                              starts_at=world.at(120), ends_at=world.at(165))  # fmt: skip
    workshop.speakers.add(ada)
    open_scheduler(page, live_server, world)
    expect(page.locator("[data-release]")).to_contain_text("The schedule is not published.")
    expect(conflicts_list(page)).to_be_hidden()

    # Dragged into Hall B at 10:00: 10:00–10:45, no conflict.
    drag(page, card(page, "Unplaced talk"), canvas_point(page, 1, 60))
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_b.pk, world.at(60), world.at(105))
    expect(card(page, "Unplaced talk").locator("[data-conflict-badge]")).to_have_count(0)

    # Resized to end at 11:15: it overlaps Ada's workshop in Hall A (11:00) — warnings, live.
    box = card(page, "Unplaced talk").bounding_box()
    bottom = box["y"] + box["height"] - 2
    drag(page, card(page, "Unplaced talk"), (box["x"] + 30, bottom + 30 * PX_PER_MINUTE), grab=(box["x"] + 30, bottom))
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_b.pk, world.at(60), world.at(135))
    badge = card(page, "Unplaced talk").locator("[data-conflict-badge]")
    expect(badge).to_have_text("⚠ 2 warnings")  # the speaker, and longer than a talk
    expect(badge).to_have_attribute("data-conflict-badge", "warning")
    expect(card(page, "Ada's workshop").locator("[data-conflict-badge]")).to_have_text("⚠ 1 warning")
    expect(conflicts_list(page)).to_contain_text(
        "Warning: Unplaced talk: Ada Lovelace also speaks in “Ada's workshop” at that time"
    )
    # A conflict in the list focuses its card.
    conflicts_list(page).get_by_role("button").filter(has_text="Ada's workshop: Ada Lovelace also speaks").click()
    expect(card(page, "Ada's workshop")).to_be_focused()

    # Undo: back to 10:00–10:45, the warnings gone.
    page.get_by_role("button", name="Undo").click()
    landed(page)
    assert schedule_of(world.unplaced) == (world.hall_b.pk, world.at(60), world.at(105))
    expect(card(page, "Unplaced talk").locator("[data-conflict-badge]")).to_have_count(0)
    expect(card(page, "Ada's workshop").locator("[data-conflict-badge]")).to_have_count(0)
    expect(conflicts_list(page)).to_be_hidden()

    # Released from the releases page, linked from the scheduler.
    page.locator("[data-release]").get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", name="Schedule releases", level=1)).to_be_visible()
    expect(page.get_by_text("Unplaced talk")).to_be_visible()
    page.get_by_role("button", name="Release schedule").click()
    expect(page.get_by_text("Version 1 of the schedule is released.")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    release = ScheduleRelease.objects.get(event=world.event)
    talk = next(slot for slot in release.slots if slot["session"] == world.unplaced.pk)
    assert (talk["microlocation"], talk["starts_at"], talk["ends_at"]) == (
        world.hall_b.pk,
        world.at(60).isoformat(),
        world.at(105).isoformat(),
    )
    assert "Unplaced talk" in [entry["title"] for entry in release.changelog["new"]]
    expect(
        page.get_by_role("article", name="Version 1").get_by_role("listitem").filter(has_text="Unplaced talk")
    ).to_contain_text("10:00–10:45 · Hall B")
    # The public schedule shows the released session.
    page.goto(f"{live_server.url}/e/{world.event.identifier}/schedule/")
    public = page.locator("[data-session]:visible").filter(has_text="Unplaced talk")
    expect(public).to_have_count(1)
    expect(public).to_contain_text("10:00")
    expect(public).to_contain_text("Ada Lovelace")
    page.goto(world.url(live_server.url))
    expect(page.locator("[data-release]")).to_contain_text("The schedule is published: version 1")
    assert violations == []


def test_a_stale_change_reloads_the_session_and_keeps_the_other_write(live_server, page, violations):
    world = World()
    open_scheduler(page, live_server, world)
    expect(card(page, "Opening")).to_contain_text("09:15–09:45")
    # Someone else moves "Opening" to Hall B at 11:00 behind the page's back.
    Session.objects.filter(pk=world.early.pk).update(
        microlocation=world.hall_b, starts_at=world.at(120), ends_at=world.at(150), last_modified_at=timezone.now()
    )
    card(page, "Opening").focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    expect(page.get_by_role("alert")).to_contain_text("“Opening” was changed by someone else; reloaded.")
    expect(card(page, "Opening")).to_contain_text("11:00–11:30")
    canvas = page.locator("[data-canvas]").bounding_box()
    box = card(page, "Opening").bounding_box()
    assert round(box["x"] - canvas["x"]) == COLUMN  # Hall B's column
    assert round(box["y"] - canvas["y"]) == 120 * PX_PER_MINUTE
    assert schedule_of(world.early) == (world.hall_b.pk, world.at(120), world.at(150))
    # The reloaded version is the one the next change is made against: it goes through.
    card(page, "Opening").focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    assert schedule_of(world.early) == (world.hall_b.pk, world.at(135), world.at(165))
    assert violations == []


def test_clear_overlaps_unschedules_the_later_ones_and_one_undo_restores_them(live_server, page, violations):
    world = World()
    hall = world.hall_a
    Microlocation.objects.filter(pk=hall.pk).update(allows_parallel=True)
    alpha = SessionFactory(event=world.event, title="Alpha", microlocation=hall, starts_at=world.at(60),
                           ends_at=world.at(120))  # fmt: skip
    beta = SessionFactory(event=world.event, title="Beta", microlocation=hall, starts_at=world.at(90),
                          ends_at=world.at(150))  # fmt: skip
    gamma = SessionFactory(event=world.event, title="Gamma", microlocation=hall, starts_at=world.at(120),
                           ends_at=world.at(150))  # fmt: skip
    Microlocation.objects.filter(pk=hall.pk).update(allows_parallel=False)
    open_scheduler(page, live_server, world)
    expect(card(page, "Beta").locator("[data-conflict-badge]")).to_have_text("✖ 2 errors")
    expect(card(page, "Beta").locator("[data-conflict-badge]")).to_have_attribute("data-conflict-badge", "error")
    expect(conflicts_list(page)).to_contain_text("Error: Alpha: Hall A is also booked for “Beta”")

    # Dismissing the confirmation changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear overlaps").click()
    expect(card(page, "Beta").locator("[data-conflict-badge]")).to_have_text("✖ 2 errors")
    messages = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Clear overlaps").click()
    landed(page)
    assert "Unschedule 1 session that overlaps an earlier session in its room? “Beta”" in messages[0]
    # Beta overlapped Alpha, which started first; Gamma overlapped only Beta: it stays.
    assert schedule_of(beta) == (None, None, None)
    assert schedule_of(alpha) == (hall.pk, world.at(60), world.at(120))
    assert schedule_of(gamma) == (hall.pk, world.at(120), world.at(150))
    expect(page.get_by_role("status")).to_contain_text("Unscheduled 1 overlapping session")
    expect(conflicts_list(page)).to_be_hidden()
    expect(page.get_by_role("list", name="Unscheduled sessions").locator("[data-session]")).to_contain_text(["Beta"])

    # One Undo restores them (the room refuses double bookings again afterwards).
    page.get_by_role("button", name="Undo").click()
    landed(page)
    assert schedule_of(beta) == (hall.pk, world.at(90), world.at(150))
    assert Microlocation.objects.get(pk=hall.pk).allows_parallel is False
    expect(card(page, "Beta").locator("[data-conflict-badge]")).to_have_text("✖ 2 errors")
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()
    assert violations == []


def test_a_break_across_all_rooms_is_added_moved_resized_and_deleted(live_server, page, violations):
    world = World()
    open_scheduler(page, live_server, world)
    page.get_by_role("button", name="Add break").click()
    dialog = page.get_by_role("dialog", name="Add a break")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title").fill("Lunch")
    dialog.get_by_label("Kind").select_option(label="Lunch")
    expect(dialog.get_by_label("Room")).to_have_value("")  # all rooms
    dialog.get_by_label("Starts at").fill("12:00")
    dialog.get_by_label("Minutes").fill("60")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog).to_be_hidden()
    landed(page)
    block = ScheduleBlock.objects.get(event=world.event)
    assert (block.title, block.kind, block.microlocation_id) == ("Lunch", "lunch", None)
    assert (block.starts_at, block.ends_at) == (world.at(180), world.at(240))
    lunch = page.locator("[data-block]")
    expect(lunch).to_contain_text("12:00–13:00 · all rooms")
    canvas = page.locator("[data-canvas]").bounding_box()
    assert round(lunch.bounding_box()["width"]) == 2 * COLUMN  # spans Hall A and Hall B

    # Moved half an hour later (dragged in Hall B's column: it stays across all rooms).
    box = lunch.bounding_box()
    x = canvas["x"] + COLUMN + 40
    drag(page, lunch, (x, box["y"] + 4 + 30 * PX_PER_MINUTE), grab=(x, box["y"] + 4))
    landed(page)
    block.refresh_from_db()
    assert (block.starts_at, block.ends_at, block.microlocation_id) == (world.at(210), world.at(270), None)
    expect(lunch).to_contain_text("12:30–13:30 · all rooms")
    assert round(lunch.bounding_box()["x"] - canvas["x"]) == 0

    # Resized by its bottom edge to end at 13:45.
    box = lunch.bounding_box()
    bottom = box["y"] + box["height"] - 2
    drag(page, lunch, (box["x"] + 30, bottom + 15 * PX_PER_MINUTE), grab=(box["x"] + 30, bottom))
    landed(page)
    block.refresh_from_db()
    assert (block.starts_at, block.ends_at) == (world.at(210), world.at(285))
    # Undo puts it back; a refused time says why.
    page.get_by_role("button", name="Undo").click()
    landed(page)
    block.refresh_from_db()
    assert block.ends_at == world.at(270)

    # The keyboard: down one step; a block across all rooms does not move sideways.
    lunch.focus()
    page.keyboard.press("ArrowDown")
    landed(page)
    block.refresh_from_db()
    assert (block.starts_at, block.ends_at) == (world.at(225), world.at(285))
    expect(lunch).to_be_focused()
    page.keyboard.press("ArrowRight")
    landed(page)
    block.refresh_from_db()
    assert block.microlocation_id is None
    page.get_by_role("button", name="Undo").click()
    landed(page)
    block.refresh_from_db()
    assert block.starts_at == world.at(210)

    # A break in one room: in that room's column only.
    page.get_by_role("button", name="Add break").click()
    dialog.get_by_label("Title").fill("Coffee")
    dialog.get_by_label("Room").select_option(label="Hall B")
    dialog.get_by_label("Starts at").fill("10:00")
    dialog.get_by_role("button", name="Add").click()
    landed(page)
    coffee = page.locator("[data-block]").filter(has_text="Coffee")
    assert round(coffee.bounding_box()["x"] - canvas["x"]) == COLUMN
    assert round(coffee.bounding_box()["width"]) == COLUMN
    # A break outside the event is refused in the dialog, which stays open.
    page.get_by_role("button", name="Add break").click()
    dialog.get_by_label("Title").fill("Too late")
    dialog.get_by_label("Starts at").fill("17:50")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_role("alert")).to_contain_text("A block must end within its event.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="Delete Lunch").click()
    landed(page)
    expect(page.locator("[data-block]")).to_have_count(1)
    assert list(ScheduleBlock.objects.values_list("title", flat=True)) == ["Coffee"]
    assert violations == []


def test_a_room_is_added_from_the_page_and_rooms_are_reordered(live_server, page, violations):
    world = World()
    open_scheduler(page, live_server, world)
    headers = page.get_by_role("list", name="Rooms").get_by_role("listitem")
    page.get_by_role("button", name="Add room").click()
    dialog = page.get_by_role("dialog", name="Add a room")
    dialog.get_by_label("Name").fill("Expo hall")
    dialog.get_by_label("Allows parallel sessions").check()
    dialog.get_by_role("button", name="Add room").click()
    expect(dialog).to_be_hidden()
    expect(headers).to_have_text(["Hall A", "Hall B", "Expo hall"])
    expo = Microlocation.objects.get(event=world.event, name="Expo hall")
    assert expo.allows_parallel is True
    assert expo.position > world.hall_b.position
    # The new column takes sessions at once.
    drag(page, card(page, "Unplaced talk"), canvas_point(page, 2, 60))
    landed(page)
    assert schedule_of(world.unplaced)[0] == expo.pk

    # The keyboard: Hall A moves right, past Hall B.
    page.get_by_role("button", name="Move Hall A right").click()
    expect(headers).to_have_text(["Hall B", "Hall A", "Expo hall"])
    expect(page.get_by_role("button", name="Move Hall A right")).to_be_focused()
    landed(page)
    # Cards follow their room: Opening (Hall A) is in the second column now.
    canvas = page.locator("[data-canvas]").bounding_box()
    assert round(card(page, "Opening").bounding_box()["x"] - canvas["x"]) == COLUMN

    # Dragging a header: Expo hall onto the first column.
    source = headers.nth(2).bounding_box()
    first = headers.nth(0).bounding_box()
    drag(page, headers.nth(2), (first["x"] + 20, first["y"] + first["height"] / 2),
         grab=(source["x"] + 20, source["y"] + source["height"] / 2))  # fmt: skip
    expect(headers).to_have_text(["Expo hall", "Hall B", "Hall A"])
    landed(page)
    shown = Microlocation.objects.filter(event=world.event, hidden_in_scheduler=False)
    order = list(shown.values_list("name", flat=True))
    assert order == ["Expo hall", "Hall B", "Hall A"]
    page.reload()
    expect(headers).to_have_text(["Expo hall", "Hall B", "Hall A"])
    assert violations == []


def test_a_conflict_in_the_list_opens_its_day_and_focuses_its_card_and_the_exports_follow(
    live_server, page, violations
):
    world = World()
    world.event.ends_at = world.at(24 * 60 + 9 * 60)
    world.event.save()
    talk = world.unplaced.session_type
    SessionFactory(event=world.event, title="Short talk", session_type=talk, microlocation=world.hall_b,
                   starts_at=world.at(24 * 60 + 60), ends_at=world.at(24 * 60 + 80))  # fmt: skip
    open_scheduler(page, live_server, world)
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    item = conflicts_list(page).get_by_role("button", name="Warning: Short talk: It lasts 20 min, shorter than a Talk")
    item.click()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(card(page, "Short talk")).to_be_focused()
    expect(card(page, "Short talk").locator("[data-conflict-badge]")).to_have_text("⚠ 1 warning")
    # The day's exports are the shown day's.
    second = (world.start + datetime.timedelta(days=1)).date().isoformat()
    base = f"/events/{world.event.identifier}/schedule/day/{second}"
    expect(page.get_by_role("link", name="Day as iCal")).to_have_attribute("href", f"{base}.ics")
    expect(page.get_by_role("link", name="Day as PNG")).to_have_attribute("href", f"{base}.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Day as iCal").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert violations == []
