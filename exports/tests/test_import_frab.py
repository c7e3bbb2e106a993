"""frab / C3VOC schedules import: the JSON example of the fixtures (valid against
``schedule.schema.json``) and an XML schedule valid against ``schedule.xml.xsd``; malformed and
hostile files (billion laughs, external entities) are refused and leave nothing."""
import json

import jsonschema
import pytest
import xmlschema

from exports.models import JobStatus
from exports.tests.import_support import media_root, post_import, row_counts, stored_files  # noqa: F401
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

XML = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <title>Demo Camp</title>
    <acronym>democamp</acronym>
    <start>2031-08-01</start>
    <end>2031-08-02</end>
    <days>2</days>
    <timeslot_duration>00:15</timeslot_duration>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2031-08-01" start="2031-08-01T06:00:00+02:00" end="2031-08-02T03:00:00+02:00">
    <room name="Hall A">
      <event id="1" guid="11111111-2222-3333-4444-555555555501">
        <room>Hall A</room><title>Opening &amp; welcome</title><subtitle></subtitle><type>Talk</type>
        <date>2031-08-01T10:00:00+02:00</date><start>10:00</start><duration>00:30</duration>
        <abstract>Hello &lt;script&gt;alert(1)&lt;/script&gt;</abstract><slug>democamp-1-opening</slug>
        <track>Community</track><language>en</language><description>Long text</description>
        <persons><person id="7">Ada Lovelace</person><person id="8">Grace Hopper</person></persons>
        <links><link href="https://example.org/slides">Slides</link></links>
      </event>
      <event id="2" guid="11111111-2222-3333-4444-555555555502">
        <room>Hall A</room><title>Compilers</title><type>Workshop</type>
        <date>2031-08-01T11:00:00+02:00</date><start>11:00</start><duration>01:30</duration>
        <abstract></abstract><track>Tech</track>
        <persons><person id="8">Grace Hopper</person></persons>
      </event>
    </room>
    <room name="Hall B">
      <event id="3" guid="11111111-2222-3333-4444-555555555503">
        <room>Hall B</room><title>Late night</title><type>Talk</type>
        <date>2031-08-01T23:30:00+02:00</date><start>23:30</start><duration>01:00</duration>
        <abstract>x</abstract><track>Tech</track>
      </event>
    </room>
  </day>
  <day index="2" date="2031-08-02" start="2031-08-02T06:00:00+02:00" end="2031-08-03T03:00:00+02:00"/>
