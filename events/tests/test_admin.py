"""Django admin for events, roles, memberships and invites."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import (
    Microlocation,
    Role,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
    UsersEventsRoles,
)
from events.tests.factories import EventFactory, event_with_owner
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client):
    client.force_login(UserFactory(is_admin=True))
    return client


@pytest.fixture
def objects():
    event, owner = event_with_owner(name="Admin Test Conf")
    invite = services.invite(owner, event, "guest@example.org", Role.MODERATOR)
    trashed = EventFactory(name="Trashed Conf")
    trashed.soft_delete()
    return {
        "event": event,
        "trashed_event": trashed,
        "role": Role.objects.get(name=Role.OWNER),
        "membership": UsersEventsRoles.objects.get(event=event, user=owner),
        "invite": invite,
    }


PAGES = [
    ("event", "event"),
    ("event", "trashed_event"),
    ("role", "role"),
    ("userseventsroles", "membership"),
    ("roleinvite", "invite"),
]


@pytest.mark.parametrize(("model", "key"), PAGES)
def test_admin_opens_changelist_and_change_page(admin_browser, objects, model, key):
    changelist = admin_browser.get(reverse(f"admin:events_{model}_changelist"))
    change = admin_browser.get(reverse(f"admin:events_{model}_change", args=[objects[key].pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200


def test_event_list_shows_trashed_events_and_filters_them(admin_browser, objects):
    url = reverse("admin:events_event_changelist")

    assert b"Trashed Conf" in admin_browser.get(url).content
    assert b"Trashed Conf" not in admin_browser.get(url, {"trashed": "no"}).content
    assert b"Admin Test Conf" not in admin_browser.get(url, {"trashed": "yes"}).content
    assert b"Admin Test Conf" in admin_browser.get(url, {"q": "Admin Test"}).content


def test_event_change_page_shows_the_team_inline(admin_browser, objects):
    response = admin_browser.get(reverse("admin:events_event_change", args=[objects["event"].pk]))

    assert response.status_code == 200
    assert objects["membership"].user.email.encode() in response.content


def test_invite_page_never_shows_the_token_hash(admin_browser, objects):
    invite = objects["invite"]
    response = admin_browser.get(reverse("admin:events_roleinvite_change", args=[invite.pk]))

    assert invite.token_hash.encode() not in response.content
    assert b"token_hash" not in response.content


def test_restore_action_brings_an_event_back(admin_browser, objects):
    trashed = objects["trashed_event"]

    response = admin_browser.post(
        reverse("admin:events_event_changelist"),
        {"action": "restore", "_selected_action": [trashed.pk]},
    )

    assert response.status_code == 302
    trashed.refresh_from_db()
    assert trashed.deleted_at is None


def test_lists_run_a_constant_number_of_queries(admin_browser):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert admin_browser.get(url).status_code == 200
        return len(ctx)

    event, owner = event_with_owner()
    services.invite(owner, event, "one@example.org", Role.MODERATOR)
    urls = [reverse(f"admin:events_{m}_changelist") for m in ("event", "userseventsroles", "roleinvite")]
    few = [count(url) for url in urls]
    for n in range(3):
        event, owner = event_with_owner()
        services.invite(owner, event, f"more{n}@example.org", Role.MODERATOR)
    assert [count(url) for url in urls] == few


@pytest.mark.parametrize(("model", "key"), PAGES)
def test_non_admin_is_sent_to_the_admin_login(client, objects, model, key):
    client.force_login(UserFactory())

    for url in (
        reverse(f"admin:events_{model}_changelist"),
        reverse(f"admin:events_{model}_change", args=[objects[key].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def program(objects):
    import datetime

    event = objects["event"]
    call = SpeakersCall.objects.create(
        event=event, starts_at=event.starts_at - datetime.timedelta(days=20), ends_at=event.starts_at
    )
    trashed_track = Track.objects.create(event=event, name="Old track")
    trashed_track.soft_delete()
    return {
        "track": Track.objects.create(event=event, name="Cloud"),
        "trashed_track": trashed_track,
        "sessiontype": SessionType.objects.create(event=event, name="Talk"),
        "microlocation": Microlocation.objects.create(event=event, name="Hall A", floor=1),
        "sponsor": Sponsor.objects.create(event=event, name="Acme", url="https://acme.example.org"),
        "sociallink": SocialLink.objects.create(event=event, name="Mastodon", link="https://social.example.org/@ots"),
        "speakerscall": call,
    }


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("track", "track"),
        ("track", "trashed_track"),
        ("sessiontype", "sessiontype"),
        ("microlocation", "microlocation"),
        ("sponsor", "sponsor"),
        ("sociallink", "sociallink"),
        ("speakerscall", "speakerscall"),
    ],
)
def test_admin_opens_program_pages(admin_browser, client, program, model, key):
    obj = program[key]
    changelist = reverse(f"admin:events_{model}_changelist")
    change = reverse(f"admin:events_{model}_change", args=[obj.pk])

    assert admin_browser.get(changelist).status_code == 200
    assert admin_browser.get(change).status_code == 200
    assert admin_browser.get(reverse(f"admin:events_{model}_add")).status_code == 200
    admin_browser.logout()
    client.force_login(UserFactory())
    assert client.get(change)["Location"].startswith(reverse("admin:login"))
