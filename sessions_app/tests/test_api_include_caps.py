"""``include`` is capped in depth and in the number of paths: an anonymous client cannot ask for
unbounded work with one URL (``speakers.sessions.speakers.sessions…`` grew 2.4× per level)."""
import time

import pytest

from events.models import Event
from events.tests.factories import EventFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    event = EventFactory(state=Event.State.PUBLISHED)
    sessions = SessionFactory.create_batch(30, event=event)
    for index in range(30):
        SpeakerFactory(event=event, sessions=[sessions[index], sessions[(index + 1) % 30]])
    return event


def chain(levels):
    return ".".join(["speakers", "sessions"] * (levels // 2) + ["speakers"] * (levels % 2))


def assert_include_refused(response):
    assert response.status_code == 400, response.content[:500]
    (error,) = response.json_body["errors"]
    assert error["status"] == "400"
    assert error["source"] == {"parameter": "include"}
    return error["detail"]


def test_a_path_at_the_cap_is_served(api, program, settings):
    assert settings.API_MAX_INCLUDE_DEPTH == 3
    response = api.get("/v1/sessions", include=chain(3), **{"page[size]": "0"})
    assert response.status_code == 200
    # The sessions on the path are primary data already, so only the speakers are included.
    assert len([item for item in response.json_body["included"] if item["type"] == "speaker"]) == 30


@pytest.mark.parametrize("levels", [4, 6, 40])
def test_a_path_past_the_cap_is_refused_at_once(api, program, levels):
    started = time.monotonic()
    response = api.get("/v1/sessions", include=chain(levels), **{"page[size]": "0"})
    assert time.monotonic() - started < 1
    assert "at most 3 levels" in assert_include_refused(response)


def test_the_cap_holds_on_nested_lists_too(api, program):
    response = api.get(f"/v1/events/{program.pk}/sessions", include=chain(40))
    assert_include_refused(response)


def test_at_most_twelve_paths(api, program, settings):
    # Twelve: the Open Event front end's event page names eleven.
    assert settings.API_MAX_INCLUDE_PATHS == 12
    twelve = ",".join(["speakers", "track", "microlocation", "session-type", "event", "creator"] * 2)
    assert api.get("/v1/sessions", include=twelve).status_code == 200
    detail = assert_include_refused(api.get("/v1/sessions", include=twelve + ",speakers"))
    assert "At most 12 include paths" in detail


def test_the_caps_are_settings(api, program, settings):
    settings.API_MAX_INCLUDE_DEPTH = 5
    assert api.get("/v1/sessions", include=chain(5)).status_code == 200
    assert_include_refused(api.get("/v1/sessions", include=chain(6)))
