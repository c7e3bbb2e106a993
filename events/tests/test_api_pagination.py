"""Pagination of API lists: ``page[number]`` (1-based), ``page[size]`` (default 20, ``0`` means all
up to ``API_MAX_PAGE_SIZE``), ``meta.count`` and the first/last/prev/next links."""
import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_events():
    """25 published events starting a day apart; returns their ids in starting order."""
    start = datetime.datetime(2027, 1, 1, 9, 0, tzinfo=datetime.UTC)
    return [
        EventFactory(
            name=f"Event {n:02}",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=8),
        ).pk
        for n in range(25)
    ]


def ids(response):
    assert response.status_code == 200, response.json_body
    return [int(item["id"]) for item in response.json_body["data"]]


def query_of(link):
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def assert_bad_parameter(response, parameter):
    assert response.status_code == 400, response.json_body
    assert response.json_body["jsonapi"] == {"version": "1.0"}
    error = response.json_body["errors"][0]
    assert error["status"] == "400"
    assert error["source"] == {"parameter": parameter}
    assert error["detail"]


def test_default_page_is_the_first_twenty(api, many_events):
    response = api.get("/v1/events")
    assert ids(response) == many_events[:20]
    body = response.json_body
    assert body["meta"]["count"] == 25
    links = body["links"]
    assert query_of(links["first"])["page[number]"] == "1"
    assert query_of(links["last"])["page[number]"] == "2"
    assert query_of(links["next"])["page[number]"] == "2"
    assert links["prev"] is None


def test_the_last_page(api, many_events):
    response = api.get("/v1/events", **{"page[number]": "2"})
    assert ids(response) == many_events[20:]
    links = response.json_body["links"]
    assert links["next"] is None
    assert query_of(links["prev"])["page[number]"] == "1"
    assert response.json_body["meta"]["count"] == 25
    assert ids(api.get("/v1/events", **{"page[number]": "last"})) == many_events[20:]


def test_page_size_and_number(api, many_events):
    response = api.get("/v1/events", **{"page[size]": "10", "page[number]": "2"})
    assert ids(response) == many_events[10:20]
    links = response.json_body["links"]
    assert query_of(links["prev"]) == {"page[size]": "10", "page[number]": "1"}
    assert query_of(links["next"]) == {"page[size]": "10", "page[number]": "3"}
    assert query_of(links["last"])["page[number]"] == "3"
    assert ids(api.get("/v1/events", **{"page[size]": "10", "page[number]": "3"})) == many_events[20:]


def test_links_keep_the_other_parameters(api, many_events):
    response = api.get("/v1/events", sort="-starts-at", **{"page[size]": "5", "filter[state]": "published"})
    assert ids(response) == many_events[::-1][:5]
    following = query_of(response.json_body["links"]["next"])
    assert following == {"sort": "-starts-at", "page[size]": "5", "filter[state]": "published", "page[number]": "2"}
    assert ids(api.get("/v1/events", **following)) == many_events[::-1][5:10]


def test_page_size_zero_means_everything_up_to_the_cap(api, many_events, settings):
    response = api.get("/v1/events", **{"page[size]": "0"})
    assert ids(response) == many_events
    assert response.json_body["links"]["next"] is None
    settings.API_MAX_PAGE_SIZE = 7
    response = api.get("/v1/events", **{"page[size]": "0"})
    assert ids(response) == many_events[:7]
    assert response.json_body["meta"]["count"] == 25
    assert query_of(response.json_body["links"]["last"])["page[number]"] == "4"


def test_page_size_is_capped(api, many_events, settings):
    settings.API_MAX_PAGE_SIZE = 7
    assert ids(api.get("/v1/events", **{"page[size]": "100"})) == many_events[:7]
    assert ids(api.get("/v1/events", **{"page[size]": "3"})) == many_events[:3]


def test_an_empty_list_has_one_empty_page(api):
    response = api.get("/v1/events")
    assert ids(response) == []
    assert response.json_body["meta"]["count"] == 0
    assert response.json_body["links"]["next"] is None


def test_pages_are_stable_when_sort_keys_tie(api):
    same_start = datetime.datetime(2027, 5, 5, 9, 0, tzinfo=datetime.UTC)
    created = [
        EventFactory(name="Same", starts_at=same_start, ends_at=same_start + datetime.timedelta(hours=1)).pk
        for _ in range(7)
    ]
    for sort in ("name", "-starts-at", "location-name"):
        seen = []
        for number in (1, 2, 3):
            seen += ids(api.get("/v1/events", sort=sort, **{"page[size]": "3", "page[number]": str(number)}))
        assert seen == created


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page[size]": "abc"}, "page[size]"),
        ({"page[size]": "2.5"}, "page[size]"),
        ({"page[size]": "-1"}, "page[size]"),
        ({"page[number]": "abc"}, "page[number]"),
        ({"page[number]": "0"}, "page[number]"),
        ({"page[number]": "-2"}, "page[number]"),
    ],
)
def test_malformed_page_parameters_are_400(api, many_events, params, parameter):
    assert_bad_parameter(api.get("/v1/events", **params), parameter)


def test_a_page_past_the_end_is_404(api, many_events):
    response = api.get("/v1/events", **{"page[number]": "3"})
    assert response.status_code == 404
    body = response.json_body
    assert body["jsonapi"] == {"version": "1.0"}
    assert body["errors"][0]["status"] == "404"
    assert body["errors"][0]["detail"]
    assert "data" not in body
