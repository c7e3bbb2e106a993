"""A related or included event is named only to those who may see it (``rules.can_see_event``):
a draft event and everything under it is 404 below co-organizer, through ``include`` and
relationship data as much as through its own URL. Also: the owner routes of an event, and the
queries ``include=event…`` costs."""
import pytest

from events import services
from events.models import Event, Role, UsersEventsRoles
from events.tests.factories import EventFactory, TrackFactory, event_with_owner, give_role
from events.tests.helpers import count_queries, staffed_event
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BELOW_COORGANIZER = ["moderator", "track_organizer", "registrar"]


def included(response, type_="event"):
    return [row["id"] for row in response.json_body.get("included", []) if row["type"] == type_]


def membership(event, user):
    return UsersEventsRoles.objects.get(event=event, user=user)


# --- a draft's team (users-events-roles) --------------------------------------------------------------
@pytest.mark.parametrize("member", BELOW_COORGANIZER)
def test_a_drafts_team_rows_are_404_below_coorganizer(api, member):
    draft, people = staffed_event(state=Event.State.DRAFT)
    published, _ = staffed_event()
    give_role(people[member], published, Role.MODERATOR)
    api.as_user(people[member])
    assert_error(api.get(f"/v1/events/{draft.pk}"), 404)

    listing = api.get("/v1/users-events-roles", include="event", **{"page[size]": "0"})
    assert listing.status_code == 200
    events = {row["relationships"]["event"]["data"]["id"] for row in listing.json_body["data"]}
    assert events == {str(published.pk)}
    assert included(listing) == [str(published.pk)]

    own = membership(draft, people[member])
    for url in (
        f"/v1/users-events-roles/{own.pk}",
        f"/v1/users-events-roles/{own.pk}/event",
        f"/v1/users-events-roles/{own.pk}/relationships/event",
        f"/v1/events/{draft.pk}/users-events-roles",
        f"/v1/events/{draft.identifier}/users-events-roles",
    ):
        assert_error(api.get(url, include="event") if url.endswith("roles") else api.get(url), 404)


@pytest.mark.parametrize("member", ["owner", "organizer", "coorganizer", "admin"])
def test_a_drafts_coorganizers_see_its_team_and_the_event(api, member):
    draft, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people[member])
    listing = api.get(f"/v1/events/{draft.pk}/users-events-roles", include="event", **{"page[size]": "0"})
    assert listing.status_code == 200
    assert len(listing.json_body["data"]) == len(Role.NAMES)
    assert {row["relationships"]["event"]["data"]["id"] for row in listing.json_body["data"]} == {str(draft.pk)}
    assert included(listing) == [str(draft.pk)]
    row = membership(draft, people["moderator"])
    assert api.get(f"/v1/users-events-roles/{row.pk}/relationships/event").json_body["data"] == {
        "type": "event",
        "id": str(draft.pk),
    }


def test_publishing_opens_the_team_to_every_member(api):
    draft, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people["moderator"])
    assert_error(api.get(f"/v1/events/{draft.pk}/users-events-roles"), 404)
    Event.objects.filter(pk=draft.pk).update(state=Event.State.PUBLISHED)
    listing = api.get(f"/v1/events/{draft.pk}/users-events-roles", include="event")
    assert listing.json_body["meta"]["count"] == len(Role.NAMES)
    assert included(listing) == [str(draft.pk)]


# --- an invite to a draft -----------------------------------------------------------------------
@pytest.fixture
def draft_invite():
    draft, people = staffed_event(state=Event.State.DRAFT)
    invitee = UserFactory(email="invitee@example.org")
    invitation = services.invite(people["owner"], draft, invitee.email, Role.MODERATOR)
    return draft, people, invitee, invitation


