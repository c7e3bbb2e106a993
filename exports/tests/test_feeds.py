"""The live schedule feeds ``/v1/events/<identifier>.{ics,xcs,xml,json}``: who may read them, their
validators (ETag, Last-Modified, 304), the cache, and that ``/v1/events/<id>`` still answers."""

import datetime
import json

import icalendar
import pytest
from django.utils.http import http_date
from lxml import etree

from events.models import Event
from events.tests.factories import MicrolocationFactory, give_role
from exports.exporters.base import Exporter
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.services.schedule import release_schedule, unpublish_schedule
from sessions_app.services.sessions import update_session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db
JSONAPI = "application/vnd.api+json"
TYPES = {
    "ics": "text/calendar; charset=utf-8",
    "xcs": "application/calendar+xml; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "json": "application/json",
}


@pytest.fixture
def w():
    return PublicWorld()


def feed(world, extension):
    return f"/v1/events/{world.event.identifier}.{extension}"


def assert_not_found(response):
    assert response.status_code == 404
    assert response["Content-Type"].startswith(JSONAPI)
    body = json.loads(response.content)
    assert body["errors"][0]["status"] == "404"


@pytest.mark.parametrize("extension", list(TYPES))
def test_each_feed_answers_its_file(client, w, extension):
    response = client.get(feed(w, extension))
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[extension]
    assert response["Content-Disposition"] == f'inline; filename="{w.event.identifier}.{extension}"'
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "Open hardware for all" in response.content.decode()
    assert "Pending secret talk" not in response.content.decode()
    # The numeric id names the same feed.
    assert client.get(f"/v1/events/{w.event.pk}.{extension}").content == response.content


