"""The Open Event Ember front end (fossasia/open-event-frontend) against this server: its first
requests, replayed with their exact query strings against the demo data, answer 200 in the shapes
the front end reads. Sources: app/services/settings.js, app/routes/index.js, app/adapters/event.js,
app/routes/public.js, app/routes/public/index.js, app/services/event.ts, app/routes/public/sessions.js,
app/components/public/schedule-menu-filter.js, app/routes/public/speakers.js,
app/components/public/ticket-list.js."""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from sessions_app.models import Speaker

pytestmark = pytest.mark.django_db

# The JSON:API adapter sends these on every request (loader.load too).
HEADERS = {"HTTP_ACCEPT": "application/vnd.api+json", "CONTENT_TYPE": "application/vnd.api+json"}
LIST_INCLUDE = "event-topic,event-sub-topic,event-type,speakers-call"
# app/routes/public.js
EVENT_INCLUDE = (
    "social-links,event-copyright,speakers-call,tax,owner,organizers,video-stream,custom-forms,group,"
    "group.followers,group.followers.user"
)
ACCEPTED_OR_CONFIRMED = [{"name": "state", "op": "eq", "val": "accepted"}, {"name": "state", "op": "eq", "val": "confirmed"}]  # noqa: E501
SPEAKERS_FILTER = [
    {
        "name": "sessions",
        "op": "any",
        "val": {"and": [{"name": "deleted-at", "op": "eq", "val": None}, {"or": ACCEPTED_OR_CONFIRMED}]},
    }
]
FEATURED_SPEAKERS = [{"name": "is-featured", "op": "eq", "val": "true"}, *SPEAKERS_FILTER]
PUBLIC_SESSIONS = [{"or": list(reversed(ACCEPTED_OR_CONFIRMED))}]


@pytest.fixture
def summit():
    """The demo data (``manage.py demo``), in each test's own transaction."""
    call_command("demo", stdout=StringIO())
    return Event.objects.get(name="Open Tech Summit 2027")


def js(value):
    """``JSON.stringify`` as the adapter sends filters."""
    return json.dumps(value, separators=(",", ":"))


def now_iso():
    """``moment().toISOString()``"""
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")


def get(client, url, **params):
    response = client.get(url, params, **HEADERS)
    assert response.status_code == 200, (url, params, response.content[:600])
    return response.json()


def test_the_settings_first(client, summit):
    body = get(client, "/v1/settings", public="true", cache="true")
    assert isinstance(body["data"], dict)  # ONE resource: an array blanks the whole app
    assert body["data"]["type"] == "setting"
    assert body["data"]["attributes"]["app-name"] == "Open Event"
    assert "cookie-policy" in body["data"]["attributes"]


def test_the_home_page(client, summit):
    now = now_iso()
    upcoming = get(
        client, "/v1/events/upcoming",
        upcoming="true", include=LIST_INCLUDE, cache="true", public="true", **{"page[size]": "12"},
    )  # fmt: skip
    assert [row["id"] for row in upcoming["data"]] == [str(summit.pk)]
    assert upcoming["data"][0]["attributes"]["identifier"] == summit.identifier
    assert upcoming["meta"]["count"] == 1
    published_public = {"and": [
        {"name": "state", "op": "eq", "val": "published"}, {"name": "privacy", "op": "eq", "val": "public"},
    ]}  # fmt: skip
    featured = [
        {"and": [*published_public["and"], {"name": "is-featured", "op": "eq", "val": True}]},
        {"or": [{"name": "ends-at", "op": "ge", "val": now}]},
    ]
    body = get(
        client, "/v1/events", sort="starts-at", include=LIST_INCLUDE, filter=js(featured), cache="true",
        public="true", **{"page[size]": "6"},
    )  # fmt: skip
    assert body["data"] == []  # the summit is not featured
    groups = get(
        client, "/v1/groups", include="user,follower", filter=js([{"name": "is-promoted", "op": "eq", "val": True}]),
        public="true", cache="true", **{"page[size]": "12"},
    )  # fmt: skip
    assert groups["data"] == []


