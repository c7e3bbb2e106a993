"""The upload widget on the speaker pages: the organizer's speaker form, the call for papers'
photo and its custom file and image questions. The plain forms, without JavaScript, still save."""

import re

import pytest
from django.urls import reverse

from events.services.custom_forms import create_field, ensure_form
from events.tests.images import uploaded_png, use_tmp_media
from sessions_app.models import Speaker
from sessions_app.tests.helpers import Program
from sessions_app.tests.test_pages_cfp import proposal, submit_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


@pytest.fixture
def program():
    return Program()


def input_tag(html, name):
    found = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    return found.group(0) if found else ""


def test_the_organizers_speaker_form_gives_the_photo_the_widget(client, program):
    client.force_login(program.people["organizer"])
    address = reverse("speaker-edit", args=[program.event.identifier, program.speaker.pk])
    html = client.get(address).content.decode()
    assert 'data-upload-field="image"' in input_tag(html, "photo_url")
    assert "js/upload-field.js" in html


def test_the_speaker_form_page_is_refused_to_the_speaker_and_outsiders(client, program):
    address = reverse("speaker-edit", args=[program.event.identifier, program.speaker.pk])
    client.force_login(program.speaker_user)
    assert client.get(address).status_code in (403, 404)
    client.force_login(program.people["registrar"])
    assert client.get(address).status_code in (403, 404)


def test_the_call_for_papers_form_gives_photo_file_and_image_questions_the_widget(client, program):
    owner = program.people["owner"]
    picture, _ = create_field(owner, program.event, {"form": "speaker", "name": "Badge picture", "type": "image"})
    paper, _ = create_field(owner, program.event, {"form": "session", "name": "Paper", "type": "file"})
    link, _ = create_field(owner, program.event, {"form": "session", "name": "Repository", "type": "url"})
    client.force_login(program.speaker_user)
    html = client.get(submit_url(program.event)).content.decode()
    assert 'data-upload-field="image"' in input_tag(html, "speaker-photoUrl")
    assert 'data-upload-field="image"' in input_tag(html, f"speaker-{picture.field_identifier}")
    assert 'data-upload-field="file"' in input_tag(html, f"session-{paper.field_identifier}")
    assert "data-upload-field" not in input_tag(html, f"session-{link.field_identifier}")


def test_a_proposal_with_an_uploaded_photo_saves_it_and_its_variants_follow(
    client, program, django_capture_on_commit_callbacks
):
    ensure_form(program.event, "speaker")
    photo = uploaded_png()
    client.force_login(program.people["plain"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(program.event), proposal(**{"speaker-photoUrl": photo}))
    assert response.status_code == 302
    speaker = Speaker.objects.get(event=program.event, photo_url=photo)
    assert all((speaker.thumbnail_image_url, speaker.small_image_url, speaker.icon_image_url))


def test_slides_video_and_audio_addresses_get_the_file_widget(client, program):
    client.force_login(program.people["organizer"])
    html = client.get(reverse("session-edit", args=[program.event.identifier, program.own_session.pk])).content.decode()
    for name in ("slides_url", "video_url", "audio_url"):
        assert 'data-upload-field="file"' in input_tag(html, name), name
    assert "data-upload-field" not in input_tag(html, "signup_url")
    client.force_login(program.speaker_user)
    html = client.get(submit_url(program.event)).content.decode()
    assert 'data-upload-field="file"' in input_tag(html, "session-slidesUrl")
