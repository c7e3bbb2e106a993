"""The session state machine: both tables as served, and ``change_state`` following them exactly.

The tables are written out here, not read from ``sessions_app.states``: a change to the code's
tables must be made here too, on purpose."""
import itertools

import pytest

from openevent.api.tests.documents import assert_error
from openevent.core.errors import Invalid, NotAllowed
from sessions_app import services
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.helpers import session_doc

pytestmark = pytest.mark.django_db

STATES = ["draft", "pending", "accepted", "confirmed", "rejected", "withdrawn", "canceled"]

# from state -> the states organizers (co-organizers and up) may move a session to.
ORGANIZER_MAY = {
    "draft": {"pending", "accepted", "confirmed", "rejected"},
    "pending": {"accepted", "confirmed", "rejected", "canceled"},
    "accepted": {"pending", "confirmed", "rejected", "canceled"},
    "confirmed": {"accepted", "rejected", "canceled"},
    "rejected": {"pending", "accepted"},
    "withdrawn": {"pending"},
    "canceled": {"pending", "accepted"},
}
# from state -> the states a speaker may move their own session to: submit a draft, withdraw,
# confirm an accepted session; never accept, reject or cancel.
SPEAKER_MAY = {
    "draft": {"pending", "withdrawn"},
    "pending": {"withdrawn"},
    "accepted": {"confirmed", "withdrawn"},
    "confirmed": {"withdrawn"},
    "rejected": set(),
    "withdrawn": set(),
    "canceled": set(),
}
TABLES = {"organizer": ORGANIZER_MAY, "speaker": SPEAKER_MAY}
PAIRS = [(a, b) for a, b in itertools.product(STATES, STATES) if a != b]


def test_the_states_are_the_models_choices():
    assert [state for state, _ in Session.State.choices] == STATES


def test_states_endpoint_serves_both_tables_to_anyone(api, program):
    for viewer in ("anonymous", "plain", "owner"):
        response = api.as_user(program.people[viewer]).get("/v1/sessions/states")
        assert response.status_code == 200
        body = response.json_body
        assert set(body) == {"organizer", "speaker"}
        for table, transitions in TABLES.items():
            assert set(body[table]) == set(STATES)
            for current in STATES:
                assert set(body[table][current]) == transitions[current]
                assert all(value is True for value in body[table][current].values())


def test_states_endpoint_with_plain_json_accept(api):
    response = api.client.get("/v1/sessions/states", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["speaker"]["accepted"] == {"confirmed": True, "withdrawn": True}


def test_the_speaker_table_never_accepts_or_rejects():
    for current, targets in SPEAKER_MAY.items():
        assert not targets & {"accepted", "rejected", "canceled"}, current
        if current != "accepted":
            assert "confirmed" not in targets


@pytest.mark.parametrize(("current", "wanted"), PAIRS)
def test_organizers_follow_the_organizer_table(program, current, wanted):
    session = SessionFactory(event=program.event, state=current)
    organizer = program.people["coorganizer"]
    if wanted in ORGANIZER_MAY[current]:
        services.change_state(organizer, session, wanted)
        assert Session.objects.get(pk=session.pk).state == wanted
    else:
        with pytest.raises(NotAllowed) as refused:
            services.change_state(organizer, session, wanted)
        assert refused.value.field == "state"
        assert Session.objects.get(pk=session.pk).state == current


@pytest.mark.parametrize(("current", "wanted"), PAIRS)
def test_speakers_follow_the_speaker_table(program, current, wanted):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(state=current)
    session.refresh_from_db()
    if wanted in SPEAKER_MAY[current]:
        services.change_state(program.speaker_user, session, wanted)
        assert Session.objects.get(pk=session.pk).state == wanted
    else:
        with pytest.raises(NotAllowed):
            services.change_state(program.speaker_user, session, wanted)
        assert Session.objects.get(pk=session.pk).state == current


@pytest.mark.parametrize(("current", "wanted"), [(a, b) for a, b in PAIRS if b in SPEAKER_MAY[a]])
def test_speaker_transitions_through_the_api(api, program, current, wanted):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(state=current)
    body = session_doc(id=session.pk, state=wanted)
    response = api.as_user(program.speaker_user).patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    assert Session.objects.get(pk=session.pk).state == wanted


@pytest.mark.parametrize(("current", "wanted"), [(a, b) for a, b in PAIRS if b not in SPEAKER_MAY[a]])
def test_refused_speaker_transitions_through_the_api(api, program, current, wanted):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(state=current)
    body = session_doc(id=session.pk, state=wanted)
    response = api.as_user(program.speaker_user).patch(f"/v1/sessions/{session.pk}", body)
    assert_error(response, 403)
    assert Session.objects.get(pk=session.pk).state == current


@pytest.mark.parametrize(("current", "wanted"), [(a, b) for a, b in PAIRS if b not in ORGANIZER_MAY[a]])
def test_refused_organizer_transitions_through_the_api(api, program, current, wanted):
    session = SessionFactory(event=program.event, state=current)
    body = session_doc(id=session.pk, state=wanted)
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body)
    assert_error(response, 403)
    assert Session.objects.get(pk=session.pk).state == current


