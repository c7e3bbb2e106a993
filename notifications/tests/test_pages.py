"""The notification pages: the bell's count, the list (unread first, mark read, mark all read),
and the mail preferences per event."""
import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, Role
from events.tests.factories import EventFactory, event_with_owner, give_role
from notifications.models import EmailNotification, MessageSettings, Notification
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db


def note(user, title="Your session “Talk” was accepted", minutes_ago=0, **kwargs):
    row = Notification.objects.create(user=user, action="session_state_change", title=title, **kwargs)
    if minutes_ago:
        received = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        Notification.objects.filter(pk=row.pk).update(received_at=received)
    return row


def bell_count(html):
    match = re.search(r'<span class="badge" data-bell-count( hidden)?>(\d+)<', html)
    assert match, "the bell has no count"
    return int(match.group(2)), bool(match.group(1))


# --- the bell --------------------------------------------------------------------------------------
def test_the_header_shows_the_unread_count(client):
    user = UserFactory()
    note(user)
    note(user)
    note(user, is_read=True)
    note(UserFactory())
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert bell_count(html) == (2, False)
    assert 'data-poll-seconds="60"' in html
    assert "js/notification-bell.js" in html


def test_no_unread_means_a_hidden_badge(client):
    client.force_login(UserFactory())
    assert bell_count(client.get("/events/").content.decode()) == (0, True)


def test_anonymous_pages_have_no_bell(client):
    html = client.get("/login").content.decode()
    assert "data-notification-bell" not in html
    assert "notification-bell.js" not in html


def test_the_count_endpoint_answers_one_number_for_one_query(client, django_assert_num_queries):
    user = UserFactory()
    note(user)
    note(user, is_read=True)
    client.force_login(user)
    client.get("/notifications/unread-count")
    # The session, its user and the count.
    with django_assert_num_queries(3):
        response = client.get("/notifications/unread-count")
    assert response.json() == {"unread": 1}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_count_endpoint_costs_anonymous_visitors_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/notifications/unread-count").json() == {"unread": 0}


