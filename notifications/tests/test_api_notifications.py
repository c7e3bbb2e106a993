"""/v1/notifications and /v1/users/<id>/notifications: a notification is its user's (and the
administrators'); PATCH changes only ``is-read``; nothing is created through the API."""
import pytest

from events.tests.factories import event_with_owner
from notifications.models import Notification
from openevent.api.tests.documents import assert_error, ids, pointers, resource_doc
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BLUEPRINT_ATTRIBUTES = {"created-at", "is-read"}
REFERENCE_ATTRIBUTES = {"title", "message", "received-at", "is-read", "action"}


def notes(user, n=1, **kwargs):
    return [
        Notification.objects.create(user=user, action="event_published", title=f"Note {i}", **kwargs)
        for i in range(n)
    ]


def patch_doc(note, **attributes):
    return resource_doc("notification", attributes, id=note.pk)


def test_the_owner_reads_their_notifications_in_the_blueprints_shape(api):
    event, owner = event_with_owner()
    (note,) = notes(owner, event=event, link=f"/events/{event.identifier}/")
    notes(UserFactory())
    response = api.as_user(owner).get(f"/v1/users/{owner.pk}/notifications")
    assert response.status_code == 200
    (row,) = response.json_body["data"]
    assert (row["type"], row["id"]) == ("notification", str(note.pk))
    assert set(row["attributes"]) >= BLUEPRINT_ATTRIBUTES | REFERENCE_ATTRIBUTES
    assert row["attributes"]["created-at"] == row["attributes"]["received-at"]
    assert row["relationships"]["user"]["data"] == {"type": "user", "id": str(owner.pk)}
    assert row["relationships"]["user"]["links"]["related"].endswith(f"/v1/notifications/{note.pk}/user")
    assert row["relationships"]["event"]["data"] == {"type": "event", "id": str(event.pk)}
    detail = api.as_user(owner).get(f"/v1/notifications/{note.pk}")
    assert detail.status_code == 200
    assert detail.json_body["data"]["attributes"]["title"] == "Note 0"


def test_others_notifications_are_not_found(api):
    owner, other = UserFactory(), UserFactory()
    (note,) = notes(owner)
    client = api.as_user(other)
    assert_error(client.get(f"/v1/notifications/{note.pk}"), 404)
    assert_error(client.patch(f"/v1/notifications/{note.pk}", patch_doc(note, **{"is-read": True})), 404)
    assert_error(client.delete(f"/v1/notifications/{note.pk}"), 404)
    assert_error(client.get(f"/v1/users/{owner.pk}/notifications"), 403)
    assert_error(client.post(f"/v1/users/{owner.pk}/notifications/mark-all-read"), 403)
    assert_error(client.get(f"/v1/notifications/{note.pk}/user"), 404)
    note.refresh_from_db()
    assert not note.is_read


def test_only_administrators_list_everyones(api):
    user = UserFactory()
    mine = notes(user)
    theirs = notes(UserFactory())
    assert_error(api.as_user(user).get("/v1/notifications"), 403)
    assert_error(api.as_user(None).get("/v1/notifications"), 401)
    admin = api.as_user(UserFactory(is_admin=True))
    assert ids(admin.get("/v1/notifications")) == {str(n.pk) for n in mine + theirs}
    assert ids(admin.get(f"/v1/users/{user.pk}/notifications")) == {str(mine[0].pk)}
    assert admin.get(f"/v1/notifications/{theirs[0].pk}").status_code == 200


def test_anonymous_visitors_read_nothing(api):
    user = UserFactory()
    (note,) = notes(user)
    assert_error(api.as_user(None).get(f"/v1/notifications/{note.pk}"), 401)
    assert_error(api.as_user(None).get(f"/v1/users/{user.pk}/notifications"), 401)


def test_patch_marks_read_and_unread(api):
    user = UserFactory()
    (note,) = notes(user)
    client = api.as_user(user)
    response = client.patch(f"/v1/notifications/{note.pk}", patch_doc(note, **{"is-read": True}))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["is-read"] is True
    note.refresh_from_db()
    assert note.is_read
    client.patch(f"/v1/notifications/{note.pk}", patch_doc(note, **{"is-read": False}))
    note.refresh_from_db()
    assert not note.is_read


