"""A hostile import corpus beyond ``test_import_refusals``: values that crash a careless reader
(NUL characters PostgreSQL refuses, JSON nested past Python's recursion limit, dates near year 1
or 9999 that cannot be moved between zones, numbers where a frab schedule has texts, ``localtime``
as a zone) fail with a sentence naming the place or import cleanly, and none leaves a row or a
stored file behind (security lessons 16, 17 and 19). Run on SQLite and on PostgreSQL."""
import json

import pytest

from exports.models import JobStatus
from exports.services.jobs import UNEXPECTED
from exports.tests.import_support import make_zip, media_root, post_import, row_counts, stored_files  # noqa: F401
from exports.tests.test_import_frab import XML
from exports.tests.test_import_refusals import EVENT, SESSIONS, SPEAKERS, good_files
from openevent.core.html import sanitize_html
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

DEPTH = 100_000


def deep(prefix, suffix):
    return prefix * DEPTH + b"1" + suffix * DEPTH


def schedule(talk=None, conference=None):
    """A frab schedule.json of one talk, with ``talk``'s and ``conference``'s keys changed."""
    one = {"id": 1, "guid": "g1", "title": "Talk", "date": "2031-08-01T10:00:00+02:00", "duration": "00:30",
           "room": "A", "persons": [{"id": 1, "public_name": "Ada"}], **(talk or {})}
    about = {"title": "Camp", "acronym": "camp", "start": "2031-08-01", "end": "2031-08-02",
             "time_zone_name": "Europe/Berlin", "days": [{"index": 1, "date": "2031-08-01", "rooms": {"A": [one]}}],
             **(conference or {})}
    return json.dumps({"schedule": {"version": "1", "conference": about}}).encode()


