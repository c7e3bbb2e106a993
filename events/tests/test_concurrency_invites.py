"""One invite answered twice at once, with real parallel requests on PostgreSQL
(``openevent.users.tests.parallel``): both requests have found the invite pending before either
answers, and both stand at the service's lock on the invite when the first goes on.

- Two accepts (a double click, or two tabs) on "My invites": one gives the role, the other is
  sent back to "My invites" and told the invite was already accepted; one role row.
- Two accepts over the API: 200 and 409 with that sentence; one role row.
- An accept and a decline at once: whichever comes first stands, the other is 409; the role row
  exists exactly when the accept won.
"""
import html
from functools import partial

import pytest
from django.urls import reverse

from events import services
from events.models import Role, RoleInvite, UsersEventsRoles
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.parallel import JSONAPI, POSTGRES_ONLY, at_once

pytestmark = [POSTGRES_ONLY, pytest.mark.usefixtures("seeded_roles")]


def pending_invite():
    event, people = staffed_event()
    invitee = UserFactory(email="invitee@example.org")
    invitation = services.invite(people["owner"], event, invitee.email, Role.COORGANIZER)
    return event, invitee, invitation


def answer_doc(invitation, status):
    return {"data": {"type": "role-invite", "id": str(invitation.pk), "attributes": {"status": status}}}


def roles_of(invitee, event):
    return list(UsersEventsRoles.objects.filter(user=invitee, event=event).values_list("role__name", flat=True))


def test_two_accepts_on_the_invites_page_at_once_give_one_role(browsers):
    event, invitee, invitation = pending_invite()
    tabs = [browsers(invitee) for _ in range(2)]
    tokens = [tab.csrf(reverse("my-invites")) for tab in tabs]
    url = reverse("invite-answer", args=[invitation.pk])

    forms = [{"status": "accepted", "csrfmiddlewaretoken": token} for token in tokens]
    calls = [partial(tab.post, url, data=form) for tab, form in zip(tabs, forms, strict=True)]

    answers = at_once(calls, behind=RoleInvite.objects.filter(pk=invitation.pk))

    assert [answer.status_code for answer in answers] == [302, 302]
    places = sorted(answer.headers["Location"] for answer in answers)
    assert places == sorted([reverse("my-events"), reverse("my-invites")])
    refused = next(i for i, answer in enumerate(answers) if answer.headers["Location"] == reverse("my-invites"))
    shown = html.unescape(tabs[refused].get(reverse("my-invites")).text)
    assert "This invite was already accepted." in shown
    accepted = html.unescape(tabs[1 - refused].get(reverse("my-events")).text)
    assert f"You are now Co-organizer of “{event.name}”." in accepted
    assert roles_of(invitee, event) == [Role.COORGANIZER]
    assert RoleInvite.objects.get(pk=invitation.pk).status == RoleInvite.Status.ACCEPTED


@pytest.mark.parametrize(
    "statuses", [("accepted", "accepted"), ("accepted", "declined")], ids=["accept-accept", "accept-decline"]
)
def test_one_invite_answered_twice_at_once_over_the_api_one_answer_stands(browsers, statuses):
    event, invitee, invitation = pending_invite()
    clients = [browsers(invitee, jwt=True) for _ in statuses]
    url = f"/v1/role-invites/{invitation.pk}"

    calls = [partial(client.patch_json, url, answer_doc(invitation, status))
             for client, status in zip(clients, statuses, strict=True)]  # fmt: skip

    answers = at_once(calls, behind=RoleInvite.objects.filter(pk=invitation.pk))

    assert sorted(answer.status_code for answer in answers) == [200, 409], [a.text[:300] for a in answers]
    won = next(i for i, answer in enumerate(answers) if answer.status_code == 200)
    assert answers[won].headers["Content-Type"].startswith(JSONAPI)
    assert answers[won].json()["data"]["attributes"]["status"] == statuses[won]
    (error,) = answers[1 - won].json()["errors"]
    assert error["status"] == "409"
    assert error["detail"] == f"This invite was already {statuses[won]}."
    assert RoleInvite.objects.get(pk=invitation.pk).status == statuses[won]
    assert roles_of(invitee, event) == ([Role.COORGANIZER] if statuses[won] == "accepted" else [])
