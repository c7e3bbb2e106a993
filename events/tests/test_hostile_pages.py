"""Attacks on the organizer pages (settings, team, invites) as a hostile user would make them."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles
from events.tests.factories import event_with_owner, give_role
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(name, args=[event.identifier, *args])


@pytest.fixture
def staff():
    return staffed_event()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def parsed(html):
    parser = _Tags()
    parser.feed(html)
    return parser.seen


def member(event, user):
    return UsersEventsRoles.objects.get(event=event, user=user)


def test_a_co_organizer_cannot_make_themself_organizer_or_owner(client, staff):
    event, people = staff
    me = member(event, people["coorganizer"])
    client.force_login(people["coorganizer"])
    for role_name in (Role.ORGANIZER, Role.OWNER):
        response = client.post(url("member-role", event, me.pk), {f"member-{me.pk}-role": role_name})
        assert response.status_code in (302, 403)
    me.refresh_from_db()
    assert me.role.name == Role.COORGANIZER


def test_an_organizer_cannot_demote_the_owner_or_remove_them(client, staff):
    event, people = staff
    owner = member(event, people["owner"])
    client.force_login(people["organizer"])
    response = client.post(url("member-role", event, owner.pk), {f"member-{owner.pk}-role": Role.MODERATOR})
    assert response.status_code == 403
    assert client.post(url("member-remove", event, owner.pk)).status_code == 403
    owner.refresh_from_db()
    assert owner.role.name == Role.OWNER


def test_the_owner_cannot_remove_themself_or_leave(client, staff):
    event, people = staff
    owner = member(event, people["owner"])
    client.force_login(people["owner"])
    assert client.post(url("member-remove", event, owner.pk)).status_code == 403
    client.post(url("team-leave", event))
    assert UsersEventsRoles.objects.filter(pk=owner.pk).exists()


def test_ids_of_another_events_members_and_invites_are_not_found(client, staff):
    event, people = staff
    other, other_owner = event_with_owner()
    victim = UserFactory()
    give_role(victim, other, Role.COORGANIZER)
    victim_row = member(other, victim)
    invitation = services.invite(other_owner, other, "x@example.org", Role.COORGANIZER)
    client.force_login(people["owner"])
    data = {f"member-{victim_row.pk}-role": Role.MODERATOR}
    assert client.post(url("member-role", event, victim_row.pk), data).status_code == 404
    assert client.post(url("member-remove", event, victim_row.pk)).status_code == 404
    assert client.post(url("invite-revoke", event, invitation.pk)).status_code == 404
    assert client.post(url("invite-resend", event, invitation.pk)).status_code == 404
    victim_row.refresh_from_db()
    assert victim_row.role.name == Role.COORGANIZER
    assert RoleInvite.objects.filter(pk=invitation.pk, status=RoleInvite.Status.PENDING).exists()


def test_hand_over_to_an_outsiders_id_in_the_body_is_refused(client, staff):
    event, people = staff
    client.force_login(people["owner"])
    response = client.post(url("event-hand-over", event), {"user": people["plain"].pk})
    assert response.status_code == 200
    assert not UsersEventsRoles.objects.filter(event=event, user=people["plain"]).exists()
    assert member(event, people["owner"]).role.name == Role.OWNER


def test_a_co_organizer_cannot_invite_an_owner_or_organizer(client, staff):
    event, people = staff
    client.force_login(people["coorganizer"])
    for role_name in (Role.OWNER, Role.ORGANIZER):
        client.post(url("event-team", event), {"invite-email": "evil@example.org", "invite-role": role_name})
    assert not RoleInvite.objects.filter(email="evil@example.org").exists()


@pytest.mark.parametrize(
    ("name", "needs_pk"),
    [
        ("event-settings", False),
        ("event-publish", False),
        ("event-trash", False),
        ("event-hand-over", False),
        ("event-team", False),
        ("team-leave", False),
        ("member-role", True),
        ("member-remove", True),
        ("invite-revoke", True),
        ("invite-resend", True),
    ],
)
def test_every_post_needs_the_csrf_token(staff, name, needs_pk):
    event, people = staff
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["owner"])
    invitation = services.invite(people["owner"], event, "csrf@example.org", Role.MODERATOR)
    pk = invitation.pk if name.startswith("invite") else member(event, people["moderator"]).pk
    args = [pk] if needs_pk else []
    response = csrf_client.post(url(name, event, *args), {"state": "draft", "invite-email": "z@example.org"})
    assert response.status_code == 403


def test_restore_and_invite_answer_need_the_csrf_token(staff):
    event, people = staff
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["owner"])
    assert csrf_client.post(url("event-restore", event)).status_code == 403
    invitation = services.invite(people["owner"], event, people["plain"].email, Role.MODERATOR)
    invitee = Client(enforce_csrf_checks=True)
    invitee.force_login(people["plain"])
    assert invitee.post(reverse("invite-answer", args=[invitation.pk]), {"status": "accepted"}).status_code == 403
    assert not UsersEventsRoles.objects.filter(event=event, user=people["plain"]).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"timezone": "Not/AZone"},
        {"timezone": "../../etc/passwd"},
        {"starts_at": "2031-02-30T09:00"},
        {"starts_at": "99999-01-01T09:00"},
        {"starts_at": "garbage", "ends_at": ["a", "b"]},
        {"latitude": "nan", "longitude": "inf"},
        {"latitude": "1e400"},
        {"name": "x" * 100_000},
        {"description": "<p>" * 50_000},
        {"payment_currency": "XXX", "can_pay_by_paypal": "on"},
        {"logo_url": "javascript:alert(1)", "external_event_url": "data:text/html,<script>x</script>"},
        {"paypal_email": "a" * 5000 + "@example.org"},
        {"name": "\x00"},
    ],
)
def test_odd_input_on_the_settings_page_is_a_form_error_not_a_500(client, staff, data):
    event, people = staff
    client.force_login(people["owner"])
    before = (event.name, event.timezone, event.starts_at, event.logo_url)
    base = {
        "name": event.name,
        "starts_at": "2031-04-10T09:00",
        "ends_at": "2031-04-12T18:00",
        "timezone": "UTC",
        "privacy": event.privacy,
        "location_name": "Here",
    }
    base.update(data)
    response = client.post(url("event-settings", event), base)
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.name, event.timezone, event.starts_at, event.logo_url) == before


@pytest.mark.parametrize(
    "data",
    [
        {"invite-email": "a" * 5000 + "@example.org", "invite-role": Role.MODERATOR},
        {"invite-email": ["a@example.org", "b@example.org"], "invite-role": [Role.MODERATOR, Role.OWNER]},
        {"invite-email": "a@example.org", "invite-role": "superuser"},
        {"invite-email": "a@example.org\r\nBcc: x@example.org", "invite-role": Role.MODERATOR},
    ],
)
def test_odd_invites_are_form_errors(client, staff, data):
    event, people = staff
    client.force_login(people["organizer"])
    response = client.post(url("event-team", event), data)
    assert response.status_code == 200
    assert not RoleInvite.objects.filter(event=event).exists()


@pytest.mark.parametrize("state", ["", "deleted", ["published", "draft"], "x" * 10000])
def test_odd_publish_states(client, staff, state):
    event, people = staff
    client.force_login(people["owner"])
    assert client.post(url("event-publish", event), {"state": state}).status_code == 302


@pytest.mark.parametrize("value", ["not-a-number", "99999999999999999999999", "", "-1"])
def test_odd_role_and_hand_over_values(client, staff, value):
    event, people = staff
    target = member(event, people["moderator"])
    client.force_login(people["owner"])
    assert client.post(url("member-role", event, target.pk), {f"member-{target.pk}-role": value}).status_code == 302
    assert client.post(url("event-hand-over", event), {"user": value}).status_code == 200
    assert member(event, people["owner"]).role.name == Role.OWNER


@pytest.mark.parametrize("token", ["x" * 5000, "%00", "..", "a b"])
def test_odd_invite_link_tokens_are_not_found(client, staff, token):
    client.force_login(staff[1]["plain"])
    assert client.get(f"/invites/link/{token}").status_code == 404


def test_an_invite_link_for_someone_else_does_not_reveal_the_event(client, staff):
    event, people = staff
    invitation = services.invite(people["owner"], event, "invitee@example.org", Role.MODERATOR)
    token = invitation.token
    client.force_login(people["plain"])
    response = client.get(f"/invites/link/{token}", follow=True)
    assert event.name not in response.content.decode()


def test_the_page_showing_a_new_invite_link_is_not_cached(client, staff):
    event, people = staff
    client.force_login(people["owner"])
    response = client.post(url("event-team", event), {"invite-email": "n@example.org", "invite-role": Role.MODERATOR})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    invitation = RoleInvite.objects.get(email="n@example.org")
    resend = client.post(url("invite-resend", event, invitation.pk))
    assert "no-store" in resend["Cache-Control"]


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="x" onclick="alert(1)" onmouseover="alert(1)" style="x" target="_top">x</a>',
        '<p onclick="alert(1)"><img src=x onerror=alert(1)></p>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<scr<script>ipt>alert(1)</script>",
        "<iframe src=javascript:alert(1)></iframe>",
        '<a href="x" title="&quot; onclick=&quot;alert(1)">x</a>',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ],
)
def test_rich_text_xss_never_reaches_the_dashboard(client, staff, payload):
    event, people = staff
    client.force_login(people["owner"])
    services.update_event(
        people["owner"], event, description=payload, owner_description=payload, code_of_conduct=payload
    )
    event.refresh_from_db()
    for stored in (event.description, event.owner_description, event.code_of_conduct):
        for tag, attrs in parsed(stored):
            assert tag in {"a", "p", "br", "strong", "em", "b", "i"}, stored
            assert {name for name, _ in attrs} <= {"href", "title", "rel"}, stored
            href = dict(attrs).get("href") or ""
            assert ":" not in href or href.split(":")[0] in {"http", "https", "mailto"}, stored
    html = client.get(url("event-dashboard", event)).content.decode().lower()
    assert "onerror=" not in html
    assert "javascript:alert" not in html


def test_plain_settings_fields_are_escaped_on_the_pages(client, staff):
    event, people = staff
    client.force_login(people["owner"])
    evil = '"><script>alert(1)</script>'
    services.update_event(people["owner"], event, name=evil, owner_name=evil, location_name=evil)
    for page in ("event-dashboard", "event-settings", "event-team"):
        assert "<script>alert(1)</script>" not in client.get(url(page, event)).content.decode()
    assert "<script>alert(1)</script>" not in client.get(reverse("my-events")).content.decode()


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "\\\\evil.example"]
)
def test_login_next_never_leaves_the_site(client, target):
    user = UserFactory()
    response = client.post(
        reverse("login") + f"?next={target}", {"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert "javascript" not in response["Location"]


def test_a_trashed_event_cannot_be_restored_by_an_organizer_of_another_event(client, staff):
    event, people = staff
    services.delete_event(people["owner"], event)
    client.force_login(people["other_organizer"])
    assert client.post(url("event-restore", event)).status_code == 404
    assert Event.all_objects.get(pk=event.pk).deleted_at is not None


@pytest.mark.parametrize("state", ["blocked", "deleted"])
def test_the_event_is_never_handed_over_to_an_account_that_cannot_log_in(client, staff, state):
    """The owner would be gone (demoted to organizer) and nobody left who may trash or hand over."""
    event, people = staff
    heir = people["organizer"]
    if state == "blocked":
        heir.is_blocked = True
    else:
        heir.deleted_at = timezone.now()
    heir.save()
    client.force_login(people["owner"])
    response = client.post(url("event-hand-over", event), {"user": heir.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert member(event, people["owner"]).role.name == Role.OWNER
    assert not UsersEventsRoles.objects.filter(event=event, user=heir, role__name=Role.OWNER).exists()


@pytest.mark.parametrize(
    ("start", "end", "zone", "field"),
    [
        ("0001-01-01T00:00", "0001-01-02T00:00", "Asia/Tokyo", "starts_at"),  # 31 Dec of year 0 in UTC
        ("9999-12-31T10:00", "9999-12-31T23:59", "America/Adak", "ends_at"),  # year 10000 in UTC
    ],
)
def test_a_clock_time_that_is_no_utc_time_is_a_form_error_not_a_500(client, staff, start, end, zone, field):
    event, people = staff
    client.force_login(people["owner"])
    before = (event.starts_at, event.ends_at, event.timezone)
    data = {"name": "X", "starts_at": start, "ends_at": end, "timezone": zone, "privacy": event.privacy}
    response = client.post(url("event-settings", event), {**data, "location_name": "Here"})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at, event.timezone) == before
    created = client.post(reverse("event-create"), {**data, "state": "draft", "location_name": "Here"})
    assert created.status_code == 200
    assert field in created.context["form"].errors


def test_encoded_markup_in_rich_text_stays_text_in_excerpts(client, staff):
    """The excerpt decodes entities to plain text; the page must escape it again."""
    event, people = staff
    client.force_login(people["owner"])
    payload = "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>"
    services.update_event(people["owner"], event, description=payload)
    for page in (reverse("my-events"), url("event-dashboard", event), reverse("home")):
        html = client.get(page).content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
