"""/v1/users: registration, self service, admin powers, privacy of fields, soft delete."""
import pytest

from openevent.api.tests.documents import assert_error
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db


def test_register(api):
    response = api.post(
        "/v1/users", user_doc({"email": "New@Example.org", "password": "a strong secret", "first-name": "Ada"})
    )
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == "user"
    assert response["Location"].endswith(f"/v1/users/{data['id']}")
    assert "password" not in data["attributes"]
    user = User.objects.get(pk=data["id"])
    assert user.email == "new@example.org"
    assert user.check_password("a strong secret")
    assert not user.is_admin
    assert not user.is_verified


def test_register_with_a_taken_email_is_409_and_stores_nothing(api):
    UserFactory(email="taken@example.org")
    response = api.post("/v1/users", user_doc({"email": "TAKEN@example.org", "password": "a strong secret"}))
    assert_error(response, 409)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"email": "x@example.org", "password": "123"}, "/data/attributes/password"),
        ({"email": "x@example.org", "password": "password"}, "/data/attributes/password"),
        ({"email": "not-an-email", "password": "a strong secret"}, "/data/attributes/email"),
        ({"password": "a strong secret"}, "/data/attributes/email"),
        ({"email": "x@example.org"}, "/data/attributes/password"),
    ],
)
def test_register_refuses_bad_input(api, attributes, pointer):
    error = assert_error(api.post("/v1/users", user_doc(attributes)), 422)
    assert error["source"]["pointer"] == pointer
    assert not User.objects.exists()


def test_register_cannot_make_itself_admin(api):
    response = api.post(
        "/v1/users", user_doc({"email": "x@example.org", "password": "a strong secret", "is-admin": True})
    )
    assert_error(response, 422)
    assert not User.objects.exists()


def test_register_with_wrong_type_or_media_type(api):
    assert_error(api.post("/v1/users", {"data": {"type": "event", "attributes": {}}}), 409)
    assert_error(api.post("/v1/users", user_doc({"email": "x@example.org"}), content_type="text/plain"), 415)
    assert_error(api.post("/v1/users", raw="not json"), 400)
    assert not User.objects.exists()


def test_others_see_public_fields_only(api):
    user = UserFactory(contact="+65 1234", details="Hello")
    other = UserFactory()
    for viewer in (None, other):
        attributes = api.as_user(viewer).get(f"/v1/users/{user.pk}").json_body["data"]["attributes"]
        assert attributes["details"] == "Hello"
        for private in ("email", "contact", "is-admin", "is-verified", "last-accessed-at"):
            assert private not in attributes
    mine = api.as_user(user).get(f"/v1/users/{user.pk}").json_body["data"]["attributes"]
    assert mine["email"] == user.email
    assert mine["contact"] == "+65 1234"


def test_user_list_is_for_admins_only(api):
    UserFactory.create_batch(2)
    assert_error(api.get("/v1/users"), 401)
    assert_error(api.as_user(UserFactory()).get("/v1/users"), 403)
    response = api.as_user(UserFactory(is_admin=True)).get("/v1/users")
    assert response.status_code == 200
    assert response.json_body["meta"]["count"] == 4


def test_user_edits_themself_but_nobody_else(api):
    user, other = UserFactory(), UserFactory()
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"first-name": "Grace"}, user.pk))
    assert response.status_code == 200
    assert response.json_body["data"]["attributes"]["first-name"] == "Grace"
    assert_error(api.patch(f"/v1/users/{other.pk}", user_doc({"first-name": "X"}, other.pk)), 403)
    assert_error(api.as_user(None).patch(f"/v1/users/{other.pk}", user_doc({"first-name": "X"}, other.pk)), 401)
    other.refresh_from_db()
    assert other.first_name != "X"


def test_patch_with_mismatched_id_is_409(api):
    user = UserFactory()
    assert_error(api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"first-name": "G"}, 999)), 409)


def test_patch_to_a_taken_email_is_409(api):
    UserFactory(email="taken@example.org")
    user = UserFactory()
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"email": "taken@example.org"}, user.pk))
    assert_error(response, 409)