def test_the_event_page(client, summit):
    event = get(client, f"/v1/events/{summit.identifier}", include=EVENT_INCLUDE)
    data = event["data"]
    assert data["id"] == str(summit.pk)
    attributes = data["attributes"]
    assert attributes["identifier"] == summit.identifier
    assert attributes["name"] == "Open Tech Summit 2027"
    for name in ("starts-at", "ends-at", "timezone", "logo-url", "description", "privacy", "state"):
        assert name in attributes
    relationships = data["relationships"]
    assert relationships["tax"]["data"] is None
    assert relationships["tickets"]["data"] == []
    assert relationships["owner"]["data"]["type"] == "user"
    assert "related" in relationships["social-links"]["links"]
    assert "related" in relationships["event-copyright"]["links"]
    assert {row["type"] for row in event["included"]} == {"user"}
    pk = data["id"]
    # What the event page's related links then serve.
    assert len(get(client, f"/v1/events/{pk}/social-links")["data"]) == 5
    call = get(client, f"/v1/events/{pk}/speakers-call")["data"]
    assert call["type"] == "speakers-call"
    assert get(client, f"/v1/events/{pk}/event-copyright")["data"] is None
    # app/routes/public/index.js
    between = [{"and": [
        {"name": "sales-starts-at", "op": "le", "val": now_iso()},
        {"name": "sales-ends-at", "op": "ge", "val": now_iso()},
    ]}]  # fmt: skip
    tickets = get(
        client, f"/v1/events/{pk}/tickets", filter=js(between), cache="true", public="true", **{"page[size]": "0"}
    )
    assert tickets["data"] == []
    # The featured speakers, as the front end asks but for ``sort=order`` (test_speakers_sorted_by_order).
    speakers = get(
        client, f"/v1/events/{pk}/speakers", filter=js(FEATURED_SPEAKERS), include="sessions.track",
        cache="true", public="true", **{"page[size]": "0"},
    )  # fmt: skip
    assert isinstance(speakers["data"], list)
    sponsors = get(client, f"/v1/events/{pk}/sponsors", cache="true", public="true", **{"page[size]": "0"})
    assert len(sponsors["data"]) == 9
    # app/services/event.ts
    assert get(client, f"/v1/events/{pk}/has-streams") == {"exists": False, "can_access": False}
    meta = get(
        client, f"/v1/events/{pk}/speakers", cache="true", public="true", filter=js(SPEAKERS_FILTER),
        **{"fields[speaker]": "id", "page[size]": "1"},
    )  # fmt: skip
    assert len(meta["data"]) == 1
    assert "attributes" not in meta["data"][0]
    exhibitors = get(
        client, f"/v1/events/{pk}/exhibitors", filter=js([{"name": "status", "op": "eq", "val": "accepted"}]),
        **{"page[size]": "1"},
    )  # fmt: skip
    assert exhibitors["data"] == []
    sessions = get(
        client, f"/v1/events/{pk}/sessions", cache="true", public="true", filter=js(PUBLIC_SESSIONS),
        **{"fields[session]": "id", "page[size]": "1"},
    )  # fmt: skip
    assert len(sessions["data"]) == 1
    # app/components/public/ticket-list.js
    assert get(client, f"/v1/events/{pk}/tickets/availability") == []


def test_the_sessions_page(client, summit):
    pk = str(summit.pk)
    dates = get(client, f"/v1/events/{pk}/sessions/dates")
    assert dates == ["2027-03-18", "2027-03-19", "2027-03-20"]
    filters = [{"and": PUBLIC_SESSIONS}]
    sessions = get(
        client, f"/v1/events/{pk}/sessions", include="track,speakers,session-type,favourite,microlocation.video-stream",
        filter=js(filters), sort="starts-at,id", **{"page[size]": "6", "page[number]": "1"},
    )  # fmt: skip
    assert len(sessions["data"]) == 6
    assert sessions["meta"]["count"] == 56
    first = sessions["data"][0]
    assert {"title", "starts-at", "ends-at", "short-abstract", "language", "level"} <= set(first["attributes"])
    # (Unscheduled sessions sort first: this page's have no room yet.)
    included = {row["type"] for row in sessions["included"]}
    assert {"track", "speaker", "session-type"} <= included <= {"track", "speaker", "session-type", "microlocation"}
    one_day = [*filters, {"and": [
        {"name": "starts-at", "op": "ge", "val": "2027-03-17T16:00:00.000Z"},
        {"name": "starts-at", "op": "le", "val": "2027-03-18T16:00:00.000Z"},
    ]}]  # fmt: skip
    day = get(client, f"/v1/events/{pk}/sessions", filter=js(one_day), sort="starts-at,id", **{"page[size]": "6"})
    assert day["meta"]["count"] > 0
    languages = get(client, f"/v1/events/{pk}/sessions/languages")
    assert isinstance(languages, list)
    assert all(isinstance(language, str) for language in languages)


def test_the_speakers_page(client, summit):
    # As the front end asks but for ``sort=order`` (test_speakers_sorted_by_order).
    speakers = get(
        client, f"/v1/events/{summit.pk}/speakers", filter=js(SPEAKERS_FILTER), include="sessions.track",
        public="true", **{"page[size]": "9", "page[number]": "1"},
    )  # fmt: skip
    assert len(speakers["data"]) == 9
    assert {"name", "short-biography", "photo-url"} <= set(speakers["data"][0]["attributes"])
    assert "email" not in speakers["data"][0]["attributes"]


def test_speakers_sorted_by_order(client, summit):
    """The featured speakers of the event page and the speakers page sort by ``order``."""
    speakers = list(Speaker.objects.filter(event=summit))
    for position, speaker in enumerate(reversed(speakers)):
        Speaker.objects.filter(pk=speaker.pk).update(order=position, is_featured=True)
    featured = get(
        client, f"/v1/events/{summit.pk}/speakers", filter=js(FEATURED_SPEAKERS), sort="order",
        include="sessions.track", cache="true", public="true", **{"page[size]": "0"},
    )  # fmt: skip
    orders = [row["attributes"]["order"] for row in featured["data"]]
    assert orders == sorted(orders)
    assert orders
    listed = get(
        client, f"/v1/events/{summit.pk}/speakers", filter=js(SPEAKERS_FILTER), include="sessions.track",
        sort="order", public="true", **{"page[size]": "9", "page[number]": "1"},
    )  # fmt: skip
    orders = [row["attributes"]["order"] for row in listed["data"]]
    assert orders == sorted(orders)
