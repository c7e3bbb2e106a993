"""Django admin for users: administrators get in, everybody else is sent to the admin login."""
import pytest
from django.urls import reverse

from openevent.core.errors import NotAuthenticated
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users import services
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


# --- every write through openevent.users.services ---------------------------------------------------
def refresh_is_revoked(tokens):
    try:
        services.refresh_tokens(tokens["refresh_token"])
    except NotAuthenticated:
        return True
    return False


def test_admin_made_accounts_get_no_verification_mail_and_may_have_no_password(admin_browser, mailoutbox):
    response = admin_browser.post(
        reverse("admin:users_user_add"), {"email": "nopass@example.org", "usable_password": "false"}
    )

    assert response.status_code == 302, response.content
    user = User.objects.get(email="nopass@example.org")
    assert not user.has_usable_password()
    assert mailoutbox == []


def test_admin_changes_a_profile_through_update_user(admin_browser):
    user = UserFactory(email="before@example.org", is_verified=True)
    url = reverse("admin:users_user_change", args=[user.pk])

    response = admin_browser.post(
        url, change_form_data(admin_browser.get(url), email="After@Example.org", first_name="Ada")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    # The service normalizes the address; an administrator changing someone's address is trusted.
    assert (user.email, user.first_name, user.is_verified) == ("after@example.org", "Ada", True)


def test_trash_revokes_the_accounts_tokens_and_restore_brings_it_back(admin_browser):
    user = UserFactory()
    tokens = services.issue_tokens(user)
    changelist = reverse("admin:users_user_changelist")

    admin_browser.post(changelist, {"action": "trash", "_selected_action": [user.pk]})

    assert User.all_objects.get(pk=user.pk).deleted_at is not None
    admin_browser.post(changelist, {"action": "restore", "_selected_action": [user.pk]})
    assert User.objects.filter(pk=user.pk).exists()
    # The account is live again, but the tokens issued before the trash stay revoked.
    assert refresh_is_revoked(tokens)
    assert not refresh_is_revoked(services.issue_tokens(user))


def test_setting_a_password_in_admin_logs_the_account_out_everywhere(admin_browser):
    user = UserFactory()
    tokens = services.issue_tokens(user)

    response = admin_browser.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": "another long secret", "password2": "another long secret"},
    )

    assert response.status_code == 302
    assert refresh_is_revoked(tokens)
    user.refresh_from_db()
    assert user.check_password("another long secret")