def test_patch_password_is_refused(api):
    user = UserFactory()
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"password": "another secret"}, user.pk))
    error = assert_error(response, 422)
    assert error["source"]["pointer"] == "/data/attributes/password"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("flag", "allowed", "refused"),
    [
        ("is-verified", "admin", "self"),
        ("is-blocked", "admin", "self"),
        ("is-admin", "super_admin", "admin"),
        ("is-super-admin", "super_admin", "admin"),
    ],
)
def test_flags_need_the_right_power(api, flag, allowed, refused):
    people = {
        "self": None,
        "admin": UserFactory(is_admin=True),
        "super_admin": UserFactory(is_admin=True, is_super_admin=True),
    }
    target = UserFactory(is_verified=False)
    people["self"] = target
    field = flag.replace("-", "_")
    refused_response = api.as_user(people[refused]).patch(f"/v1/users/{target.pk}", user_doc({flag: True}, target.pk))
    error = assert_error(refused_response, 422)
    assert error["source"]["pointer"] == f"/data/attributes/{flag}"
    target.refresh_from_db()
    assert getattr(target, field) is False
    ok = api.as_user(people[allowed]).patch(f"/v1/users/{target.pk}", user_doc({flag: True}, target.pk))
    assert ok.status_code == 200, ok.json_body
    target.refresh_from_db()
    assert getattr(target, field) is True


def test_delete_is_soft_and_admin_can_restore(api):
    user = UserFactory()
    response = api.as_user(user).delete(f"/v1/users/{user.pk}")
    assert response.status_code == 200
    assert response.json_body["meta"]["message"] == "Object successfully deleted"
    assert User.all_objects.get(pk=user.pk).deleted_at is not None
    admin = UserFactory(is_admin=True)
    api.as_user(admin)
    assert_error(api.get(f"/v1/users/{user.pk}"), 404)
    assert api.get("/v1/users").json_body["meta"]["count"] == 1
    trashed = api.get("/v1/users", get_trashed="true").json_body
    assert {row["id"] for row in trashed["data"]} == {str(user.pk), str(admin.pk)}
    restored = api.patch(f"/v1/users/{user.pk}", user_doc({"deleted-at": None}, user.pk))
    assert restored.status_code == 200, restored.json_body
    assert User.objects.filter(pk=user.pk).exists()


def test_others_cannot_delete_or_see_trash(api):
    user, other = UserFactory(), UserFactory()
    assert_error(api.as_user(other).delete(f"/v1/users/{user.pk}"), 403)
    user.soft_delete()
    assert_error(api.get("/v1/users", get_trashed="true"), 403)
    assert_error(api.get(f"/v1/users/{user.pk}", get_trashed="true"), 404)
    assert_error(api.patch(f"/v1/users/{user.pk}", user_doc({"deleted-at": None}, user.pk)), 404)


def test_permanent_delete_is_admin_only(api):
    user = UserFactory()
    assert_error(api.as_user(user).delete(f"/v1/users/{user.pk}?permanent=true"), 403)
    assert User.objects.filter(pk=user.pk).exists()
    api.as_user(UserFactory(is_admin=True)).delete(f"/v1/users/{user.pk}?permanent=true")
    assert not User.all_objects.filter(pk=user.pk).exists()


def test_unknown_user_is_404(api):
    assert_error(api.get("/v1/users/999"), 404)
    assert_error(api.get("/v1/users/abc"), 404)


def test_a_users_sessions_and_speakers_are_for_that_user_and_admins(api):
    user, other = UserFactory(), UserFactory()
    for url in (f"/v1/users/{user.pk}/sessions", f"/v1/users/{user.pk}/speakers",
                f"/v1/users/{user.pk}/relationships/sessions", f"/v1/users/{user.pk}/relationships/speakers"):
        assert_error(api.as_user(None).get(url), 401)
        assert_error(api.as_user(other).get(url), 403)
        assert api.as_user(user).get(url).status_code == 200
        assert api.as_user(UserFactory(is_admin=True)).get(url).status_code == 200


def test_a_plain_admin_cannot_change_or_delete_a_super_admin(api):
    super_admin = UserFactory(is_admin=True, is_super_admin=True)
    admin = UserFactory(is_admin=True)
    api.as_user(admin)
    assert_error(api.patch(f"/v1/users/{super_admin.pk}", user_doc({"is-blocked": True}, super_admin.pk)), 403)
    assert_error(api.patch(f"/v1/users/{super_admin.pk}", user_doc({"email": "x@example.org"}, super_admin.pk)), 403)
    assert_error(api.delete(f"/v1/users/{super_admin.pk}"), 403)
    super_admin.refresh_from_db()
    assert not super_admin.is_blocked
    assert super_admin.email != "x@example.org"
    assert super_admin.deleted_at is None
    other_super = UserFactory(is_admin=True, is_super_admin=True)
    response = api.as_user(other_super).patch(
        f"/v1/users/{super_admin.pk}", user_doc({"first-name": "Ok"}, super_admin.pk)
    )
    assert response.status_code == 200
