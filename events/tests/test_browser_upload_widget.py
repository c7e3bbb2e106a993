"""The upload widget in a real browser, on the event's settings page: choosing a PNG for the logo
and one for the event image shows progress and a preview and fills the URL fields; saving keeps
them, the public page shows the logo and the image's variants exist. A "PNG" that is text is
refused with the server's own sentence, and the field keeps its address."""

import datetime
import io
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event
from events.tests.factories import event_with_owner
from events.tests.images import fits, image_size, png_bytes
from events.tests.test_browser_invite_flow import log_in
from openevent.core.errors import Invalid
from openevent.uploads.services import store_upload
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]

SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")
FULL = 100


@pytest.fixture
def media(settings, tmp_path, live_server):
    """Stored files in a folder of the test's own, served by the live server itself."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = live_server.url


@pytest.fixture
def summit(media):
    owner = UserFactory(email="ursula@example.org")
    event, _ = event_with_owner(
        owner=owner,
        name="Pictured Summit",
        state=Event.State.PUBLISHED,
        location_name="Lifelong Learning Institute",
        timezone="Asia/Singapore",
        starts_at=datetime.datetime(2031, 4, 10, 9, 0, tzinfo=SINGAPORE),
        ends_at=datetime.datetime(2031, 4, 12, 18, 0, tzinfo=SINGAPORE),
    )
    return event, owner


def png_file(name, colour):
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes(colour=colour)}


def choose(page, field, file):
    """Pick ``file`` in the widget of ``field`` (the hidden file input its "Choose a file" opens)."""
    page.locator(f"#id_{field}-file").set_input_files(file)


def test_upload_an_event_logo_and_image_save_and_see_them(live_server, page, summit, violations):
    event, owner = summit
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.goto(live_server.url + reverse("event-settings", args=[event.identifier]))
    logo_field = page.locator("#id_logo_url")
    zone = page.locator("#id_logo_url + [data-upload-zone]")
    expect(zone.get_by_text("Choose a file")).to_be_visible()

    # Keyboard: Tab from the URL field reaches the native file input, named "Choose a file" (the
    # browser opens its chooser on Space); the file is then chosen in it.
    logo_field.focus()
    page.keyboard.press("Tab")
    picker = zone.get_by_label("Choose a file")
    expect(picker).to_be_focused()
    picker.set_input_files(png_file("logo.png", (10, 120, 200)))
    expect(zone.get_by_role("status")).to_have_text("Uploaded logo.png. Save the form to keep it.")
    expect(zone.locator("progress")).to_have_js_property("value", FULL)
    logo = logo_field.input_value()
    assert logo.startswith(f"{live_server.url}/media/uploads/image/")
    preview = zone.get_by_role("img", name="Preview")
    expect(preview).to_have_attribute("src", logo)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())

    image_zone = page.locator("#id_original_image_url + [data-upload-zone]")
    choose(page, "original_image_url", png_file("banner.png", (200, 60, 10)))
    expect(image_zone.get_by_role("status")).to_contain_text("Uploaded banner.png")
    image = page.locator("#id_original_image_url").input_value()
    assert image.startswith(f"{live_server.url}/media/uploads/image/")

    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The settings of “Pictured Summit” were saved.")).to_be_visible()
    saved = Event.objects.get(pk=event.pk)
    assert (saved.logo_url, saved.original_image_url) == (logo, image)
    variants = {"thumbnail": "thumbnail_image_url", "large": "large_image_url", "icon": "icon_image_url"}
    for variant, field in variants.items():
        assert fits(image_size(getattr(saved, field)), settings.IMAGE_VARIANT_SIZES[variant]), field
    assert fits(image_size(saved.logo_thumbnail_url), settings.IMAGE_VARIANT_SIZES["thumbnail"])

    page.goto(live_server.url + reverse("public-event", args=[event.identifier]))
    shown = page.locator("img.public-head__logo")
    expect(shown).to_have_attribute("src", saved.logo_thumbnail_url)  # the logo's variant, not the upload
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=shown.element_handle())
    expect(page.locator("img.public-banner")).to_have_attribute("src", saved.large_image_url)
    assert violations == []


def test_a_png_that_is_text_is_refused_with_the_servers_sentence(live_server, page, summit, violations):
    event, owner = summit
    text = b"I am only pretending to be a picture.\n"
    with pytest.raises(Invalid) as refusal:
        store_upload(io.BytesIO(text), kind="image")
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.goto(live_server.url + reverse("event-settings", args=[event.identifier]))
    page.locator("#id_logo_url").fill("https://example.org/old-logo.png")
    choose(page, "logo_url", {"name": "fake.png", "mimeType": "image/png", "buffer": text})
    status = page.locator("#id_logo_url + [data-upload-zone]").get_by_role("status")
    expect(status).to_have_text(refusal.value.message)
    expect(status).to_have_class("upload-field__status upload-field__status--error")
    expect(page.locator("#id_logo_url")).to_have_value("https://example.org/old-logo.png")
    assert violations == []


PHONE = {"width": 375, "height": 740}
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize(("path", "rich_text"), [("/events/{identifier}/settings/", True), ("/account/profile", False)])
def test_upload_widgets_do_not_scroll_a_phone_sideways(live_server, page, summit, violations, path, rich_text):
    """The widget's visually hidden file input once stuck out 55 px to the right at 375 px, and the
    rich-text editors' toolbars of the settings page 100 px."""
    event, owner = summit
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path.format(identifier=event.identifier))
    expect(page.get_by_text("Choose a file").first).to_be_visible()
    if rich_text:
        expect(page.locator(".prose-menubar").first).to_be_visible()
    assert page.evaluate(SCROLLS_SIDEWAYS) is False
    assert violations == []
