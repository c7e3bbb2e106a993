"""Shared helpers for the sessions and speakers tests."""
import datetime

from django.utils import timezone

from events.models import Event, SpeakersCall
from events.tests.factories import MicrolocationFactory, SessionTypeFactory, SpeakersCallFactory, TrackFactory
from events.tests.helpers import staffed_event
from openevent.api.tests.documents import ids, pointers, rel, resource_doc  # noqa: F401 (re-exported)
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


def session_doc(event=None, id=None, relationships=None, **attributes):
    return resource_doc("session", attributes, id=id, event=event, relationships=relationships)


def speaker_doc(event=None, id=None, relationships=None, **attributes):
    return resource_doc("speaker", attributes, id=id, event=event, relationships=relationships)


def close_call(program, how):
    """Make the call for papers of ``program`` refuse proposals in the way ``how`` names."""
    now = timezone.now()
    event = program.event
    if how == "closed":
        SpeakersCall.objects.filter(pk=program.call.pk).update(
            starts_at=now - datetime.timedelta(days=10), ends_at=now - datetime.timedelta(hours=1)
        )
    elif how == "not_open_yet":
        SpeakersCall.objects.filter(pk=program.call.pk).update(
            starts_at=now + datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=3)
        )
    elif how == "private":
        SpeakersCall.objects.filter(pk=program.call.pk).update(privacy="private")
    elif how == "no_call":
        program.call.soft_delete()
    elif how == "sessions_disabled":
        Event.objects.filter(pk=event.pk).update(is_sessions_speakers_enabled=False)
