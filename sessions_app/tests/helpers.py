"""Shared helpers for the sessions and speakers tests."""
import datetime

from events.tests.factories import MicrolocationFactory, SessionTypeFactory, SpeakersCallFactory, TrackFactory
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory


class Program:
    """A published event taking proposals, with one user in every role, a track, a room, a
    session type, an open public call for speakers, and a speaker (``speaker_user``) with a
    pending session of their own."""

    def __init__(self, **event_kwargs):
        event_kwargs.setdefault("is_sessions_speakers_enabled", True)
        self.event, self.people = staffed_event(**event_kwargs)
        event = self.event
        self.call = SpeakersCallFactory(event=event)
        self.track = TrackFactory(event=event)
        self.room = MicrolocationFactory(event=event)
        self.session_type = SessionTypeFactory(event=event)
        self.speaker_user = UserFactory(email=f"speaker-{event.pk}@example.org")
        self.people["speaker"] = self.speaker_user
        self.speaker = SpeakerFactory(event=event, user=self.speaker_user, email=self.speaker_user.email)
        self.own_session = SessionFactory(event=event, state="pending", creator=self.speaker_user, track=self.track)
        self.own_session.speakers.add(self.speaker)

    def at(self, hours, minutes=0):
        """A moment ``hours`` after the event starts."""
        return self.event.starts_at + datetime.timedelta(hours=hours, minutes=minutes)

    def iso(self, hours, minutes=0):
        return self.at(hours, minutes).isoformat()


def rel(type_, pk):
    return {"data": None if pk is None else {"type": type_, "id": str(pk)}}


def session_doc(event=None, id=None, relationships=None, **attributes):
    data = {"type": "session", "attributes": attributes}
    relationships = dict(relationships or {})
    if event is not None:
        relationships["event"] = rel("event", event.pk)
    if relationships:
        data["relationships"] = relationships
    if id is not None:
        data["id"] = str(id)
    return {"data": data}


def speaker_doc(event=None, id=None, relationships=None, **attributes):
    data = {"type": "speaker", "attributes": attributes}
    relationships = dict(relationships or {})
    if event is not None:
        relationships["event"] = rel("event", event.pk)
    if relationships:
        data["relationships"] = relationships
    if id is not None:
        data["id"] = str(id)
    return {"data": data}


def ids(response):
    data = response.json_body["data"]
    if data is None:
        return set()
    if isinstance(data, dict):
        return {data["id"]}
    return {row["id"] for row in data}


def pointers(response):
    return [error.get("source", {}).get("pointer") for error in response.json_body["errors"]]
