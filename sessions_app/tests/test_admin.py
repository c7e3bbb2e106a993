"""Django admin for sessions and speakers."""
import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse

from events.tests.factories import EventFactory
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    event = EventFactory()
    session = Session.objects.create(event=event, title="Observability on a budget")
    speaker = Speaker.objects.create(event=event, name="Ada Example", email="ada@example.org")
    speaker.sessions.add(session)
    trashed = Session.objects.create(event=event, title="Withdrawn talk")
    trashed.soft_delete()
    return {"session": session, "speaker": speaker, "trashed_session": trashed}


@pytest.mark.parametrize(("model", "key"), [("session", "session"), ("session", "trashed_session"), ("speaker", "speaker")])
def test_admin_opens_changelist_change_and_add_pages(client, rows, model, key):
    client.force_login(UserFactory(is_admin=True))

    changelist = client.get(reverse(f"admin:sessions_app_{model}_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:sessions_app_{model}_change", args=[rows[key].pk])).status_code == 200
    assert client.get(reverse(f"admin:sessions_app_{model}_add")).status_code == 200


def test_trashed_sessions_are_listed(client, rows):
    client.force_login(UserFactory(is_admin=True))

    response = client.get(reverse("admin:sessions_app_session_changelist"), {"trashed": "yes"})

    assert b"Withdrawn talk" in response.content
    assert b"Observability on a budget" not in response.content


@pytest.mark.parametrize(("model", "key"), [("session", "session"), ("speaker", "speaker")])
def test_non_admin_is_sent_to_the_admin_login(client, rows, model, key):
    client.force_login(UserFactory())

    for url in (
        reverse(f"admin:sessions_app_{model}_changelist"),
        reverse(f"admin:sessions_app_{model}_change", args=[rows[key].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# --- speakers inline, read-only state, state actions ------------------------------------------------
INLINE_PREFIX = "Speaker_sessions-"


@pytest.fixture
def admin_user():
    return UserFactory(is_admin=True)


def test_session_page_lists_its_speakers_inline_with_autocomplete(client, rows, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:sessions_app_session_change", args=[rows["session"].pk]))

    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is Speaker.sessions.through
    assert [form.instance.speaker for form in inline.formset.forms] == [rows["speaker"]]
    assert b"Ada Example" in response.content
    widget = inline.formset.forms[0].fields["speaker"].widget
    assert isinstance(getattr(widget, "widget", widget), AutocompleteSelect)
    assert response.context["adminform"].form.fields.get("state") is None  # read-only: no input
    assert b'name="state"' not in response.content


def inline_post(session, speaker_ids, **fields):
    """The change form as a browser posts it, with ``speaker_ids`` as new inline rows."""
    data = {
        "event": session.event_id,
        "title": session.title,
        "complex_field_values": "{}",
        f"{INLINE_PREFIX}TOTAL_FORMS": str(len(speaker_ids)),
        f"{INLINE_PREFIX}INITIAL_FORMS": "0",
        **fields,
    }
    for i, speaker_id in enumerate(speaker_ids):
        data[f"{INLINE_PREFIX}{i}-speaker"] = str(speaker_id)
        data[f"{INLINE_PREFIX}{i}-session"] = str(session.pk)
    return data


def test_inline_adds_a_speaker_of_the_event_but_refuses_one_of_another_event(client, admin_user):
    client.force_login(admin_user)
    event = EventFactory()
    session = Session.objects.create(event=event, title="Hardware for everyone", state="pending")
    local = Speaker.objects.create(event=event, name="Local Speaker", email="local@example.org")
    stranger = Speaker.objects.create(event=EventFactory(), name="Stranger", email="stranger@example.org")
    url = reverse("admin:sessions_app_session_change", args=[session.pk])

    refused = client.post(url, inline_post(session, [stranger.pk], state="accepted"))
    assert refused.status_code == 200
    assert "speaks at another event" in str(refused.context["inline_admin_formsets"][0].formset.errors)
    assert not session.speakers.exists()

    saved = client.post(url, inline_post(session, [local.pk], state="accepted"))
    assert saved.status_code == 302
    session.refresh_from_db()
    assert list(session.speakers.all()) == [local]
    assert session.state == "pending"  # a posted state is ignored: it is read-only here


@pytest.fixture
def states():
    event = EventFactory()
    return {
        state: Session.objects.create(event=event, title=f"A {state} session", state=state)
        for state in ("draft", "pending", "accepted", "rejected", "withdrawn")
    }


def run_action(client, action, sessions):
    return client.post(
        reverse("admin:sessions_app_session_changelist"),
        {"action": action, "_selected_action": [s.pk for s in sessions]},
        follow=True,
    )


def test_accept_action_moves_allowed_sessions_and_reports_the_others(client, admin_user, states):
    client.force_login(admin_user)

    response = run_action(client, "accept", states.values())

    current = {s.title: s.state for s in Session.objects.filter(pk__in=[s.pk for s in states.values()])}
    assert current == {
        "A draft session": "accepted",
        "A pending session": "accepted",
        "A accepted session": "accepted",
        "A rejected session": "accepted",
        "A withdrawn session": "withdrawn",  # organizers cannot go from withdrawn to accepted
    }
    shown = [str(message) for message in response.context["messages"]]
    assert any(m.startswith("Moved 3 session(s) to accepted") for m in shown)
    assert any(m.startswith("Already accepted: “A accepted session”") for m in shown)
    assert any("Skipped 1 session(s): “A withdrawn session”: Organizers cannot move" in m for m in shown)


def test_reject_and_confirm_actions_go_through_the_state_machine(client, admin_user, states, django_capture_on_commit_callbacks):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_action(client, "confirm", [states["accepted"], states["withdrawn"]])
        run_action(client, "reject", [states["pending"]])

    states["accepted"].refresh_from_db()
    states["withdrawn"].refresh_from_db()
    states["pending"].refresh_from_db()
    assert (states["accepted"].state, states["withdrawn"].state, states["pending"].state) == ("confirmed", "withdrawn", "rejected")
    assert len(callbacks) == 2  # one session_state_changed signal per moved session


def test_trashed_sessions_are_skipped_by_the_actions(client, admin_user, states):
    client.force_login(admin_user)
    states["pending"].soft_delete()

    response = run_action(client, "accept", [states["pending"]])

    assert Session.all_objects.get(pk=states["pending"].pk).state == "pending"
    assert any("is in the trash" in str(m) for m in response.context["messages"])


def test_non_admin_cannot_run_the_actions(client, states):
    client.force_login(UserFactory())

    response = client.post(
        reverse("admin:sessions_app_session_changelist"),
        {"action": "accept", "_selected_action": [states["pending"].pk]},
    )

    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    states["pending"].refresh_from_db()
    assert states["pending"].state == "pending"


def test_admin_saves_sanitize_html(admin_client):
    from events.tests.factories import EventFactory
    from sessions_app.models import Session

    event = EventFactory()
    session = Session.objects.create(event=event, title="Talk", state="pending")
    data = {
        "event": event.pk,
        "title": "Talk",
        "short_abstract": "<b>ok</b><script>alert(1)</script>",
        "long_abstract": '<a href="javascript:alert(1)" onclick="x()">link</a>',
        "complex_field_values": "{}",
        "Speaker_sessions-TOTAL_FORMS": "0",
        "Speaker_sessions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/sessions_app/session/{session.pk}/change/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.short_abstract == "<b>ok</b>"
    assert "javascript" not in session.long_abstract and "onclick" not in session.long_abstract
