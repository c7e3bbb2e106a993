"""The data migration that puts stored HTML fields through the editor's sanitizer once."""
import importlib

import pytest
from django.apps import apps

from events.models import Event
from events.tests.factories import EventFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("sessions_app.migrations.0004_resanitize_html_fields")


def test_plain_paragraphs_become_markup_and_dropped_tags_keep_their_text():
    event = EventFactory()
    session = SessionFactory(event=event)
    Event.objects.filter(pk=event.pk).update(description="First.\n\nSecond.", code_of_conduct="<p>Kept</p>")
    Session.objects.filter(pk=session.pk).update(long_abstract="<h1>Title</h1><p>x <u>y</u></p>")
    migration.resanitize(apps, None)
    event.refresh_from_db()
    session.refresh_from_db()
    assert event.description == "<p>First.</p><p>Second.</p>"
    assert event.code_of_conduct == "<p>Kept</p>"
    assert session.long_abstract == "Title<p>x y</p>"


def test_trashed_rows_are_converted_too():
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(description="a\n\nb")
    event.soft_delete()
    migration.resanitize(apps, None)
    assert Event.all_objects.get(pk=event.pk).description == "<p>a</p><p>b</p>"
