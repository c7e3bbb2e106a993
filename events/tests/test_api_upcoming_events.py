"""/v1/events/upcoming: published public events that have not ended, soonest first, paginated
like /v1/events, with constant queries; never taken for an event id."""
import datetime

import pytest
from django.utils import timezone

from events.models import Event
from events.tests.factories import EventFactory, event_with_owner
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def event_at(start, end, **kwargs):
    return EventFactory(starts_at=start, ends_at=end, **kwargs)


def ids_in_order(response):
    return [row["id"] for row in response.json_body["data"]]


def test_only_published_public_events_not_yet_ended_soonest_first(api):
    now = timezone.now()
    later = event_at(now + 20 * DAY, now + 21 * DAY)
    soon = event_at(now + 2 * DAY, now + 3 * DAY)
    running = event_at(now - DAY, now + DAY)
    event_at(now - 3 * DAY, now - 2 * DAY)  # over
    event_at(now + DAY, now + 2 * DAY, state=Event.State.DRAFT)
    event_at(now + DAY, now + 2 * DAY, privacy=Event.Privacy.PRIVATE)
    event_at(now + DAY, now + 2 * DAY).soft_delete()
    response = api.get("/v1/events/upcoming")
    assert response.status_code == 200, response.json_body
    assert ids_in_order(response) == [str(running.pk), str(soon.pk), str(later.pk)]
    assert response.json_body["meta"]["count"] == 3
    assert response.json_body["data"][0]["type"] == "event"


def test_the_owner_of_a_draft_or_private_event_does_not_see_it_there_either(api):
    now = timezone.now()
    _draft, owner = event_with_owner(state=Event.State.DRAFT, starts_at=now + DAY, ends_at=now + 2 * DAY)
    event_with_owner(owner, privacy=Event.Privacy.PRIVATE, starts_at=now + DAY, ends_at=now + 2 * DAY)
    assert api.as_user(owner).get("/v1/events/upcoming").json_body["data"] == []


def test_paginated_sorted_and_included_like_the_event_list(api):
    now = timezone.now()
    events = [event_at(now + (i + 1) * DAY, now + (i + 2) * DAY) for i in range(5)]
    page = api.get("/v1/events/upcoming", **{"page[size]": "2", "page[number]": "2"})
    assert ids_in_order(page) == [str(events[2].pk), str(events[3].pk)]
    assert page.json_body["meta"]["count"] == 5
    assert set(page.json_body["links"]) >= {"first", "last", "next", "prev"}
    reverse = api.get("/v1/events/upcoming", sort="-starts-at")
    assert ids_in_order(reverse) == [str(event.pk) for event in reversed(events)]
    # The front end's home page query.
    front = api.get(
        "/v1/events/upcoming",
        include="event-topic,event-sub-topic,event-type,speakers-call",
        cache="true",
        public="true",
        **{"page[size]": "12"},
    )
    assert front.status_code == 200, front.json_body
    assert_error(api.get("/v1/events/upcoming", include="nothing"), 400)


def test_not_swallowed_by_the_detail_route(api):
    """``upcoming`` is no event id or identifier; writes to it are not a detail's either."""
    assert api.get("/v1/events/upcoming").json_body["data"] == []
    assert api.delete("/v1/events/upcoming").status_code == 405
    assert_error(api.get("/v1/events/upcomin"), 404)


def test_constant_queries(api):
    now = timezone.now()
    event_at(now + DAY, now + 2 * DAY)
    _, one = count_queries(lambda: api.get("/v1/events/upcoming?include=owner"))
    for i in range(10):
        event_with_owner(starts_at=now + (i + 2) * DAY, ends_at=now + (i + 3) * DAY)
    response, many = count_queries(lambda: api.get("/v1/events/upcoming?include=owner"))
    assert len(response.json_body["data"]) == 11
    assert many == one
