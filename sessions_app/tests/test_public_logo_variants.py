"""The public pages show the logos' thumbnails (``logo_thumbnail_url``, made by ``events.images``)
rather than the uploaded files, with their sizes given, and the logos themselves when they have
none (external logos)."""

import pytest

from events import services
from events.models import Event, Sponsor
from events.tests.images import uploaded_png, use_tmp_media
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db

EXTERNAL_LOGO = "https://example.org/logo.png"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def test_the_public_pages_show_the_logo_thumbnails(client, django_capture_on_commit_callbacks):
    w = PublicWorld()
    logo, sponsor_logo = uploaded_png(), uploaded_png(colour=(5, 6, 7))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(w.owner, w.event, logo_url=logo)
        services.create_part(w.owner, Sponsor, w.event, name="ACME", logo_url=sponsor_logo)
    event, sponsor = Event.objects.get(pk=w.event.pk), Sponsor.objects.get(event=w.event, name="ACME")
    assert event.logo_thumbnail_url
    assert sponsor.logo_thumbnail_url
    html = client.get(w.url()).content.decode()
    assert (f'<img class="public-head__logo" src="{event.logo_thumbnail_url}" alt="" width="64" height="64">'
            in html)
    assert f'<img src="{sponsor.logo_thumbnail_url}" alt="ACME" width="160" height="80" loading="lazy">' in html
    assert logo not in html
    assert sponsor_logo not in html
    schedule = client.get(w.url("schedule/")).content.decode()  # the header of every public page
    assert f'src="{event.logo_thumbnail_url}"' in schedule


def test_the_public_pages_fall_back_to_a_logo_without_variant(client, django_capture_on_commit_callbacks):
    w = PublicWorld()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(w.owner, w.event, logo_url=EXTERNAL_LOGO)
        services.create_part(w.owner, Sponsor, w.event, name="ACME", logo_url="https://example.org/acme.png")
    html = client.get(w.url()).content.decode()
    assert f'<img class="public-head__logo" src="{EXTERNAL_LOGO}" alt="" width="64" height="64">' in html
    assert '<img src="https://example.org/acme.png" alt="ACME" width="160" height="80" loading="lazy">' in html
