"""The API's and the admin's writes of images: an uploaded event image or avatar set over /v1 (or
in Django admin) gets its variants after commit; a user's variant fields are read-only, as in
Open Event."""

import pytest
from django.urls import reverse

from events.models import Event
from events.tests.factories import event_with_owner
from events.tests.helpers import event_doc
from events.tests.images import uploaded_png, use_tmp_media
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def test_an_event_image_set_over_the_api_gets_its_variants(api, django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    image = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        body = event_doc({"original-image-url": image}, event.pk)
        response = api.as_user(owner).patch(f"/v1/events/{event.pk}", body)
    assert response.status_code == 200, response.json_body
    attributes = api.get(f"/v1/events/{event.pk}").json_body["data"]["attributes"]
    stored = Event.objects.get(pk=event.pk)
    assert attributes["thumbnail-image-url"] == stored.thumbnail_image_url != ""
    assert attributes["large-image-url"] == stored.large_image_url != ""
    assert attributes["icon-image-url"] == stored.icon_image_url != ""


def test_an_avatar_set_over_the_api_gets_read_only_variants(api, django_capture_on_commit_callbacks):
    user = UserFactory()
    avatar = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"avatar-url": avatar}, user.pk))
    assert response.status_code == 200, response.json_body
    made = User.objects.get(pk=user.pk)
    assert all((made.thumbnail_image_url, made.small_image_url, made.icon_image_url))
    seen = api.as_user(UserFactory()).get(f"/v1/users/{user.pk}").json_body["data"]["attributes"]
    assert (seen["thumbnail-image-url"], seen["small-image-url"], seen["icon-image-url"]) == (
        made.thumbnail_image_url, made.small_image_url, made.icon_image_url,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(user).patch(
            f"/v1/users/{user.pk}", user_doc({"thumbnail-image-url": "https://example.org/forged.png"}, user.pk)
        )
    assert User.objects.get(pk=user.pk).thumbnail_image_url == made.thumbnail_image_url


def test_an_event_image_set_in_the_admin_gets_its_variants(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_admin=True))
    event, _ = event_with_owner()
    url = reverse("admin:events_event_change", args=[event.pk])
    image = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(client.get(url), original_image_url=image))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    made = Event.objects.get(pk=event.pk)
    assert made.original_image_url == image
    assert all((made.thumbnail_image_url, made.large_image_url, made.icon_image_url))
