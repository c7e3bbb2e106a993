"""The zip's queries do not grow with the event: the same count for 1 session and for many."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exports.services import export_zip
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

from .helpers import full_event

pytestmark = pytest.mark.django_db

#: Queries of one zip (event, its copyright and links, the files' lists and counts, chunks).
EXPECTED_QUERIES = 15


def queries_of_export(event, tmp_path):
    with CaptureQueriesContext(connection) as captured:
        export_zip.write_event_zip(event, tmp_path / "event.zip", {"image": True, "document": True})
    return len(captured.captured_queries)


def test_query_count_is_pinned_for_one_and_many_rows(tmp_path):
    small, _owner, _sessions, _speakers = full_event(sessions=1)
    large, _owner, sessions, _speakers = full_event(sessions=6)
    for session in sessions:
        SpeakerFactory(event=large, sessions=[session])
    SessionFactory.create_batch(4, event=large)
    small.refresh_from_db()
    large.refresh_from_db()
    assert queries_of_export(small, tmp_path) == EXPECTED_QUERIES
    assert queries_of_export(large, tmp_path) == EXPECTED_QUERIES
