"""/v1/events: visibility, creation, updates, curation flags, soft delete, includes."""
import pytest

from events.models import Event, Role, UsersEventsRoles
from events.signals import event_published
from events.tests.factories import EventFactory, event_with_owner, give_role
from events.tests.helpers import count_queries, event_doc, staffed_event, valid_event_attributes
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return {row["id"] for row in response.json_body["data"]}


# --- reading -----------------------------------------------------------------------------------
def test_anonymous_list_shows_published_public_events_only(api):
    public = EventFactory()
    EventFactory(state=Event.State.DRAFT)
    EventFactory(privacy=Event.Privacy.PRIVATE)
    response = api.get("/v1/events")
    assert response.status_code == 200
    assert ids(response) == {str(public.pk)}
    assert response.json_body["meta"]["count"] == 1
    assert response.json_body["jsonapi"] == {"version": "1.0"}


def test_private_published_event_is_reachable_by_link(api):
    private = EventFactory(privacy=Event.Privacy.PRIVATE)
    assert api.get(f"/v1/events/{private.identifier}").status_code == 200


def test_detail_by_id_or_identifier_with_dasherized_attributes(api):
    event = EventFactory(is_sessions_speakers_enabled=True)
    for key in (event.pk, event.identifier, event.identifier.upper()):
        response = api.get(f"/v1/events/{key}")
        assert response.status_code == 200
        data = response.json_body["data"]
        assert data["type"] == "event"
        assert data["id"] == str(event.pk)
        assert data["attributes"]["is-sessions-speakers-enabled"] is True
        assert data["attributes"]["schedule-published-on"] is None
        links = data["relationships"]["owner"]["links"]
        assert links["self"].endswith(f"/v1/events/{event.pk}/relationships/owner")
        assert links["related"].endswith(f"/v1/events/{event.pk}/owner")


def test_identifier_is_eight_hex_chars_never_all_digits():
    for _ in range(50):
        identifier = EventFactory().identifier
        assert len(identifier) == 8
        assert not identifier.isdigit()
        int(identifier, 16)


@pytest.mark.parametrize(
    "viewer", ["anonymous", "plain", "other_organizer", "track_organizer", "moderator", "registrar"]
)
def test_drafts_are_404_below_coorganizer(api, viewer):
    event, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people[viewer])
    assert_error(api.get(f"/v1/events/{event.pk}"), 404)
    assert_error(api.get(f"/v1/events/{event.identifier}"), 404)
    assert str(event.pk) not in ids(api.get("/v1/events"))


@pytest.mark.parametrize("viewer", ["owner", "organizer", "coorganizer", "admin"])
def test_drafts_are_visible_to_coorganizers_and_up(api, viewer):
    event, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people[viewer])
    assert api.get(f"/v1/events/{event.pk}").status_code == 200
    assert str(event.pk) in ids(api.get("/v1/events"))


def test_unknown_event_is_404(api):
    assert_error(api.get("/v1/events/999"), 404)
    assert_error(api.get("/v1/events/abcdef12"), 404)


def test_include_owner_shows_public_fields_only(api):
    event, owner = event_with_owner()
    body = api.get(f"/v1/events/{event.pk}", include="owner").json_body
    assert body["data"]["relationships"]["owner"]["data"] == {"type": "user", "id": str(owner.pk)}
    (included,) = body["included"]
    assert included["type"] == "user"
    assert "email" not in included["attributes"]


def test_sparse_fieldsets(api):
    event = EventFactory()
    attributes = api.get(f"/v1/events/{event.pk}", **{"fields[event]": "name,starts-at"}).json_body["data"][
        "attributes"
    ]
    assert set(attributes) == {"name", "starts-at"}


def test_owner_related_and_relationship_routes(api):
    event, owner = event_with_owner()
    related = api.get(f"/v1/events/{event.identifier}/owner")
    assert related.status_code == 200
    assert related.json_body["data"]["type"] == "user"
    assert related.json_body["data"]["id"] == str(owner.pk)
    relationship = api.get(f"/v1/events/{event.pk}/relationships/owner")
    assert relationship.json_body["data"] == {"type": "user", "id": str(owner.pk)}
    assert relationship.json_body["links"]["related"].endswith(f"/v1/events/{event.pk}/owner")


def test_relationship_routes_of_a_draft_are_guarded_like_the_event(api):
    event, people = staffed_event(state=Event.State.DRAFT)
    for url in (f"/v1/events/{event.pk}/owner", f"/v1/events/{event.pk}/relationships/owner"):
        assert_error(api.as_user(people["moderator"]).get(url), 404)
        assert api.as_user(people["coorganizer"]).get(url).status_code == 200


