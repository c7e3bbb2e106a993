"""A speaker's e-mail address and its account (``is-email-overridden``), and the sessions named
when a speaker is created (``relationships.sessions``, as in the API Blueprint's example)."""
import pytest

from openevent.api.tests.documents import assert_error
from openevent.users import services as user_services
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, pointers, rel, speaker_doc

pytestmark = pytest.mark.django_db

#: The attributes of a speaker in the blueprint's "Create Speaker" response.
BLUEPRINT_ATTRIBUTES = {
    "website", "city", "short-biography", "name", "speaking-experience", "country", "twitter", "is-featured",
    "is-email-overridden", "linkedin", "email", "long-biography", "mobile", "github", "facebook", "gender",
    "position", "organisation", "deleted-at", "sponsorship-required", "heard-from",
}  # fmt: skip


def sessions_rel(*sessions):
    return {"data": [{"type": "session", "id": str(session.pk)} for session in sessions]}


def create(api, program, user, sessions=(), **attributes):
    attributes.setdefault("name", "New Speaker")
    relationships = {"sessions": sessions_rel(*sessions)} if sessions is not None else {}
    if user is not None:
        relationships["user"] = rel("user", user.pk)
    return api.post("/v1/speakers", speaker_doc(program.event, relationships=relationships, **attributes))


def linked_session_ids(speaker_id):
    return set(Speaker.objects.get(pk=speaker_id).sessions.values_list("pk", flat=True))


# --- is-email-overridden ----------------------------------------------------------------------------
def test_the_blueprint_create_answers_201_with_its_attributes_and_links_the_sessions(api, program):
    """The blueprint's own example: event, user and sessions relationships, created by an organizer."""
    api.as_user(program.people["owner"])
    guest = UserFactory(email="first.speaker@example.org")
    session = SessionFactory(event=program.event)
    response = create(
        api, program, guest, [session], name="firstSpeaker", email="first.speaker@example.org",
        website="https://first.example.org", city="Delhi", gender="Man", country="India",
    )  # fmt: skip
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == "speaker"
    assert set(data["attributes"]) >= BLUEPRINT_ATTRIBUTES
    assert data["attributes"]["is-email-overridden"] is False
    assert {"user", "event", "sessions"} <= set(data["relationships"])
    assert data["relationships"]["sessions"]["data"] == [{"type": "session", "id": str(session.pk)}]
    assert linked_session_ids(data["id"]) == {session.pk}


def test_a_linked_speaker_takes_the_accounts_address_unless_overridden(api, program):
    api.as_user(program.people["owner"])
    guest = UserFactory(email="guest@example.org")
    follows = create(api, program, guest, name="Follows")
    assert follows.status_code == 201, follows.json_body
    assert follows.json_body["data"]["attributes"]["email"] == "guest@example.org"
    assert follows.json_body["data"]["attributes"]["is-email-overridden"] is False

    other = UserFactory(email="other@example.org")
    chosen = create(api, program, other, name="Chosen", email="Office@Example.org")
    assert chosen.status_code == 201, chosen.json_body
    assert chosen.json_body["data"]["attributes"]["email"] == "office@example.org"
    assert chosen.json_body["data"]["attributes"]["is-email-overridden"] is True

    third = UserFactory(email="third@example.org")
    none = create(api, program, third, name="No address", email="", **{"is-email-overridden": True})
    assert none.status_code == 201, none.json_body
    assert none.json_body["data"]["attributes"]["email"] == ""


def test_clearing_the_override_puts_the_accounts_address_back(api, program):
    api.as_user(program.people["owner"])
    guest = UserFactory(email="guest@example.org")
    speaker_id = create(api, program, guest, email="office@example.org").json_body["data"]["id"]
    url = f"/v1/speakers/{speaker_id}"
    response = api.patch(url, speaker_doc(id=speaker_id, **{"is-email-overridden": False}))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["email"] == "guest@example.org"
    assert response.json_body["data"]["attributes"]["is-email-overridden"] is False
    contradiction = api.patch(url, speaker_doc(id=speaker_id, email="x@example.org", **{"is-email-overridden": False}))
    assert_error(contradiction, 422)
    assert pointers(contradiction) == ["/data/attributes/email"]
    assert Speaker.objects.get(pk=speaker_id).email == "guest@example.org"