def test_a_calendar_client_asking_for_its_type_gets_the_file(client, w):
    response = client.get(feed(w, "ics"), HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_event_resource_still_answers_next_to_the_feeds(client, w):
    for ref in (w.event.pk, w.event.identifier):
        response = client.get(f"/v1/events/{ref}", HTTP_ACCEPT=JSONAPI)
        assert response.status_code == 200
        assert json.loads(response.content)["data"]["id"] == str(w.event.pk)
    assert_not_found(client.get(f"/v1/events/{w.event.identifier}.pdf", HTTP_ACCEPT=JSONAPI))


def test_the_event_resource_links_the_feeds_and_they_answer(client, w):
    attributes = json.loads(client.get(f"/v1/events/{w.event.pk}", HTTP_ACCEPT=JSONAPI).content)["data"]["attributes"]
    for name, extension in (("ical-url", "ics"), ("xcal-url", "xcs"), ("pentabarf-url", "xml")):
        assert attributes[name] == feed(w, extension)
        response = client.get(attributes[name])
        assert response.status_code == 200
        assert response["Content-Type"] == TYPES[extension]


def test_an_unpublished_or_never_released_schedule_is_not_found(client, w):
    unpublish_schedule(w.owner, w.event)
    for extension in TYPES:
        assert_not_found(client.get(feed(w, extension)))
    never = PublicWorld.__new__(PublicWorld)
    event = Event.objects.create(name="Never released", starts_at=w.event.starts_at, ends_at=w.event.ends_at,
                                 state=Event.State.PUBLISHED, privacy=Event.Privacy.PUBLIC)  # fmt: skip
    never.event = event
    assert_not_found(client.get(feed(never, "ics")))
    assert_not_found(client.get("/v1/events/nosuchevent.ics"))


@pytest.mark.parametrize("change", [{"privacy": Event.Privacy.PRIVATE}, {"state": Event.State.DRAFT}])
def test_a_private_or_draft_event_is_not_found_for_outsiders_and_shown_to_its_team(client, w, change):
    Event.objects.filter(pk=w.event.pk).update(**change)
    for visitor in (None, UserFactory()):
        client.logout()
        if visitor is not None:
            client.force_login(visitor)
        assert_not_found(client.get(feed(w, "ics")))
    # A speaker of the event is no team member: refused as well.
    speaker = UserFactory()
    SpeakerFactory(event=w.event, user=speaker)
    client.force_login(speaker)
    assert_not_found(client.get(feed(w, "xml")))
    client.force_login(w.owner)
    response = client.get(feed(w, "ics"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_coorganizer_sees_a_draft_events_feed(client, w):
    Event.objects.filter(pk=w.event.pk).update(state=Event.State.DRAFT)
    coorganizer = UserFactory()
    give_role(coorganizer, w.event, "coorganizer")
    client.force_login(coorganizer)
    assert client.get(feed(w, "json")).status_code == 200


def test_etag_and_last_modified_answer_304_without_a_body(client, w):
    first = client.get(feed(w, "ics"))
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(feed(w, "ics"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = client.get(feed(w, "ics"), HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    assert since.content == b""
    older = http_date((w.event.schedule_releases.first().released_at - datetime.timedelta(days=1)).timestamp())
    assert client.get(feed(w, "ics"), HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    assert client.get(feed(w, "ics"), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    # Each format has validators of its own.
    assert client.get(feed(w, "xml"), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_new_release_or_an_edit_changes_the_etag(client, w, django_capture_on_commit_callbacks):
    etag = client.get(feed(w, "ics"))["ETag"]
    Session.objects.filter(pk=w.talk.pk).update(starts_at=w.talk.starts_at + datetime.timedelta(hours=2),
                                                 ends_at=w.talk.ends_at + datetime.timedelta(hours=2))  # fmt: skip
    w.release()
    response = client.get(feed(w, "ics"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    entry = next(e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
                 if str(e["SUMMARY"]) == "Open hardware for all")  # fmt: skip
    assert entry.decoded("SEQUENCE") == 1
    etag = response["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the version is bumped once the edit is committed
        update_session(w.owner, Session.objects.get(pk=w.keynote.pk), {"title": "Keynote, renamed"}, send_email=False)
    renamed = client.get(feed(w, "ics"), HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    titles = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(renamed.content).walk("VEVENT")}
    assert "Keynote, renamed" in titles


def test_a_warm_feed_is_a_cache_read_until_the_version_changes(
    client, w, document_cache, monkeypatch, django_capture_on_commit_callbacks
):
    first = client.get(feed(w, "xml"))
    assert first.status_code == 200
    built = []
    original = Exporter.render

    def counting(self, event, base_url=None):
        built.append(self.identifier)
        return original(self, event, base_url)

    monkeypatch.setattr(Exporter, "render", counting)
    assert client.get(feed(w, "xml")).content == first.content
    assert built == []
    with django_capture_on_commit_callbacks(execute=True):
        update_session(w.owner, Session.objects.get(pk=w.talk.pk), {"title": "Renamed talk"}, send_email=False)
    assert "Renamed talk" in client.get(feed(w, "xml")).content.decode()
    assert built == ["pentabarf"]


def _many(world, count):
    room = MicrolocationFactory(event=world.event, name="Many")
    speaker = SpeakerFactory(event=world.event, name="Many Speaker")
    for i in range(count):
        starts = world.event.starts_at + datetime.timedelta(hours=30, minutes=10 * i)
        session = SessionFactory(event=world.event, title=f"Many {i}", state=Session.State.ACCEPTED, microlocation=room,
                                 starts_at=starts, ends_at=starts + datetime.timedelta(minutes=10))  # fmt: skip
        session.speakers.add(speaker)
    release_schedule(world.owner, world.event, send_email=False)


@pytest.mark.parametrize("extension", list(TYPES))
def test_the_query_count_does_not_grow_with_the_sessions(client, django_assert_num_queries, extension):
    few, many = PublicWorld(), PublicWorld()
    _many(few, 1)
    _many(many, 30)
    counts = []
    for world in (few, many):
        from django.db import connection  # noqa: PLC0415 -- the test's own probe
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 -- the test's own probe

        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed(world, extension)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(feed(many, extension))


def test_the_xml_feed_parses_and_the_json_feed_loads(client, w):
    assert etree.fromstring(client.get(feed(w, "xml")).content).tag == "schedule"
    assert etree.fromstring(client.get(feed(w, "xcs")).content).tag.endswith("icalendar")
    assert json.loads(client.get(feed(w, "json")).content)["schedule"]["conference"]["days"]
