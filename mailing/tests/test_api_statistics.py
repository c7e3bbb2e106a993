"""Admin statistics and an event's general statistics."""
import datetime

import pytest
from django.utils import timezone

from events.models import Event, Role, Sponsor
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import count_queries, staffed_event
from mailing.models import Mail
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker

pytestmark = pytest.mark.django_db

ADMIN_URLS = {
    "events": "admin-statistics-event",
    "sessions": "admin-statistics-session",
    "users": "admin-statistics-user",
    "mails": "admin-statistics-mail",
}


@pytest.mark.parametrize("name", list(ADMIN_URLS))
def test_admin_statistics_are_for_admins_only(api, name):
    url = f"/v1/admin/statistics/{name}"
    assert_error(api.get(url), 401)
    assert_error(api.as_user(UserFactory()).get(url), 403)
    _event, people = staffed_event()
    assert_error(api.as_user(people["owner"]).get(url), 403)
    response = api.as_user(UserFactory(is_admin=True)).get(url)
    assert response.status_code == 200
    assert response.json_body["data"]["type"] == ADMIN_URLS[name]
    assert response.json_body["data"]["id"] == "1"


def test_event_statistics_count_live_rows(api):
    now = timezone.now()
    EventFactory(state=Event.State.DRAFT)
    EventFactory()
    EventFactory(starts_at=now - datetime.timedelta(days=10), ends_at=now - datetime.timedelta(days=9))
    EventFactory().soft_delete()
    attributes = (
        api.as_user(UserFactory(is_admin=True)).get("/v1/admin/statistics/events").json_body["data"]["attributes"]
    )
    assert attributes == {"draft": 1, "published": 1, "past": 1}


def make_session(event, state, **kwargs):
    return Session.objects.create(event=event, title=f"{state} talk", state=state, **kwargs)


def test_session_statistics(api):
    event = EventFactory()
    for state in ("draft", "pending", "pending", "accepted", "confirmed", "rejected"):
        make_session(event, state, submitted_at=None if state == "draft" else timezone.now())
    make_session(event, "accepted").soft_delete()
    gone = EventFactory()
    make_session(gone, "accepted")
    gone.soft_delete()
    attributes = (
        api.as_user(UserFactory(is_admin=True)).get("/v1/admin/statistics/sessions").json_body["data"]["attributes"]
    )
    assert attributes == {"draft": 1, "submitted": 5, "accepted": 1, "confirmed": 1, "pending": 2, "rejected": 1}


def test_user_statistics(api):
    admin = UserFactory(is_admin=True)
    UserFactory(is_admin=True, is_super_admin=True)
    UserFactory(is_verified=False)
    _event, _people = staffed_event()  # adds one user per role + plain + admin + other organizer
    attributes = api.as_user(admin).get("/v1/admin/statistics/users").json_body["data"]["attributes"]
    assert attributes["super-admin"] == 1
    assert attributes["admin"] == 2
    assert attributes["unverified"] == 1
    assert attributes["owner"] == 1
    assert attributes["coorganizer"] == 1
    assert attributes["track-organizer"] == 1
    assert attributes["organizer"] == 2  # the event's organizer and the other event's organizer


def test_mail_statistics(api):
    now = timezone.now()
    for days in (0, 2, 5, 20, 40):
        Mail.objects.create(recipient="a@example.org", subject="s", time=now - datetime.timedelta(days=days, hours=1))
    attributes = (
        api.as_user(UserFactory(is_admin=True)).get("/v1/admin/statistics/mails").json_body["data"]["attributes"]
    )
    assert attributes == {"one-day": 1, "three-days": 2, "seven-days": 3, "thirty-days": 4}


def test_general_statistics_of_an_event(api):
    event, people = staffed_event()
    for state in ("pending", "accepted", "accepted", "confirmed"):
        make_session(event, state)
    make_session(event, "accepted").soft_delete()
    make_session(EventFactory(), "accepted")
    Speaker.objects.create(event=event, name="Ada", email="ada@example.org")
    Speaker.objects.create(event=event, name="Gone", email="gone@example.org").soft_delete()
    Sponsor.objects.create(event=event, name="ACME")
    response = api.as_user(people["coorganizer"]).get(f"/v1/events/{event.identifier}/general-statistics")
    assert response.status_code == 200
    data = response.json_body["data"]
    assert data["type"] == "event-statistics-general"
    assert data["id"] == str(event.pk)
    attributes = data["attributes"]
    assert attributes["sessions"] == 4
    assert attributes["sessions-accepted"] == 2
    assert attributes["sessions-pending"] == 1
    assert attributes["sessions-confirmed"] == 1
    assert attributes["sessions-rejected"] == 0
    assert attributes["speakers"] == 1
    assert attributes["sponsors"] == 1


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("anonymous", 401),
        ("plain", 403),
        ("other_organizer", 403),
        ("track_organizer", 403),
        ("moderator", 403),
        ("registrar", 403),
    ],
)
def test_general_statistics_refusals(api, viewer, status):
    event, people = staffed_event()
    assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.pk}/general-statistics"), status)


def test_general_statistics_of_a_draft_is_404_below_coorganizer(api):
    event, people = staffed_event(state=Event.State.DRAFT)
    assert_error(api.as_user(people["moderator"]).get(f"/v1/events/{event.pk}/general-statistics"), 404)
    assert_error(api.as_user(people["owner"]).get("/v1/events/99999/general-statistics"), 404)


def test_statistics_queries_do_not_grow(api):
    admin = UserFactory(is_admin=True)
    api.as_user(admin)
    event = EventFactory()
    give_role(admin, event, Role.OWNER)
    _, few = count_queries(lambda: api.get("/v1/admin/statistics/sessions"))
    for _n in range(30):
        make_session(event, "accepted")
    _, many = count_queries(lambda: api.get("/v1/admin/statistics/sessions"))
    assert few == many


def test_mail_statistics_run_two_queries_for_one_and_many_mails(api, django_assert_num_queries):
    api.as_user(UserFactory(is_admin=True))
    counts = []
    for n in (1, 30):
        while Mail.objects.count() < n:
            Mail.objects.create(recipient=f"to{Mail.objects.count()}@example.org", action="test", subject="Hi")
        api.get("/v1/admin/statistics/mails")  # warm-up: last-access stamps and the like
        with django_assert_num_queries(2):
            response = api.get("/v1/admin/statistics/mails")
        assert response.status_code == 200
        counts.append(response.json_body["data"]["attributes"])
    assert counts[0] != counts[1]
