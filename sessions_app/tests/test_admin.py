"""Django admin for sessions and speakers."""
import datetime

import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils import timezone

from events.tests.factories import EventFactory, MicrolocationFactory
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory
from sessions_app import signals
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


@pytest.mark.parametrize(
    ("model", "key"), [("session", "session"), ("session", "trashed_session"), ("speaker", "speaker")]
)
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


def test_reject_and_confirm_actions_go_through_the_state_machine(
    client, admin_user, states, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_action(client, "confirm", [states["accepted"], states["withdrawn"]])
        run_action(client, "reject", [states["pending"]])

    states["accepted"].refresh_from_db()
    states["withdrawn"].refresh_from_db()
    states["pending"].refresh_from_db()
    assert (states["accepted"].state, states["withdrawn"].state, states["pending"].state) == (
        "confirmed",
        "withdrawn",
        "rejected",
    )
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

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    states["pending"].refresh_from_db()
    assert states["pending"].state == "pending"


def test_admin_saves_sanitize_html(admin_client):
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
    assert "javascript" not in session.long_abstract
    assert "onclick" not in session.long_abstract


# --- every write through the services ---------------------------------------------------------------
@pytest.fixture
def schedule_changes():
    seen = []

    def receiver(sender, session, old, **kwargs):
        seen.append((session.pk, old))

    signals.session_schedule_changed.connect(receiver)
    yield seen
    signals.session_schedule_changed.disconnect(receiver)


def scheduled_session():
    event = EventFactory()
    start = (event.starts_at + datetime.timedelta(hours=1)).replace(microsecond=0)
    return Session.objects.create(
        event=event,
        title="Scheduled talk",
        state="accepted",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def session_change(client, session, **changes):
    url = reverse("admin:sessions_app_session_change", args=[session.pk])
    return client.post(url, change_form_data(client.get(url), **changes))


def local(value):
    local_value = timezone.localtime(value)
    return {"date": local_value.strftime("%Y-%m-%d"), "time": local_value.strftime("%H:%M:%S")}


def test_moving_a_session_in_admin_sends_session_schedule_changed_after_commit(
    client, admin_user, schedule_changes, django_capture_on_commit_callbacks
):

    client.force_login(admin_user)
    session = scheduled_session()
    before = (session.starts_at, session.ends_at)
    later = {
        "starts": local(before[0] + datetime.timedelta(hours=2)),
        "ends": local(before[1] + datetime.timedelta(hours=2)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = session_change(
            client, session, starts_at_0=later["starts"]["date"], starts_at_1=later["starts"]["time"],
            ends_at_0=later["ends"]["date"], ends_at_1=later["ends"]["time"],
        )  # fmt: skip
        assert schedule_changes == []  # not before commit

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == before[0] + datetime.timedelta(hours=2)
    assert schedule_changes == [(session.pk, {"starts_at": before[0], "ends_at": before[1], "microlocation_id": None})]


def test_a_move_outside_the_event_is_a_form_error_and_nothing_is_stored(client, admin_user, schedule_changes):
    client.force_login(admin_user)
    session = scheduled_session()
    before = (session.starts_at, session.ends_at, session.last_modified_at)
    too_early = local(session.event.starts_at - datetime.timedelta(days=3))

    response = session_change(client, session, starts_at_0=too_early["date"], starts_at_1=too_early["time"])

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == ["A session must start within its event."]
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.last_modified_at) == before
    assert schedule_changes == []


def test_a_double_booking_in_admin_is_a_form_error_and_nothing_is_stored(client, admin_user, schedule_changes):
    client.force_login(admin_user)
    session = scheduled_session()
    room = MicrolocationFactory(event=session.event, name="Hall A")
    Session.objects.create(
        event=session.event, title="Keynote", state="confirmed", microlocation=room,
        starts_at=session.starts_at + datetime.timedelta(minutes=30),
        ends_at=session.ends_at + datetime.timedelta(hours=1),
    )  # fmt: skip
    before = (session.microlocation_id, session.last_modified_at)

    response = session_change(client, session, microlocation=room.pk)

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["starts_at"]
    assert error.startswith("Hall A is already booked for “Keynote” at that time (")
    session.refresh_from_db()
    assert (session.microlocation_id, session.last_modified_at) == before
    assert schedule_changes == []


def test_a_session_cannot_move_to_another_event_in_admin(client, admin_user):
    client.force_login(admin_user)
    session = scheduled_session()
    home = session.event_id

    response = session_change(client, session, event=str(EventFactory().pk), title="Renamed")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["event"] == ["A session cannot move to another event."]
    session.refresh_from_db()
    assert (session.event_id, session.title) == (home, "Scheduled talk")


def test_the_speakers_inline_updates_last_modified_at(client, admin_user):
    client.force_login(admin_user)
    session = scheduled_session()
    long_ago = session.event.starts_at.replace(year=2001)
    Session.objects.filter(pk=session.pk).update(last_modified_at=long_ago)
    speaker = Speaker.objects.create(event=session.event, name="Grace Example", email="grace@example.org")

    response = client.post(
        reverse("admin:sessions_app_session_change", args=[session.pk]), inline_post(session, [speaker.pk])
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert list(session.speakers.all()) == [speaker]
    assert session.last_modified_at > long_ago


def test_a_session_created_in_admin_goes_through_create_session(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    event = EventFactory()
    speaker = Speaker.objects.create(event=event, name="Linus Example", email="linus@example.org")
    created = []

    def receiver(sender, session, **kwargs):
        created.append(session.pk)

    signals.session_created.connect(receiver)
    try:
        data = {
            **inline_post(Session(event=event, title="New in admin"), [speaker.pk]),
            "short_abstract": "<i>hi</i><script>x</script>",
        }
        data = {name: value for name, value in data.items() if not name.endswith("-session")}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:sessions_app_session_add"), data)
    finally:
        signals.session_created.disconnect(receiver)

    assert response.status_code == 302
    session = Session.objects.get(title="New in admin")
    assert created == [session.pk]
    assert session.short_abstract == "<i>hi</i>"
    assert session.last_modified_at is not None
    assert list(session.speakers.all()) == [speaker]


def test_trash_and_restore_actions_go_through_the_services(client, admin_user, rows):
    client.force_login(admin_user)
    session, speaker = rows["session"], rows["speaker"]
    changelist = reverse("admin:sessions_app_speaker_changelist")

    client.post(changelist, {"action": "trash", "_selected_action": [speaker.pk]})
    assert Speaker.all_objects.get(pk=speaker.pk).deleted_at is not None
    # Meanwhile a live speaker took the address: restoring would clash, and is refused.
    Speaker.objects.create(event=session.event, name="Ada Again", email="ada@example.org")

    response = client.post(changelist, {"action": "restore", "_selected_action": [speaker.pk]}, follow=True)

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert "Restored 0 row(s)." in shown
    assert any("Skipped 1 row(s)" in m and "ada@example.org already is a speaker of this event" in m for m in shown)
    assert Speaker.all_objects.get(pk=speaker.pk).deleted_at is not None

    trashed = rows["trashed_session"]
    sessions = reverse("admin:sessions_app_session_changelist")
    response = client.post(sessions, {"action": "restore", "_selected_action": [trashed.pk]}, follow=True)
    assert "Restored 1 row(s)." in [str(m) for m in response.context["messages"]]
    assert Session.objects.filter(pk=trashed.pk).exists()


def test_a_speakers_sessions_field_goes_through_set_session_speakers(client, admin_user, rows):
    client.force_login(admin_user)
    speaker, session = rows["speaker"], rows["session"]
    other = Session.objects.create(event=session.event, title="Second talk")
    stranger = Session.objects.create(event=EventFactory(), title="Elsewhere")
    long_ago = session.event.starts_at.replace(year=2001)
    Session.objects.filter(pk__in=[session.pk, other.pk]).update(last_modified_at=long_ago)
    url = reverse("admin:sessions_app_speaker_change", args=[speaker.pk])

    refused = client.post(url, change_form_data(client.get(url), sessions=[str(session.pk), str(stranger.pk)]))
    assert refused.status_code == 200
    assert "belongs to another event" in str(refused.context["adminform"].form.errors)
    assert list(speaker.sessions.all()) == [session]

    response = client.post(url, change_form_data(client.get(url), sessions=[str(other.pk)]))

    assert response.status_code == 302
    assert list(speaker.sessions.all()) == [other]
    other.refresh_from_db()
    session.refresh_from_db()
    assert other.last_modified_at > long_ago
    assert session.last_modified_at > long_ago


def test_deleting_a_session_in_admin_deletes_it_for_good(client, admin_user, rows):
    client.force_login(admin_user)
    session = rows["session"]

    response = client.post(reverse("admin:sessions_app_session_delete", args=[session.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Session.all_objects.filter(pk=session.pk).exists()


# --- times in the event's own timezone --------------------------------------------------------------
def singapore_session():
    """A session at 09:00–10:00 Singapore time (UTC+8), 01:00–02:00 UTC."""
    start = datetime.datetime(2031, 4, 10, 1, 0, tzinfo=datetime.UTC)
    event = EventFactory(timezone="Asia/Singapore", starts_at=start, ends_at=start + datetime.timedelta(days=2))
    return Session.objects.create(
        event=event, title="Singapore talk", state="accepted", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )  # fmt: skip


def test_a_session_page_shows_and_reads_its_times_in_the_event_timezone(client, admin_user):
    client.force_login(admin_user)
    session = singapore_session()
    url = reverse("admin:sessions_app_session_change", args=[session.pk])

    page = client.get(url)
    assert 'name="starts_at_1" value="09:00:00"' in page.content.decode()
    assert page.context["adminform"].form.fields["ends_at"].help_text == "Time in Asia/Singapore, the event's timezone."

    response = client.post(url, change_form_data(page, starts_at_1="10:00:00", ends_at_1="11:00:00"))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    session.refresh_from_db()
    assert (session.starts_at.hour, session.ends_at.hour) == (2, 3)


def test_a_session_added_in_admin_takes_its_times_in_its_event_timezone(client, admin_user):
    client.force_login(admin_user)
    event = singapore_session().event
    url = reverse("admin:sessions_app_session_add")
    data = change_form_data(
        client.get(url), event=str(event.pk), title="Added", starts_at_0="2031-04-10", starts_at_1="11:00:00",
        ends_at_0="2031-04-10", ends_at_1="12:00:00", complex_field_values="{}",
    )  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    session = Session.objects.get(title="Added")
    assert session.starts_at == datetime.datetime(2031, 4, 10, 3, 0, tzinfo=datetime.UTC)
