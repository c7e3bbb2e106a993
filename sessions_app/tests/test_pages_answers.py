"""Organizers see the custom answers of a session (its page) and of a speaker (its edit page)."""
import pytest
from django.urls import reverse

from events.models import CustomForm
from events.tests.helpers import staffed_event
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def custom(event, form, identifier, name, type_, position, **kwargs):
    return CustomForm.objects.create(
        event=event, form=form, field_identifier=identifier, name=name, type=type_, position=position,
        is_complex=True, **kwargs,
    )  # fmt: skip


def answers_section(html):
    start = html.index('id="answers-heading"')
    return html[start : html.index("</section>", start)]


def test_the_session_page_labels_answers_in_form_order_and_archives_the_rest(client):
    event, people = staffed_event()
    custom(event, "session", "tshirt-size", "T-shirt size", "select", 2, options=["S", "M", "L"])
    custom(event, "session", "diet", "Dietary needs", "checkbox", 1, options=["Vegan", "Halal", "None"])
    custom(event, "session", "first-time", "First talk?", "boolean", 3)
    custom(event, "session", "unanswered", "Never answered", "text", 4)
    session = SessionFactory(event=event, complex_field_values={
        "tshirt-size": "M", "diet": ["Vegan", "Halal"], "first-time": False, "old-question": "Kept answer",
    })  # fmt: skip
    client.force_login(people["organizer"])
    html = client.get(reverse("session-detail", args=[event.identifier, session.pk])).content.decode()
    section = answers_section(html)
    current, archived = section.split("Archived answers")
    assert current.index("Dietary needs") < current.index("T-shirt size") < current.index("First talk?")
    assert "<li>Vegan</li><li>Halal</li>" in current
    assert "<dd>M</dd>" in current
    assert "<dd>No</dd>" in current
    assert "Never answered" not in section
    assert "old-question" not in current
    assert "<code>old-question</code>" in archived
    assert "Kept answer" in archived


def test_a_session_without_answers_says_so(client):
    event, people = staffed_event()
    session = SessionFactory(event=event)
    client.force_login(people["moderator"])
    response = client.get(reverse("session-detail", args=[event.identifier, session.pk]))
    section = answers_section(response.content.decode())
    assert "No answers to custom fields." in section
    assert "Archived answers" not in section


def test_the_speaker_edit_page_shows_the_speakers_answers(client):
    event, people = staffed_event()
    custom(event, "speaker", "tshirt", "T-shirt", "select", 0, options=["S", "M", "L"])
    speaker = SpeakerFactory(event=event, complex_field_values={"tshirt": "L", "gone": ["a", "b"]})
    client.force_login(people["coorganizer"])
    response = client.get(reverse("speaker-edit", args=[event.identifier, speaker.pk]))
    assert response.status_code == 200
    section = answers_section(response.content.decode())
    current, archived = section.split("Archived answers")
    assert "<dt>T-shirt</dt>" in current
    assert "<dd>L</dd>" in current
    assert "<code>gone</code>" in archived
    assert "<li>a</li><li>b</li>" in archived


def test_the_new_speaker_page_has_no_answers_section(client):
    event, people = staffed_event()
    client.force_login(people["coorganizer"])
    html = client.get(reverse("speaker-create", args=[event.identifier])).content.decode()
    assert 'id="answers-heading"' not in html
