"""Django admin: notifications are read (and removed), the message settings switched, the mail
preferences edited, every write through the services."""
import pytest
from django.urls import reverse

from events.tests.factories import event_with_owner
from notifications.models import EmailNotification, MessageSettings, Notification
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_admin=True))
    return client


def test_notifications_are_listed_searched_and_never_edited(admin_client):
    event, owner = event_with_owner(name="Open Tech Summit")
    note = Notification.objects.create(user=owner, event=event, action="event_published", title="Published!")
    Notification.objects.create(user=UserFactory(), action="event_role", title="Invited")
    url = reverse("admin:notifications_notification_changelist")
    listed = admin_client.get(url, {"q": "Open Tech"})
    assert listed.status_code == 200
    assert b"Published!" in listed.content
    assert b"Invited" not in listed.content
    assert b"Invited" in admin_client.get(url, {"action__exact": "event_role"}).content
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    change_url = reverse("admin:notifications_notification_change", args=[note.pk])
    assert admin_client.get(change_url).status_code == 200  # read-only view
    admin_client.post(change_url, {"title": "Forged"})
    note.refresh_from_db()
    assert note.title == "Published!"
    admin_client.post(reverse("admin:notifications_notification_delete", args=[note.pk]), {"post": "yes"})
    assert not Notification.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("n", [1, 10])
def test_the_notification_list_runs_a_constant_number_of_queries(admin_client, django_assert_num_queries, n):
    event, owner = event_with_owner()
    for i in range(n):
        Notification.objects.create(user=owner, event=event, action="event_published", title=f"N{i}")
    url = reverse("admin:notifications_notification_changelist")
    admin_client.get(url)
    # The same for 1 and 10 rows: users and events come with the rows.
    with django_assert_num_queries(8):
        assert admin_client.get(url).status_code == 200


def test_message_settings_are_switched_in_the_list_and_the_form(admin_client):
    row = MessageSettings.objects.get(action="session_state_change")
    url = reverse("admin:notifications_messagesettings_change", args=[row.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page, notification_status=None)  # unticked
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert (row.mail_status, row.notification_status) == (True, False)
    assert admin_client.get(reverse("admin:notifications_messagesettings_add")).status_code == 403
    assert admin_client.get(reverse("admin:notifications_messagesettings_changelist")).status_code == 200


def test_mail_preferences_are_added_and_changed(admin_client):
    event, _ = event_with_owner()
    user = UserFactory()
    add_url = reverse("admin:notifications_emailnotification_add")
    data = change_form_data(admin_client.get(add_url), user=str(user.pk), event=str(event.pk), new_paper=None)
    response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = EmailNotification.objects.get()
    assert (row.user, row.event, row.new_paper, row.session_schedule) == (user, event, False, True)
    change_url = reverse("admin:notifications_emailnotification_change", args=[row.pk])
    admin_client.post(change_url, change_form_data(admin_client.get(change_url), session_schedule=None))
    row.refresh_from_db()
    assert not row.session_schedule


def test_message_settings_are_switched_from_the_list(admin_client):
    rows = list(MessageSettings.objects.order_by("action"))
    url = reverse("admin:notifications_messagesettings_changelist")
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        for name in ("mail_status", "notification_status", "user_control_status"):
            if not (row.action == "event_published" and name == "mail_status"):
                data[f"form-{i}-{name}"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    switched = MessageSettings.objects.get(action="event_published")
    assert (switched.mail_status, switched.notification_status) == (False, True)
    assert MessageSettings.objects.filter(mail_status=False).count() == 1
