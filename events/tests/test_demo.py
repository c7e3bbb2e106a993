"""``manage.py demo``: realistic fixed data, written through the services, idempotent."""
from io import StringIO

import pytest
from django.core.management import call_command

from events.management.commands.demo import DEMO_PASSWORD, TEAM
from events.models import Event, Role, RoleInvite, UsersEventsRoles
from openevent.users.models import User

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model._base_manager.count()
        for model in (User, Event, UsersEventsRoles, RoleInvite)
    }


def run_demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_a_published_summit_with_its_team_and_a_draft():
    output = run_demo()

    assert counts() == {"User": 6, "Event": 2, "UsersEventsRoles": 7, "RoleInvite": 6}
    summit = Event.objects.get(name="Open Tech Summit 2027")
    assert summit.is_published and summit.privacy == Event.Privacy.PUBLIC
    assert summit.timezone == "Asia/Singapore"
    assert (summit.ends_at - summit.starts_at).days == 2  # three days, 09:00 to 18:00
    assert summit.is_sessions_speakers_enabled
    assert summit.code_of_conduct and summit.description.count("<p>") >= 3
    team = {(m.user.email, m.role.name) for m in summit.user_roles.select_related("user", "role")}
    assert team == {(email, role_name) for email, _, _, role_name in TEAM}
    pending = RoleInvite.objects.get(status=RoleInvite.Status.PENDING)
    assert (pending.event, pending.email, pending.role.name) == (summit, "volunteer-lead@example.org", Role.MODERATOR)
    assert RoleInvite.objects.filter(status=RoleInvite.Status.ACCEPTED).count() == 5
    draft = Event.objects.get(name="Open Hardware Workshop Day")
    assert draft.state == Event.State.DRAFT
    assert draft.user_roles.get().user.email == "organizer@example.org"
    assert all(u.check_password(DEMO_PASSWORD) and u.is_verified for u in User.objects.all())
    assert DEMO_PASSWORD in output and "organizer@example.org" in output


def test_second_run_changes_nothing():
    run_demo()
    before = counts()
    summit = Event.objects.get(name="Open Tech Summit 2027")

    output = run_demo()

    assert counts() == before
    assert Event.objects.get(name="Open Tech Summit 2027").identifier == summit.identifier
    assert "nothing created" in output


def test_a_half_built_team_is_completed():
    run_demo()
    UsersEventsRoles.objects.filter(role__name=Role.REGISTRAR).delete()

    run_demo()

    assert UsersEventsRoles.objects.filter(role__name=Role.REGISTRAR, user__email="registrar@example.org").count() == 1
    assert counts()["UsersEventsRoles"] == 7
