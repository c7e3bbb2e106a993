"""Django admin for sessions and speakers."""
import pytest
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