def test_event_relationships_cannot_be_rewritten(api):
    event, people = staffed_event()
    plain = people["plain"]
    body = {"data": {"type": "user", "id": str(plain.pk)}}
    assert_error(api.as_user(people["owner"]).patch(f"/v1/events/{event.pk}/relationships/owner", body), 403)
    assert UsersEventsRoles.objects.filter(event=event, role__name=Role.OWNER).get().user == people["owner"]


def test_listing_with_include_runs_a_constant_number_of_queries(api):
    def list_events():
        return api.get("/v1/events", include="owner", **{"page[size]": "100"})

    event_with_owner()
    response, one = count_queries(list_events)
    assert len(response.json_body["data"]) == 1
    for _ in range(49):
        event_with_owner()
    response, many = count_queries(list_events)
    assert len(response.json_body["data"]) == 50
    assert len(response.json_body["included"]) == 50
    assert one == many


# --- creating ------------------------------------------------------------------------------------
def test_create_makes_the_creator_owner(api):
    user = UserFactory()
    response = api.as_user(user).post("/v1/events", event_doc(valid_event_attributes()))
    assert response.status_code == 201, response.json_body
    event = Event.objects.get(pk=response.json_body["data"]["id"])
    assert event.state == Event.State.DRAFT
    assert response["Location"].endswith(f"/v1/events/{event.pk}")
    assert UsersEventsRoles.objects.get(event=event).user == user
    assert UsersEventsRoles.objects.get(event=event).role.name == Role.OWNER


def test_anonymous_cannot_create(api):
    assert_error(api.post("/v1/events", event_doc(valid_event_attributes())), 401)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        (valid_event_attributes(**{"ends-at": "2027-03-09T09:00:00Z"}), "/data/attributes/ends-at"),
        (valid_event_attributes(**{"starts-at": "yesterday"}), "/data/attributes/starts-at"),
        (valid_event_attributes(name=""), "/data/attributes/name"),
        (valid_event_attributes(timezone="Mars/Olympus"), "/data/attributes/timezone"),
        (valid_event_attributes(state="archived"), "/data/attributes/state"),
        (valid_event_attributes(latitude=123), "/data/attributes/latitude"),
        (valid_event_attributes(**{"ticket-url": "not a url"}), "/data/attributes/ticket-url"),
    ],
)
def test_create_refuses_invalid_fields_with_a_pointer(api, attributes, pointer):
    response = api.as_user(UserFactory()).post("/v1/events", event_doc(attributes))
    error = assert_error(response, 422)
    assert pointer in [e["source"]["pointer"] for e in response.json_body["errors"]], error
    assert not Event.objects.exists()


def test_create_refuses_garbage_wrong_type_and_media_type(api):
    api.as_user(UserFactory())
    assert_error(api.post("/v1/events", raw="{not json"), 400)
    assert_error(api.post("/v1/events", {"no": "data"}), 400)
    assert_error(api.post("/v1/events", {"data": {"type": "session", "attributes": valid_event_attributes()}}), 409)
    assert_error(api.post("/v1/events", event_doc(valid_event_attributes()), content_type="application/json"), 415)
    ok = api.post(
        "/v1/events", event_doc(valid_event_attributes()), content_type="application/vnd.api+json; charset=utf-8"
    )
    assert ok.status_code == 201
    assert Event.objects.count() == 1


def test_method_not_allowed_is_an_error_object(api):
    event = EventFactory()
    response = api.as_user(UserFactory(is_admin=True)).client.put(
        f"/v1/events/{event.pk}", data="{}", content_type="application/vnd.api+json"
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["status"] == "405"


def test_curation_flags_are_for_admins_only(api):
    user = UserFactory()
    attributes = valid_event_attributes(**{"is-featured": True})
    assert_error(api.as_user(user).post("/v1/events", event_doc(attributes)), 403)
    assert not Event.objects.exists()
    event, people = staffed_event()
    for flag in ("is-featured", "is-promoted"):
        for role in ("owner", "coorganizer"):
            response = api.as_user(people[role]).patch(f"/v1/events/{event.pk}", event_doc({flag: True}, event.pk))
            assert_error(response, 403)
        event.refresh_from_db()
        assert not event.is_featured
        assert not event.is_promoted
    response = api.as_user(people["admin"]).patch(f"/v1/events/{event.pk}", event_doc({"is-featured": True}, event.pk))
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.is_featured


# --- updating and deleting -----------------------------------------------------------------------
@pytest.mark.parametrize("editor", ["owner", "organizer", "coorganizer", "admin"])
def test_coorganizers_and_up_update(api, editor):
    event, people = staffed_event()
    response = api.as_user(people[editor]).patch(
        f"/v1/events/{event.identifier}", event_doc({"name": "Renamed"}, event.pk)
    )
    assert response.status_code == 200, response.json_body
    event.refresh_from_db()
    assert event.name == "Renamed"


@pytest.mark.parametrize(
    ("editor", "status"),
    [
        ("anonymous", 401),
        ("plain", 403),
        ("other_organizer", 403),
        ("track_organizer", 403),
        ("moderator", 403),
        ("registrar", 403),
    ],
)
def test_others_cannot_update(api, editor, status):
    event, people = staffed_event()
    response = api.as_user(people[editor]).patch(f"/v1/events/{event.pk}", event_doc({"name": "Hacked"}, event.pk))
    assert_error(response, status)
    event.refresh_from_db()
    assert event.name != "Hacked"


def test_update_validates_dates_against_stored_values(api):
    event, owner = event_with_owner()
    response = api.as_user(owner).patch(
        f"/v1/events/{event.pk}", event_doc({"ends-at": event.starts_at.isoformat()}, event.pk)
    )
    error = assert_error(response, 422)
    assert error["source"]["pointer"] == "/data/attributes/ends-at"


def test_identifier_is_read_only(api):
    event, owner = event_with_owner()
    before = event.identifier
    api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc({"identifier": "00000000"}, event.pk))
    event.refresh_from_db()
    assert event.identifier == before


