"""The sessions app's signals fire once, after commit, with the documented arguments; a refused or
rolled-back write sends nothing."""
import pytest
from django.db import transaction

from events.models import Role
from openevent.core.errors import NotAllowed
from sessions_app import services, signals
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.helpers import Program, session_doc

pytestmark = pytest.mark.django_db(transaction=True)

SIGNALS = {
    "created": signals.session_created,
    "state": signals.session_state_changed,
    "schedule": signals.session_schedule_changed,
    "speaker": signals.speaker_created,
}


@pytest.fixture(autouse=True)
def roles():
    # Transactional tests flush the seeded roles.
    for name in Role.NAMES:
        Role.objects.get_or_create(name=name, defaults={"title_name": name.title()})


@pytest.fixture
def received():
    calls = []
    receivers = {}
    for name, signal in SIGNALS.items():

        def receiver(sender, _name=name, **kwargs):
            # What a receiver running after commit would read back from the database.
            kwargs["committed"] = _committed(kwargs)
            calls.append((_name, sender, kwargs))

        receivers[name] = receiver
        signal.connect(receiver)
    yield calls
    for name, signal in SIGNALS.items():
        signal.disconnect(receivers[name])


def _committed(kwargs):
    if "session" in kwargs:
        return Session.objects.filter(pk=kwargs["session"].pk).values("state", "starts_at").first()
    if "speaker" in kwargs:
        return Speaker.objects.filter(pk=kwargs["speaker"].pk).values("name").first()
    return None


@pytest.fixture
def program(roles):
    return Program()


def names(received):
    return [name for name, _, _ in received]


def test_session_created_fires_once_after_commit(received, program):
    proposer = program.people["plain"]
    with transaction.atomic():
        session = services.create_session(proposer, program.event, {"title": "Idea", "state": "pending"})
        assert received == []
    [(name, sender, kwargs)] = received
    assert (name, sender) == ("created", Session)
    assert kwargs["session"] == session
    assert kwargs["actor"] == proposer
    assert kwargs["committed"] == {"state": "pending", "starts_at": None}
    # Being created pending is no state change.
    assert names(received) == ["created"]


def test_session_created_through_the_api(received, program, api):
    response = api.as_user(program.people["owner"]).post(
        "/v1/sessions",
        session_doc(
            program.event, title="Keynote", state="accepted", **{"starts-at": program.iso(1), "ends-at": program.iso(2)}
        ),
    )
    assert response.status_code == 201, response.json_body
    assert names(received) == ["created"]
    assert received[0][2]["session"].pk == int(response.json_body["data"]["id"])


def create_then_roll_back(program):
    with transaction.atomic():
        services.create_session(program.people["owner"], program.event, {"title": "Undone"})
        raise RuntimeError


def test_a_refused_or_rolled_back_creation_sends_nothing(received, program):
    program.call.soft_delete()
    with pytest.raises(NotAllowed):
        services.create_session(program.people["plain"], program.event, {"title": "Late"})
    with pytest.raises(RuntimeError):
        create_then_roll_back(program)
    assert received == []
    assert not Session.objects.filter(title__in=["Late", "Undone"]).exists()


def test_state_changed_fires_once_with_old_and_new_state(received, program):
    session = program.own_session
    owner = program.people["owner"]
    with transaction.atomic():
        services.update_session(owner, session, {"state": "accepted", "title": "Accepted talk"}, send_email=False)
        assert received == []
    [(name, sender, kwargs)] = received
    assert (name, sender) == ("state", Session)
    assert kwargs["session"].pk == session.pk
    assert (kwargs["old_state"], kwargs["new_state"], kwargs["actor"], kwargs["send_email"]) == (
        "pending",
        "accepted",
        owner,
        False,
    )
    assert kwargs["committed"]["state"] == "accepted"


def test_state_changed_through_the_api_and_by_the_speaker(received, program, api):
    session = program.own_session
    api.as_user(program.people["owner"])
    assert api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="accepted")).status_code == 200
    api.as_user(program.speaker_user)
    assert api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="confirmed")).status_code == 200
    assert [(k["old_state"], k["new_state"], k["actor"]) for _, _, k in received] == [
        ("pending", "accepted", program.people["owner"]),
        ("accepted", "confirmed", program.speaker_user),
    ]
    assert all(k["send_email"] is True for _, _, k in received)


