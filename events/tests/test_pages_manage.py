"""The event's settings page (edit, publish, trash and restore, hand over) and its team page (roles,
removals, leaving, invites): what each user sees, what lands in the database, who is refused."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from events import services
from events.forms import EventSettingsForm
from events.models import Event, Role, RoleInvite, UsersEventsRoles, hash_token
from events.tests.factories import event_with_owner
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")


def url(name, event, *args):
    return reverse(name, args=[event.identifier, *args])


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def staff():
    """A published event with one user in every role, plus ``plain`` (no role) and ``admin``."""
    event, people = staffed_event(
        timezone="Asia/Singapore",
        starts_at=datetime.datetime(2031, 4, 10, 9, 0, tzinfo=SINGAPORE),
        ends_at=datetime.datetime(2031, 4, 12, 18, 0, tzinfo=SINGAPORE),
    )
    people["admin"] = UserFactory(is_admin=True)
    return event, people


def as_user(client, user):
    client.force_login(user)
    return client


def settings_data(event, **overrides):
    """What the settings form posts for ``event`` unchanged (times as clocks at the event)."""
    zone = zoneinfo.ZoneInfo(event.timezone)
    data = {
        "name": event.name,
        "starts_at": event.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.ends_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "timezone": event.timezone,
        "description": event.description,
        "privacy": event.privacy,
        "location_name": event.location_name,
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# --- settings: who opens it -----------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "organizer", "coorganizer", "admin"])
def test_co_organizers_and_up_open_the_settings_with_times_at_the_event(client, staff, who):
    event, people = staff
    response = as_user(client, people[who]).get(url("event-settings", event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2031-04-10T09:00"' in html  # 01:00 UTC, shown as the clock in Singapore reads
    assert '<option value="Asia/Singapore" selected>' in html
    for section in ("Basics", "Location", "Links and images", "Organizer", "Code of conduct", "Features", "Payment"):
        assert f"<h2>{section}</h2>" in html
    assert ('name="is_featured"' in html) is (who == "admin")
    assert ('name="is_promoted"' in html) is (who == "admin")


@pytest.mark.parametrize("who", ["track_organizer", "moderator", "registrar", "plain"])
def test_everybody_else_is_refused_the_settings(client, staff, who):
    event, people = staff
    client = as_user(client, people[who])
    assert client.get(url("event-settings", event)).status_code == 403
    response = client.post(url("event-settings", event), settings_data(event, name="Taken over"))
    assert response.status_code == 403
    assert client.post(url("event-publish", event), {"state": "draft"}).status_code == 403
    event.refresh_from_db()
    assert (event.name, event.state) != ("Taken over", Event.State.DRAFT)


def test_a_draft_settings_page_is_not_found_for_outsiders_and_anonymous_visitors_log_in(client):
    event, _ = event_with_owner(state=Event.State.DRAFT)
    assert client.get(url("event-settings", event))["Location"].startswith(reverse("login"))
    assert as_user(client, UserFactory()).get(url("event-settings", event)).status_code == 404


# --- settings: editing ----------------------------------------------------------------------------
def test_saving_the_settings_writes_every_field_through_the_service(client, staff):
    event, people = staff
    data = settings_data(
        event,
        name="Open Tech Summit",
        starts_at="2031-05-01T10:00",
        ends_at="2031-05-02T17:30",
        timezone="Asia/Jakarta",
        description="<p>One</p><p>Two</p><script>alert(1)</script>",
        online="on",
        location_name="",
        latitude="1.3",
        longitude="103.8",
        external_event_url="example.org/summit",
        logo_url="https://example.org/logo.png",
        has_owner_info="on",
        owner_name="FOSSASIA",
        owner_description="<p>Open source in Asia</p>",
        code_of_conduct="<p>Be kind.</p>",
        is_sessions_speakers_enabled="on",
        is_sponsors_enabled="on",
        payment_currency="SGD",
        payment_country="SG",
        can_pay_by_paypal="on",
        paypal_email="pay@example.org",
        can_pay_onsite="on",
        onsite_details="Cash at the door",
        is_featured="on",  # not a field for co-organizers: ignored
    )
    response = as_user(client, people["coorganizer"]).post(url("event-settings", event), data)
    assert response.status_code == 302
    assert response["Location"] == url("event-settings", event)
    event.refresh_from_db()
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    assert event.starts_at == datetime.datetime(2031, 5, 1, 10, 0, tzinfo=jakarta)
    assert event.starts_at.utcoffset() == datetime.timedelta(0)  # stored as aware UTC
    assert event.ends_at == datetime.datetime(2031, 5, 2, 17, 30, tzinfo=jakarta)
    assert (event.name, event.timezone, event.online, event.location_name) == (
        "Open Tech Summit", "Asia/Jakarta", True, "",
    )  # fmt: skip
    assert (event.latitude, event.longitude) == (1.3, 103.8)
    assert event.external_event_url == "https://example.org/summit"
    assert "<script>" not in event.description
    assert "<p>Two</p>" in event.description
    assert (event.has_owner_info, event.owner_name, event.code_of_conduct) == (True, "FOSSASIA", "<p>Be kind.</p>")
    assert event.is_sessions_speakers_enabled
    assert event.is_sponsors_enabled
    assert (event.payment_currency, event.payment_country, event.paypal_email) == ("SGD", "SG", "pay@example.org")
    assert event.can_pay_onsite
    assert event.onsite_details == "Cash at the door"
    assert not event.is_featured
    followed = client.get(response["Location"])
    assert "The settings of “Open Tech Summit” were saved." in page_messages(followed)
    assert 'value="2031-05-01T10:00"' in followed.content.decode()


def test_a_service_refusal_is_a_form_error_on_its_field_and_nothing_is_saved(client, staff):
    event, people = staff
    data = settings_data(event, name="Renamed", can_pay_by_paypal="on", payment_currency="SGD")
    response = as_user(client, people["organizer"]).post(url("event-settings", event), data)
    assert response.status_code == 200
    assert response.context["form"].errors["paypal_email"] == [
        "Say how to pay: give the PayPal e-mail address when this method is on."
    ]
    assert Event.objects.get(pk=event.pk).name != "Renamed"


def test_bad_input_is_a_form_error(client, staff):
    event, people = staff
    data = settings_data(event, ends_at="2031-04-01T09:00", latitude="91", logo_url="not a url at all")
    response = as_user(client, people["owner"]).post(url("event-settings", event), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"latitude", "logo_url"} <= errors.keys()
    assert Event.objects.get(pk=event.pk).ends_at == event.ends_at


def test_a_published_event_cannot_lose_its_location_on_the_settings_page(client, staff):
    event, people = staff
    response = as_user(client, people["owner"]).post(
        url("event-settings", event), settings_data(event, location_name="")
    )
    assert response.status_code == 200
    assert "cannot be published yet" in str(response.context["form"].errors["location_name"])
    assert Event.objects.get(pk=event.pk).location_name == "Singapore"


def test_administrators_set_the_curation_flags(client, staff):
    event, people = staff
    data = settings_data(event, is_featured="on", is_promoted="on")
    assert as_user(client, people["admin"]).post(url("event-settings", event), data).status_code == 302
    event.refresh_from_db()
    assert event.is_featured
    assert event.is_promoted


# --- publishing -----------------------------------------------------------------------------------
def test_a_draft_says_what_publishing_requires_refuses_then_publishes_once_fixed(client):
    event, owner = event_with_owner(state=Event.State.DRAFT, location_name="")
    client = as_user(client, owner)
    html = client.get(url("event-settings", event)).content.decode()
    assert "Before it can be published:" in html
    assert "Say where the event takes place, or mark it as online." in html

    response = client.post(url("event-publish", event), {"state": "published"}, follow=True)
    assert page_messages(response) == [
        "The event cannot be published yet: Say where the event takes place, or mark it as online."
    ]
    assert Event.objects.get(pk=event.pk).state == Event.State.DRAFT

    client.post(url("event-settings", event), settings_data(event, location_name="Marina Bay"))
    assert "Before it can be published:" not in client.get(url("event-settings", event)).content.decode()
    response = client.post(url("event-publish", event), {"state": "published"}, follow=True)
    assert page_messages(response) == [f"“{event.name}” is published: everybody can find it now."]
    assert Event.objects.get(pk=event.pk).state == Event.State.PUBLISHED

    response = client.post(url("event-publish", event), {"state": "draft"}, follow=True)
    assert page_messages(response) == [f"“{event.name}” is back to a draft."]
    assert Event.objects.get(pk=event.pk).state == Event.State.DRAFT


def test_publishing_with_a_made_up_state_changes_nothing(client, staff):
    event, people = staff
    response = as_user(client, people["owner"]).post(url("event-publish", event), {"state": "archived"}, follow=True)
    assert page_messages(response) == ["Choose to publish or to unpublish the event."]
    assert Event.objects.get(pk=event.pk).state == Event.State.PUBLISHED


# --- trash and restore ----------------------------------------------------------------------------
def test_the_owner_moves_the_event_to_the_trash_after_confirming_and_an_organizer_restores_it(client, staff):
    event, people = staff
    client = as_user(client, people["owner"])
    confirm = client.get(url("event-trash", event))
    assert confirm.status_code == 200
    assert "Move to the trash" in confirm.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()

    response = client.post(url("event-trash", event), follow=True)
    assert response.redirect_chain[-1][0] == reverse("event-trash-list")
    assert Event.all_objects.get(pk=event.pk).deleted_at is not None
    assert not Event.objects.filter(pk=event.pk).exists()
    assert client.get(url("event-dashboard", event)).status_code == 404

    client = as_user(client, people["organizer"])
    trash = client.get(reverse("event-trash-list"))
    assert f"Restore {event.name}" in trash.content.decode()
    response = client.post(url("event-restore", event))
    assert response["Location"] == url("event-dashboard", event)
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("who", ["organizer", "coorganizer", "moderator"])
def test_only_the_owner_trashes(client, staff, who):
    event, people = staff
    client = as_user(client, people[who])
    assert client.get(url("event-trash", event)).status_code == 403
    assert client.post(url("event-trash", event)).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_restoring_is_for_organizers(client, staff):
    event, people = staff
    services.delete_event(people["owner"], event)
    for who, status in (("coorganizer", 403), ("moderator", 403), ("plain", 404)):
        assert as_user(client, people[who]).post(url("event-restore", event)).status_code == status
        assert event.name not in client.get(reverse("event-trash-list")).content.decode()
    assert not Event.objects.filter(pk=event.pk).exists()


# --- hand over ------------------------------------------------------------------------------------
def test_the_owner_hands_the_event_over_to_a_member(client, staff):
    event, people = staff
    client = as_user(client, people["owner"])
    form = client.get(url("event-hand-over", event)).context["form"]
    offered = {value for value, _ in form.fields["user"].choices if value}
    assert offered == {people[name].pk for name in Role.NAMES if name != Role.OWNER}

    response = client.post(url("event-hand-over", event), {"user": people["moderator"].pk}, follow=True)
    assert f"{people['moderator'].email} now owns “{event.name}”; you stay on as organizer." in page_messages(response)
    owners = UsersEventsRoles.objects.filter(event=event, role__name=Role.OWNER)
    assert [row.user for row in owners] == [people["moderator"]]
    assert UsersEventsRoles.objects.filter(event=event, user=people["owner"], role__name=Role.ORGANIZER).exists()
    # The former owner is organizer now: the hand-over page is no longer theirs.
    assert client.get(url("event-hand-over", event)).status_code == 403


def test_hand_over_to_someone_off_the_team_is_a_form_error(client, staff):
    event, people = staff
    response = as_user(client, people["owner"]).post(url("event-hand-over", event), {"user": people["plain"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert UsersEventsRoles.objects.get(event=event, role__name=Role.OWNER).user == people["owner"]


@pytest.mark.parametrize("who", ["organizer", "coorganizer", "registrar"])
def test_only_the_owner_hands_over(client, staff, who):
    event, people = staff
    client = as_user(client, people[who])
    assert client.get(url("event-hand-over", event)).status_code == 403
    assert client.post(url("event-hand-over", event), {"user": people[who].pk}).status_code == 403
    assert UsersEventsRoles.objects.get(event=event, role__name=Role.OWNER).user == people["owner"]


# --- the team page --------------------------------------------------------------------------------
@pytest.mark.parametrize("who", [*Role.NAMES, "admin"])
def test_everybody_on_the_team_sees_the_team(client, staff, who):
    event, people = staff
    response = as_user(client, people[who]).get(url("event-team", event))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(people[name].email in html for name in Role.NAMES)


def test_outsiders_are_refused_the_team_page(client, staff):
    event, people = staff
    assert as_user(client, people["plain"]).get(url("event-team", event)).status_code == 403


def test_organizers_get_a_role_select_for_members_but_never_for_the_owner(client, staff):
    event, people = staff
    rows = as_user(client, people["organizer"]).get(url("event-team", event)).context["rows"]
    forms = {membership.role.name: form for membership, form, _ in rows}
    assert forms[Role.OWNER] is None
    assert [name for name, _ in forms[Role.MODERATOR].fields["role"].choices] == Role.NAMES[1:]
    rows = as_user(client, people["coorganizer"]).get(url("event-team", event)).context["rows"]
    assert all(form is None for _, form, _ in rows)


def member(event, user):
    return UsersEventsRoles.objects.get(event=event, user=user)


def test_an_organizer_changes_a_members_role(client, staff):
    event, people = staff
    row = member(event, people["moderator"])
    response = as_user(client, people["organizer"]).post(
        url("member-role", event, row.pk), {f"member-{row.pk}-role": Role.COORGANIZER}, follow=True
    )
    assert page_messages(response) == [f"{people['moderator'].email} is now Co-organizer (was Moderator)."]
    assert member(event, people["moderator"]).role.name == Role.COORGANIZER


@pytest.mark.parametrize(
    ("who", "target", "role_name", "status"),
    [
        ("coorganizer", "moderator", Role.REGISTRAR, 403),
        ("moderator", "registrar", Role.MODERATOR, 403),
        ("plain", "registrar", Role.MODERATOR, 403),
        ("organizer", "owner", Role.MODERATOR, 403),
    ],
)
def test_role_changes_by_the_wrong_user_are_refused(client, staff, who, target, role_name, status):
    event, people = staff
    row = member(event, people[target])
    response = as_user(client, people[who]).post(
        url("member-role", event, row.pk), {f"member-{row.pk}-role": role_name}
    )
    assert response.status_code == status
    assert member(event, people[target]).role.name == target


def test_promoting_to_owner_is_not_a_choice(client, staff):
    event, people = staff
    row = member(event, people["moderator"])
    response = as_user(client, people["organizer"]).post(
        url("member-role", event, row.pk), {f"member-{row.pk}-role": Role.OWNER}, follow=True
    )
    assert page_messages(response) == [f"Choose one of the roles you may give {people['moderator'].email}."]
    assert member(event, people["moderator"]).role.name == Role.MODERATOR


def test_removing_a_member_asks_first(client, staff):
    event, people = staff
    row = member(event, people["registrar"])
    client = as_user(client, people["coorganizer"])
    confirm = client.get(url("member-remove", event, row.pk))
    assert confirm.status_code == 200
    assert f"{people['registrar'].email} will no longer be Registrar" in confirm.content.decode()
    assert UsersEventsRoles.objects.filter(pk=row.pk).exists()
    response = client.post(url("member-remove", event, row.pk), follow=True)
    assert page_messages(response) == [f"{people['registrar'].email} is no longer Registrar of “{event.name}”."]
    assert not UsersEventsRoles.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("who", "target"),
    [("coorganizer", "organizer"), ("moderator", "registrar"), ("plain", "registrar"), ("organizer", "owner"),
     ("admin", "owner")],
)  # fmt: skip
def test_removals_by_the_wrong_user_and_of_the_owner_are_refused(client, staff, who, target):
    event, people = staff
    row = member(event, people[target])
    client = as_user(client, people[who])
    assert client.get(url("member-remove", event, row.pk)).status_code == 403
    assert client.post(url("member-remove", event, row.pk)).status_code == 403
    assert UsersEventsRoles.objects.filter(pk=row.pk).exists()


def test_a_member_leaves_the_event(client, staff):
    event, people = staff
    client = as_user(client, people["moderator"])
    assert "You give up every role" in client.get(url("team-leave", event)).content.decode()
    response = client.post(url("team-leave", event), follow=True)
    assert response.redirect_chain[-1][0] == reverse("my-events")
    assert page_messages(response) == [f"You left “{event.name}”."]
    assert not UsersEventsRoles.objects.filter(event=event, user=people["moderator"]).exists()


def test_the_owner_cannot_leave(client, staff):
    event, people = staff
    client = as_user(client, people["owner"])
    assert "hand it over" in client.get(url("team-leave", event)).content.decode()
    response = client.post(url("team-leave", event), follow=True)
    assert page_messages(response) == ["The owner cannot leave; hand the event over to someone else first."]
    assert member(event, people["owner"]).role.name == Role.OWNER


def test_an_outsider_cannot_leave_what_they_never_joined(client, staff):
    event, people = staff
    assert as_user(client, people["plain"]).post(url("team-leave", event)).status_code == 403


# --- invites on the team page ---------------------------------------------------------------------
def shown_token(response):
    return re.search(r"/invites/link/([\w-]+)", response.content.decode()).group(1)


def test_resend_renews_the_invite_and_shows_the_new_link_once(client, staff):
    event, people = staff
    invitation = services.invite(people["owner"], event, "guest@example.org", Role.MODERATOR)
    client = as_user(client, people["coorganizer"])
    response = client.post(url("invite-resend", event, invitation.pk))
    assert response.status_code == 200
    assert "The invite of guest@example.org was renewed; the old link no longer works." in response.content.decode()
    token = shown_token(response)
    assert "no-store" in response["Cache-Control"]
    stored = RoleInvite.objects.get(pk=invitation.pk)
    assert token != invitation.token
    assert stored.token_hash == hash_token(token)
    assert token not in client.get(url("event-team", event)).content.decode()


def test_revoke_deletes_the_pending_invite(client, staff):
    event, people = staff
    invitation = services.invite(people["owner"], event, "guest@example.org", Role.MODERATOR)
    response = as_user(client, people["organizer"]).post(url("invite-revoke", event, invitation.pk), follow=True)
    assert page_messages(response) == ["The invite of guest@example.org was revoked; its link no longer works."]
    assert not RoleInvite.objects.filter(pk=invitation.pk).exists()
    assert services.pending_invite_by_token(invitation.token) is None


@pytest.mark.parametrize(("who", "status"), [("moderator", 403), ("registrar", 403), ("plain", 403)])
def test_invites_are_managed_by_co_organizers_only(client, staff, who, status):
    event, people = staff
    invitation = services.invite(people["owner"], event, "guest@example.org", Role.MODERATOR)
    client = as_user(client, people[who])
    assert "guest@example.org" not in client.get(url("event-team", event)).content.decode()
    assert client.post(url("invite-resend", event, invitation.pk)).status_code == status
    assert client.post(url("invite-revoke", event, invitation.pk)).status_code == status
    assert RoleInvite.objects.get(pk=invitation.pk).token_hash == hash_token(invitation.token)


def test_a_co_organizer_cannot_touch_an_organizer_invite(client, staff):
    event, people = staff
    invitation = services.invite(people["owner"], event, "boss@example.org", Role.ORGANIZER)
    client = as_user(client, people["coorganizer"])
    [(shown, may_manage)] = client.get(url("event-team", event)).context["pending_invites"]
    assert (shown.pk, may_manage) == (invitation.pk, False)
    assert client.post(url("invite-resend", event, invitation.pk)).status_code == 403
    assert client.post(url("invite-revoke", event, invitation.pk)).status_code == 403
    assert RoleInvite.objects.filter(pk=invitation.pk).exists()


def test_an_answered_invite_is_neither_resent_nor_revoked(client, staff):
    event, people = staff
    invitation = services.invite(people["owner"], event, "guest@example.org", Role.MODERATOR)
    RoleInvite.objects.filter(pk=invitation.pk).update(status=RoleInvite.Status.DECLINED)
    client = as_user(client, people["owner"])
    assert client.post(url("invite-resend", event, invitation.pk)).status_code == 404
    assert client.post(url("invite-revoke", event, invitation.pk)).status_code == 404


# --- the invite link ------------------------------------------------------------------------------
def test_the_invite_link_leads_the_invitee_to_answer_it(client, staff):
    event, people = staff
    invitee = UserFactory(email="guest@example.org", is_verified=True)
    invitation = services.invite(people["owner"], event, invitee.email, Role.MODERATOR)
    link = reverse("invite-link", args=[invitation.token])
    assert client.get(link)["Location"].startswith(reverse("login"))

    response = as_user(client, invitee).get(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my-invites")
    assert f"You are invited to be Moderator of “{event.name}”. Answer the invite below." in page_messages(response)

    response = as_user(client, people["plain"]).get(link, follow=True)
    assert page_messages(response) == [
        "This invite is for another e-mail address: log in with that address to answer it."
    ]
    assert client.get(reverse("invite-link", args=["not-a-token"])).status_code == 404


def test_creating_a_published_event_without_a_location_is_a_form_error_on_that_field(client):
    data = {
        "name": "Nowhere Conf",
        "starts_at": "2031-04-10T09:00",
        "ends_at": "2031-04-12T18:00",
        "timezone": "Asia/Singapore",
        "privacy": "public",
        "state": "published",
    }
    response = as_user(client, UserFactory()).post(reverse("event-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["location_name"] == [
        "The event cannot be published yet: Say where the event takes place, or mark it as online."
    ]
    assert not Event.objects.exists()


def test_every_field_of_the_settings_form_is_in_a_section():
    event, _ = event_with_owner()
    form = EventSettingsForm(event=event, admin=True)
    shown = [field.name for _, fields in form.sections() for field in fields]
    assert sorted(shown) == sorted(field.name for field in form.visible_fields())


@pytest.mark.parametrize(
    ("who", "sees_settings"), [("coorganizer", True), ("track_organizer", False), ("registrar", False)]
)
def test_the_settings_link_is_shown_to_those_who_may_open_it(client, staff, who, sees_settings):
    event, people = staff
    html = as_user(client, people[who]).get(url("event-dashboard", event)).content.decode()
    assert (url("event-settings", event) in html) is sees_settings
    assert url("event-team", event) in html


def test_a_visitor_not_logged_in_is_told_why_to_log_in_and_registration_keeps_the_link(client):
    link = "/invites/link/some-token-value"
    response = client.get(link)
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert "You have a team invite. Log in with the address it was sent to" in login_page.content.decode()
    assert "/register?next=/invites/link/some-token-value" in login_page.content.decode()
    form = client.get("/register", {"next": link})
    assert f'name="next" value="{link}"' in form.content.decode()
    registered = client.post(
        "/register",
        {"email": "newbie@example.org", "password": "a long secret phrase", "password_again": "a long secret phrase",
         "first_name": "New", "last_name": "Bie", "next": link},
    )  # fmt: skip
    assert registered.status_code == 302
    assert registered["Location"] == "/login?next=%2Finvites%2Flink%2Fsome-token-value"
    # An open redirect is not kept.
    assert client.get("/register", {"next": "https://evil.example"}).context["next"] == ""
