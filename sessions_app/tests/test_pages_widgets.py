"""The session and speaker forms without JavaScript: abstracts and biographies are rich-text
textareas whose plain text keeps its paragraphs; the speakers are a native multiple select (the
module turns it into a searchable picker) that posts several speakers at once."""

import re

import pytest
from django.urls import reverse

from openevent.core.forms import RichTextarea, SearchableSelectMultiple
from sessions_app.forms import SessionForm, SpeakerForm
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    program = Program()
    client.force_login(program.people["owner"])
    client.program = program
    return client


def rich(form):
    return {name for name, field in form.fields.items() if isinstance(field.widget, RichTextarea)}


def test_html_fields_of_sessions_and_speakers_get_the_editor(organizer):
    event = organizer.program.event
    assert rich(SessionForm(event=event)) == set(Session.HTML_FIELDS)
    assert rich(SpeakerForm(event=event)) == set(Speaker.HTML_FIELDS)


def test_the_session_page_renders_the_speakers_as_a_select_the_picker_enhances(organizer):
    program = organizer.program
    html = organizer.get(reverse("session-create", args=[program.event.identifier])).content.decode()
    select = re.search(r'<select name="speakers"[^>]*>', html).group(0)
    assert "multiple" in select
    assert 'data-multi-select="speaker"' in select
    assert '<label for="id_speakers">' in html
    assert f'<option value="{program.speaker.pk}">{program.speaker.name}</option>' in html
    assert re.search(r'<script type="module" src="/static/js/multi-select\.js">', html)
    assert isinstance(SessionForm(event=program.event).fields["speakers"].widget, SearchableSelectMultiple)


def test_a_plain_post_links_two_speakers_and_keeps_the_abstracts_paragraphs(organizer):
    program = organizer.program
    other = SpeakerFactory(event=program.event, name="Grace Hopper")
    response = organizer.post(
        reverse("session-create", args=[program.event.identifier]),
        {
            "title": "Compilers",
            "state": "draft",
            "speakers": [program.speaker.pk, other.pk],
            "short_abstract": "Why compilers.\n\nHow they work.",
            "long_abstract": "First line\nsecond line",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get(title="Compilers")
    assert set(session.speakers.all()) == {program.speaker, other}
    assert session.short_abstract == "<p>Why compilers.</p><p>How they work.</p>"
    assert session.long_abstract == "<p>First line<br>second line</p>"
    page = organizer.get(response["Location"]).content.decode()
    assert program.speaker.name in page
    assert "Grace Hopper" in page


def test_a_plain_post_of_a_speakers_biography_keeps_its_paragraphs(organizer):
    program = organizer.program
    response = organizer.post(
        reverse("speaker-edit", args=[program.event.identifier, program.speaker.pk]),
        {"name": program.speaker.name, "email": program.speaker.email, "short_biography": "Ada.\n\nWrites code."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    program.speaker.refresh_from_db()
    assert program.speaker.short_biography == "<p>Ada.</p><p>Writes code.</p>"
