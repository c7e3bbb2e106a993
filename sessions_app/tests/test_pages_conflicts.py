"""The organizer session page and form show the session's schedule conflicts; a save that would
double-book a room is a form error on its start; a room's form takes "allows parallel sessions"."""
import datetime

import pytest
from django.urls import reverse

from events.models import Microlocation
from events.tests.factories import MicrolocationFactory, SessionTypeFactory
from events.tests.helpers import count_queries
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(name, args=[event.identifier, *args])


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def stamp(moment):
    """A moment as the form's datetime-local field takes it (the event is in UTC)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def program(db):
    program = Program()
    program.own_session.delete()
    return program


@pytest.fixture
def clash(program):
    """ "Keynote" and "Overrun" in the program's room at overlapping times; "Overrun" also shares its
    speaker with "Workshop" next door and is longer than its type."""
    at = program.event.starts_at.replace(second=0, microsecond=0)
    talk = SessionTypeFactory(event=program.event, name="Talk", length="00:30")
    keynote = SessionFactory(event=program.event, title="Keynote", microlocation=program.room,
                             starts_at=at + datetime.timedelta(hours=1), ends_at=at + datetime.timedelta(hours=3))
    overrun = SessionFactory(event=program.event, title="Overrun", microlocation=program.room, session_type=talk,
                             starts_at=at + datetime.timedelta(hours=2), ends_at=at + datetime.timedelta(hours=4))
    workshop = SessionFactory(event=program.event, title="Workshop", microlocation=MicrolocationFactory(
        event=program.event), starts_at=at + datetime.timedelta(hours=3), ends_at=at + datetime.timedelta(hours=5))
    SpeakerFactory(event=program.event, name="Ada", sessions=[overrun, workshop])
    return keynote, overrun, workshop  # fmt: skip


@pytest.mark.parametrize("address", ["session-detail", "session-edit"])
def test_the_session_page_and_form_list_its_conflicts_in_words(client, program, clash, address):
    _, overrun, _ = clash
    html = as_user(client, program.people["owner"]).get(url(address, program.event, overrun.pk)).content.decode()
    assert "Schedule conflicts" in html
    assert f"<strong>Error:</strong> {program.room.name} is also booked for “Keynote” at that time (" in html
    assert "<strong>Warning:</strong> Ada also speaks in “Workshop” at that time (" in html
    assert "<strong>Warning:</strong> It lasts 2 h, longer than a Talk (30 min)." in html
    assert html.index("Keynote”") < html.index("Ada also speaks")  # errors first
    keynote_url = url("session-detail", program.event, clash[0].pk)
    assert f'<a href="{keynote_url}">Open “Keynote”</a>' in html


def test_a_session_without_conflicts_says_so(client, program):
    session = SessionFactory(event=program.event, title="Alone", microlocation=program.room,
                             starts_at=program.at(1), ends_at=program.at(2))  # fmt: skip
    html = as_user(client, program.people["owner"]).get(url("session-detail", program.event, session.pk)).content
    assert "No conflicts." in html.decode()


def test_track_organizers_see_conflicts_and_moderators_do_not(client, program, clash):
    overrun = clash[1]
    html = as_user(client, program.people["track_organizer"]).get(url("session-detail", program.event, overrun.pk))
    assert "is also booked for “Keynote”" in html.content.decode()
    html = as_user(client, program.people["moderator"]).get(url("session-detail", program.event, overrun.pk))
    assert html.status_code == 200
    assert "Schedule conflicts" not in html.content.decode()
    assert "Keynote" not in html.content.decode()


def test_the_session_page_runs_as_many_queries_with_one_conflict_as_with_many(client, program):
    as_user(client, program.people["owner"])
    session = SessionFactory(event=program.event, microlocation=program.room, starts_at=program.at(1),
                             ends_at=program.at(3))  # fmt: skip
    SessionFactory(event=program.event, microlocation=program.room, starts_at=program.at(2), ends_at=program.at(4))
    page = url("session-detail", program.event, session.pk)
    _, one = count_queries(lambda: client.get(page))
    for hour in range(3):
        other = SessionFactory(event=program.event, microlocation=program.room, starts_at=program.at(1, hour * 10),
                               ends_at=program.at(4))  # fmt: skip
        SpeakerFactory(event=program.event, sessions=[session, other])
    response, many = count_queries(lambda: client.get(page))
    assert response.content.decode().count("is also booked for") == 4
    assert many == one


# --- refusing a double booking -----------------------------------------------------------------------------------
def form_data(program, session, **overrides):
    data = {
        "title": session.title,
        "state": session.state,
        "microlocation": session.microlocation_id or "",
        "starts_at": stamp(session.starts_at) if session.starts_at else "",
        "ends_at": stamp(session.ends_at) if session.ends_at else "",
        "speakers": [speaker.pk for speaker in session.speakers.all()],
    }
    data.update(overrides)
    return data


def test_a_save_that_double_books_a_room_is_a_form_error_on_its_start(client, program, clash):
    _, overrun, workshop = clash
    as_user(client, program.people["coorganizer"])
    before = Session.objects.values().get(pk=workshop.pk)
    data = form_data(program, workshop, title="Moved", microlocation=program.room.pk)
    response = client.post(url("session-edit", program.event, workshop.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["starts_at"]
    # It would start when "Keynote" ends (no overlap) but while "Overrun" runs.
    assert errors["starts_at"][0].startswith(f"{program.room.name} is already booked for “Overrun” at that time (")
    html = response.content.decode()
    assert "is already booked for “Overrun”" in html
    # The conflicts shown are the stored session's, not those of the refused change.
    assert "is also booked for" not in html
    assert Session.objects.values().get(pk=workshop.pk) == before
    # After the booked sessions end, the room is free: the same move goes through.
    later = overrun.ends_at
    data.update(starts_at=stamp(later), ends_at=stamp(later + datetime.timedelta(hours=1)))
    response = client.post(url("session-edit", program.event, workshop.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    workshop.refresh_from_db()
    assert (workshop.title, workshop.microlocation_id) == ("Moved", program.room.pk)


def test_creating_a_session_in_a_booked_room_is_a_form_error(client, program, clash):
    keynote = clash[0]
    as_user(client, program.people["owner"])
    data = {"title": "Intruder", "state": "accepted", "microlocation": program.room.pk,
            "starts_at": stamp(keynote.starts_at), "ends_at": stamp(keynote.ends_at)}  # fmt: skip
    response = client.post(url("session-create", program.event), data)
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not Session.objects.filter(title="Intruder").exists()


# --- a room's form -----------------------------------------------------------------------------------------------
def test_a_room_is_marked_as_allowing_parallel_sessions_on_its_form(client, program):
    as_user(client, program.people["coorganizer"])
    page = url("part-edit", program.event, "rooms", program.room.pk)
    html = client.get(page).content.decode()
    assert "Allows parallel sessions" in html
    assert "For exhibitions and poster halls: sessions may overlap in this room." in html
    response = client.post(page, {"name": "Expo", "position": "0", "allows_parallel": "on"})
    assert response.status_code == 302, response.context["form"].errors
    assert Microlocation.objects.get(pk=program.room.pk).allows_parallel is True
    assert "Parallel sessions" in client.get(url("part-list", program.event, "rooms")).content.decode()
    # A moderator reads the rooms but may not change them.
    as_user(client, program.people["moderator"])
    assert client.post(page, {"name": "Expo", "position": "0"}).status_code == 403
    assert Microlocation.objects.get(pk=program.room.pk).allows_parallel is True