def test_send_email_false_is_passed_on_to_receivers(received, program, api):
    session = program.own_session
    body = session_doc(id=session.pk, state="rejected", **{"send-email": False})
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    assert "send-email" not in response.json_body["data"]["attributes"]
    [(name, _, kwargs)] = received
    assert (name, kwargs["new_state"], kwargs["send_email"]) == ("state", "rejected", False)


def test_refused_state_changes_and_unchanged_states_send_nothing(received, program, api):
    session = program.own_session
    api.as_user(program.speaker_user)
    assert api.patch(f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="accepted")).status_code == 403
    assert (
        api.patch(
            f"/v1/sessions/{session.pk}", session_doc(id=session.pk, state="pending", title="Same state")
        ).status_code
        == 200
    )
    assert received == []


def test_schedule_changed_fires_with_the_old_schedule(received, program):
    session = SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    owner = program.people["owner"]
    with transaction.atomic():
        services.update_session(
            owner, session, {"starts_at": program.at(3), "ends_at": program.at(4), "microlocation": program.room}
        )
        assert received == []
    [(name, sender, kwargs)] = received
    assert (name, sender) == ("schedule", Session)
    assert kwargs["session"].pk == session.pk
    assert kwargs["actor"] == owner
    assert kwargs["old"] == {"starts_at": program.at(1), "ends_at": program.at(2), "microlocation_id": None}
    assert kwargs["committed"]["starts_at"] == program.at(3)
    # Other edits, and sending the same schedule again, are no schedule change.
    services.update_session(
        owner, session, {"title": "New title", "starts_at": program.at(3), "microlocation": program.room}
    )
    assert names(received) == ["schedule"]
    services.update_session(owner, session, {"microlocation": None})
    assert names(received) == ["schedule", "schedule"]
    assert received[-1][2]["old"]["microlocation_id"] == program.room.pk


def test_one_update_changing_state_and_schedule_sends_each_once(received, program, api):
    session = program.own_session
    body = session_doc(id=session.pk, state="accepted", **{"starts-at": program.iso(1), "ends-at": program.iso(2)})
    assert api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body).status_code == 200
    assert sorted(names(received)) == ["schedule", "state"]


def test_an_invalid_schedule_sends_nothing(received, program, api):
    session = SessionFactory(event=program.event, starts_at=program.at(1), ends_at=program.at(2))
    body = session_doc(id=session.pk, state="confirmed", **{"starts-at": program.iso(5), "ends-at": program.iso(4)})
    assert api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body).status_code == 422
    assert received == []
    assert Session.objects.get(pk=session.pk).state == "accepted"


def test_speaker_created_fires_once_after_commit(received, program, api):
    with transaction.atomic():
        speaker = services.create_speaker(
            program.people["owner"], program.event, {"name": "Grace", "email": "g@example.org"}
        )
        assert received == []
    [(name, sender, kwargs)] = received
    assert (name, sender) == ("speaker", Speaker)
    assert kwargs["speaker"] == speaker
    assert kwargs["actor"] == program.people["owner"]
    assert kwargs["committed"] == {"name": "Grace"}
    response = api.as_user(program.people["plain"]).post(
        "/v1/speakers",
        {
            "data": {
                "type": "speaker",
                "attributes": {"name": "Me"},
                "relationships": {"event": {"data": {"type": "event", "id": str(program.event.pk)}}},
            }
        },
    )
    assert response.status_code == 201, response.json_body
    assert names(received) == ["speaker", "speaker"]
    assert received[-1][2]["actor"] == program.people["plain"]
    # A duplicate is refused and sends nothing.
    assert (
        api.post(
            "/v1/speakers",
            {
                "data": {
                    "type": "speaker",
                    "attributes": {"name": "Me"},
                    "relationships": {"event": {"data": {"type": "event", "id": str(program.event.pk)}}},
                }
            },
        ).status_code
        == 409
    )
    assert names(received) == ["speaker", "speaker"]
