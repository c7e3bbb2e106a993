"""/v1/message-settings (administrators switch each action) and /v1/email-notifications (a
user's mail preferences per event, created and changed by that user only)."""
import pytest

from events.models import Event
from events.tests.factories import EventFactory, event_with_owner
from notifications.models import ACTIONS, EmailNotification, MessageSettings
from notifications.queries import email_preference
from openevent.api.tests.documents import assert_error, ids, pointers, rel, resource_doc
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- message settings ---------------------------------------------------------------------------
def setting(action="session_state_change"):
    return MessageSettings.objects.get(action=action)


def test_one_row_per_action_readable_by_logged_in_users(api):
    response = api.as_user(UserFactory()).get("/v1/message-settings", **{"page[size]": "0"})
    assert response.status_code == 200
    rows = response.json_body["data"]
    assert {row["attributes"]["action"] for row in rows} == set(ACTIONS)
    row = next(row for row in rows if row["attributes"]["action"] == "session_state_change")
    assert row["type"] == "message-setting"
    attributes = row["attributes"]
    assert attributes["mail-status"] is attributes["enabled"] is True
    assert attributes["notification-status"] is attributes["user-control-status"] is True
    assert attributes["notification-message"] == "Your session “{session}” was {state}"
    assert "email-message" in attributes
    assert_error(api.as_user(None).get("/v1/message-settings"), 401)


def test_administrators_switch_an_action(api):
    row = setting()
    body = resource_doc(
        "message-setting", {"notification-status": False, "user-control-status": False}, id=row.pk
    )
    response = api.as_user(UserFactory(is_admin=True)).patch(f"/v1/message-settings/{row.pk}", body)
    assert response.status_code == 200, response.json_body
    row.refresh_from_db()
    assert (row.mail_status, row.notification_status, row.user_control_status) == (True, False, False)
    # The blueprint's ``enabled`` is the mail switch.
    body = resource_doc("message-setting", {"enabled": False}, id=row.pk)
    api.as_user(UserFactory(is_admin=True)).patch(f"/v1/message-settings/{row.pk}", body)
    row.refresh_from_db()
    assert not row.mail_status


def test_nobody_else_switches_and_the_messages_and_action_are_read_only(api):
    row = setting()
    body = resource_doc("message-setting", {"mail-status": False}, id=row.pk)
    assert_error(api.as_user(UserFactory()).patch(f"/v1/message-settings/{row.pk}", body), 403)
    admin = api.as_user(UserFactory(is_admin=True))
    for attribute in ("action", "notification-message", "email-message"):
        body = resource_doc("message-setting", {attribute: "x"}, id=row.pk)
        response = admin.patch(f"/v1/message-settings/{row.pk}", body)
        assert_error(response, 422)
        assert pointers(response) == [f"/data/attributes/{attribute}"]
    assert_error(admin.post("/v1/message-settings", resource_doc("message-setting", {"action": "x"})), 405)
    assert_error(admin.delete(f"/v1/message-settings/{row.pk}"), 405)
    row.refresh_from_db()
    assert row.mail_status
    assert row.action == "session_state_change"


@pytest.mark.parametrize("n", [1, 18])
def test_message_settings_list_runs_a_constant_number_of_queries(api, django_assert_num_queries, n):
    MessageSettings.objects.exclude(pk__in=MessageSettings.objects.order_by("pk").values("pk")[:n]).delete()
    client = api.as_user(UserFactory())
    client.get("/v1/message-settings")
    with django_assert_num_queries(3):
        assert len(client.get("/v1/message-settings", **{"page[size]": "0"}).json_body["data"]) == n


# --- email notifications ----------------------------------------------------------------------------
def prefs_doc(event=None, id=None, user=None, **attributes):
    relationships = {"user": rel("user", user.pk)} if user is not None else None
    return resource_doc("email-notification", attributes, id=id, event=event, relationships=relationships)


def test_a_user_sets_their_preferences_for_an_event(api):
    event, _ = event_with_owner()
    user = UserFactory()
    client = api.as_user(user)
    response = client.post("/v1/email-notifications", prefs_doc(event, **{"session-schedule": False}))
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == "email-notification"
    assert data["attributes"]["session-schedule"] is False
    assert data["attributes"]["new-paper"] is True
    assert data["attributes"]["after-ticket-purchase"] is True
    assert data["attributes"]["event-id"] == event.pk
    assert data["relationships"]["user"]["data"] == {"type": "user", "id": str(user.pk)}
    assert data["relationships"]["event"]["data"] == {"type": "event", "id": str(event.pk)}
    assert not email_preference(user, event, "session_schedule")
    # Posting again for the same event changes the same row.
    again = client.post("/v1/email-notifications", prefs_doc(event, **{"new-paper": False}))
    assert again.status_code == 201
    assert again.json_body["data"]["id"] == data["id"]
    row = EmailNotification.objects.get()
    assert (row.new_paper, row.session_schedule) == (False, False)
    patched = client.patch(f"/v1/email-notifications/{row.pk}", prefs_doc(id=row.pk, **{"new-paper": True}))
    assert patched.status_code == 200
    row.refresh_from_db()
    assert row.new_paper
    listed = client.get(f"/v1/users/{user.pk}/email-notifications")
    assert ids(listed) == {str(row.pk)}


def test_nobody_sets_or_reads_someone_elses(api):
    event, _ = event_with_owner()
    user, other = UserFactory(), UserFactory()
    row = EmailNotification.objects.create(user=user, event=event)
    client = api.as_user(other)
    response = client.post("/v1/email-notifications", prefs_doc(event, user=user, **{"new-paper": False}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/user"]
    assert_error(client.get(f"/v1/email-notifications/{row.pk}"), 404)
    assert_error(client.patch(f"/v1/email-notifications/{row.pk}", prefs_doc(id=row.pk, **{"new-paper": False})), 404)
    assert_error(client.delete(f"/v1/email-notifications/{row.pk}"), 404)
    assert_error(client.get(f"/v1/users/{user.pk}/email-notifications"), 403)
    assert_error(client.get("/v1/email-notifications"), 403)
    row.refresh_from_db()
    assert row.new_paper


def test_the_user_and_event_of_a_row_do_not_change(api):
    event, _ = event_with_owner()
    user = UserFactory()
    row = EmailNotification.objects.create(user=user, event=event)
    client = api.as_user(user)
    response = client.patch(f"/v1/email-notifications/{row.pk}", prefs_doc(EventFactory(), id=row.pk))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/event"]


def test_a_hidden_event_is_refused(api):
    draft = EventFactory(state=Event.State.DRAFT)
    response = api.as_user(UserFactory()).post("/v1/email-notifications", prefs_doc(draft, **{"new-paper": False}))
    assert_error(response, 422)
    assert not EmailNotification.objects.exists()


def test_administrators_list_every_row(api):
    event, _ = event_with_owner()
    rows = [EmailNotification.objects.create(user=UserFactory(), event=event) for _ in range(2)]
    assert ids(api.as_user(UserFactory(is_admin=True)).get("/v1/email-notifications")) == {str(r.pk) for r in rows}


@pytest.mark.parametrize("n", [1, 10])
def test_email_notifications_list_runs_a_constant_number_of_queries(api, django_assert_num_queries, n):
    user = UserFactory()
    for _ in range(n):
        EmailNotification.objects.create(user=user, event=event_with_owner()[0])
    client = api.as_user(user)
    client.get(f"/v1/users/{user.pk}/email-notifications")
    with django_assert_num_queries(4):
        assert len(client.get(f"/v1/users/{user.pk}/email-notifications").json_body["data"]) == n
