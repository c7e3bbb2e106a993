"""Django admin for users: administrators get in, everybody else is sent to the admin login."""
import pytest
from django.urls import reverse

from openevent.users.models import User
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client):
    client.force_login(UserFactory(is_admin=True))
    return client


def test_admin_opens_user_list_add_change_and_password_pages(admin_browser):
    user = UserFactory(email="someone@example.org")
    trashed = UserFactory(email="gone@example.org")
    trashed.soft_delete()

    changelist = admin_browser.get(reverse("admin:users_user_changelist"))
    assert changelist.status_code == 200
    assert b"someone@example.org" in changelist.content
    assert b"gone@example.org" in changelist.content  # trashed users are listed too
    assert admin_browser.get(reverse("admin:users_user_changelist"), {"q": "someone"}).status_code == 200
    assert admin_browser.get(reverse("admin:users_user_changelist"), {"trashed": "yes"}).status_code == 200
    assert admin_browser.get(reverse("admin:users_user_add")).status_code == 200
    assert admin_browser.get(reverse("admin:users_user_change", args=[user.pk])).status_code == 200
    assert admin_browser.get(reverse("admin:users_user_change", args=[trashed.pk])).status_code == 200
    assert admin_browser.get(reverse("admin:auth_user_password_change", args=[user.pk])).status_code == 200


def test_admin_creates_a_user_with_a_hashed_password(admin_browser):
    response = admin_browser.post(
        reverse("admin:users_user_add"),
        {"email": "New.Person@Example.org", "usable_password": "true",
         "password1": "a long enough secret", "password2": "a long enough secret"},
    )

    assert response.status_code == 302, response.content
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("a long enough secret")
    assert not user.is_admin


def test_admin_cannot_reuse_the_address_of_a_trashed_user(admin_browser):
    UserFactory(email="taken@example.org").soft_delete()

    response = admin_browser.post(
        reverse("admin:users_user_add"),
        {"email": "TAKEN@example.org", "usable_password": "true",
         "password1": "a long enough secret", "password2": "a long enough secret"},
    )

    assert response.status_code == 200
    assert b"already exists" in response.content


def test_admin_sets_a_password(admin_browser):
    user = UserFactory()

    response = admin_browser.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": "another long secret", "password2": "another long secret"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another long secret")


@pytest.mark.parametrize("flags", [{}, {"is_verified": True}])
def test_non_admin_is_sent_to_the_admin_login(client, flags):
    user = UserFactory(**flags)
    client.force_login(user)

    for url in (
        reverse("admin:users_user_changelist"),
        reverse("admin:users_user_change", args=[user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:users_user_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
