"""Accepting a role invite needs a verified e-mail address (security lessons 1 and 21).

The attack: Mallory registers (or renames her account) to the invited address and accepts the
organizer invite meant for its owner. Matching addresses alone prove nothing; a verified one does.
"""
import re

import pytest
from django.urls import reverse

from events import services
from events.models import Role, RoleInvite, UsersEventsRoles
from events.tests.factories import event_with_owner
from openevent.api.tests.documents import assert_error
from openevent.core.errors import NotAllowed
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db
JSON = "application/json"
VICTIM = "victim@x.org"


@pytest.fixture
def organizer_invite():
    event, owner = event_with_owner(name="Victim Conf")
    return services.invite(owner, event, VICTIM, Role.ORGANIZER)


def answer(api, invitation, status="accepted"):
    body = {"data": {"type": "role-invite", "id": str(invitation.pk), "attributes": {"status": status}}}
    return api.patch(f"/v1/role-invites/{invitation.pk}", body)


def assert_untouched(invitation):
    invitation.refresh_from_db()
    assert invitation.status == RoleInvite.Status.PENDING
    assert not UsersEventsRoles.objects.filter(event=invitation.event).exclude(role__name=Role.OWNER).exists()


def link_token(message):
    return re.search(r"/verify-email/(\S+)", message.body).group(1)


def test_renaming_a_verified_account_to_the_invited_address_does_not_take_the_invite(
    api, organizer_invite, mailoutbox, django_capture_on_commit_callbacks
):
    mallory = UserFactory(email="mallory@example.org")
    assert mallory.is_verified
    api.as_user(mallory)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(f"/v1/users/{mallory.pk}", user_doc({"email": VICTIM}, mallory.pk))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["is-verified"] is False
    # The link to verify the address went to the victim's mailbox, not to Mallory (whose former
    # address is only told of the change).
    assert [message.to for message in mailoutbox if "/verify-email/" in message.body] == [[VICTIM]]
    assert "/verify-email/" not in "".join(message.body for message in mailoutbox if message.to != [VICTIM])

    # Until the address is proved hers, invites to it do not exist for her.
    for status in ("accepted", "declined"):
        assert_error(answer(api, organizer_invite, status), 404)
    assert_untouched(organizer_invite)


def test_claiming_is_verified_along_with_the_new_address_does_not_help(api, organizer_invite):
    mallory = UserFactory(email="mallory@example.org")
    body = user_doc({"email": VICTIM, "is-verified": True}, mallory.pk)
    response = api.as_user(mallory).patch(f"/v1/users/{mallory.pk}", body)
    assert response.status_code == 200, response.json_body
    mallory.refresh_from_db()
    assert mallory.email == VICTIM
    assert not mallory.is_verified
    assert_error(answer(api, organizer_invite), 404)
    assert_untouched(organizer_invite)


def test_a_fresh_unverified_registration_cannot_accept(api, organizer_invite, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/v1/users", user_doc({"email": VICTIM.upper(), "password": "a strong secret"}))
    assert response.status_code == 201, response.json_body
    login = api.post("/v1/auth/login", {"email": VICTIM, "password": "a strong secret"}, content_type=JSON)
    api.client.credentials(HTTP_AUTHORIZATION=f"JWT {login.json_body['access_token']}")
    # The invite is neither visible nor answerable until the address is verified.
    assert_error(api.get(f"/v1/role-invites/{organizer_invite.pk}"), 404)
    assert_error(answer(api, organizer_invite), 404)
    assert_untouched(organizer_invite)


def test_the_address_owner_verifies_and_then_accepts(
    api, organizer_invite, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/v1/users", user_doc({"email": VICTIM, "password": "a strong secret"}))
    victim = User.objects.get(email=VICTIM)
    api.as_user(victim)
    assert_error(answer(api, organizer_invite), 404)
    verified = api.post("/v1/auth/verify-email", {"data": {"token": link_token(mailoutbox[0])}}, content_type=JSON)
    assert verified.status_code == 200
    response = answer(api, organizer_invite)
    assert response.status_code == 200, response.json_body
    assert UsersEventsRoles.objects.filter(
        user=victim, event=organizer_invite.event, role__name=Role.ORGANIZER
    ).exists()


def test_the_service_refuses_an_unverified_user(organizer_invite):
    mallory = UserFactory(email=VICTIM, is_verified=False)
    with pytest.raises(NotAllowed, match="Verify your e-mail address first"):
        services.accept_invite(organizer_invite, mallory)
    with pytest.raises(NotAllowed):
        services.decline_invite(organizer_invite, mallory)
    assert_untouched(organizer_invite)


# --- the "My invites" page --------------------------------------------------------------------
def test_my_invites_page_refuses_an_unverified_user_and_says_what_to_do(
    client, organizer_invite, mailoutbox, django_capture_on_commit_callbacks
):
    claimant = UserFactory(email=VICTIM, is_verified=False)
    # Logged in with an unverified account that claims the address (Mallory's, or the victim's
    # before she opened the link): the page explains, the answer is refused.
    client.force_login(claimant)
    page = client.get(reverse("my-invites")).content.decode()
    assert "Verify your e-mail address first" in page
    assert f'action="{reverse("verify-email-resend")}"' in page
    # Nothing about the invite itself until the address is proved.
    assert organizer_invite.event.name not in page
    assert "appear here once the address is verified" in page

    response = client.post(reverse("invite-answer", args=[organizer_invite.pk]), {"status": "accepted"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my-invites")
    html = response.content.decode()
    assert "Verify your e-mail address first: open the link we mailed to victim@x.org" in html
    assert_untouched(organizer_invite)

    # The way out for the address's owner: a new mail, its link, then the invite.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verify-email-resend"))
    assert [message.to for message in mailoutbox] == [[VICTIM]]
    client.post(reverse("verify-email", args=[link_token(mailoutbox[0])]))
    response = client.post(reverse("invite-answer", args=[organizer_invite.pk]), {"status": "accepted"})
    assert response["Location"] == reverse("my-events")
    assert UsersEventsRoles.objects.filter(user=claimant, role__name=Role.ORGANIZER).exists()


def test_verified_users_see_no_verification_notice(client, organizer_invite):
    client.force_login(UserFactory(email=VICTIM))
    assert "Verify your e-mail address first" not in client.get(reverse("my-invites")).content.decode()


def test_unverified_claimants_do_not_see_the_invites_over_the_api(api, organizer_invite):
    claimant = UserFactory(email=VICTIM, is_verified=False)
    api.as_user(claimant)
    assert api.get("/v1/role-invites").json_body["data"] == []
    assert api.get(f"/v1/role-invites/{organizer_invite.pk}").status_code == 404