</schedule>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<schedule><version>1</version><conference><title>&lol3;</title></conference></schedule>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<schedule><version>1</version><conference><title>&xxe;</title><start>2031-08-01</start><end>2031-08-02</end>
</conference></schedule>"""


def schedule_dir(shared_dir):
    return shared_dir / "fixtures" / "schedule-formats"


def test_xml_fixture_is_valid_against_the_xsd(shared_dir):
    xmlschema.XMLSchema(str(schedule_dir(shared_dir) / "schedule.xml.xsd")).validate(XML)


def test_xml_schedule_imports(api, shared_dir, django_capture_on_commit_callbacks):
    xmlschema.XMLSchema(str(schedule_dir(shared_dir) / "schedule.xml.xsd")).validate(XML)
    user = UserFactory()
    response, job = post_import(api, user, XML.encode(), kind="frab-xml", name="schedule.xml",
                                capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    event = job.event
    assert event.name == "Demo Camp"
    assert event.timezone == "Europe/Berlin"
    assert event.user_roles.get().user == user
    sessions = {s.title: s for s in Session.objects.filter(event=event).select_related("track", "microlocation")}
    assert set(sessions) == {"Opening & welcome", "Compilers", "Late night"}
    opening = sessions["Opening & welcome"]
    names = (opening.track.name, opening.microlocation.name, opening.session_type.name)
    assert names == ("Community", "Hall A", "Talk")
    assert opening.starts_at.isoformat() == "2031-08-01T08:00:00+00:00"
    assert (opening.ends_at - opening.starts_at).total_seconds() == 30 * 60
    assert "<script>" not in opening.short_abstract
    assert sorted(opening.speakers.values_list("name", flat=True)) == ["Ada Lovelace", "Grace Hopper"]
    assert Speaker.objects.filter(event=event).count() == 2  # Grace once, though she gives two talks
    assert event.microlocations.count() == 2
    assert event.tracks.count() == 2
    # The event spans the talk that runs past midnight of its last day's start.
    assert event.ends_at >= sessions["Late night"].ends_at
    assert job.counts["sessions"] == 3


def democon(shared_dir):
    return (schedule_dir(shared_dir) / "example-democon.json").read_bytes()


def test_json_example_is_valid_against_the_schema(shared_dir):
    schema = json.loads((schedule_dir(shared_dir) / "schedule.schema.json").read_text())
    document = json.loads(democon(shared_dir))
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_json_schedule_imports(api, shared_dir, django_capture_on_commit_callbacks):
    data = democon(shared_dir)
    document = json.loads(data)
    conference = document["schedule"]["conference"]
    talks = [t for day in conference["days"] for ts in day["rooms"].values() for t in ts]
    persons = {p["id"] for t in talks for p in t["persons"]}
    user = UserFactory()
    response, job = post_import(api, user, data, kind="frab-json", name="schedule.json",
                                capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    event = job.event
    assert event.name == conference["title"]
    assert Session.objects.filter(event=event).count() == len(talks) == 36
    assert Speaker.objects.filter(event=event).count() == len(persons)
    assert event.microlocations.count() == len({t["room"] for t in talks})
    assert event.tracks.count() == len({t["track"] for t in talks if t["track"]})
    links = Speaker.sessions.through.objects.filter(session__event=event).count()
    assert links == sum(len(t["persons"]) for t in talks)
    first = talks[0]
    session = Session.objects.get(event=event, title=first["title"])
    assert session.microlocation.name == first["room"]
    assert session.starts_at.isoformat() == "2020-12-14T08:00:00+00:00"


HOSTILE = {
    "billion-laughs": (BILLION_LAUGHS, "frab-xml", "document type declaration"),
    "xxe": (XXE, "frab-xml", "document type declaration"),
    "not-well-formed": (b"<schedule><conference>", "frab-xml", "not well-formed XML"),
    "no-conference": (b"<schedule><version>1</version></schedule>", "frab-xml", "<conference> is missing"),
    "talk-without-offset": (
        XML.replace("2031-08-01T11:00:00+02:00", "2031-08-01T11:00:00").encode(), "frab-xml",
        'day 1, room "Hall A", talk 2: date is not a date with a time zone offset',
    ),
    "bad-duration": (XML.replace("01:30", "long").encode(), "frab-xml", "talk 2: duration is not HH:MM"),
    "json-bad": (b'{"schedule": ', "frab-json", "not valid JSON"),
    "json-no-conference": (b'{"schedule": {"version": "1"}}', "frab-json", "schedule.conference: expected an object"),
    "json-rooms-list": (
        json.dumps({"schedule": {"version": "1", "conference": {
            "title": "T", "acronym": "tttt", "start": "2031-01-01", "end": "2031-01-02",
            "days": [{"index": 1, "rooms": []}]}}}).encode(),
        "frab-json", "day 1, rooms: expected an object of room -> talks",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_bad_schedule_fails_and_leaves_nothing(api, django_capture_on_commit_callbacks, case):
    data, kind, message = HOSTILE[case]
    user = UserFactory()
    before = row_counts()
    response, job = post_import(api, user, data, kind=kind, name="schedule", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert message in job.error
    assert "root:" not in job.error  # nothing of /etc/passwd
    assert row_counts() == before
    assert stored_files() == []


def test_json_that_is_not_an_object_is_refused_at_once(api):
    response, job = post_import(api, UserFactory(), b"[1, 2]", kind="frab-json")
    assert response.status_code == 422
    assert job is None
