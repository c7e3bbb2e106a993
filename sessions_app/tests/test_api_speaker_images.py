"""A speaker photo uploaded and set over /v1/speakers gets its variants after commit; only the
speaker and the event's organizers set it."""

import pytest

from events.tests.images import uploaded_png, use_tmp_media
from sessions_app.models import Speaker
from sessions_app.tests.helpers import Program, speaker_doc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def test_a_photo_set_over_the_api_gets_its_variants(api, django_capture_on_commit_callbacks):
    program = Program()
    photo = uploaded_png()
    body = speaker_doc(id=program.speaker.pk, **{"photo-url": photo})
    refused = api.as_user(program.people["plain"]).patch(f"/v1/speakers/{program.speaker.pk}", body)
    assert refused.status_code in (403, 404)  # a stranger may not even see a pending speaker
    assert Speaker.objects.get(pk=program.speaker.pk).photo_url != photo
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(program.speaker_user).patch(f"/v1/speakers/{program.speaker.pk}", body)
    assert response.status_code == 200, response.json_body
    speaker = Speaker.objects.get(pk=program.speaker.pk)
    assert speaker.photo_url == photo
    attributes = response.json_body["data"]["attributes"]
    assert attributes["photo-url"] == photo
    assert all((speaker.thumbnail_image_url, speaker.small_image_url, speaker.icon_image_url))
