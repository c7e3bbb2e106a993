"""An avatar uploaded on the "Profile" page gets its thumbnail, small and icon pictures (the
events app schedules them on ``user_updated``: the users app may not use ``openevent.uploads``)."""

import pytest
from django.urls import reverse

from events.tests.images import uploaded_png, use_tmp_media
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def test_an_avatar_uploaded_on_the_profile_page_gets_its_variants(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    avatar = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("profile"), {"avatar_url": avatar}).status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.avatar_url == avatar
    assert all((user.thumbnail_image_url, user.small_image_url, user.icon_image_url))
    html = client.get(reverse("profile")).content.decode()
    assert f'class="site-nav__avatar" src="{user.small_image_url}"' in html
    assert f'class="profile-avatar" src="{user.thumbnail_image_url}"' in html