def test_an_organizer_who_also_speaks_uses_the_organizer_table(program):
    organizer = program.people["organizer"]
    session = SessionFactory(event=program.event, state="pending", creator=organizer)
    services.change_state(organizer, session, "accepted")
    assert Session.objects.get(pk=session.pk).state == "accepted"


@pytest.mark.parametrize("actor", ["moderator", "registrar", "track_organizer", "plain", "other_organizer"])
def test_others_change_no_state(program, actor):
    session = SessionFactory(event=program.event, state="pending")
    with pytest.raises(NotAllowed):
        services.change_state(program.people[actor], session, "accepted")
    assert Session.objects.get(pk=session.pk).state == "pending"


def test_a_locked_session_keeps_its_state_against_its_speaker(program):
    session = program.own_session
    Session.objects.filter(pk=session.pk).update(state="accepted", is_locked=True)
    session.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.change_state(program.speaker_user, session, "confirmed")
    assert Session.objects.get(pk=session.pk).state == "accepted"
    services.change_state(program.people["owner"], session, "confirmed")
    assert Session.objects.get(pk=session.pk).state == "confirmed"


def test_unknown_states_are_invalid(program):
    with pytest.raises(Invalid) as invalid:
        services.change_state(program.people["owner"], program.own_session, "teleported")
    assert invalid.value.field == "state"


def test_submitted_at_is_set_when_a_session_first_becomes_pending(program):
    session = SessionFactory(event=program.event, state="draft", creator=program.speaker_user)
    session.speakers.add(program.speaker)
    assert session.submitted_at is None
    services.change_state(program.speaker_user, session, "pending")
    first = Session.objects.get(pk=session.pk).submitted_at
    assert first is not None
    services.change_state(program.people["owner"], session, "accepted")
    services.change_state(program.people["owner"], session, "pending")
    assert Session.objects.get(pk=session.pk).submitted_at == first


def test_changing_to_the_same_state_is_a_no_op(program):
    session = program.own_session
    before = Session.objects.get(pk=session.pk).last_modified_at
    services.change_state(program.speaker_user, session, "pending")
    assert Session.objects.get(pk=session.pk).last_modified_at == before


@pytest.mark.parametrize(("current", "wanted"), [(a, b) for a, b in PAIRS if b in ORGANIZER_MAY[a]])
def test_organizer_transitions_through_the_api(api, program, current, wanted):
    session = SessionFactory(event=program.event, state=current)
    body = session_doc(id=session.pk, state=wanted)
    response = api.as_user(program.people["owner"]).patch(f"/v1/sessions/{session.pk}", body)
    assert response.status_code == 200, response.json_body
    assert Session.objects.get(pk=session.pk).state == wanted
