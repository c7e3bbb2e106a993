"""Organizer pages: my events, create event, dashboard with team and invites, my invites."""
import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles, hash_token
from events.tests.factories import EventFactory, event_with_owner, give_role
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dashboard_url(event):
    return reverse("event-dashboard", args=[event.identifier])


def team_url(event):
    return reverse("event-team", args=[event.identifier])


def shown_invite_token(html):
    """The token of the invite link a page shows once."""
    return re.search(r"/invites/link/([\w-]+)", html).group(1)


@pytest.fixture
def owner_client(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    client.event, client.user = event, owner
    return client


# --- anonymous visitors -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["my-events", "event-create", "my-invites"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_anonymous_visitor_of_a_dashboard_is_sent_to_login(client):
    event, _ = event_with_owner()
    response = client.get(dashboard_url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_is_the_public_event_list_for_everyone_with_my_events_in_the_nav(client):
    """The start page lists published public events (issue 10); it no longer sends anyone away."""
    EventFactory(name="Open Conf")
    response = client.get("/")
    assert response.status_code == 200
    assert "Open Conf" in response.content.decode()
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert "Open Conf" in html
    assert f'href="{reverse("my-events")}"' in html


# --- my events --------------------------------------------------------------------------------
def test_my_events_lists_events_where_i_hold_a_role_with_my_roles(client):
    me = UserFactory()
    owned, _ = event_with_owner(owner=me, name="Owned Conf")
    moderated, _ = event_with_owner(name="Moderated Conf", state=Event.State.DRAFT)
    give_role(me, moderated, Role.MODERATOR)
    give_role(me, moderated, Role.REGISTRAR)
    event_with_owner(name="Someone Else's Conf")
    client.force_login(me)

    response = client.get(reverse("my-events"))

    assert response.status_code == 200
    events = {event.name: event for event in response.context["events"]}
    assert set(events) == {"Owned Conf", "Moderated Conf"}
    assert [m.role.name for m in events["Moderated Conf"].my_roles] == [Role.MODERATOR, Role.REGISTRAR]
    html = response.content.decode()
    assert "Someone Else" not in html
    assert "Moderator" in html
    assert "Registrar" in html
    assert "Draft" in html
    assert "Published" in html
    assert dashboard_url(owned) in html
    # A moderator does not see drafts' dashboards (permissions.can_see_event): no dead link.
    assert dashboard_url(moderated) not in html


def test_my_events_is_empty_for_a_new_user(client):
    client.force_login(UserFactory())
    response = client.get(reverse("my-events"))
    assert response.status_code == 200
    assert "You hold no role at any event yet." in response.content.decode()


def test_my_events_shows_times_in_the_event_time_zone(client):
    me = UserFactory()
    starts = datetime.datetime(2031, 3, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Singapore"))
    event_with_owner(owner=me, starts_at=starts, ends_at=starts + datetime.timedelta(hours=8),
                     timezone="Asia/Singapore")
    client.force_login(me)
    html = client.get(reverse("my-events")).content.decode()
    assert "Sat 1 Mar 2031, 09:30" in html
    assert "Asia/Singapore" in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_my_events_runs_a_constant_number_of_queries(client):
    me = UserFactory()
    client.force_login(me)
    event_with_owner(owner=me)
    with_one = count_queries(client, reverse("my-events"))
    for _ in range(19):
        event, _ = event_with_owner(owner=me)
        give_role(me, event, Role.MODERATOR)
        RoleInvite.objects.create(
            email=me.email, event=event, role=Role.objects.get(name=Role.REGISTRAR),
            token_hash=f"hash-{event.pk}", expires_at=event.starts_at,
        )
    with_twenty = count_queries(client, reverse("my-events"))
    assert with_twenty == with_one
    assert len(client.get(reverse("my-events")).context["events"]) == 20


# --- create event -----------------------------------------------------------------------------
def event_data(**overrides):
    return {
        "name": "FOSSASIA Summit",
        "starts_at": "2031-04-10T09:00",
        "ends_at": "2031-04-12T18:00",
        "timezone": "Asia/Singapore",
        "location_name": "Lifelong Learning Institute",
        "description": "Open technology <b>for all</b>.",
        "privacy": "public",
        "state": "draft",
        **overrides,
    }


def test_create_event_page_renders_with_labels_and_datetime_inputs(client):
    client.force_login(UserFactory())
    response = client.get(reverse("event-create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="datetime-local"' in html
    for name in ("name", "starts_at", "ends_at", "timezone", "location_name", "description"):
        assert f'<label for="id_{name}">' in html
    assert '<option value="Asia/Singapore">' in html
    assert 'type="module"' in html
    assert "<script>" not in html


def test_create_event_makes_me_owner_and_goes_to_the_dashboard(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(reverse("event-create"), event_data())
    event = Event.objects.get(name="FOSSASIA Summit")
    assert response.status_code == 302
    assert response["Location"] == dashboard_url(event)
    # The times were meant in the event's own zone.
    singapore = zoneinfo.ZoneInfo("Asia/Singapore")
    assert event.starts_at == datetime.datetime(2031, 4, 10, 9, 0, tzinfo=singapore)
    assert event.ends_at == datetime.datetime(2031, 4, 12, 18, 0, tzinfo=singapore)
    assert (event.timezone, event.state, event.privacy) == ("Asia/Singapore", "draft", "public")
    assert UsersEventsRoles.objects.get(event=event).user == me

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "was created" in html
    assert "Thu 10 Apr 2031, 09:00" in html
    # User HTML is sanitized on the way in, then shown as markup.
    assert "Open technology <b>for all</b>." in html


def test_create_event_with_end_before_start_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post(reverse("event-create"), event_data(ends_at="2031-04-09T09:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["The event must end after it starts."]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("starts_at", "next tuesday"), ("timezone", "Mars/Olympus"), ("state", "archived")],
)
def test_create_event_rejects_bad_input(client, field, value):
    client.force_login(UserFactory())
    response = client.post(reverse("event-create"), event_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_create_event_cannot_set_admin_flags(client):
    client.force_login(UserFactory())
    client.post(reverse("event-create"), event_data(is_featured="on"))
    assert Event.objects.get().is_featured is False


# --- dashboard --------------------------------------------------------------------------------
def test_owner_sees_dashboard_with_team_and_links_to_team_and_settings(owner_client):
    event = owner_client.event
    colleague = UserFactory(email="colleague@example.org")
    give_role(colleague, event, Role.MODERATOR)

    response = owner_client.get(dashboard_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert event.name in html
    assert "colleague@example.org" in html
    assert owner_client.user.email in html
    assert reverse("event-team", args=[event.identifier]) in html
    assert reverse("event-settings", args=[event.identifier]) in html


def test_owner_sees_team_page_with_invites_and_every_role_to_invite(owner_client):
    event = owner_client.event
    give_role(UserFactory(email="colleague@example.org"), event, Role.MODERATOR)
    services.invite(owner_client.user, event, "pending@example.org", Role.REGISTRAR)

    response = owner_client.get(team_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert "colleague@example.org" in html
    assert "pending@example.org" in html
    form = response.context["invite_form"]
    assert [name for name, _ in form.fields["role"].choices] == ["", *Role.NAMES]
    assert '<label for="id_invite-email">' in html
    assert '<label for="id_invite-role">' in html


def test_dashboard_runs_a_constant_number_of_queries(owner_client):
    event = owner_client.event
    give_role(UserFactory(), event, Role.MODERATOR)
    services.invite(owner_client.user, event, "first@example.org", Role.REGISTRAR)
    with_one = count_queries(owner_client, dashboard_url(event))
    for n in range(10):
        give_role(UserFactory(), event, Role.COORGANIZER)
        services.invite(owner_client.user, event, f"more{n}@example.org", Role.MODERATOR)
    assert count_queries(owner_client, dashboard_url(event)) == with_one


def test_moderator_sees_team_page_but_no_invite_form_and_cannot_post_one(client):
    event, owner = event_with_owner()
    moderator = UserFactory()
    give_role(moderator, event, Role.MODERATOR)
    services.invite(owner, event, "secret@example.org", Role.REGISTRAR)
    client.force_login(moderator)

    response = client.get(team_url(event))
    assert response.status_code == 200
    assert response.context["invite_form"] is None
    html = response.content.decode()
    assert "Invite someone" not in html
    assert "secret@example.org" not in html  # pending invites are for co-organizers and up
    assert "Moderator" in html

    response = client.post(team_url(event), {"invite-email": "x@example.org", "invite-role": Role.MODERATOR})
    assert response.status_code == 403
    assert not RoleInvite.objects.filter(email="x@example.org").exists()


def test_plain_user_gets_404_on_someone_elses_draft_dashboard(client):
    event, _ = event_with_owner(state=Event.State.DRAFT)
    client.force_login(UserFactory())
    assert client.get(dashboard_url(event)).status_code == 404
    assert client.post(team_url(event), {"invite-email": "a@example.org", "invite-role": "owner"}).status_code == 404


def test_plain_user_is_refused_a_published_events_dashboard(client):
    # A published event is no secret (permissions.can_see_event), its dashboard is for the team.
    event, _ = event_with_owner(state=Event.State.PUBLISHED)
    client.force_login(UserFactory())
    response = client.get(dashboard_url(event))
    assert response.status_code == 403
    assert event.name not in response.content.decode()


def test_moderator_of_a_draft_gets_404(client):
    event, _ = event_with_owner(state=Event.State.DRAFT)
    moderator = UserFactory()
    give_role(moderator, event, Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(dashboard_url(event)).status_code == 404


def test_unknown_and_deleted_events_are_404(owner_client):
    assert owner_client.get(reverse("event-dashboard", args=["nothere1"])).status_code == 404
    owner_client.event.soft_delete()
    assert owner_client.get(dashboard_url(owner_client.event)).status_code == 404


def test_admin_sees_any_dashboard_and_may_invite(client):
    event, _ = event_with_owner(state=Event.State.DRAFT)
    client.force_login(UserFactory(is_admin=True))
    response = client.get(dashboard_url(event))
    assert response.status_code == 200
    assert "Administrator" in response.content.decode()
    assert client.get(team_url(event)).context["invite_form"] is not None


def test_owner_invites_a_coorganizer(owner_client):
    event = owner_client.event
    response = owner_client.post(team_url(event), {"invite-email": " New@Example.org", "invite-role": Role.COORGANIZER})
    assert response.status_code == 200
    invitation = RoleInvite.objects.get()
    assert (invitation.email, invitation.role.name, invitation.status) == (
        "new@example.org",
        Role.COORGANIZER,
        "pending",
    )
    html = response.content.decode()
    assert "new@example.org was invited as Co-organizer." in html
    # The link to pass on is shown this once; only its token's hash is stored.
    token = shown_invite_token(html)
    assert hash_token(token) == invitation.token_hash
    assert token not in owner_client.get(team_url(event)).content.decode()


@pytest.mark.parametrize("role_name", [Role.OWNER, Role.ORGANIZER])
def test_coorganizer_cannot_invite_as_owner_or_organizer(client, role_name):
    event, _ = event_with_owner()
    coorganizer = UserFactory()
    give_role(coorganizer, event, Role.COORGANIZER)
    client.force_login(coorganizer)

    page = client.get(team_url(event))
    offered = [name for name, _ in page.context["invite_form"].fields["role"].choices]
    assert offered == ["", Role.COORGANIZER, Role.TRACK_ORGANIZER, Role.MODERATOR, Role.REGISTRAR]

    response = client.post(team_url(event), {"invite-email": "boss@example.org", "invite-role": role_name})
    assert response.status_code == 200
    assert response.context["invite_form"].errors["role"]
    assert not RoleInvite.objects.exists()


def test_inviting_twice_is_a_form_error(owner_client):
    event = owner_client.event
    data = {"invite-email": "twice@example.org", "invite-role": Role.MODERATOR}
    owner_client.post(team_url(event), data)
    response = owner_client.post(team_url(event), data)
    assert response.status_code == 200
    assert response.context["invite_form"].errors["email"] == [
        "twice@example.org already has a pending invite for this role."
    ]
    assert RoleInvite.objects.count() == 1


def test_inviting_a_member_to_a_role_they_hold_is_a_form_error(owner_client):
    event = owner_client.event
    give_role(UserFactory(email="mod@example.org"), event, Role.MODERATOR)
    response = owner_client.post(team_url(event), {"invite-email": "mod@example.org", "invite-role": Role.MODERATOR})
    assert response.status_code == 200
    assert "already is Moderator" in str(response.context["invite_form"].errors["email"])


def test_invite_with_bad_email_or_no_role_is_a_form_error(owner_client):
    response = owner_client.post(team_url(owner_client.event), {"invite-email": "nope", "invite-role": ""})
    assert response.status_code == 200
    assert response.context["invite_form"].errors.keys() == {"email", "role"}
    assert not RoleInvite.objects.exists()


# --- my invites -------------------------------------------------------------------------------
@pytest.fixture
def invitation():
    event, owner = event_with_owner(name="Invite Conf")
    invitee = UserFactory(email="invitee@example.org")
    return services.invite(owner, event, invitee.email, Role.COORGANIZER), invitee


def answer_url(invitation):
    return reverse("invite-answer", args=[invitation.pk])


def test_my_invites_lists_my_pending_invites_with_answer_buttons(client, invitation):
    invite, invitee = invitation
    event_with_owner(name="Other Conf")
    client.force_login(invitee)
    response = client.get(reverse("my-invites"))
    assert response.status_code == 200
    assert list(response.context["invites"]) == [invite]
    html = response.content.decode()
    assert "Invite Conf" in html
    assert "Co-organizer" in html
    assert f'action="{answer_url(invite)}"' in html
    assert 'name="status" value="accepted"' in html
    assert 'name="status" value="declined"' in html
    # The header counts the invites waiting for me.
    assert '<span class="badge">1<span class="visually-hidden"> pending</span></span>' in html


def test_accepting_an_invite_gives_the_role_and_lists_the_event(client, invitation):
    invite, invitee = invitation
    client.force_login(invitee)
    response = client.post(answer_url(invite), {"status": "accepted"})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-events")
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.ACCEPTED
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "You are now Co-organizer of “Invite Conf”." in html
    assert [event.name for event in page.context["events"]] == ["Invite Conf"]
    assert client.get(dashboard_url(invite.event)).status_code == 200
    assert list(client.get(reverse("my-invites")).context["invites"]) == []


def test_declining_an_invite(client, invitation):
    invite, invitee = invitation
    client.force_login(invitee)
    response = client.post(answer_url(invite), {"status": "declined"})
    assert response["Location"] == reverse("my-invites")
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.DECLINED
    assert not UsersEventsRoles.objects.filter(user=invitee).exists()
    assert "You declined" in client.get(reverse("my-invites")).content.decode()


def test_a_user_cannot_answer_someone_elses_invite(client, invitation):
    invite, _ = invitation
    client.force_login(UserFactory())
    for status in ("accepted", "declined"):
        assert client.post(answer_url(invite), {"status": status}).status_code == 404
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.PENDING
    assert UsersEventsRoles.objects.filter(event=invite.event).count() == 1


def test_answering_twice_shows_an_error(client, invitation):
    invite, invitee = invitation
    client.force_login(invitee)
    client.post(answer_url(invite), {"status": "declined"})
    response = client.post(answer_url(invite), {"status": "accepted"}, follow=True)
    assert "This invite was already declined." in response.content.decode()
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.DECLINED


def test_answer_needs_post_a_known_status_and_an_existing_invite(client, invitation):
    invite, invitee = invitation
    client.force_login(invitee)
    assert client.get(answer_url(invite)).status_code == 405
    response = client.post(answer_url(invite), {"status": "maybe"}, follow=True)
    assert "Choose to accept or to decline the invite." in response.content.decode()
    assert client.post(reverse("invite-answer", args=[invite.pk + 1000]), {"status": "accepted"}).status_code == 404
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.PENDING


def test_anonymous_visitor_cannot_answer(client, invitation):
    invite, _ = invitation
    response = client.post(answer_url(invite), {"status": "accepted"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    invite.refresh_from_db()
    assert invite.status == RoleInvite.Status.PENDING


def test_pages_pass_a_strict_content_security_policy(owner_client):
    """No inline scripts, handlers or styles: every page works under script-src/style-src 'self'."""
    for url in (
        reverse("my-events"),
        reverse("event-create"),
        reverse("my-invites"),
        dashboard_url(owner_client.event),
    ):
        html = owner_client.get(url).content.decode()
        assert "<script>" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert " onclick=" not in html
        assert "javascript:" not in html


def test_my_invites_runs_a_constant_number_of_queries(client):
    me = UserFactory()
    client.force_login(me)
    event, owner = event_with_owner()
    services.invite(owner, event, me.email, Role.MODERATOR)
    with_one = count_queries(client, reverse("my-invites"))
    for _ in range(10):
        event, owner = event_with_owner()
        services.invite(owner, event, me.email, Role.COORGANIZER)
    assert count_queries(client, reverse("my-invites")) == with_one
    assert len(client.get(reverse("my-invites")).context["invites"]) == 11


def test_dashboard_renders_the_sanitized_description_as_markup(client):
    owner = UserFactory()
    event = services.create_event(
        owner,
        name="Markup",
        starts_at="2027-01-01T10:00Z",
        ends_at="2027-01-02T10:00Z",
        description="<p>Open <b>tech</b></p><script>alert(1)</script>",
    )
    client.force_login(owner)
    html = client.get(reverse("event-dashboard", args=[event.identifier])).content.decode()
    assert "<p>Open <b>tech</b></p>" in html
    assert "alert(1)" not in html
    assert "&lt;p&gt;" not in html


def test_dashboard_takes_the_identifier_in_any_case(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    assert client.get(reverse("event-dashboard", args=[event.identifier.upper()])).status_code == 200
