"""The "Profile" page: the logged-in user's public fields and avatar (with the upload widget; the
avatar's thumbnails are the events app's business, tested in events/tests/test_pages_profile_avatar.py)."""

import re

import pytest
from django.urls import reverse

from openevent.users.models import User
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(reverse("profile"), {"first_name": "Eve"}).status_code == 302


def test_the_page_shows_the_users_fields_and_the_avatar_upload_widget(client):
    user = UserFactory(first_name="Grace", avatar_url="https://example.org/grace.png")
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    avatar = re.search(r'<input[^>]*name="avatar_url"[^>]*>', html).group(0)
    assert 'data-upload-field="image"' in avatar
    assert 'value="https://example.org/grace.png"' in avatar
    assert 'value="Grace"' in html
    assert f'href="{reverse("profile")}"' in html  # the navigation links it
    assert 'class="site-nav__avatar" src="https://example.org/grace.png"' in html


def test_saving_changes_only_the_users_own_row(client):
    user, other = UserFactory(), UserFactory(first_name="Other")
    client.force_login(user)
    response = client.post(reverse("profile"), {
        "first_name": "Ada", "last_name": "Lovelace", "public_name": "Countess",
        "avatar_url": "https://example.org/ada.png", "details": "Engines", "twitter_url": "https://x.example/ada",
    })  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert (user.first_name, user.public_name, user.avatar_url, user.details) == (
        "Ada", "Countess", "https://example.org/ada.png", "Engines",
    )  # fmt: skip
    assert User.objects.get(pk=other.pk).first_name == "Other"
    assert "Your profile is saved." in client.get(response.url).content.decode()


def test_bad_input_is_a_form_error_and_changes_nothing(client):
    user = UserFactory(first_name="Kept")
    client.force_login(user)
    response = client.post(reverse("profile"), {"first_name": "New", "avatar_url": "not an address at all"})
    assert response.status_code == 200
    assert "avatar_url" in response.context["form"].errors
    assert User.objects.get(pk=user.pk).first_name == "Kept"
