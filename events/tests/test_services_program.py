"""The program's part services, as pages and imports call them (no serializer in front)."""
import datetime

import pytest

from events import services
from events.models import Microlocation, SessionType, SpeakersCall, Sponsor, Track
from events.tests.helpers import staffed_event
from events.tests.program import CALL_START
from openevent.core.errors import Conflict, Invalid, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed():
    return staffed_event()


def call_data(**overrides):
    return {"starts_at": CALL_START, "ends_at": CALL_START + datetime.timedelta(days=30), **overrides}


@pytest.mark.parametrize(
    ("role", "model", "allowed"),
    [
        ("track_organizer", Track, True),
        ("track_organizer", Microlocation, False),
        ("moderator", Track, False),
        ("registrar", SessionType, False),
        ("coorganizer", Sponsor, True),
        ("other_organizer", Track, False),
        ("admin", Microlocation, True),
    ],
)
def test_create_part_asks_the_vocabulary(staffed, role, model, allowed):
    event, people = staffed
    if allowed:
        assert services.create_part(people[role], model, event, name="X").event == event
    else:
        with pytest.raises(NotAllowed):
            services.create_part(people[role], model, event, name="X")
        assert not model.all_objects.exists()


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (Track, {"name": "Web", "color": "blue"}, "color"),
        (SessionType, {"name": "Talk", "length": "45"}, "length"),
        (Microlocation, {"name": ""}, "name"),
        (SpeakersCall, call_data(ends_at=CALL_START), "ends_at"),
        (SpeakersCall, call_data(soft_ends_at=CALL_START - datetime.timedelta(days=1)), "soft_ends_at"),
    ],
)
def test_create_part_validates_without_a_serializer(staffed, model, data, field):
    event, people = staffed
    with pytest.raises(Invalid) as refusal:
        services.create_part(people["owner"], model, event, **data)
    assert refusal.value.field == field
    assert not model.all_objects.exists()


def test_descriptions_are_sanitized(staffed):
    event, people = staffed
    track = services.create_part(people["owner"], Track, event, name="Web", description="<b>ok</b><script>x()</script>")
    assert track.description == "<b>ok</b>"
    track = services.update_part(people["owner"], track, description='<i onmouseover="x()">hi</i>')
    assert Track.objects.get().description == "<i>hi</i>"
    call = services.create_part(
        people["owner"], SpeakersCall, event, announcement="<style>*{}</style>Go", **call_data()
    )
    assert call.announcement == "Go"


def test_parts_stay_with_their_event(staffed):
    event, people = staffed
    other, _ = staffed_event()
    room = services.create_part(people["admin"], Microlocation, event, name="Hall")
    with pytest.raises(NotAllowed):
        services.update_part(people["admin"], room, event=other, name="Moved")
    room.refresh_from_db()
    assert room.event == event
    assert room.name == "Hall"


def test_delete_and_restore(staffed):
    event, people = staffed
    room = services.create_part(people["owner"], Microlocation, event, name="Hall")
    with pytest.raises(NotAllowed):
        services.delete_part(people["moderator"], room)
    with pytest.raises(NotAllowed):
        services.delete_part(people["owner"], room, permanent=True)
    services.delete_part(people["owner"], room)
    assert not Microlocation.objects.exists()
    trashed = Microlocation.all_objects.get()
    with pytest.raises(NotAllowed):
        services.restore_part(people["moderator"], trashed)
    services.restore_part(people["coorganizer"], trashed)
    assert Microlocation.objects.get().deleted_at is None
    services.delete_part(people["admin"], Microlocation.objects.get(), permanent=True)
    assert not Microlocation.all_objects.exists()


def test_one_live_call_per_event(staffed):
    event, people = staffed
    first = services.create_part(people["owner"], SpeakersCall, event, **call_data())
    with pytest.raises(Conflict):
        services.create_part(people["owner"], SpeakersCall, event, **call_data())
    services.delete_part(people["owner"], first)
    second = services.create_part(people["owner"], SpeakersCall, event, **call_data())
    with pytest.raises(Conflict):
        services.restore_part(people["owner"], SpeakersCall.all_objects.get(pk=first.pk))
    # Updating the live call is no second call.
    assert services.update_part(people["owner"], second, announcement="Hi").announcement == "Hi"