def test_owner_deletes_softly_and_restores(api):
    event, people = staffed_event()
    owner = people["owner"]
    assert_error(api.as_user(people["organizer"]).delete(f"/v1/events/{event.pk}"), 403)
    response = api.as_user(owner).delete(f"/v1/events/{event.pk}")
    assert response.status_code == 200
    assert response.json_body["meta"] == {"message": "Object successfully deleted"}
    assert Event.all_objects.get(pk=event.pk).deleted_at is not None
    assert_error(api.get(f"/v1/events/{event.pk}"), 404)
    assert str(event.pk) not in ids(api.get("/v1/events"))
    assert str(event.pk) in ids(api.get("/v1/events", get_trashed="true"))
    # Someone who does not manage it sees no trash.
    assert str(event.pk) not in ids(api.as_user(people["moderator"]).get("/v1/events", get_trashed="true"))
    assert_error(api.patch(f"/v1/events/{event.pk}", event_doc({"deleted-at": None}, event.pk)), 404)
    restored = api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc({"deleted-at": None}, event.pk))
    assert restored.status_code == 200, restored.json_body
    assert Event.objects.filter(pk=event.pk).exists()


def test_restore_accepts_only_null(api):
    event, owner = event_with_owner()
    event.soft_delete()
    response = api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc({"name": "x"}, event.pk))
    assert_error(response, 422)
    assert not Event.objects.filter(pk=event.pk).exists()


def test_permanent_delete_is_for_admins(api):
    event, owner = event_with_owner()
    assert_error(api.as_user(owner).delete(f"/v1/events/{event.pk}?permanent=true"), 403)
    assert Event.objects.filter(pk=event.pk).exists()
    api.as_user(UserFactory(is_admin=True)).delete(f"/v1/events/{event.pk}?permanent=true")
    assert not Event.all_objects.filter(pk=event.pk).exists()


def test_publishing_event_sends_signal_once_after_commit(api, django_capture_on_commit_callbacks):
    received = []

    def receiver(**kwargs):
        received.append(kwargs["event"].pk)

    event_published.connect(receiver)
    try:
        event, owner = event_with_owner(state=Event.State.DRAFT)
        api.as_user(owner)
        with django_capture_on_commit_callbacks(execute=True):
            api.patch(f"/v1/events/{event.pk}", event_doc({"state": "published"}, event.pk))
            assert received in ([], [event.pk])
        with django_capture_on_commit_callbacks(execute=True):
            api.patch(f"/v1/events/{event.pk}", event_doc({"name": "again"}, event.pk))
    finally:
        event_published.disconnect(receiver)
    assert received == [event.pk]


def test_give_role_helper_roles_exist():
    assert set(Role.objects.values_list("name", flat=True)) == set(Role.NAMES)
    event = EventFactory()
    give_role(UserFactory(), event, Role.MODERATOR)


def test_event_html_is_sanitized_on_the_way_in(api):
    user = UserFactory()
    attributes = valid_event_attributes(
        description='<p onclick="x()">Hello <script>alert(1)</script><a href="javascript:alert(1)">x</a></p>',
        **{"code-of-conduct": "<b>Be kind</b><img src=x onerror=alert(1)>"},
    )
    response = api.as_user(user).post("/v1/events", event_doc(attributes))
    assert response.status_code == 201
    event = Event.objects.get()
    assert event.description == "<p>Hello <a rel=\"noopener noreferrer nofollow\">x</a></p>"
    assert event.code_of_conduct == "<b>Be kind</b>"
    api.patch(f"/v1/events/{event.pk}", event_doc({"description": "<i>ok</i><style>p{}</style>"}, event.pk))
    event.refresh_from_db()
    assert event.description == "<i>ok</i>"