def test_patch_changes_nothing_but_is_read(api):
    user = UserFactory()
    (note,) = notes(user)
    client = api.as_user(user)
    response = client.patch(f"/v1/notifications/{note.pk}", patch_doc(note, title="Forged", **{"is-read": True}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/title"]
    other = UserFactory()
    body = patch_doc(note)
    body["data"]["relationships"] = {"user": {"data": {"type": "user", "id": str(other.pk)}}}
    assert_error(client.patch(f"/v1/notifications/{note.pk}", body), 422)
    note.refresh_from_db()
    assert (note.title, note.user_id, note.is_read) == ("Note 0", user.pk, False)


def test_a_whole_object_sent_back_with_only_is_read_changed_is_accepted(api):
    user = UserFactory()
    (note,) = notes(user)
    client = api.as_user(user)
    current = client.get(f"/v1/notifications/{note.pk}").json_body["data"]
    attributes = {**current["attributes"], "is-read": True}
    body = {"data": {"type": "notification", "id": str(note.pk), "attributes": attributes}}
    assert client.patch(f"/v1/notifications/{note.pk}", body).status_code == 200
    note.refresh_from_db()
    assert note.is_read


def test_a_bad_is_read_is_a_422(api):
    user = UserFactory()
    (note,) = notes(user)
    response = api.as_user(user).patch(f"/v1/notifications/{note.pk}", patch_doc(note, **{"is-read": "maybe"}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/is-read"]


def test_no_notification_is_created_through_the_api(api):
    user = UserFactory()
    body = resource_doc("notification", {"title": "Forged"})
    for client in (api.as_user(user), api.as_user(UserFactory(is_admin=True))):
        assert_error(client.post("/v1/notifications", body), 405)
        assert_error(client.post(f"/v1/users/{user.pk}/notifications", body), 405)
    assert Notification.objects.count() == 0


def test_the_owner_deletes_theirs(api):
    user = UserFactory()
    (note,) = notes(user)
    response = api.as_user(user).delete(f"/v1/notifications/{note.pk}")
    assert response.status_code == 200
    assert response.json_body["meta"] == {"message": "Object successfully deleted"}
    assert not Notification.objects.exists()


def test_mark_all_read(api):
    user = UserFactory()
    notes(user, 3)
    (other,) = notes(UserFactory())
    response = api.as_user(user).post(f"/v1/users/{user.pk}/notifications/mark-all-read")
    assert response.status_code == 200
    assert response.json_body["meta"] == {"marked-read": 3}
    assert not Notification.objects.filter(user=user, is_read=False).exists()
    other.refresh_from_db()
    assert not other.is_read
    assert_error(api.as_user(user).post("/v1/users/999999/notifications/mark-all-read"), 404)


def test_filters_and_sorts(api):
    user = UserFactory()
    first, second = notes(user, 2)
    Notification.objects.filter(pk=first.pk).update(is_read=True)
    client = api.as_user(user)
    url = f"/v1/users/{user.pk}/notifications"
    assert ids(client.get(url, **{"filter[is-read]": "false"})) == {str(second.pk)}
    assert ids(client.get(url, filter='[{"name":"is-read","op":"eq","val":true}]')) == {str(first.pk)}
    ordered = client.get(url, sort="created-at").json_body["data"]
    assert [row["id"] for row in ordered] == [str(first.pk), str(second.pk)]
    assert_error(client.get(url, filter='[{"name":"nope","op":"eq","val":1}]'), 400)


@pytest.mark.parametrize("n", [1, 20])
def test_lists_run_a_constant_number_of_queries(api, django_assert_num_queries, n):
    event, owner = event_with_owner()
    notes(owner, n, event=event)
    client = api.as_user(owner)
    # The viewer, their last access, the parent user, the count, the page, the events' owners and
    # the viewer's roles at them: the same for 1 and 20 rows.
    with django_assert_num_queries(7):
        assert len(client.get(f"/v1/users/{owner.pk}/notifications", include="event").json_body["data"]) == n
    admin = api.as_user(UserFactory(is_admin=True))
    with django_assert_num_queries(4):
        assert len(admin.get("/v1/notifications", **{"page[size]": "50"}).json_body["data"]) == n


def test_relationship_routes_are_guarded_like_the_notification(api):
    owner, other = UserFactory(), UserFactory()
    (note,) = notes(owner)
    mine = api.as_user(owner).get(f"/v1/notifications/{note.pk}/relationships/user")
    assert mine.status_code == 200
    assert mine.json_body["data"] == {"type": "user", "id": str(owner.pk)}
    assert_error(api.as_user(other).get(f"/v1/notifications/{note.pk}/relationships/user"), 404)
    body = {"data": {"type": "user", "id": str(other.pk)}}
    assert_error(api.as_user(owner).patch(f"/v1/notifications/{note.pk}/relationships/user", body), 403)
    listed = api.as_user(owner).get(f"/v1/users/{owner.pk}/relationships/notifications")
    assert listed.json_body["data"] == [{"type": "notification", "id": str(note.pk)}]
    assert_error(api.as_user(other).get(f"/v1/users/{owner.pk}/relationships/notifications"), 403)
    note.refresh_from_db()
    assert note.user_id == owner.pk
