"""The schedule formats (iCalendar, xCal, frab XML, frab JSON): what each holds of a small released
schedule, that the frab files are valid against the C3VOC schemas, and what a new release changes."""

import datetime
import json
import uuid

import icalendar
import jsonschema
import pytest
import xmlschema
from lxml import etree

from exports.exporters import EXPORTERS, get_exporter
from exports.exporters.data import FeedSchedule, name_uuid, sequences
from exports.exporters.ical import XCAL_NAMESPACE, calendar_of, to_ical
from openevent.core.errors import NotFound
from sessions_app.models import Session
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db
X = f"{{{XCAL_NAMESPACE}}}"
TRICKY_TITLE = 'Ünïcode & <tags> "quotes" 日本語, a; b\\c'


@pytest.fixture
def w():
    world = PublicWorld()
    world.block("Lunch", 4, kind="lunch")
    world.release()
    return world


def render(world, identifier):
    return get_exporter(identifier).render(world.event, "https://events.example.org")


def vevents(world):
    calendar = icalendar.Calendar.from_ical(render(world, "ical"))
    return calendar, {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


def schemas(shared_dir):
    folder = shared_dir / "fixtures" / "schedule-formats"
    schema = json.loads((folder / "schedule.schema.json").read_text())
    return xmlschema.XMLSchema(str(folder / "schedule.xml.xsd")), schema


def test_the_registry_names_the_four_formats():
    assert set(EXPORTERS) == {"ical", "xcal", "pentabarf", "frab-json"}
    assert get_exporter("ical").extension == "ics"
    with pytest.raises(NotFound):
        get_exporter("pdf")


def test_icalendar_holds_the_released_sessions_and_blocks_in_the_event_zone(w):
    calendar, found = vevents(w)
    assert set(found) == {"Open hardware for all", "Keynote: the road ahead", "Lunch"}
    talk = found["Open hardware for all"]
    assert talk["DTSTART"].params["TZID"] == "Asia/Singapore"
    assert talk.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2031, 5, 6, 10, 0)
    assert talk.decoded("DTEND") == w.talk.ends_at
    assert str(talk["UID"]) == f"session-{w.talk.pk}@open-event.invalid"
    assert talk.decoded("SEQUENCE") == 0
    assert str(talk["LOCATION"]) == "Hall A"
    assert [str(c) for c in talk["CATEGORIES"].cats] == ["Hardware"]
    assert str(talk["URL"]) == f"https://events.example.org/e/{w.event.identifier}/sessions/{w.talk.pk}/"
    description = str(talk["DESCRIPTION"])
    assert description.startswith("Open hardware meets open software")  # the <p> is gone
    assert "<" not in description
    assert description.endswith("Speakers: Alice Jansen, Bob Okafor")
    assert "DTSTAMP" in talk
    lunch = found["Lunch"]
    assert str(lunch["LOCATION"]) == "All rooms"
    assert [str(c) for c in lunch["CATEGORIES"].cats] == ["Lunch"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Singapore"]


def test_the_feed_entry_is_the_public_session_file_entry(client, w):
    """One UID per session: the public page's .ics and the feed name the same entry."""
    single = icalendar.Calendar.from_ical(client.get(w.url(f"sessions/{w.talk.pk}.ics")).content)
    _, found = vevents(w)
    assert str(single.walk("VEVENT")[0]["UID"]) == str(found["Open hardware for all"]["UID"])


def test_our_folding_is_icalendars_byte_for_byte(w):
    Session.objects.filter(pk=w.talk.pk).update(title=TRICKY_TITLE * 3, long_abstract="é^\\" * 90 + "日本" * 40)
    calendar = calendar_of(FeedSchedule.of(w.event))
    assert to_ical(calendar) == calendar.to_ical()


def test_xcal_is_the_same_calendar_as_xml(w):
    root = etree.fromstring(render(w, "xcal"))
    assert root.tag == f"{X}icalendar"
    [vcalendar] = root.findall(f"{X}vcalendar")
    assert vcalendar.find(f"{X}properties/{X}prodid/{X}text") is not None
    timezone = vcalendar.find(f"{X}components/{X}vtimezone")
    assert timezone.find(f"{X}properties/{X}tzid/{X}text").text == "Asia/Singapore"
    offsets = timezone.findall(f"{X}components/{X}standard/{X}properties/{X}tzoffsetto/{X}utc-offset")
    assert "+08:00" in [offset.text for offset in offsets]  # Singapore since 1982
    events = {
        item.find(f"{X}properties/{X}summary/{X}text").text: item.find(f"{X}properties")
        for item in vcalendar.findall(f"{X}components/{X}vevent")
    }
    assert set(events) == {"Open hardware for all", "Keynote: the road ahead", "Lunch"}
    talk = events["Open hardware for all"]
    start = talk.find(f"{X}dtstart")
    assert start.find(f"{X}parameters/{X}tzid/{X}text").text == "Asia/Singapore"
    assert start.find(f"{X}date-time").text == "2031-05-06T10:00:00"
    assert talk.find(f"{X}dtstamp/{X}date-time").text.endswith("Z")
    assert talk.find(f"{X}uid/{X}text").text == f"session-{w.talk.pk}@open-event.invalid"
    assert talk.find(f"{X}sequence/{X}integer").text == "0"
    assert talk.find(f"{X}location/{X}text").text == "Hall A"
    assert talk.find(f"{X}categories/{X}text").text == "Hardware"
    assert talk.find(f"{X}url/{X}uri").text.endswith(f"/sessions/{w.talk.pk}/")


def test_frab_xml_is_valid_and_holds_the_schedule(w, shared_dir):
    xsd, _ = schemas(shared_dir)
    body = render(w, "pentabarf")
    xsd.validate(body.decode())
    root = etree.fromstring(body)
    assert root.findtext("conference/acronym") == w.event.identifier.lower().replace("-", "_").ljust(4, "_")
    assert root.findtext("conference/time_zone_name") == "Asia/Singapore"
    assert [day.get("date") for day in root.findall("day")] == ["2031-05-06", "2031-05-07", "2031-05-08"]
    [talk] = root.xpath("//event[title='Open hardware for all']")
    assert talk.getparent().get("name") == "Hall A"
    assert talk.get("id") == str(w.talk.pk)
    assert talk.get("guid") == str(uuid.uuid5(uuid.NAMESPACE_URL, f"session-{w.talk.pk}@open-event.invalid"))
    assert talk.findtext("date") == "2031-05-06T10:00:00+08:00"
    assert (talk.findtext("start"), talk.findtext("duration")) == ("10:00", "01:00")
    assert talk.findtext("track") == "Hardware"
    assert talk.findtext("type") == "Talk"
    assert talk.findtext("abstract").startswith("Open hardware meets")
    assert [p.text for p in talk.findall("persons/person")] == ["Alice Jansen", "Bob Okafor"]
    keynote = root.xpath("//event[title='Keynote: the road ahead']")[0]
    assert keynote.getparent().getparent().get("date") == "2031-05-07"
    assert not root.xpath("//event[title='Pending secret talk']")


def test_frab_json_is_valid_and_is_the_xmls_data(w, shared_dir):
    _, schema = schemas(shared_dir)
    document = json.loads(render(w, "frab-json"))
    jsonschema.validate(document, schema)
    conference = document["schedule"]["conference"]
    assert conference["daysCount"] == len(conference["days"]) == 3
    [talk] = conference["days"][0]["rooms"]["Hall A"]
    assert talk["title"] == "Open hardware for all"
    assert talk["date"] == "2031-05-06T10:00:00+08:00"
    assert talk["url"] == f"https://events.example.org/e/{w.event.identifier}/sessions/{w.talk.pk}/"
    assert [p["public_name"] for p in talk["persons"]] == ["Alice Jansen", "Bob Okafor"]
    xml = etree.fromstring(render(w, "pentabarf"))
    assert xml.xpath("//event[title='Open hardware for all']")[0].get("guid") == talk["guid"]


def test_the_democon_example_is_valid_against_the_schema(shared_dir):
    """The schema check itself refuses what is wrong (and the fixture passes it)."""
    _, schema = schemas(shared_dir)
    example = json.loads((shared_dir / "fixtures" / "schedule-formats" / "example-democon.json").read_text())
    jsonschema.validate(example, schema)
    example["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0].pop("guid")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(example, schema)


def test_html_unicode_and_xml_special_characters_survive_every_format(w, shared_dir):
    xsd, schema = schemas(shared_dir)
    Session.objects.filter(pk=w.talk.pk).update(
        title=TRICKY_TITLE, short_abstract="<p>Bold <strong>&amp; brave</strong></p><script>x</script>", subtitle="",
    )  # fmt: skip
    _, found = vevents(w)
    assert TRICKY_TITLE in found
    assert "<" not in str(found[TRICKY_TITLE]["DESCRIPTION"])
    xml = render(w, "pentabarf")
    xsd.validate(xml.decode())
    [talk] = etree.fromstring(xml).xpath(f"//event[@id='{w.talk.pk}']")
    assert talk.findtext("title") == TRICKY_TITLE
    assert talk.findtext("abstract") == "Bold & brave x"
    document = json.loads(render(w, "frab-json"))
    jsonschema.validate(document, schema)
    assert document["schedule"]["conference"]["days"][0]["rooms"]["Hall A"][0]["title"] == TRICKY_TITLE
    xcal = etree.fromstring(render(w, "xcal"))
    assert TRICKY_TITLE in xcal.xpath("//x:summary/x:text/text()", namespaces={"x": XCAL_NAMESPACE})


def test_a_new_release_bumps_the_sequence_of_changed_sessions_only(w):
    uids = {title: str(item["UID"]) for title, item in vevents(w)[1].items()}
    Session.objects.filter(pk=w.talk.pk).update(starts_at=w.talk.starts_at + datetime.timedelta(hours=1),
                                                 ends_at=w.talk.ends_at + datetime.timedelta(hours=1))  # fmt: skip
    w.release()
    _, found = vevents(w)
    assert found["Open hardware for all"].decoded("SEQUENCE") == 1
    assert found["Keynote: the road ahead"].decoded("SEQUENCE") == 0
    assert {title: str(item["UID"]) for title, item in found.items()} == uids
    # A release that leaves the talk alone leaves its number alone.
    Session.objects.filter(pk=w.keynote.pk).update(microlocation=w.room)
    w.release()
    _, found = vevents(w)
    assert found["Open hardware for all"].decoded("SEQUENCE") == 1
    assert found["Keynote: the road ahead"].decoded("SEQUENCE") == 1
    assert str(found["Keynote: the road ahead"]["LOCATION"]) == "Hall A"


def test_sequences_count_changes_between_the_releases_a_session_is_in():
    slot = {"session": 1, "title": "A", "starts_at": "10", "ends_at": "11", "microlocation": 1}
    moved = {**slot, "starts_at": "12"}
    assert sequences([[slot], [slot], [moved], [], [moved], [slot]]) == {1: 2}
    assert sequences([[slot]]) == {}


def test_the_day_export_names_sessions_with_the_same_uid(client, w, settings):
    settings.ICAL_UID_DOMAIN = "events.example.org"
    client.force_login(w.owner)
    day = client.get(f"/events/{w.event.identifier}/schedule/day/2031-05-06.ics")
    assert day.status_code == 200
    uids = {str(item["UID"]) for item in icalendar.Calendar.from_ical(day.content).walk("VEVENT")}
    _, found = vevents(w)
    assert str(found["Open hardware for all"]["UID"]) == f"session-{w.talk.pk}@events.example.org"
    assert str(found["Open hardware for all"]["UID"]) in uids


@pytest.mark.parametrize("name", ["session-1@open-event.invalid", "speaker-77@events.example.org", "日本@x"])
def test_name_uuids_are_uuid5(name):
    assert name_uuid(name) == str(uuid.uuid5(uuid.NAMESPACE_URL, name))
