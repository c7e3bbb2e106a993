"""The organizer's sessions table and session page show no track, session type, room or proposer
that is in the trash, even though the session still points at it."""
import pytest
from django.urls import reverse

from events.tests.factories import MicrolocationFactory, SessionTypeFactory, TrackFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, program):
    client.force_login(program.people["owner"])
    return client


def test_trashed_parts_are_not_shown(owner, program):
    event = program.event
    track = TrackFactory(event=event, name="Bygone Track")
    kind = SessionTypeFactory(event=event, name="Bygone Type")
    room = MicrolocationFactory(event=event, name="Bygone Room")
    session = SessionFactory(event=event, title="Orphan talk", track=track, session_type=kind, microlocation=room,
                             creator=program.people["plain"])  # fmt: skip
    table = reverse("session-list", args=[event.identifier])
    detail = reverse("session-detail", args=[event.identifier, session.pk])
    for address in (table, detail):
        html = owner.get(address).content.decode()
        assert "Bygone Track" in html
        assert "Bygone Type" in html
        assert "Bygone Room" in html

    for part in (track, kind, room):
        part.soft_delete()
    program.people["plain"].soft_delete()
    creator_name = program.people["plain"].display_name
    for address in (table, detail):
        response = owner.get(address)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Bygone" not in html, address
        assert "Orphan talk" in html
    assert creator_name not in owner.get(detail).content.decode()
    # The live track of another session still shows.
    assert program.track.name in owner.get(table).content.decode()


def test_sorting_by_a_trashed_part_sorts_it_as_empty(owner, program):
    event = program.event
    Session.objects.all().delete()
    first = TrackFactory(event=event, name="AAA")
    SessionFactory(event=event, title="With trashed", track=first)
    SessionFactory(event=event, title="With live", track=TrackFactory(event=event, name="BBB"))
    SessionFactory(event=event, title="Without")
    first.soft_delete()
    response = owner.get(reverse("session-list", args=[event.identifier]), {"sort": "track"})
    # Empty cells come last, then equal cells by creation.
    assert [session.title for session in response.context["sessions"]] == ["With live", "With trashed", "Without"]
