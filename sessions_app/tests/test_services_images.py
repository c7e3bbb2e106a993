"""Uploaded speaker photos get their variants; custom file and image answers that point at our
storage must be files stored here (``events.services.custom_forms``)."""

import pytest
from django.conf import settings

from events.services.custom_forms import create_field
from events.tests.images import SITE, fits, image_size, stored_pdf, uploaded_png, use_tmp_media
from openevent.core.errors import FieldErrors
from sessions_app import services, tasks
from sessions_app.models import Speaker
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

SPEAKER_VARIANTS = {"thumbnail": "thumbnail_image_url", "small": "small_image_url", "icon": "icon_image_url"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


@pytest.fixture
def program():
    return Program()


def variants(speaker):
    return [getattr(speaker, field) for field in SPEAKER_VARIANTS.values()]


def test_an_uploaded_photo_gets_thumbnail_small_and_icon(program, django_capture_on_commit_callbacks):
    url = uploaded_png()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_speaker(program.speaker_user, program.speaker, {"photo_url": url})
    speaker = Speaker.objects.get(pk=program.speaker.pk)
    for variant, field in SPEAKER_VARIANTS.items():
        assert fits(image_size(getattr(speaker, field)), settings.IMAGE_VARIANT_SIZES[variant]), field


def test_a_speaker_created_with_an_uploaded_photo_gets_its_variants(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.create_speaker(program.people["organizer"], program.event, {
            "name": "Pictured", "email": "pictured@example.org", "photo_url": uploaded_png(),
        })  # fmt: skip
    assert all(variants(Speaker.objects.get(pk=made.pk)))


def test_an_external_photo_keeps_the_fields_as_given(program, django_capture_on_commit_callbacks):
    given = {"photo_url": "https://example.org/me.jpg", "thumbnail_image_url": "https://example.org/me-small.jpg"}
    with django_capture_on_commit_callbacks(execute=True):
        services.update_speaker(program.people["organizer"], program.speaker, given)
    speaker = Speaker.objects.get(pk=program.speaker.pk)
    assert variants(speaker) == ["https://example.org/me-small.jpg", "", ""]


def test_a_stale_photo_task_changes_nothing(program, django_capture_on_commit_callbacks):
    old, new = uploaded_png(), uploaded_png(colour=(9, 9, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_speaker(program.people["organizer"], program.speaker, {"photo_url": old})
    with django_capture_on_commit_callbacks(execute=True):
        services.update_speaker(program.people["organizer"], Speaker.objects.get(pk=program.speaker.pk), {
            "photo_url": new,
        })  # fmt: skip
    before = variants(Speaker.objects.get(pk=program.speaker.pk))
    tasks.task_make_speaker_images(program.speaker.pk, old)
    after = Speaker.objects.get(pk=program.speaker.pk)
    assert variants(after) == before
    assert after.photo_url == new


# --- custom file and image answers ----------------------------------------------------------------
@pytest.fixture
def fields(program):
    owner = program.people["owner"]
    picture, _ = create_field(owner, program.event, {"form": "speaker", "name": "Badge picture", "type": "image"})
    paper, _ = create_field(owner, program.event, {"form": "speaker", "name": "Paper", "type": "file"})
    return picture.field_identifier, paper.field_identifier


def answer(program, values):
    return services.update_speaker(program.speaker_user, program.speaker, {"complex_field_values": values})


def test_answers_may_be_our_uploads_or_other_addresses(program, fields):
    picture, paper = fields
    values = {picture: uploaded_png(), paper: stored_pdf()}
    assert answer(program, values).complex_field_values.items() >= values.items()
    external = {picture: "https://example.org/badge.png", paper: "https://example.org/paper.pdf"}
    assert answer(program, external).complex_field_values.items() >= external.items()


def test_an_image_answer_must_be_a_stored_image(program, fields):
    picture, _paper = fields
    with pytest.raises(FieldErrors) as refused:
        answer(program, {picture: stored_pdf()})
    assert "not an image" in str(refused.value.errors)


def test_an_answer_pointing_at_our_storage_must_be_a_stored_file(program, fields):
    picture, paper = fields
    missing = f"{SITE}{settings.MEDIA_URL}uploads/image/{'0' * 32}.png"
    with pytest.raises(FieldErrors) as refused:
        answer(program, {picture: missing, paper: f"{SITE}{settings.MEDIA_URL}uploads/document/../x.pdf"})
    errors = refused.value.errors
    assert set(errors) == {f"complex_field_values.{picture}", f"complex_field_values.{paper}"}
    assert all("not a file uploaded here" in message for message in errors.values())
    assert Speaker.objects.get(pk=program.speaker.pk).complex_field_values == program.speaker.complex_field_values
