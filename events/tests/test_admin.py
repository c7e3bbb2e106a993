"""Django admin for events, roles, memberships and invites."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services, signals
from events.models import (
    Event,
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
from openevent.core.tests.admin_helpers import change_form_data
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


# --- every write through the services ---------------------------------------------------------------
@pytest.fixture
def received():
    """The events each event_published / schedule_published signal carried, as they arrive."""
    seen = {"event_published": [], "schedule_published": []}
    receivers = {}
    for name, values in seen.items():
        def receiver(sender, event, values=values, **kwargs):
            values.append(event.pk)
        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield seen
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def change_url(obj):
    return reverse(f"admin:events_{obj._meta.model_name}_change", args=[obj.pk])


def test_publishing_an_event_in_admin_sends_event_published_once_after_commit(
    admin_browser, received, django_capture_on_commit_callbacks
):
    event, _ = event_with_owner(state="draft")
    url = change_url(event)
    data = change_form_data(admin_browser.get(url), state="published")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(url, data)
        assert received["event_published"] == []  # not before the transaction commits
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert received["event_published"] == [event.pk]
    event.refresh_from_db()
    assert event.state == "published"

    # Saving the published event again publishes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_browser.post(url, change_form_data(admin_browser.get(url), name="Renamed")).status_code == 302
    assert received["event_published"] == [event.pk]
    event.refresh_from_db()
    assert event.name == "Renamed"


def test_an_event_created_in_admin_is_owned_by_its_creator_and_published_once(
    client, received, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_admin=True)
    client.force_login(admin)
    url = reverse("admin:events_event_add")
    data = change_form_data(
        client.get(url), name="Made in admin", state="published", privacy="public", timezone="Asia/Singapore",
        starts_at_0="2031-04-10", starts_at_1="09:00:00", ends_at_0="2031-04-12", ends_at_1="18:00:00",
        payment_currency="USD", location_name="Lifelong Learning Institute",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    event = Event.objects.get(name="Made in admin")
    assert received["event_published"] == [event.pk]
    assert UsersEventsRoles.objects.get(event=event).user == admin
    assert event.identifier  # made by the model, as for any other way in


def test_a_refused_event_change_is_a_form_error_and_nothing_is_stored(admin_browser, received):
    event, _ = event_with_owner(state="draft")
    url = change_url(event)

    response = admin_browser.post(
        url, change_form_data(admin_browser.get(url), timezone="Mars/Olympus", state="published")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["timezone"] == ["Unknown time zone."]
    event.refresh_from_db()
    assert (event.timezone, event.state) == ("UTC", "draft")
    assert received["event_published"] == []


def test_publishing_the_schedule_in_admin_sends_schedule_published(
    admin_browser, received, django_capture_on_commit_callbacks
):
    event, _ = event_with_owner()
    url = change_url(event)
    data = change_form_data(
        admin_browser.get(url), schedule_published_on_0="2031-01-01", schedule_published_on_1="10:00:00"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_browser.post(url, data).status_code == 302

    assert received["schedule_published"] == [event.pk]


def test_event_trash_and_restore_actions_go_through_the_services(admin_browser):
    event, _ = event_with_owner(name="To the trash")
    changelist = reverse("admin:events_event_changelist")

    response = admin_browser.post(changelist, {"action": "trash", "_selected_action": [event.pk]}, follow=True)
    assert type(event).all_objects.get(pk=event.pk).deleted_at is not None
    assert "Moved 1 row(s) to the trash." in [str(m) for m in response.context["messages"]]

    response = admin_browser.post(changelist, {"action": "restore", "_selected_action": [event.pk]}, follow=True)
    event.refresh_from_db()
    assert event.deleted_at is None
    assert "Restored 1 row(s)." in [str(m) for m in response.context["messages"]]


def test_restoring_a_second_speakers_call_is_refused_with_a_message(admin_browser, program):
    event = program["speakerscall"].event
    old = SpeakersCall.objects.create(event=event, starts_at=event.starts_at - datetime.timedelta(days=40),
                                      ends_at=event.starts_at - datetime.timedelta(days=30), deleted_at=event.starts_at)

    response = admin_browser.post(
        reverse("admin:events_speakerscall_changelist"),
        {"action": "restore", "_selected_action": [old.pk]},
        follow=True,
    )

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert "Restored 0 row(s)." in shown
    assert any("Skipped 1 row(s)" in m and "already has a speakers call" in m for m in shown), shown
    assert SpeakersCall.all_objects.get(pk=old.pk).deleted_at is not None


def test_a_speakers_call_that_ends_before_it_starts_is_refused_on_its_field(admin_browser, program):
    call = program["speakerscall"]
    url = change_url(call)
    data = change_form_data(admin_browser.get(url), soft_ends_at_0="2099-01-01", soft_ends_at_1="10:00:00")

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert "soft_ends_at" in response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.soft_ends_at is None


def test_a_track_saved_in_admin_is_sanitized_and_cannot_move_to_another_event(admin_browser, program):
    track = program["track"]
    url = change_url(track)

    saved = admin_browser.post(
        url, change_form_data(admin_browser.get(url), description="<b>ok</b><script>x()</script>")
    )
    assert saved.status_code == 302
    track.refresh_from_db()
    assert track.description == "<b>ok</b>"

    moved = admin_browser.post(url, change_form_data(admin_browser.get(url), event=str(EventFactory().pk)))
    assert moved.status_code == 200
    assert moved.context["adminform"].form.errors["event"] == ["A track cannot move to another event."]
    track.refresh_from_db()
    assert track.event == program["speakerscall"].event


def test_team_rows_in_admin_go_through_the_team_services(admin_browser, objects):
    event = objects["event"]
    add = reverse("admin:events_userseventsroles_add")
    newcomer = UserFactory()
    organizer = Role.objects.get(name=Role.ORGANIZER)

    refused = admin_browser.post(add, {"user": newcomer.pk, "event": event.pk, "role": objects["role"].pk})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["role"] == ["Ownership moves only by an accepted owner invite."]
    assert not UsersEventsRoles.objects.filter(user=newcomer).exists()

    added = admin_browser.post(add, {"user": newcomer.pk, "event": event.pk, "role": organizer.pk})
    assert added.status_code == 302
    assert UsersEventsRoles.objects.get(user=newcomer).role == organizer

    duplicate = admin_browser.post(add, {"user": newcomer.pk, "event": event.pk, "role": organizer.pk})
    assert duplicate.status_code == 200
    assert UsersEventsRoles.objects.filter(user=newcomer).count() == 1


def test_the_owner_row_cannot_be_deleted_in_admin(admin_browser, objects):
    owner_row = objects["membership"]
    url = reverse("admin:events_userseventsroles_delete", args=[owner_row.pk])

    response = admin_browser.post(url, {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert any("The owner cannot be removed" in str(m) for m in response.context["messages"])
    assert UsersEventsRoles.objects.filter(pk=owner_row.pk).exists()


def test_the_team_inline_adds_and_removes_rows_through_the_services(admin_browser, objects):
    event = objects["event"]
    url = change_url(event)
    newcomer = UserFactory()
    organizer = Role.objects.get(name=Role.ORGANIZER)
    page = admin_browser.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = change_form_data(page, **{
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-1-user": str(newcomer.pk), f"{prefix}-1-role": str(organizer.pk),
        f"{prefix}-1-event": str(event.pk),
    })  # fmt: skip

    assert admin_browser.post(url, data).status_code == 302
    row = UsersEventsRoles.objects.get(user=newcomer, event=event)
    assert row.role == organizer

    page = admin_browser.get(url)
    forms = page.context["inline_admin_formsets"][0].formset.forms
    index = next(i for i, form in enumerate(forms) if form.instance.pk == row.pk)
    owner_index = next(i for i, form in enumerate(forms) if form.instance.pk == objects["membership"].pk)
    refused = admin_browser.post(url, change_form_data(page, **{f"{prefix}-{owner_index}-DELETE": "on"}))
    assert refused.status_code == 200
    assert "The owner cannot be removed" in str(refused.context["adminform"].form.errors)
    assert UsersEventsRoles.objects.filter(pk=objects["membership"].pk).exists()

    assert admin_browser.post(url, change_form_data(page, **{f"{prefix}-{index}-DELETE": "on"})).status_code == 302
    assert not UsersEventsRoles.objects.filter(pk=row.pk).exists()


def test_an_invite_is_revised_in_admin_but_never_accepted_there(admin_browser, objects):
    invite = objects["invite"]
    url = change_url(invite)

    refused = admin_browser.post(url, change_form_data(admin_browser.get(url), status="accepted"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["status"] == ["Only the invitee accepts an invite."]
    invite.refresh_from_db()
    assert invite.status == "pending"
    assert not UsersEventsRoles.objects.filter(event=invite.event, role__name=Role.MODERATOR).exists()

    assert admin_browser.post(url, change_form_data(admin_browser.get(url), status="declined")).status_code == 302
    invite.refresh_from_db()
    assert invite.status == "declined"


def test_role_titles_are_renamed_through_the_service(admin_browser, objects):
    role = objects["role"]
    url = change_url(role)

    refused = admin_browser.post(url, {"title_name": "  "})
    assert refused.status_code == 200
    assert "title_name" in refused.context["adminform"].form.errors

    assert admin_browser.post(url, {"title_name": "Event owner"}).status_code == 302
    role.refresh_from_db()
    assert (role.name, role.title_name) == (Role.OWNER, "Event owner")
    assert admin_browser.get(reverse("admin:events_role_add")).status_code == 403


def test_a_refused_bulk_delete_changes_nothing_and_says_why(admin_browser, objects):
    event = objects["event"]
    organizer = UsersEventsRoles.objects.create(
        user=UserFactory(), event=event, role=Role.objects.get(name=Role.ORGANIZER)
    )
    rows = [organizer.pk, objects["membership"].pk]

    response = admin_browser.post(
        reverse("admin:events_userseventsroles_changelist"),
        {"action": "delete_selected", "_selected_action": rows, "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert any(
        str(m).startswith("Nothing was changed: The owner cannot be removed") for m in response.context["messages"]
    )
    assert UsersEventsRoles.objects.filter(pk__in=rows).count() == 2


# --- dates in the event's own timezone --------------------------------------------------------------
UTC = datetime.UTC


def singapore_event(**kwargs):
    """An event in Singapore (UTC+8) that starts at 09:00 local time, 01:00 UTC."""
    start = datetime.datetime(2031, 4, 10, 1, 0, tzinfo=UTC)
    return event_with_owner(
        timezone="Asia/Singapore", starts_at=start, ends_at=start + datetime.timedelta(days=2, hours=9), **kwargs
    )[0]


def test_the_event_page_shows_its_dates_in_the_event_timezone_and_says_so(admin_browser):
    event = singapore_event()

    response = admin_browser.get(change_url(event))

    page = response.content.decode()
    assert 'name="starts_at_0" value="2031-04-10"' in page
    assert 'name="starts_at_1" value="09:00:00"' in page
    assert 'name="ends_at_1" value="18:00:00"' in page
    assert response.context["adminform"].form.fields["starts_at"].help_text == (
        "Time in Asia/Singapore, the event's timezone."
    )
    assert "Time in Asia/Singapore, the event's timezone." in page
    assert 'data-admin-utc-offset="28800"' in page  # the admin's "now" buttons too
    assert change_form_data(response)["starts_at_1"] == "09:00:00"  # what the tests below post


def test_times_posted_on_the_event_page_are_read_in_the_event_timezone(admin_browser):
    event = singapore_event()
    url = change_url(event)

    response = admin_browser.post(url, change_form_data(admin_browser.get(url), starts_at_1="10:00:00"))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime(2031, 4, 10, 2, 0, tzinfo=UTC)
    assert event.ends_at == datetime.datetime(2031, 4, 12, 10, 0, tzinfo=UTC)  # unchanged


def test_an_unchanged_event_page_saves_the_same_instants(admin_browser):
    event = singapore_event()
    url = change_url(event)

    assert admin_browser.post(url, change_form_data(admin_browser.get(url), name="Renamed")).status_code == 302

    stored = Event.objects.get(pk=event.pk)
    assert (stored.name, stored.starts_at, stored.ends_at) == ("Renamed", event.starts_at, event.ends_at)


def test_the_timezone_chosen_on_the_add_form_applies_to_its_times(client):
    client.force_login(UserFactory(is_admin=True))
    url = reverse("admin:events_event_add")
    page = client.get(url)
    assert page.context["adminform"].form.fields["starts_at"].help_text == "Time in the event's timezone."
    data = change_form_data(
        page, name="Made in Singapore", privacy="public", timezone="Asia/Singapore", payment_currency="USD",
        starts_at_0="2031-04-10", starts_at_1="09:00:00", ends_at_0="2031-04-12", ends_at_1="18:00:00",
    )  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event = Event.objects.get(name="Made in Singapore")
    assert event.starts_at == datetime.datetime(2031, 4, 10, 1, 0, tzinfo=UTC)
    assert event.ends_at == datetime.datetime(2031, 4, 12, 10, 0, tzinfo=UTC)


def test_a_refused_timezone_keeps_the_form_in_the_stored_timezone(admin_browser):
    event = singapore_event()
    url = change_url(event)

    response = admin_browser.post(url, change_form_data(admin_browser.get(url), timezone="Mars/Olympus"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["timezone"] == ["Unknown time zone."]
    assert change_form_data(response)["starts_at_1"] == "09:00:00"
    event.refresh_from_db()
    assert (event.timezone, event.starts_at) == ("Asia/Singapore", datetime.datetime(2031, 4, 10, 1, 0, tzinfo=UTC))


def test_the_speakers_call_page_shows_and_reads_times_in_the_event_timezone(admin_browser):
    event = singapore_event()
    call = SpeakersCall.objects.create(
        event=event, starts_at=datetime.datetime(2031, 3, 1, 1, 0, tzinfo=UTC), ends_at=event.starts_at
    )
    url = change_url(call)
    page = admin_browser.get(url)
    assert change_form_data(page)["starts_at_1"] == "09:00:00"
    assert page.context["adminform"].form.fields["ends_at"].help_text == "Time in Asia/Singapore, the event's timezone."

    assert admin_browser.post(url, change_form_data(page, starts_at_1="10:00:00")).status_code == 302

    call.refresh_from_db()
    assert call.starts_at == datetime.datetime(2031, 3, 1, 2, 0, tzinfo=UTC)