def test_an_invitee_sees_their_invite_to_a_draft_but_not_the_event(api, draft_invite):
    draft, _people, invitee, invitation = draft_invite
    api.as_user(invitee)
    detail = api.get(f"/v1/role-invites/{invitation.pk}", include="event,role")
    assert detail.status_code == 200
    assert detail.json_body["data"]["attributes"]["status"] == "pending"
    assert detail.json_body["data"]["relationships"]["event"]["data"] is None
    assert included(detail) == []
    assert included(detail, "role") == [str(invitation.role_id)]
    assert str(draft.name) not in detail.content.decode()

    listing = api.get("/v1/role-invites", include="event")
    assert [row["id"] for row in listing.json_body["data"]] == [str(invitation.pk)]
    assert listing.json_body["data"][0]["relationships"]["event"]["data"] is None
    assert included(listing) == []

    assert api.get(f"/v1/role-invites/{invitation.pk}/relationships/event").json_body["data"] is None
    assert_error(api.get(f"/v1/role-invites/{invitation.pk}/event"), 404)


def test_an_invitee_still_answers_an_invite_to_a_draft(api, draft_invite):
    draft, _people, invitee, invitation = draft_invite
    doc = {"data": {"type": "role-invite", "id": str(invitation.pk), "attributes": {"status": "accepted"}}}
    response = api.as_user(invitee).patch(f"/v1/role-invites/{invitation.pk}", doc)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["status"] == "accepted"
    # A moderator of a draft still may not see it.
    assert response.json_body["data"]["relationships"]["event"]["data"] is None
    assert UsersEventsRoles.objects.filter(event=draft, user=invitee, role__name=Role.MODERATOR).exists()


def test_a_drafts_coorganizers_see_its_invites_with_the_event(api, draft_invite):
    draft, people, _invitee, invitation = draft_invite
    for viewer in ("coorganizer", "admin"):
        api.as_user(people[viewer])
        detail = api.get(f"/v1/role-invites/{invitation.pk}", include="event")
        assert detail.json_body["data"]["relationships"]["event"]["data"] == {"type": "event", "id": str(draft.pk)}
        assert included(detail) == [str(draft.pk)]
        listing = api.get("/v1/role-invites", include="event")
        assert included(listing) == [str(draft.pk)]


def test_an_invite_to_a_published_event_names_it(api):
    event, people = staffed_event()
    invitee = UserFactory()
    invitation = services.invite(people["owner"], event, invitee.email, Role.MODERATOR)
    detail = api.as_user(invitee).get(f"/v1/role-invites/{invitation.pk}", include="event")
    assert detail.json_body["data"]["relationships"]["event"]["data"] == {"type": "event", "id": str(event.pk)}
    assert included(detail) == [str(event.pk)]


# --- visibility costs no query per event ------------------------------------------------------------
def draft_events(user, count, role=Role.COORGANIZER):
    events = [EventFactory(state=Event.State.DRAFT) for _ in range(count)]
    for event in events:
        give_role(user, event, role)
    return events


def test_memberships_at_many_drafts_cost_the_same_queries(api):
    user = UserFactory()
    api.as_user(user)

    def fetch():
        return api.get("/v1/users-events-roles", include="event,user,role", **{"page[size]": "0"})

    draft_events(user, 1)
    _, one = count_queries(fetch)
    draft_events(user, 6)
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert len(included(response)) == 7
    assert one == seven, (one, seven)


@pytest.mark.parametrize("viewer", ["invitee", "coorganizer"])
def test_invites_to_many_drafts_cost_the_same_queries(api, viewer):
    user = UserFactory(email="guest@example.org")
    api.as_user(user)

    def add(count):
        for event in draft_events(UserFactory(), count, Role.OWNER):
            owner = event.user_roles.get().user
            if viewer == "coorganizer":
                give_role(user, event, Role.COORGANIZER)
                services.invite(owner, event, "someone@example.org", Role.MODERATOR)
            else:
                services.invite(owner, event, user.email, Role.MODERATOR)

    def fetch():
        return api.get("/v1/role-invites", include="event.owner,role", **{"page[size]": "0"})

    add(1)
    _, one = count_queries(fetch)
    add(6)
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert len(included(response)) == (7 if viewer == "coorganizer" else 0)
    assert one == seven, (one, seven)


