"""Uploaded event images and avatars get their variants (``events.images``): after commit, a task
writes the variant fields while the source is still the same; external addresses make none."""

import pytest
from django.conf import settings

from events import services, tasks
from events.models import Event
from events.tests.factories import event_with_owner
from events.tests.images import SITE, fits, image_size, uploaded_png, use_tmp_media
from openevent.core.errors import Invalid
from openevent.users import services as user_services
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT_VARIANTS = {"thumbnail": "thumbnail_image_url", "large": "large_image_url", "icon": "icon_image_url"}
USER_VARIANTS = {"thumbnail": "thumbnail_image_url", "small": "small_image_url", "icon": "icon_image_url"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def test_an_uploaded_event_image_gets_thumbnail_large_and_icon(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, original_image_url=url)
    event = Event.objects.get(pk=event.pk)
    assert event.original_image_url == url
    for variant, field in EVENT_VARIANTS.items():
        variant_url = getattr(event, field)
        assert variant_url.startswith(f"{SITE}/media/uploads/image/"), field
        assert variant_url != url
        assert fits(image_size(variant_url), settings.IMAGE_VARIANT_SIZES[variant]), field


def test_an_event_created_with_an_uploaded_image_gets_its_variants(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.create_event(
            owner, name="Pictured", starts_at=event.starts_at, ends_at=event.ends_at, original_image_url=url
        )
    made = Event.objects.get(pk=made.pk)
    assert all(getattr(made, field) for field in EVENT_VARIANTS.values())


def test_an_external_image_address_makes_no_variants_and_keeps_what_was_given(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    given = "https://example.org/thumb.png"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            owner, event, original_image_url="https://example.org/banner.png", thumbnail_image_url=given
        )
    event = Event.objects.get(pk=event.pk)
    assert (event.original_image_url, event.thumbnail_image_url) == ("https://example.org/banner.png", given)
    assert (event.large_image_url, event.icon_image_url) == ("", "")


def test_the_logo_fills_none_of_the_event_image_variants(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_url=url)
    event = Event.objects.get(pk=event.pk)
    assert event.logo_url == url
    assert (event.thumbnail_image_url, event.large_image_url, event.icon_image_url) == ("", "", "")


def test_a_stale_task_does_not_overwrite_a_newer_image(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    first, second = uploaded_png(colour=(0, 0, 255)), uploaded_png(colour=(0, 255, 0))
    with django_capture_on_commit_callbacks(execute=False) as first_tasks:
        services.update_event(owner, event, original_image_url=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, original_image_url=second)
    newer = Event.objects.get(pk=event.pk)
    assert newer.thumbnail_image_url
    for callback in first_tasks:  # the first write's task runs late
        callback()
    tasks.task_make_event_images(event.pk, first)
    after = Event.objects.get(pk=event.pk)
    assert [getattr(after, field) for field in EVENT_VARIANTS.values()] == [
        getattr(newer, field) for field in EVENT_VARIANTS.values()
    ]
    assert after.original_image_url == second


def test_a_rolled_back_write_schedules_nothing(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Invalid):
        services.update_event(owner, event, original_image_url=uploaded_png(), timezone="Nowhere/Else")
    assert callbacks == []


def test_the_same_image_again_schedules_no_new_work(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, original_image_url=url)
    with django_capture_on_commit_callbacks() as same:
        services.update_event(owner, Event.objects.get(pk=event.pk), original_image_url=url, name="Renamed")
    with django_capture_on_commit_callbacks() as changed:
        services.update_event(owner, Event.objects.get(pk=event.pk), original_image_url=uploaded_png(), name="Again")
    # The same work after commit (the signals) either way, plus one task for the new image only.
    assert len(changed) == len(same) + 1


def test_an_uploaded_avatar_gets_thumbnail_small_and_icon(django_capture_on_commit_callbacks):
    user = UserFactory()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        user_services.update_user(user, user, avatar_url=url)
    user = User.objects.get(pk=user.pk)
    for variant, field in USER_VARIANTS.items():
        assert fits(image_size(getattr(user, field)), settings.IMAGE_VARIANT_SIZES[variant]), field


def test_an_external_avatar_makes_no_variants(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        user_services.update_user(user, user, avatar_url="https://example.org/me.png")
    user = User.objects.get(pk=user.pk)
    assert (user.thumbnail_image_url, user.small_image_url, user.icon_image_url) == ("", "", "")


def test_a_stale_avatar_task_changes_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    old, new = uploaded_png(), uploaded_png(colour=(1, 2, 3))
    with django_capture_on_commit_callbacks(execute=True):
        user_services.update_user(user, user, avatar_url=new)
    before = User.objects.get(pk=user.pk)
    tasks.task_make_user_images(user.pk, old)
    after = User.objects.get(pk=user.pk)
    assert (after.thumbnail_image_url, after.small_image_url, after.icon_image_url) == (
        before.thumbnail_image_url, before.small_image_url, before.icon_image_url,
    )  # fmt: skip
