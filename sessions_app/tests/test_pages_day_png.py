"""The scheduler's shown day as a picture: its geometry (``day_grid``, no imaging library) and
the PNG drawn from it with Pillow."""
import datetime
import io

import pytest
from PIL import Image

from events.tests.factories import MicrolocationFactory, TrackFactory
from events.tests.helpers import count_queries
from sessions_app.services.day_grid import HEADER, MAX_ROOMS, PIXELS_PER_HOUR, TIME_COLUMN, day_grid, rgb
from sessions_app.services.schedule import create_block
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.test_pages_day_export import DAY_1, DAY_2, local, program, session

pytestmark = pytest.mark.django_db


def png_url(event, day):
    return f"/events/{event.identifier}/schedule/day/{day}.png"


@pytest.fixture
def world():
    world = program()
    world.track.color = "#d73a49"
    world.track.save()
    world.second = MicrolocationFactory(event=world.event, name="Hall B", position=2)
    world.hidden = MicrolocationFactory(event=world.event, name="Storage", position=3, hidden_in_scheduler=True)
    world.talk = session(world, local(DAY_1, 10), minutes=60, title="Opening talk", microlocation=world.second)
    session(world, local(DAY_1, 11), title="In the hidden room", microlocation=world.hidden)
    session(world, local(DAY_2, 11), title="Tomorrow")
    world.lunch = create_block(world.people["owner"], world.event, {
        "title": "Lunch", "starts_at": local(DAY_1, 12), "ends_at": local(DAY_1, 13)})  # fmt: skip
    return world


def test_the_grid_has_shown_rooms_as_columns_and_the_used_hours_as_rows(world):
    grid = day_grid(world.event, DAY_1)
    assert [room["name"] for room in grid["rooms"]] == [world.room.name, "Hall B"]
    # From the first start (10:00) to the last end (the lunch, 13:00), whole hours.
    assert [hour["label"] for hour in grid["hours"]] == ["10:00", "11:00", "12:00", "13:00"]
    assert grid["size"] == (TIME_COLUMN + 2 * grid["column"], HEADER + 3 * PIXELS_PER_HOUR + 1)
    [box] = grid["boxes"]
    assert box["title"] == "Opening talk"
    assert box["time"] == "10:00–11:00"
    assert box["fill"] == rgb("#d73a49") == (215, 58, 73)
    assert box["text"] == (0, 0, 0)  # black reads better than white on this red (WCAG contrast)
    column = grid["column"]
    assert box["rect"] == (TIME_COLUMN + column, HEADER, TIME_COLUMN + 2 * column - 1, HEADER + PIXELS_PER_HOUR - 1)
    # The lunch is for all rooms: a band over every column.
    [band] = grid["bands"]
    top = HEADER + 2 * PIXELS_PER_HOUR
    assert band == {"title": "Lunch", "rect": (TIME_COLUMN, top, grid["size"][0] - 1, top + PIXELS_PER_HOUR - 1)}


def test_the_grid_widens_with_rooms_and_refuses_too_many(world):
    width = day_grid(world.event, DAY_1)["size"][0]
    MicrolocationFactory(event=world.event)
    assert day_grid(world.event, DAY_1)["size"][0] > width
    for _ in range(MAX_ROOMS - 3):
        MicrolocationFactory(event=world.event)
    assert len(day_grid(world.event, DAY_1)["rooms"]) == MAX_ROOMS


def test_a_day_without_sessions_shows_the_events_hours(world):
    grid = day_grid(world.event, datetime.date(2031, 3, 12))  # the last day: the daily 09:00 to 18:00
    assert grid["boxes"] == []
    assert grid["bands"] == []
    assert grid["hours"][0]["label"] == "09:00"
    assert grid["hours"][-1]["label"] == "18:00"