REFUSED = {
    "zip-deep-event": ("json", lambda: make_zip(good_files(event=deep(b'{"a":', b"}"))), "event: the JSON nests too"),
    "zip-event-year-9999": (
        "json", lambda: make_zip(good_files(event={**EVENT, "ends-at": "9999-12-31T23:59:59-12:00"})),
        "event (id 7): ends-at is out of range",
    ),
    "zip-event-year-1": (
        "json", lambda: make_zip(good_files(event={**EVENT, "starts-at": "0001-01-01T00:00:00",
                                                   "timezone": "Pacific/Kiritimati"})),
        "event (id 7): starts-at is out of range",
    ),
    "zip-session-year-1": (
        "json", lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "starts-at": "0001-01-01T00:30:00+05:00"}])),
        "sessions, item 1 (id 21): starts-at is out of range",
    ),
    "zip-localtime-zone": (
        "json", lambda: make_zip(good_files(event={**EVENT, "timezone": "localtime"})),
        "timezone 'localtime' is not a known time zone",
    ),
    "zip-speakers-a-text": (
        "json", lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "speakers": "Ada"}])),
        "sessions, item 1 (id 21): speakers is not a list",
    ),
    "zip-speakers-an-object": (
        "json", lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "speakers": {"id": 11}}])),
        "sessions, item 1 (id 21): speakers is not a list",
    ),
    "zip-speaker-sessions-a-text": (
        "json", lambda: make_zip(good_files(speakers=[{**SPEAKERS[0], "sessions": "21"}])),
        "speakers, item 1 (id 11): sessions is not a list",
    ),
    "zip-huge-integer": (
        "json", lambda: make_zip(good_files(microlocations=[{"id": 5, "name": "Hall", "floor": 10**30}])),
        "microlocations: the file is not valid JSON",
    ),
    "zip-infinite-latitude": ("json", lambda: make_zip(good_files(event={**EVENT, "latitude": 1e400})),
                              "event (id 7): latitude is out of range"),
    "zip-nan-in-event": (
        "json", lambda: make_zip(good_files(event=json.dumps({**EVENT, "longitude": float("nan")}).encode())),
        "event (id 7): longitude is out of range",
    ),
    "zip-event-is-a-folder": (
        "json", lambda: make_zip({**good_files(event=None), "event/": b"", "Event": json.dumps(EVENT).encode()}),
        "The zip has no 'event' file",
    ),
    "frab-deep": ("frab-json", lambda: b'{"schedule":' + deep(b"[", b"]") + b"}", "schedule.json: the JSON nests"),
    "frab-year-9999": (
        "frab-json", lambda: schedule({"date": "9999-12-31T23:00:00+00:00", "duration": "05:00"}),
        "talk 1: date is out of range",
    ),
    "frab-xml-year-9999": (
        "frab-xml", lambda: XML.replace("2031-08-01T10:00:00+02:00", "9999-12-31T23:50:00+02:00").encode(),
        "talk 1: date is out of range",
    ),
    "frab-huge-duration": ("frab-json", lambda: schedule({"duration": "99999999:00"}), "duration is out of range"),
    "frab-conference-year-1": (
        "frab-json", lambda: schedule(conference={"start": "0001-01-01"}), "event: starts-at is out of range"
    ),
    "frab-zone-a-number": (
        "frab-json", lambda: schedule(conference={"time_zone_name": 5}), "time_zone_name '5' is not a known time zone"
    ),
    "frab-localtime-zone": (
        "frab-json", lambda: schedule(conference={"time_zone_name": "localtime"}), "is not a known time zone"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_file_fails_precisely_and_leaves_nothing(api, django_capture_on_commit_callbacks, case):
    kind, build, message = REFUSED[case]
    user = UserFactory()
    before = row_counts()
    response, job = post_import(api, user, build(), kind=kind, name="f", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert (job.status, job.error != UNEXPECTED) == (JobStatus.FAILURE, True), job.error
    assert message in job.error
    assert row_counts() == before
    assert stored_files() == []


def run(api, capture, data, kind="json"):
    user = UserFactory()
    _, job = post_import(api, user, data, kind=kind, name="f", capture=capture)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    return job.event


def test_nul_characters_are_dropped_from_every_text(api, django_capture_on_commit_callbacks):
    """PostgreSQL refuses NUL in text and JSON columns: the import drops them, it does not fail."""
    answers = {"complex-field-values": {"sh\x00irt": "X\x00L", "list": ["a\x00", 1]}}
    data = make_zip(good_files(
        event={**EVENT, "name": "Co\x00nf", "description": "d\x00"},
        tracks=[{"id": 3, "name": "W\x00eb", "description": "<b>x\x00</b>"}],
        speakers=[{**SPEAKERS[0], "name": "A\x00da", **answers}],
        sessions=[{**SESSIONS[0], "title": "T\x00alk", "speakers": [{"id": 11, "name": "A\x00da"}], **answers}],
    ))
    event = run(api, django_capture_on_commit_callbacks, data)
    session = event.sessions.get()
    assert (event.name, session.title, session.track.name) == ("Conf", "Talk", "Web")
    assert session.complex_field_values == {"shirt": "XL", "list": ["a", "1"]}
    assert session.speakers.get().complex_field_values == {"shirt": "XL", "list": ["a", "1"]}


def test_nul_characters_in_a_frab_schedule_are_dropped(api, django_capture_on_commit_callbacks):
    event = run(api, django_capture_on_commit_callbacks, schedule({"title": "Ta\x00lk", "abstract": "x\x00y"}),
                kind="frab-json")
    assert list(event.sessions.values_list("title", "short_abstract")) == [("Talk", "xy")]


def test_frab_numbers_where_texts_belong_are_taken_as_texts(api, django_capture_on_commit_callbacks):
    event = run(api, django_capture_on_commit_callbacks, schedule({"track": 5, "type": 7, "subtitle": 3}),
                kind="frab-json")
    session = event.sessions.get()
    assert (session.track.name, session.session_type.name, session.subtitle) == ("5", "7", "3")


def test_repeated_and_two_way_links_make_one_link(api, django_capture_on_commit_callbacks):
    data = make_zip(good_files(
        sessions=[{**SESSIONS[0], "speakers": [11, "11", {"id": 11, "name": "Ada"}]}],
        speakers=[{**SPEAKERS[0], "sessions": [21, {"id": 21}, "21"]}],
    ))
    event = run(api, django_capture_on_commit_callbacks, data)
    assert event.sessions.get().speakers.count() == 1


def test_media_that_is_html_or_the_event_file_itself_is_refused_not_stored(api, django_capture_on_commit_callbacks):
    data = make_zip(good_files(
        event={**EVENT, "logo-url": "/images/logo.png", "original-image-url": "event"},
        **{"images/logo.png": b"<html><script>alert(1)</script></html>"},
    ))
    event = run(api, django_capture_on_commit_callbacks, data)
    assert (event.logo_url, event.original_image_url) == ("", "")
    assert [name for name in stored_files() if name.startswith("uploads/")] == []


@pytest.mark.parametrize("shift", [0, 7, 30])
def test_html_at_the_length_cap_is_cut_before_sanitizing_never_inside_a_tag(api, django_capture_on_commit_callbacks,
                                                                             shift):
    """Sanitizing adds ``rel="noopener noreferrer nofollow"`` and ``&amp;``: the stored HTML stays
    within the column's cap without ending inside a tag or an attribute (pages render it as is)."""
    link = '<a href="https://example.org/">x</a>'
    abstract = "a" * (LONG_TEXT_MAX_LENGTH - len(link) - shift) + link + "&" * shift
    data = make_zip(good_files(sessions=[{**SESSIONS[0], "long-abstract": abstract}]))
    stored = run(api, django_capture_on_commit_callbacks, data).sessions.get().long_abstract
    assert len(stored) <= LONG_TEXT_MAX_LENGTH
    assert sanitize_html(stored) == stored  # well-formed: nothing left open
    assert stored.startswith("aaaa")


def tiny_sessions(count):
    return b"[" + b",".join([b"{}"] * count) + b"]"


def test_a_kilobyte_of_zip_cannot_make_a_third_of_a_million_rows(api, django_capture_on_commit_callbacks):
    """Members under the ratio check's floor may compress any amount: the items are capped."""
    data = make_zip(good_files(sessions=tiny_sessions(333_000), speakers=None))
    assert len(data) < 10_000
    before = row_counts()
    _, job = post_import(api, UserFactory(), data, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert "sessions: the file has 333000 items; at most 50000 are accepted" in job.error
    assert row_counts() == before


def test_the_item_cap_is_a_setting_and_applies_to_frab_too(api, django_capture_on_commit_callbacks, settings):
    settings.IMPORT_MAX_ITEMS = 3
    ok = make_zip(good_files(sessions=b'[{"title": "a"}, {"title": "b"}, {"title": "c"}]', speakers=None))
    assert run(api, django_capture_on_commit_callbacks, ok).sessions.count() == 3
    too_many = make_zip(good_files(sessions=tiny_sessions(4), speakers=None))
    _, job = post_import(api, UserFactory(), too_many, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert "at most 3 are accepted" in job.error
    talks = [{"id": n, "title": "T", "date": "2031-08-01T10:00:00+02:00", "duration": "00:30", "room": "A"}
             for n in range(4)]
    document = json.loads(schedule())
    document["schedule"]["conference"]["days"][0]["rooms"]["A"] = talks
    _, job = post_import(api, UserFactory(), json.dumps(document).encode(), kind="frab-json", name="s.json",
                         capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert "more than 3 talks or persons are not accepted" in job.error
