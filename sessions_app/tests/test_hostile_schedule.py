"""Hostile users of the scheduler, its exports, the releases page and the blocks API: each test
is an attack that must fail."""
import datetime
import json

import pytest
from django.test import Client

from events.models import Event
from events.tests.factories import MicrolocationFactory
from openevent.api.tests.documents import rel, resource_doc
from sessions_app.models import ScheduleBlock, ScheduleRelease, Session
from sessions_app.services import schedule
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

OUTSIDERS = ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"]
HUGE_PK = "9" * 30
JSONAPI = "application/vnd.api+json"


def scheduler_urls(event):
    day = event.starts_at.date().isoformat()
    base = f"/events/{event.identifier}/schedule/"
    return [base, base + "conflicts", f"{base}day/{day}.ics", f"{base}day/{day}.png", base + "releases"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_one_below_coorganizer_reaches_the_scheduler_its_conflicts_exports_or_releases(client, program, role):
    client.force_login(program.people[role])
    for url in scheduler_urls(program.event):
        assert client.get(url).status_code in (403, 404), (role, url)
    response = client.post(scheduler_urls(program.event)[-1], {"action": "release"})
    assert response.status_code in (403, 404)
    assert not ScheduleRelease.objects.filter(event=program.event).exists()


def test_anonymous_visitors_reach_none_of_the_scheduler_pages(client, program):
    for url in scheduler_urls(program.event):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_an_organizer_cannot_release_or_unpublish_another_events_schedule(client, program):
    other = Event.objects.exclude(pk=program.event.pk).get(user_roles__user=program.people["other_organizer"])
    client.force_login(program.people["organizer"])
    for action in ("release", "unpublish"):
        response = client.post(f"/events/{other.identifier}/schedule/releases", {"action": action})
        assert response.status_code in (403, 404)
    assert not ScheduleRelease.objects.filter(event=other).exists()


@pytest.mark.parametrize("day", ["2031-02-30", "2031-13-01", "99999-01-01", "0000-01-01", "2031-1-1"])
def test_impossible_days_are_not_found_not_a_crash(client, program, day):
    client.force_login(program.people["organizer"])
    for ext in ("ics", "png"):
        assert client.get(f"/events/{program.event.identifier}/schedule/day/{day}.{ext}").status_code == 404


def test_a_day_of_thousands_of_rooms_is_refused_as_png(client, program):
    for position in range(120):
        MicrolocationFactory(event=program.event, name=f"Room {position}", position=position)
    client.force_login(program.people["organizer"])
    day = program.event.starts_at.date().isoformat()
    response = client.get(f"/events/{program.event.identifier}/schedule/day/{day}.png")
    assert response.status_code in (200, 400)
    if response.status_code == 200:  # a picture within a sane size
        assert len(response.content) < 20_000_000


def test_the_releases_page_refuses_a_cross_site_post(program):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(program.people["organizer"])
    for action in ("release", "unpublish"):
        assert browser.post(f"/events/{program.event.identifier}/schedule/releases",
                            {"action": action}).status_code == 403  # fmt: skip
    assert not ScheduleRelease.objects.filter(event=program.event).exists()


def block_doc(program, **relationships):
    attributes = {"title": "Lunch", "kind": "lunch", "starts-at": program.iso(3), "ends-at": program.iso(4)}
    return resource_doc("schedule-block", attributes, event=program.event, relationships=relationships)


def test_the_blocks_api_refuses_a_cross_site_post_with_the_session_cookie(program):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(program.people["organizer"])
    body = json.dumps(block_doc(program))
    assert browser.post("/v1/schedule-blocks", body, content_type=JSONAPI).status_code in (401, 403)
    block = schedule.create_block(program.people["organizer"], program.event,
                                  {"title": "Coffee", "kind": "coffee", "starts_at": program.at(2),
                                   "ends_at": program.at(3)})  # fmt: skip
    assert browser.delete(f"/v1/schedule-blocks/{block.pk}").status_code in (401, 403)
    assert list(ScheduleBlock.objects.values_list("pk", flat=True)) == [block.pk]


def test_a_block_cannot_sit_in_another_events_room(api, program):
    foreign = MicrolocationFactory()
    api.as_user(program.people["organizer"])
    response = api.post("/v1/schedule-blocks", block_doc(program, microlocation=rel("microlocation", foreign.pk)))
    assert response.status_code in (400, 403, 404, 409, 422), response.status_code
    assert not ScheduleBlock.objects.exists()
    block = schedule.create_block(program.people["organizer"], program.event,
                                  {"title": "Coffee", "kind": "coffee", "starts_at": program.at(2),
                                   "ends_at": program.at(3)})  # fmt: skip
    moved = {"microlocation": rel("microlocation", foreign.pk)}
    body = resource_doc("schedule-block", {}, id=block.pk, relationships=moved)
    assert api.patch(f"/v1/schedule-blocks/{block.pk}", body).status_code in (400, 403, 404, 409, 422)
    block.refresh_from_db()
    assert block.microlocation_id is None


def test_a_block_cannot_be_moved_to_another_event(api, program):
    foreign = Event.objects.exclude(pk=program.event.pk).first()
    block = schedule.create_block(program.people["organizer"], program.event,
                                  {"title": "Coffee", "kind": "coffee", "starts_at": program.at(2),
                                   "ends_at": program.at(3)})  # fmt: skip
    api.as_user(program.people["organizer"])
    body = resource_doc("schedule-block", {}, id=block.pk, event=foreign)
    assert api.patch(f"/v1/schedule-blocks/{block.pk}", body).status_code in (400, 403, 409, 422)
    block.refresh_from_db()
    assert block.event_id == program.event.pk


def test_a_session_cannot_be_patched_into_another_events_room(api, program):
    foreign = MicrolocationFactory()
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    api.as_user(program.people["organizer"])
    body = resource_doc("session", {}, id=session.pk, relationships={"microlocation": rel("microlocation",
                                                                                            foreign.pk)})  # fmt: skip
    assert api.patch(f"/v1/sessions/{session.pk}", body).status_code in (400, 403, 404, 409, 422)
    session.refresh_from_db()
    assert session.microlocation_id is None


@pytest.mark.parametrize("url", [f"/v1/sessions/{HUGE_PK}/conflicts", f"/v1/schedule-blocks/{HUGE_PK}",
                                 f"/v1/events/{HUGE_PK}/schedule-blocks", "/v1/sessions/-1/conflicts"])  # fmt: skip
def test_huge_or_negative_ids_are_not_found(api, program, url):
    api.as_user(program.people["organizer"])
    assert api.get(url).status_code == 404


@pytest.mark.parametrize("raw", ["{", "[]", '{"data": []}', '{"data": {"type": "schedule-block"}}', "\x00"])
def test_malformed_block_bodies_are_clear_errors(api, program, raw):
    api.as_user(program.people["organizer"])
    assert api.post("/v1/schedule-blocks", raw=raw).status_code in (400, 403, 409, 422)


@pytest.mark.parametrize("stamp", ["yesterday", "2031-02-30T00:00:00Z", 12, None, "9" * 40])
def test_a_bad_last_modified_stamp_is_a_clear_error(api, program, stamp):
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    api.as_user(program.people["organizer"])
    body = resource_doc("session", {"title": "Moved", "last-modified-at": stamp}, id=session.pk)
    assert api.patch(f"/v1/sessions/{session.pk}", body).status_code in (200, 400, 409, 422)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_read_another_events_blocks_or_conflicts(api, program, role):
    schedule.create_block(program.people["organizer"], program.event,
                          {"title": "Secret", "kind": "coffee", "starts_at": program.at(2),
                           "ends_at": program.at(3)})  # fmt: skip
    api.as_user(program.people[role])
    response = api.get(f"/v1/events/{program.event.identifier}/schedule-blocks")
    assert response.status_code in (403, 404) or response.json_body["data"] == []
    assert "Secret" not in api.get("/v1/schedule-blocks").content.decode()
    if role not in ("speaker", "track_organizer"):  # (track organizers plan the program; a speaker's own session)
        assert api.get(f"/v1/sessions/{program.own_session.pk}/conflicts").status_code in (401, 403, 404)


def test_a_session_changed_since_it_was_read_is_not_overwritten(api, program):
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    api.as_user(program.people["organizer"])
    read = api.get(f"/v1/sessions/{session.pk}").json_body["data"]["attributes"]["last-modified-at"]
    Session.objects.filter(pk=session.pk).update(title="Theirs", last_modified_at=session.last_modified_at +
                                                 datetime.timedelta(seconds=5))  # fmt: skip
    body = resource_doc("session", {"title": "Mine", "last-modified-at": read}, id=session.pk)
    assert api.patch(f"/v1/sessions/{session.pk}", body).status_code == 409
    session.refresh_from_db()
    assert session.title == "Theirs"


EVIL = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_typed_names_cannot_break_out_of_the_scheduler_blob_or_the_releases_page(client, program):
    event = program.event
    program.room.name = EVIL
    program.room.save()
    program.track.name = EVIL
    program.track.save()
    session = SessionFactory(event=event, state="accepted", title=EVIL, track=program.track,
                             microlocation=program.room, starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    session.speakers.add(program.speaker)
    schedule.create_block(program.people["organizer"], event,
                          {"title": EVIL, "kind": "coffee", "starts_at": program.at(3), "ends_at": program.at(4)})
    client.force_login(program.people["organizer"])
    for url in (f"/events/{event.identifier}/schedule/", f"/events/{event.identifier}/schedule/releases"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    client.post(f"/events/{event.identifier}/schedule/releases", {"action": "release", "comment": EVIL})
    html = client.get(f"/events/{event.identifier}/schedule/releases").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_a_title_cannot_add_lines_to_the_day_calendar(client, program):
    SessionFactory(event=program.event, state="accepted", title="Talk\r\nATTENDEE:mailto:victim@example.org",
                   microlocation=program.room, starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    client.force_login(program.people["organizer"])
    day = program.event.starts_at.date().isoformat()
    body = client.get(f"/events/{program.event.identifier}/schedule/day/{day}.ics").content.decode()
    assert "\nATTENDEE:" not in body


def test_a_session_cannot_be_patched_into_a_trashed_room(api, program):
    trashed = MicrolocationFactory(event=program.event)
    trashed.soft_delete()
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    api.as_user(program.people["organizer"])
    moved = {"microlocation": rel("microlocation", trashed.pk)}
    body = resource_doc("session", {}, id=session.pk, relationships=moved)
    assert api.patch(f"/v1/sessions/{session.pk}", body).status_code in (400, 403, 404, 409, 422)
    session.refresh_from_db()
    assert session.microlocation_id is None


@pytest.mark.parametrize("hours", [(4, 3), (3, 3), (3, 3 + 24 * 400), (-24 * 400, 3)])
def test_blocks_ending_before_they_start_or_far_outside_the_event_are_refused(api, program, hours):
    api.as_user(program.people["organizer"])
    starts, ends = hours
    attributes = {"title": "Odd", "kind": "coffee", "starts-at": program.iso(starts), "ends-at": program.iso(ends)}
    body = resource_doc("schedule-block", attributes, event=program.event)
    response = api.post("/v1/schedule-blocks", body)
    assert response.status_code in (400, 409, 422), response.status_code
    assert not ScheduleBlock.objects.exists()


def test_anonymous_visitors_read_and_write_no_blocks(api, program):
    schedule.create_block(program.people["organizer"], program.event,
                          {"title": "Secret", "kind": "coffee", "starts_at": program.at(2), "ends_at": program.at(3)})
    api.as_user(None)
    assert "Secret" not in api.get("/v1/schedule-blocks").content.decode()
    assert api.get(f"/v1/events/{program.event.identifier}/schedule-blocks").status_code in (401, 403, 404)
    assert api.post("/v1/schedule-blocks", block_doc(program)).status_code in (401, 403)
    assert ScheduleBlock.objects.count() == 1


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_change_or_delete_a_block(api, program, role):
    block = schedule.create_block(program.people["organizer"], program.event,
                                  {"title": "Coffee", "kind": "coffee", "starts_at": program.at(2),
                                   "ends_at": program.at(3)})  # fmt: skip
    api.as_user(program.people[role])
    body = resource_doc("schedule-block", {"title": "Hijacked"}, id=block.pk)
    assert api.patch(f"/v1/schedule-blocks/{block.pk}", body).status_code in (403, 404)
    assert api.delete(f"/v1/schedule-blocks/{block.pk}").status_code in (403, 404)
    block.refresh_from_db()
    assert block.title == "Coffee"


def test_a_session_cannot_take_another_events_speaker(api, program):
    foreign = SpeakerFactory(name="Foreign Speaker")
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    api.as_user(program.people["organizer"])
    linked = {"speakers": {"data": [{"type": "speaker", "id": str(foreign.pk)}]}}
    body = resource_doc("session", {}, id=session.pk, relationships=linked)
    assert api.patch(f"/v1/sessions/{session.pk}", body).status_code in (400, 403, 404, 409, 422)
    assert not session.speakers.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("identifier", ["x" * 5000, "%0d%0aSet-Cookie:a=b", "..%2f..%2fetc", "%00"])
def test_odd_identifiers_are_not_found(client, program, identifier):
    client.force_login(program.people["admin"])
    for url in (f"/events/{identifier}/schedule/", f"/events/{identifier}/schedule/day/2031-01-01.png",
                f"/e/{identifier}/schedule/", f"/e/{identifier}/schedule/grid.css"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Set-Cookie" not in response.headers


def test_a_speaker_cannot_place_their_own_session_in_the_schedule(api, program):
    api.as_user(program.speaker_user)
    session = program.own_session
    moved = {"microlocation": rel("microlocation", program.room.pk)}
    attributes = {"starts-at": program.iso(1), "ends-at": program.iso(2)}
    body = resource_doc("session", attributes, id=session.pk, relationships=moved)
    response = api.patch(f"/v1/sessions/{session.pk}", body)
    session.refresh_from_db()
    assert response.status_code == 403
    assert session.microlocation_id is None
    assert session.starts_at is None


def test_a_day_of_more_rooms_than_the_picture_shows_is_refused_not_drawn(client, program):
    for position in range(70):
        room = MicrolocationFactory(event=program.event, name=f"Room {position}", position=position)
        SessionFactory(event=program.event, state="accepted", microlocation=room, title="a " * 250,
                       starts_at=program.at(0), ends_at=program.at(9))  # fmt: skip
    client.force_login(program.people["organizer"])
    day = program.event.starts_at.date().isoformat()
    response = client.get(f"/events/{program.event.identifier}/schedule/day/{day}.png")
    assert response.status_code == 400
    assert "at most" in response.content.decode()


def test_long_many_word_titles_in_tall_boxes_still_draw(client, program):
    """Titles of 250 words in 30 rooms of 100-word names: the picture is drawn (wrapping and
    ellipsizing bound the work per box; bench/day_png.py times it)."""
    for position in range(30):
        room = MicrolocationFactory(event=program.event, name="R " * 100, position=position)
        SessionFactory(event=program.event, state="accepted", microlocation=room, title="a " * 250,
                       starts_at=program.at(0), ends_at=program.at(9))  # fmt: skip
    client.force_login(program.people["organizer"])
    day = program.event.starts_at.date().isoformat()
    response = client.get(f"/events/{program.event.identifier}/schedule/day/{day}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_release_mails_carry_no_injected_headers_or_markup(program, mailoutbox, django_capture_on_commit_callbacks):
    Event.objects.filter(pk=program.event.pk).update(name="Conf\r\nBcc: victim@example.org")
    program.event.refresh_from_db()
    session = SessionFactory(event=program.event, state="accepted", title='<img src=x onerror="alert(1)">',
                             microlocation=program.room, starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    session.speakers.add(program.speaker)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.release_schedule(program.people["organizer"], program.event, "<script>alert(2)</script>")
    assert mailoutbox, "the speaker is mailed"
    for mail in mailoutbox:
        assert "\n" not in mail.subject
        assert "\r" not in mail.subject
        assert mail.bcc == []
        assert mail.to == [program.speaker.email]
        htmls = [html for html, kind in mail.alternatives if kind == "text/html"]
        assert htmls
        for html in htmls:
            assert "<img src=x" not in html
            assert "<script>alert" not in html


def test_a_nested_create_cannot_aim_at_another_event_either_way(api, program):
    other = Event.objects.exclude(pk=program.event.pk).get(user_roles__user=program.people["other_organizer"])
    api.as_user(program.people["organizer"])
    # Our event in the body, theirs in the address.
    assert api.post(f"/v1/events/{other.identifier}/schedule-blocks", block_doc(program)).status_code in (403, 404)
    # Their event in the body, ours in the address: the block is ours or refused, never theirs.
    body = block_doc(program)
    body["data"]["relationships"] = {"event": rel("event", other.pk)}
    api.post(f"/v1/events/{program.event.identifier}/schedule-blocks", body)
    assert not ScheduleBlock.objects.filter(event=other).exists()
    api.as_user(program.people["other_organizer"])
    assert api.post(f"/v1/events/{program.event.identifier}/schedule-blocks", body).status_code in (403, 404)
    assert not ScheduleBlock.objects.filter(event=other).exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_open_a_room_to_parallel_sessions(api, program, role):
    api.as_user(program.people[role])
    body = resource_doc("microlocation", {"allows-parallel": True}, id=program.room.pk)
    assert api.patch(f"/v1/microlocations/{program.room.pk}", body).status_code in (401, 403, 404)
    program.room.refresh_from_db()
    assert program.room.allows_parallel is False


def test_a_double_booking_is_refused_over_the_api(api, program):
    SessionFactory(event=program.event, state="accepted", microlocation=program.room,
                   starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    second = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1, 30),
                            ends_at=program.at(2, 30))  # fmt: skip
    api.as_user(program.people["organizer"])
    moved = {"microlocation": rel("microlocation", program.room.pk)}
    body = resource_doc("session", {}, id=second.pk, relationships=moved)
    assert api.patch(f"/v1/sessions/{second.pk}", body).status_code in (409, 422)
    second.refresh_from_db()
    assert second.microlocation_id is None
