"""Paragraph fields of the event's pages: every field kept as HTML is a rich-text textarea (the
editor's module enhances it), and plain text posted without JavaScript or sent through the API keeps
its paragraphs, the same way."""

import re

import pytest
from django.urls import reverse

from events.forms import EventForm, SpeakersCallForm, SponsorForm, TrackForm
from events.models import Event, SpeakersCall, Sponsor, Track
from events.tests.factories import event_with_owner
from events.tests.helpers import event_doc, valid_event_attributes
from openevent.core.forms import RichTextarea
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TWO_PARAGRAPHS = "Three days of open technology.\r\n\r\nTalks,\r\nworkshops & a hackathon."
AS_HTML = "<p>Three days of open technology.</p><p>Talks,<br>workshops &amp; a hackathon.</p>"


def rich_textareas(html):
    return set(re.findall(r'<textarea name="(\w+)"[^>]*data-rich-text', html))


@pytest.mark.parametrize(
    ("form", "model"),
    [(TrackForm, Track), (SponsorForm, Sponsor), (SpeakersCallForm, SpeakersCall)],
)
def test_every_html_field_of_the_program_forms_gets_the_editor_and_no_other(form, model):
    event, _ = event_with_owner()
    fields = form(event=event).fields
    rich = {name for name, field in fields.items() if isinstance(field.widget, RichTextarea)}
    assert rich == set(model.HTML_FIELDS) & set(fields)
    assert rich


def test_the_event_form_gives_the_editor_to_the_events_html_fields_it_has():
    assert EventForm.rich_text_fields == Event.HTML_FIELDS
    form = EventForm()
    assert isinstance(form.fields["description"].widget, RichTextarea)
    assert not isinstance(form.fields["name"].widget, RichTextarea)
    # The length cap still reaches the textarea.
    assert 'maxlength="20000"' in str(form["description"])


def test_the_create_page_renders_a_textarea_the_module_enhances(client):
    client.force_login(UserFactory())
    html = client.get(reverse("event-create")).content.decode()
    assert rich_textareas(html) == {"description"}
    assert '<label for="id_description">' in html  # without JavaScript, a labelled textarea
    assert re.search(r'<script type="module" src="/static/js/rich-text\.js">', html)


def test_plain_text_posted_without_javascript_keeps_its_paragraphs(client):
    owner = UserFactory()
    client.force_login(owner)
    response = client.post(
        reverse("event-create"),
        {
            "name": "Open Tech Summit",
            "starts_at": "2031-04-10T09:00",
            "ends_at": "2031-04-12T18:00",
            "timezone": "Asia/Singapore",
            "description": TWO_PARAGRAPHS,
            "privacy": "public",
            "state": "draft",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.description == AS_HTML
    dashboard = client.get(response["Location"]).content.decode()
    assert f'<div class="prose">{AS_HTML}</div>' in dashboard


def test_html_from_the_editor_is_stored_as_written(client):
    owner = UserFactory()
    client.force_login(owner)
    written = "<h2>Program</h2><p>One <strong>bold</strong> word</p><blockquote><p>Quote</p></blockquote>"
    client.post(
        reverse("event-create"),
        {"name": "Summit", "starts_at": "2031-04-10T09:00", "ends_at": "2031-04-12T18:00", "timezone": "UTC",
         "description": written, "privacy": "public", "state": "draft"},
    )  # fmt: skip
    assert Event.objects.get().description == written


def test_plain_text_through_the_api_keeps_its_paragraphs_the_same_way(api):
    user = UserFactory()
    attributes = valid_event_attributes(description=TWO_PARAGRAPHS, **{"code-of-conduct": "Be kind.\n\nBe fair."})
    response = api.as_user(user).post("/v1/events", event_doc(attributes))
    assert response.status_code == 201
    assert response.json_body["data"]["attributes"]["description"] == AS_HTML
    event = Event.objects.get()
    assert (event.description, event.code_of_conduct) == (AS_HTML, "<p>Be kind.</p><p>Be fair.</p>")


def test_a_track_description_posted_as_plain_text_keeps_its_paragraphs(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    response = client.post(
        reverse("part-create", args=[event.identifier, "tracks"]),
        {"name": "Web", "description": "One.\n\nTwo.", "color": "#1f6feb", "position": 0},
    )
    assert response.status_code == 302
    assert event.tracks.get().description == "<p>One.</p><p>Two.</p>"
    page = client.get(reverse("part-create", args=[event.identifier, "tracks"])).content.decode()
    assert rich_textareas(page) == {"description"}


def test_excerpts_of_paragraphs_do_not_run_together(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    client.post(
        reverse("part-create", args=[event.identifier, "tracks"]),
        {"name": "Web", "description": "One.\n\nTwo<b>fold</b>\nthree.", "color": "#1f6feb", "position": 0},
    )
    listing = client.get(reverse("part-list", args=[event.identifier, "tracks"])).content.decode()
    assert "One. Twofold three." in listing