def test_the_png_is_an_attachment_pillow_opens(client, world):
    client.force_login(world.people["coorganizer"])
    response = client.get(png_url(world.event, DAY_1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{world.event.identifier}-{DAY_1}.png"'
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    grid = day_grid(world.event, DAY_1)
    assert image.size == grid["size"]
    # The session's box is in its track's colour (inside its outline, below its text lines).
    left, top, right, bottom = grid["boxes"][0]["rect"]
    assert image.convert("RGB").getpixel((left + 3, bottom - 3)) == (215, 58, 73)
    assert image.convert("RGB").getpixel((right - 3, top + 3)) == (215, 58, 73)
    # The lunch band is grey where no session covers it.
    band_left, _band_top, _, band_bottom = grid["bands"][0]["rect"]
    assert image.convert("RGB").getpixel((band_left + 3, band_bottom - 3)) == grid["break_fill"]


def test_the_png_grows_with_rooms(client, world):
    client.force_login(world.people["owner"])
    before = Image.open(io.BytesIO(client.get(png_url(world.event, DAY_1)).content)).size
    MicrolocationFactory(event=world.event)
    after = Image.open(io.BytesIO(client.get(png_url(world.event, DAY_1)).content)).size
    assert after[0] > before[0]
    assert after[1] == before[1]


def test_too_many_rooms_are_refused_with_a_reason(client, world):
    client.force_login(world.people["owner"])
    for _ in range(MAX_ROOMS - 1):
        MicrolocationFactory(event=world.event)
    response = client.get(png_url(world.event, DAY_1))
    assert response.status_code == 400
    assert f"at most {MAX_ROOMS}".encode() in response.content


@pytest.mark.parametrize("day", ["2031-03-09", "2031-03-13", "2031-13-01", "2031-03-10x"])
def test_a_bad_day_is_not_found(client, world, day):
    client.force_login(world.people["owner"])
    assert client.get(png_url(world.event, day)).status_code == 404


@pytest.mark.parametrize("role", ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"])
def test_everyone_below_coorganizer_is_refused(client, world, role):
    client.force_login(world.people[role])
    response = client.get(png_url(world.event, DAY_1))
    assert response.status_code == 403
    assert response["Content-Type"] != "image/png"


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(png_url(world.event, DAY_1))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_the_grid_and_the_png_run_constant_queries(client):
    world = program()
    client.force_login(world.people["owner"])
    session(world, local(DAY_1, 10))

    def fetch():
        response = client.get(png_url(world.event, DAY_1))
        assert response.status_code == 200
        return response

    _, one = count_queries(fetch)
    for hour in range(11, 21):
        room = MicrolocationFactory(event=world.event)
        session(world, local(DAY_1, hour), microlocation=room, track=TrackFactory(event=world.event))
        create_block(world.people["owner"], world.event,
                     {"title": "Break", "starts_at": local(DAY_1, hour, 45), "ends_at": local(DAY_1, hour, 50),
                      "microlocation": room})  # fmt: skip
    _, many = count_queries(fetch)
    assert one == many


def test_the_grid_runs_constant_queries(django_assert_num_queries):
    world = program()
    session(world, local(DAY_1, 10))
    with django_assert_num_queries(3):
        assert len(day_grid(world.event, DAY_1)["boxes"]) == 1
    for hour in range(11, 21):
        session(world, local(DAY_1, hour), microlocation=MicrolocationFactory(event=world.event))
    with django_assert_num_queries(3):
        assert len(day_grid(world.event, DAY_1)["boxes"]) == 11


def test_a_session_of_seconds_still_has_a_row(world):
    starts_at = local(DAY_1, 10, 30)
    short = SessionFactory(event=world.event, microlocation=world.room, starts_at=starts_at,
                           ends_at=starts_at + datetime.timedelta(seconds=10))  # fmt: skip
    [box] = [box for box in day_grid(world.event, DAY_1)["boxes"] if box["id"] == short.pk]
    _, top, _, bottom = box["rect"]
    assert bottom == top