# --- include=event.owner (and event) costs no query per row ------------------------------------------
def test_team_with_event_owner_runs_constant_queries(api):
    event, owner = event_with_owner()
    api.as_user(owner)

    def fetch():
        return api.get(f"/v1/events/{event.pk}/users-events-roles", include="event.owner", **{"page[size]": "0"})

    _, one = count_queries(fetch)
    for _ in range(6):
        give_role(UserFactory(), event, Role.REGISTRAR)
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert included(response) == [str(event.pk)]
    assert included(response, "user") == [str(owner.pk)]
    assert one == seven, (one, seven)


@pytest.mark.parametrize("include", ["event.owner", "event", "event,event.owner"])
def test_invites_with_event_owner_run_constant_queries(api, include):
    admin = UserFactory(is_admin=True)
    api.as_user(admin)

    def add(count):
        for _ in range(count):
            event, owner = event_with_owner()
            services.invite(owner, event, "guest@example.org", Role.MODERATOR)

    def fetch():
        return api.get("/v1/role-invites", include=include, **{"page[size]": "0"})

    add(1)
    _, one = count_queries(fetch)
    add(6)
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert len(included(response)) == 7
    assert len(included(response, "user")) == (0 if include == "event" else 7)
    assert one == seven, (one, seven)


@pytest.mark.parametrize("url", ["/v1/events/{pk}/tracks", "/v1/tracks"])
def test_tracks_with_event_owner_run_constant_queries(api, url):
    event, owner = event_with_owner()
    api.as_user(owner)

    def fetch():
        return api.get(url.format(pk=event.pk), include="event.owner", **{"page[size]": "0"})

    TrackFactory(event=event)
    _, one = count_queries(fetch)
    for _n in range(6):
        # The top-level list: each track at an event of its own.
        TrackFactory(event=event if "{pk}" in url else event_with_owner()[0])
    response, seven = count_queries(fetch)
    assert len(response.json_body["data"]) == 7
    assert len(included(response, "user")) == (1 if "{pk}" in url else 7)
    assert one == seven, (one, seven)


# --- the owner routes ----------------------------------------------------------------------------------
def test_owner_routes_read_the_owner_whatever_the_include(api):
    event, people = staffed_event()
    api.as_user(people["owner"])
    related = api.get(f"/v1/events/{event.pk}/owner", include="sessions")
    # ``include`` is for the user resource, which includes nothing: a 400 naming the parameter.
    assert related.status_code == 400, related.content
    assert related.json_body["errors"][0]["source"] == {"parameter": "include"}
    assert api.get(f"/v1/events/{event.pk}/owner").json_body["data"]["id"] == str(people["owner"].pk)
    for include in ("owner", "sessions", None):
        params = {"include": include} if include else {}
        response = api.get(f"/v1/events/{event.pk}/relationships/owner", **params)
        assert response.status_code == 200, response.content
        assert response.json_body["data"] == {"type": "user", "id": str(people["owner"].pk)}


def test_a_trashed_owner_is_named_nowhere(api):
    event, people = staffed_event()
    people["owner"].soft_delete()
    api.as_user(people["organizer"])
    detail = api.get(f"/v1/events/{event.pk}", include="owner")
    assert detail.json_body["data"]["relationships"]["owner"]["data"] is None
    assert included(detail, "user") == []
    assert api.get(f"/v1/events/{event.pk}/relationships/owner").json_body["data"] is None
    assert_error(api.get(f"/v1/events/{event.pk}/owner"), 404)
    team = api.get(f"/v1/events/{event.pk}/users-events-roles", include="user", **{"page[size]": "0"})
    owner_row = membership(event, people["owner"])
    row = next(row for row in team.json_body["data"] if row["id"] == str(owner_row.pk))
    assert row["relationships"]["user"]["data"] is None
    assert str(people["owner"].pk) not in included(team, "user")
