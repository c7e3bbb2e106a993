"""Custom form answers (file and image fields) may point at our uploads or at other sites, never at
the export zips or import sources our storage keeps beside the uploads (security lessons 8, 15)."""
import pytest
from django.conf import settings

from events.services.custom_forms import create_field
from events.tests.images import SITE, stored_pdf, use_tmp_media
from openevent.core.errors import FieldErrors
from sessions_app import services
from sessions_app.models import Speaker
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


@pytest.fixture
def program():
    return Program()


@pytest.fixture
def paper(program):
    owner = program.people["owner"]
    field, _ = create_field(owner, program.event, {"form": "speaker", "name": "Paper", "type": "file"})
    return field.field_identifier


def answer(program, values):
    return services.update_speaker(program.speaker_user, program.speaker, {"complex_field_values": values})


@pytest.mark.parametrize("path", ["exports/1/0123456789abcdef0123456789abcdef.zip",
                                  "imports/0123456789abcdef0123456789abcdef.zip", "secret.txt"])
def test_an_answer_pointing_into_our_media_but_not_at_an_upload_is_refused(program, paper, path):
    with pytest.raises(FieldErrors) as refused:
        answer(program, {paper: f"{SITE}{settings.MEDIA_URL}{path}"})
    assert "not a file uploaded here" in str(refused.value.errors)
    assert Speaker.objects.get(pk=program.speaker.pk).complex_field_values == program.speaker.complex_field_values


def test_our_uploads_and_other_sites_media_paths_are_still_accepted(program, paper):
    for url in (stored_pdf(), "https://example.org/media/paper.pdf"):
        assert answer(program, {paper: url}).complex_field_values[paper] == url
