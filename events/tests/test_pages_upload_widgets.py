"""The upload widget on the organizer pages: the event's logo and image on the settings page, a
sponsor's logo. The markup marks the URL inputs (``static/js/upload-field.js`` enhances them) and
the plain form, without JavaScript, still saves an address."""

import re

import pytest
from django.urls import reverse

from events.models import Event, Sponsor
from events.tests.helpers import staffed_event
from events.tests.images import uploaded_png, use_tmp_media
from events.tests.test_pages_manage import settings_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


@pytest.fixture
def staffed():
    return staffed_event()


def upload_input(html, name):
    """The <input> tag of field ``name``, or None."""
    found = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    return found.group(0) if found else None


def test_the_settings_page_gives_the_logo_and_the_image_the_upload_widget(client, staffed):
    event, people = staffed
    client.force_login(people["owner"])
    html = client.get(reverse("event-settings", args=[event.identifier])).content.decode()
    for name in ("logo_url", "original_image_url"):
        tag = upload_input(html, name)
        assert tag is not None, name
        assert 'type="url"' in tag
        assert 'data-upload-field="image"' in tag
        assert 'data-upload-max="10485760"' in tag
    assert "js/upload-field.js" in html
    assert "css/upload-field.css" in html
    assert "data-upload-field" not in (upload_input(html, "external_event_url") or "")


def test_the_plain_settings_form_saves_an_uploaded_image_and_its_variants_follow(
    client, staffed, django_capture_on_commit_callbacks
):
    event, people = staffed
    client.force_login(people["organizer"])
    image, logo = uploaded_png(), uploaded_png(colour=(0, 0, 0))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("event-settings", args=[event.identifier]),
            settings_data(event, original_image_url=image, logo_url=logo),
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    event = Event.objects.get(pk=event.pk)
    assert (event.original_image_url, event.logo_url) == (image, logo)
    assert all((event.thumbnail_image_url, event.large_image_url, event.icon_image_url))


def test_the_plain_settings_form_still_takes_any_address(client, staffed, django_capture_on_commit_callbacks):
    event, people = staffed
    client.force_login(people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("event-settings", args=[event.identifier]),
            settings_data(event, original_image_url="https://example.org/banner.jpg"),
        )
    assert response.status_code == 302
    event = Event.objects.get(pk=event.pk)
    assert (event.original_image_url, event.thumbnail_image_url) == ("https://example.org/banner.jpg", "")


def test_the_sponsor_form_gives_the_logo_the_widget_and_saves_it(client, staffed):
    event, people = staffed
    client.force_login(people["coorganizer"])
    address = reverse("part-create", args=[event.identifier, "sponsors"])
    tag = upload_input(client.get(address).content.decode(), "logo_url")
    assert tag is not None
    assert 'data-upload-field="image"' in tag
    logo = uploaded_png()
    response = client.post(address, {"name": "ACME", "level": "1", "logo_url": logo})
    assert response.status_code == 302
    assert Sponsor.objects.get(event=event).logo_url == logo


def test_the_widget_pages_are_refused_to_the_wrong_users(client, staffed):
    event, people = staffed
    client.force_login(people["registrar"])
    assert client.get(reverse("event-settings", args=[event.identifier])).status_code == 403
    assert client.get(reverse("part-create", args=[event.identifier, "sponsors"])).status_code == 403
