"""An uploaded logo (``Event.logo_url``, ``Sponsor.logo_url``) gets a thumbnail (``logo_thumbnail_url``)
after commit, on every way in (services, API, pages, admin). The variant is derived: writers cannot
set it, an external logo has none, and a changed logo clears the old one's. The public pages that
show it: ``sessions_app/tests/test_public_logo_variants.py``."""

import pytest
from django.conf import settings
from django.urls import reverse

from events import services, tasks
from events.models import Event, Sponsor
from events.tests.factories import event_with_owner
from events.tests.helpers import staffed_event
from events.tests.images import SITE, fits, image_size, uploaded_png, use_tmp_media
from events.tests.program import RESOURCES, create_doc, part_doc
from events.tests.test_pages_manage import settings_data
from openevent.core.errors import NotAllowed
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

THUMBNAIL = settings.IMAGE_VARIANT_SIZES["thumbnail"]
EXTERNAL_LOGO = "https://example.org/logo.png"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def assert_thumbnail_of(row, url):
    """``row``'s logo is ``url`` and its variant a thumbnail-sized stored picture of its own."""
    row.refresh_from_db()
    assert row.logo_url == url
    assert row.logo_thumbnail_url.startswith(f"{SITE}/media/uploads/image/")
    assert row.logo_thumbnail_url != url
    assert fits(image_size(row.logo_thumbnail_url), THUMBNAIL)


def sponsor_of(event, owner, capture, **data):
    with capture(execute=True):
        return services.create_part(owner, Sponsor, event, name="ACME", **data)


# --- services ----------------------------------------------------------------------------------------
def test_an_uploaded_event_logo_gets_a_thumbnail_and_the_event_images_stay_empty(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_url=url)
    assert_thumbnail_of(event, url)
    assert (event.thumbnail_image_url, event.large_image_url, event.icon_image_url) == ("", "", "")


def test_an_event_created_with_an_uploaded_logo_gets_its_thumbnail(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.create_event(owner, name="Logo", starts_at=event.starts_at, ends_at=event.ends_at, logo_url=url)
    assert_thumbnail_of(made, url)


def test_an_external_logo_makes_none_and_clears_the_stale_one(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_url=uploaded_png())
    assert Event.objects.get(pk=event.pk).logo_thumbnail_url
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, Event.objects.get(pk=event.pk), logo_url=EXTERNAL_LOGO)
    event.refresh_from_db()
    assert (event.logo_url, event.logo_thumbnail_url) == (EXTERNAL_LOGO, "")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_url=uploaded_png())
    assert Event.objects.get(pk=event.pk).logo_thumbnail_url
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, Event.objects.get(pk=event.pk), logo_url="")
    event.refresh_from_db()
    assert (event.logo_url, event.logo_thumbnail_url) == ("", "")  # no logo: no variant either


def test_a_writer_cannot_set_the_logo_variant(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_thumbnail_url=EXTERNAL_LOGO, name="Renamed")
        made = services.create_event(owner, name="Given", starts_at=event.starts_at, ends_at=event.ends_at,
                                     logo_url=EXTERNAL_LOGO, logo_thumbnail_url=EXTERNAL_LOGO)
        sponsor = services.create_part(owner, Sponsor, event, name="ACME", logo_thumbnail_url=EXTERNAL_LOGO)
    event.refresh_from_db()
    made.refresh_from_db()
    sponsor.refresh_from_db()
    assert (event.name, event.logo_thumbnail_url) == ("Renamed", "")
    assert (made.logo_url, made.logo_thumbnail_url) == (EXTERNAL_LOGO, "")
    assert sponsor.logo_thumbnail_url == ""