def test_the_bell_costs_one_query(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/invites/")
    # The session, its user, the invites, the pending-invites badge and the bell.
    with django_assert_num_queries(5) as captured:
        client.get("/invites/")
    assert sum("notifications_notification" in q["sql"] for q in captured.captured_queries) == 1


# --- the list ----------------------------------------------------------------------------------------
def test_unread_first_then_newest_with_links(client):
    event, owner = event_with_owner(name="Open Tech Summit")
    old_unread = note(owner, "Old unread", minutes_ago=60, event=event, link=f"/events/{event.identifier}/")
    note(owner, "New read", is_read=True)
    note(owner, "New unread", minutes_ago=1)
    client.force_login(owner)
    html = client.get("/notifications/").content.decode()
    heading = r'<h2 class="notification__title">.*?(?:<a href="[^"]*">)?([^<>]+?)(?:</a>)?\s*</h2>'
    titles = re.findall(heading, html, re.S)
    assert [t.strip() for t in titles] == ["New unread", "Old unread", "New read"]
    assert f'<a href="/events/{event.identifier}/">Old unread</a>' in html
    assert "Open Tech Summit" in html
    assert "Mark all read" in html
    assert str(old_unread.pk) in html


def test_the_list_is_empty_for_a_new_user(client):
    client.force_login(UserFactory())
    html = client.get("/notifications/").content.decode()
    assert "No notifications yet" in html
    assert "Mark all read" not in html


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert client.get("/notifications/preferences").status_code == 302


def test_mark_read_and_unread(client):
    user = UserFactory()
    row = note(user)
    client.force_login(user)
    response = client.post(f"/notifications/{row.pk}/read", {"is_read": "true", "next": "/notifications/"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    row.refresh_from_db()
    assert row.is_read
    client.post(f"/notifications/{row.pk}/read", {"is_read": "false"})
    row.refresh_from_db()
    assert not row.is_read


def test_next_never_leaves_the_site(client):
    user = UserFactory()
    row = note(user)
    client.force_login(user)
    response = client.post(f"/notifications/{row.pk}/read", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_nobody_marks_someone_elses(client):
    owner, other = UserFactory(), UserFactory()
    row = note(owner)
    client.force_login(other)
    assert client.post(f"/notifications/{row.pk}/read", {"is_read": "true"}).status_code == 404
    client.post("/notifications/read-all")
    row.refresh_from_db()
    assert not row.is_read
    assert "Your session" not in client.get("/notifications/").content.decode()


def test_mark_all_read(client):
    user = UserFactory()
    rows = [note(user) for _ in range(3)]
    other = note(UserFactory())
    client.force_login(user)
    response = client.post("/notifications/read-all", follow=True)
    assert "Marked 3 notifications read." in response.content.decode()
    assert all(Notification.objects.get(pk=r.pk).is_read for r in rows)
    other.refresh_from_db()
    assert not other.is_read


def test_every_post_needs_the_csrf_token():
    user = UserFactory()
    row = note(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/notifications/{row.pk}/read", {"is_read": "true"}).status_code == 403
    assert client.post("/notifications/read-all").status_code == 403
    row.refresh_from_db()
    assert not row.is_read


def test_reading_is_post_only(client):
    user = UserFactory()
    row = note(user)
    client.force_login(user)
    assert client.get(f"/notifications/{row.pk}/read").status_code == 405
    assert client.get("/notifications/read-all").status_code == 405


@pytest.mark.parametrize("n", [1, 15])
def test_the_list_runs_a_constant_number_of_queries(client, django_assert_num_queries, n):
    user = UserFactory()
    for _ in range(n):
        note(user, event=EventFactory())
    client.force_login(user)
    client.get("/notifications/")
    # Session, user, the page's count and rows, the unread count, the invites badge, the bell.
    with django_assert_num_queries(7):
        assert client.get("/notifications/").status_code == 200


# --- preferences ---------------------------------------------------------------------------------------
def involved_user():
    user = UserFactory()
    speaking = EventFactory(name="Speaking at")
    SpeakerFactory(event=speaking, user=user)
    organizing = EventFactory(name="Organizing")
    give_role(user, organizing, Role.COORGANIZER)
    EventFactory(name="Not mine")
    hidden = EventFactory(name="Hidden draft", state=Event.State.DRAFT)
    SpeakerFactory(event=hidden, user=user)
    return user, speaking, organizing


def test_preferences_list_the_events_i_speak_at_or_organize(client):
    user, speaking, _ = involved_user()
    client.force_login(user)
    html = client.get("/notifications/preferences").content.decode()
    assert "Speaking at" in html
    assert "Organizing" in html
    assert "Not mine" not in html
    assert "Hidden draft" not in html
    name = f"event-{speaking.pk}-session_accept_reject"
    assert f'name="{name}" id="id_{name}" checked' in html


def test_saving_preferences(client):
    user, speaking, organizing = involved_user()
    client.force_login(user)
    data = {f"event-{speaking.pk}-session_accept_reject": "on", f"event-{organizing.pk}-new_paper": "on"}
    response = client.post("/notifications/preferences", data, follow=True)
    assert "Your mail preferences are saved." in response.content.decode()
    mine = EmailNotification.objects.get(user=user, event=speaking)
    assert (mine.session_accept_reject, mine.session_schedule, mine.new_paper) == (True, False, False)
    theirs = EmailNotification.objects.get(user=user, event=organizing)
    assert (theirs.new_paper, theirs.session_accept_reject) == (True, False)
    html = response.content.decode()
    assert f'name="event-{speaking.pk}-session_schedule" id="id_event-{speaking.pk}-session_schedule">' in html


def test_actions_users_may_not_control_are_not_offered(client):
    user, speaking, _ = involved_user()
    MessageSettings.objects.filter(action="session_schedule_change").update(user_control_status=False)
    client.force_login(user)
    html = client.get("/notifications/preferences").content.decode()
    assert "session_schedule" not in html
    assert "session_accept_reject" in html
    client.post("/notifications/preferences", {})
    assert EmailNotification.objects.get(user=user, event=speaking).session_schedule is True


def test_preferences_need_the_csrf_token():
    user, _, _ = involved_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/notifications/preferences", {}).status_code == 403
    assert not EmailNotification.objects.exists()


@pytest.mark.parametrize("n", [1, 8])
def test_preferences_run_a_constant_number_of_queries(client, django_assert_num_queries, n):
    user = UserFactory()
    for _ in range(n):
        SpeakerFactory(event=EventFactory(), user=user)
    client.force_login(user)
    client.get("/notifications/preferences")
    # Session, user, the events, the stored rows, the switches, the invites badge, the bell.
    with django_assert_num_queries(7):
        assert client.get("/notifications/preferences").status_code == 200
