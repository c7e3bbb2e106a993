"""A hostile reader of the live schedule feeds (``/v1/events/<id or identifier>.<ics|xcs|xml|json>``):
ids past any integer column, drafts, private, deleted and unpublished events, odd validators; each
is a JSON:API error (404) or the feed, never a 500, on SQLite and PostgreSQL."""
import pytest
from django.utils import timezone

from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db

EXTENSIONS = ("ics", "xcs", "xml", "json")


@pytest.mark.parametrize("ref", ["9" * 19, "9" * 64, "0", "00000000000000000001", "-1"])
@pytest.mark.parametrize("extension", EXTENSIONS)
def test_ids_no_row_can_have_are_404(client, ref, extension):
    response = client.get(f"/v1/events/{ref}.{extension}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["status"] == "404"


@pytest.fixture
def world():
    return PublicWorld()  # released


def feed(client, event, extension="ics", **headers):
    return client.get(f"/v1/events/{event.identifier}.{extension}", **headers)


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_the_released_feed_holds_no_pending_rejected_or_private_data(client, world, extension):
    response = feed(client, world.event, extension)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open hardware for all" in body
    for secret in ("Pending secret talk", "Rejected secret talk", "Pending Person", world.alice.email,
                   world.alice.mobile, "XL-SECRET"):
        assert secret not in body


@pytest.mark.parametrize("change", ["draft", "private", "deleted", "unpublished"])
def test_hidden_events_feeds_are_404_for_anonymous_readers(client, world, change):
    event = world.event
    if change == "draft":
        event.state = "draft"
    elif change == "private":
        event.privacy = "private"
    elif change == "deleted":
        event.deleted_at = timezone.now()
    else:
        event.schedule_published_on = None
    event.save()
    for ref in (event.identifier, str(event.pk)):
        response = client.get(f"/v1/events/{ref}.ics")
        assert response.status_code == 404
        assert response.json()["errors"][0]["status"] == "404"


def test_a_private_events_feed_for_its_team_is_never_stored_by_shared_caches(client, world):
    world.event.privacy = "private"
    world.event.save()
    client.force_login(world.owner)
    response = feed(client, world.event)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("validator", ['"x" , W/""', "*" * 5000, '"ical-999-999"', "\x00"])
def test_odd_validators_answer_the_feed_or_304_never_500(client, world, validator):
    response = feed(client, world.event, HTTP_IF_NONE_MATCH=validator, HTTP_IF_MODIFIED_SINCE="Tue, 99 Foo 99999")
    assert response.status_code in (200, 304)


def test_a_matching_etag_is_304_without_a_body(client, world):
    first = feed(client, world.event)
    again = feed(client, world.event, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