def test_a_stale_event_logo_task_does_not_overwrite_the_newer_thumbnail(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    first, second = uploaded_png(colour=(0, 0, 255)), uploaded_png(colour=(0, 255, 0))
    with django_capture_on_commit_callbacks(execute=False):
        services.update_event(owner, event, logo_url=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(owner, event, logo_url=second)
    newer = Event.objects.get(pk=event.pk).logo_thumbnail_url
    assert newer
    tasks.task_make_event_logo(event.pk, first)  # the first write's task runs late
    event.refresh_from_db()
    assert (event.logo_url, event.logo_thumbnail_url) == (second, newer)


def test_an_uploaded_sponsor_logo_gets_a_thumbnail_and_a_change_clears_it(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    url = uploaded_png()
    sponsor = sponsor_of(event, owner, django_capture_on_commit_callbacks, logo_url=url)
    assert_thumbnail_of(sponsor, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_part(owner, Sponsor.objects.get(pk=sponsor.pk), logo_url=EXTERNAL_LOGO)
    sponsor.refresh_from_db()
    assert (sponsor.logo_url, sponsor.logo_thumbnail_url) == (EXTERNAL_LOGO, "")
    newer = uploaded_png(colour=(9, 9, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_part(owner, Sponsor.objects.get(pk=sponsor.pk), logo_url=newer)
    assert_thumbnail_of(sponsor, newer)


def test_an_external_sponsor_logo_makes_none(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    sponsor = sponsor_of(event, owner, django_capture_on_commit_callbacks, logo_url=EXTERNAL_LOGO)
    sponsor.refresh_from_db()
    assert (sponsor.logo_url, sponsor.logo_thumbnail_url) == (EXTERNAL_LOGO, "")


def test_a_stale_sponsor_logo_task_changes_nothing(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    old, new = uploaded_png(), uploaded_png(colour=(1, 2, 3))
    sponsor = sponsor_of(event, owner, django_capture_on_commit_callbacks, logo_url=old)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_part(owner, Sponsor.objects.get(pk=sponsor.pk), logo_url=new)
    before = Sponsor.objects.get(pk=sponsor.pk).logo_thumbnail_url
    tasks.task_make_sponsor_logo(sponsor.pk, old)
    assert Sponsor.objects.get(pk=sponsor.pk).logo_thumbnail_url == before
    assert_thumbnail_of(sponsor, new)


def test_a_refused_sponsor_write_schedules_no_logo_work(django_capture_on_commit_callbacks):
    event, _owner = event_with_owner()
    outsider = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(NotAllowed):
        services.create_part(outsider, Sponsor, event, name="ACME", logo_url=uploaded_png())
    assert callbacks == []
    assert not Sponsor.objects.filter(event=event).exists()


# --- the API, the pages and the admin ------------------------------------------------------------------
def test_the_api_makes_the_sponsor_logo_variant_and_does_not_show_or_take_it(api, django_capture_on_commit_callbacks):
    event, people = staffed_event()
    api.as_user(people["coorganizer"])
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/v1/sponsors", create_doc(RESOURCES["sponsor"], event, **{"logo-url": url}))
    assert response.status_code == 201, response.json_body
    attributes = response.json_body["data"]["attributes"]
    assert attributes["logo-url"] == url
    assert not any(key.startswith("logo-thumbnail") for key in attributes)
    sponsor = Sponsor.objects.get(pk=response.json_body["data"]["id"])
    assert_thumbnail_of(sponsor, url)
    made = sponsor.logo_thumbnail_url
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/v1/sponsors/{sponsor.pk}",
            part_doc(RESOURCES["sponsor"], id=sponsor.pk, **{"logo-thumbnail-url": EXTERNAL_LOGO}),
        )
    assert response.status_code in (200, 400, 422), response.status_code
    sponsor.refresh_from_db()
    assert sponsor.logo_thumbnail_url == made


def test_the_api_makes_the_event_logo_variant(api, django_capture_on_commit_callbacks):
    event, people = staffed_event()
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(people["owner"]).patch(
            f"/v1/events/{event.pk}",
            {"data": {"type": "event", "id": str(event.pk), "attributes": {"logo-url": url}}},
        )
    assert response.status_code == 200, response.json_body
    assert not any(key.startswith("logo-thumbnail") for key in response.json_body["data"]["attributes"])
    assert_thumbnail_of(event, url)


def test_the_settings_page_and_the_sponsor_form_make_the_logo_variants(client, django_capture_on_commit_callbacks):
    event, people = staffed_event()
    client.force_login(people["organizer"])
    logo, sponsor_logo = uploaded_png(), uploaded_png(colour=(5, 6, 7))
    with django_capture_on_commit_callbacks(execute=True):
        settings_page = client.post(reverse("event-settings", args=[event.identifier]),
                                    settings_data(event, logo_url=logo))
        sponsor_page = client.post(reverse("part-create", args=[event.identifier, "sponsors"]),
                                   {"name": "ACME", "level": "1", "logo_url": sponsor_logo})
    assert (settings_page.status_code, sponsor_page.status_code) == (302, 302)
    assert_thumbnail_of(event, logo)
    assert_thumbnail_of(Sponsor.objects.get(event=event), sponsor_logo)


def test_the_admin_shows_the_variant_read_only_and_makes_it(client, django_capture_on_commit_callbacks):
    event, _owner = event_with_owner()
    sponsor = Sponsor.objects.create(event=event, name="ACME")
    client.force_login(UserFactory(is_admin=True))
    url = reverse("admin:events_sponsor_change", args=[sponsor.pk])
    form = client.get(url)
    assert 'name="logo_thumbnail_url"' not in form.content.decode()
    logo = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(form, logo_url=logo, logo_thumbnail_url=EXTERNAL_LOGO))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert_thumbnail_of(sponsor, logo)
    event_form = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'name="logo_thumbnail_url"' not in event_form
    assert "Logo thumbnail url" in event_form