def test_an_account_address_change_reaches_the_rows_that_follow_it(api, program, django_capture_on_commit_callbacks):
    owner = program.people["owner"]
    guest = UserFactory(email="guest@example.org")
    api.as_user(owner)
    following = create(api, program, guest, name="Follows").json_body["data"]["id"]
    other_event = Program()
    api.as_user(other_event.people["owner"])
    overridden = create(api, other_event, guest, name="Chosen", email="office@example.org").json_body["data"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        user_services.update_user(UserFactory(is_admin=True), guest, email="new@example.org", is_verified=True)
    assert Speaker.objects.get(pk=following).email == "new@example.org"
    assert Speaker.objects.get(pk=overridden).email == "office@example.org"


@pytest.mark.parametrize("viewer", ["speaker", "plain"])
def test_only_organizers_override_a_speakers_address(api, program, viewer):
    """A speaker's own row keeps their account's address; the flag is the organizers'."""
    user = program.people[viewer]
    api.as_user(user)
    if viewer == "speaker":
        response = api.patch(
            f"/v1/speakers/{program.speaker.pk}", speaker_doc(id=program.speaker.pk, **{"is-email-overridden": True})
        )
    else:
        response = create(api, program, None, name="Me", **{"is-email-overridden": True})
    error = assert_error(response, 403)
    assert error["source"] == {"pointer": "/data/attributes/is-email-overridden"}
    assert not Speaker.objects.filter(is_email_overridden=True).exists()


# --- relationships.sessions on create -------------------------------------------------------------
def test_organizers_link_any_session_of_the_event(api, program):
    api.as_user(program.people["coorganizer"])
    first, second = SessionFactory(event=program.event), SessionFactory(event=program.event, state="pending")
    response = create(api, program, None, [first, second, program.own_session])
    assert response.status_code == 201, response.json_body
    assert linked_session_ids(response.json_body["data"]["id"]) == {first.pk, second.pk, program.own_session.pk}


def test_a_speaker_links_their_own_sessions(api, program):
    user = program.people["plain"]
    mine = SessionFactory(event=program.event, state="draft", creator=user)
    api.as_user(user)
    response = create(api, program, None, [mine], name="Me")
    assert response.status_code == 201, response.json_body
    speaker_id = response.json_body["data"]["id"]
    assert linked_session_ids(speaker_id) == {mine.pk}
    assert Speaker.objects.get(pk=speaker_id).user == user


def test_a_speaker_cannot_link_someone_elses_session(api, program):
    user = program.people["plain"]
    theirs = SessionFactory(event=program.event, state="accepted")
    api.as_user(user)
    response = create(api, program, None, [theirs], name="Me")
    error = assert_error(response, 403)
    assert error["source"] == {"pointer": "/data/relationships/sessions"}
    assert not Speaker.objects.filter(user=user).exists()  # nothing half-written
    assert not theirs.speakers.exists()


def test_a_locked_session_of_ones_own_is_refused_too(api, program):
    user = program.people["plain"]
    mine = SessionFactory(event=program.event, state="pending", creator=user, is_locked=True)
    api.as_user(user)
    error = assert_error(create(api, program, None, [mine], name="Me"), 403)
    assert error["source"] == {"pointer": "/data/relationships/sessions"}
    assert not Speaker.objects.filter(user=user).exists()


@pytest.mark.parametrize("viewer", ["owner", "plain"])
def test_a_session_of_another_event_is_refused(api, program, viewer):
    user = program.people[viewer]
    elsewhere = SessionFactory(creator=user)
    api.as_user(user)
    response = create(api, program, None, [elsewhere], name="Cross")
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/sessions"]
    assert not Speaker.objects.filter(name="Cross").exists()
    assert not elsewhere.speakers.exists()


def test_a_trashed_session_is_refused(api, program):
    api.as_user(program.people["owner"])
    gone = SessionFactory(event=program.event)
    gone.soft_delete()
    response = create(api, program, None, [gone], name="Late")
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/sessions"]
    assert not Speaker.objects.filter(name="Late").exists()


def test_patch_replaces_the_sessions_through_the_same_rules(api, program):
    owner = program.people["owner"]
    first, second = SessionFactory(event=program.event), SessionFactory(event=program.event)
    speaker = SpeakerFactory(event=program.event, sessions=[first])
    api.as_user(owner)
    body = speaker_doc(id=speaker.pk, relationships={"sessions": sessions_rel(second)})
    response = api.patch(f"/v1/speakers/{speaker.pk}", body)
    assert response.status_code == 200, response.json_body
    linked = response.json_body["data"]["relationships"]["sessions"]["data"]
    assert linked == [{"type": "session", "id": str(second.pk)}]
    assert linked_session_ids(speaker.pk) == {second.pk}
    # The speaker themself may not name a session that is not theirs.
    api.as_user(program.speaker_user)
    body = speaker_doc(id=program.speaker.pk, relationships={"sessions": sessions_rel(program.own_session, second)})
    error = assert_error(api.patch(f"/v1/speakers/{program.speaker.pk}", body), 403)
    assert error["source"] == {"pointer": "/data/relationships/sessions"}
    assert linked_session_ids(program.speaker.pk) == {program.own_session.pk}
