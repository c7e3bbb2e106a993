"""Login, logout and registration pages."""
import pytest
from django.urls import reverse

from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def session_user_id(client):
    return client.session.get("_auth_user_id")


# --- login ------------------------------------------------------------------------------------
def test_login_page_renders_with_labelled_inputs(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">' in html
    assert '<label for="id_password">' in html
    assert "<script>" not in html
    assert "onclick" not in html


def test_login_starts_a_session_and_goes_to_my_events(client):
    user = UserFactory(email="ada@example.org")
    response = client.post(reverse("login"), {"email": "ADA@example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-events")
    assert session_user_id(client) == str(user.pk)


def test_login_follows_a_local_next_but_not_a_foreign_one(client):
    user = UserFactory()
    response = client.post(reverse("login") + "?next=/invites/", {"email": user.email, "password": PASSWORD})
    assert response["Location"] == "/invites/"
    client.logout()
    response = client.post(
        reverse("login"), {"email": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("my-events")


def test_wrong_password_is_a_form_error(client):
    user = UserFactory()
    response = client.post(reverse("login"), {"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    assert "Invalid e-mail address or password." in response.context["form"].non_field_errors()
    assert session_user_id(client) is None


def test_blocked_user_cannot_log_in(client):
    user = UserFactory(is_blocked=True)
    response = client.post(reverse("login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert session_user_id(client) is None


def test_login_is_throttled_after_too_many_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("login"), {"email": user.email, "password": "wrong password"})
    response = client.post(reverse("login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed logins. Try again later." in response.context["form"].non_field_errors()
    assert session_user_id(client) is None


def test_login_form_requires_both_fields(client):
    response = client.post(reverse("login"), {"email": "not-an-address", "password": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.keys() == {"email", "password"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_logged_in_user_visiting_login_goes_to_my_events(client):
    client.force_login(UserFactory())
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("my-events")


# --- logout -----------------------------------------------------------------------------------
def test_logout_is_post_only(client):
    client.force_login(UserFactory())
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert session_user_id(client) is not None


def test_logout_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert session_user_id(client) is None


def test_header_shows_logout_as_a_post_form_for_logged_in_users(client):
    client.force_login(UserFactory())
    html = client.get(reverse("my-events")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}"' in html
    assert f'href="{reverse("login")}"' not in html


def test_header_shows_login_and_register_to_visitors(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("register")}"' in html
    assert reverse("logout") not in html


def test_admin_link_only_for_admins(client):
    client.force_login(UserFactory())
    assert reverse("admin:index") not in client.get(reverse("my-events")).content.decode()
    client.force_login(UserFactory(is_admin=True))
    assert reverse("admin:index") in client.get(reverse("my-events")).content.decode()


# --- registration -----------------------------------------------------------------------------
def register(client, **overrides):
    data = {
        "email": "grace@example.org",
        "first_name": "Grace",
        "last_name": "Hopper",
        "password": "a long enough passphrase",
        "password_again": "a long enough passphrase",
        **overrides,
    }
    return client.post(reverse("register"), data)


def test_register_page_renders(client):
    response = client.get(reverse("register"))
    assert response.status_code == 200
    assert '<label for="id_password_again">' in response.content.decode()


def test_register_creates_the_user_and_sends_to_login(client):
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    user = User.objects.get(email="grace@example.org")
    assert user.first_name == "Grace"
    assert user.check_password("a long enough passphrase")
    response = client.post(reverse("login"), {"email": user.email, "password": "a long enough passphrase"})
    assert session_user_id(client) == str(user.pk)


def test_after_registering_the_login_page_has_the_address_filled_in_once(client):
    register(client)
    body = client.get(reverse("login")).content.decode()
    assert 'value="grace@example.org"' in body
    assert 'type="password" name="password" autocomplete="current-password" autofocus' in body
    assert "grace@example.org" not in client.get(reverse("login")).content.decode()


def test_a_visitors_login_page_has_no_address_filled_in(client):
    body = client.get(reverse("login")).content.decode()
    assert 'type="email" name="email" autocomplete="email" autofocus' in body
    assert 'value="' not in body.split('name="email"')[1].split(">")[0]


def test_register_with_taken_email_is_a_form_error(client):
    UserFactory(email="grace@example.org")
    response = register(client, email="Grace@Example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["A user with this e-mail address already exists."]
    assert User.objects.filter(email="grace@example.org").count() == 1


def test_register_applies_the_password_rules(client):
    response = register(client, password="12345678", password_again="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="grace@example.org").exists()


def test_register_requires_the_same_password_twice(client):
    response = register(client, password_again="another long passphrase")
    assert response.status_code == 200
    assert response.context["form"].errors["password_again"] == ["The two passwords differ."]
    assert not User.objects.exists()
