"""A published public event with a schedule, for the public site's tests."""
import datetime

from events.models import CustomForm
from events.tests.factories import (
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    event_with_owner,
)
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

LONG_ABSTRACT = (
    "Open hardware meets open software in this talk about building community around sensors, "
    "firmware and the people who maintain them over many years of releases, regressions and "
    "celebrations; we close with a demonstration of the newest board and questions from everyone here."
)


class PublicWorld:
    """An event in Singapore (UTC+8) starting on a fixed day with two rooms, two tracks, a type,
    an open call and sessions in every state: ``talk`` (accepted, two speakers), ``keynote``
    (confirmed, second day), and ``pending``/``rejected``/``unscheduled`` ones the public never sees."""

    def __init__(self, **event_kwargs):
        start = datetime.datetime(2031, 5, 6, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Singapore
        event_kwargs = {"timezone": "Asia/Singapore", "starts_at": start,
                        "ends_at": start + datetime.timedelta(days=2, hours=10), **event_kwargs}  # fmt: skip
        self.event, self.owner = event_with_owner(is_sessions_speakers_enabled=True, **event_kwargs)
        event = self.event
        self.call = SpeakersCallFactory(event=event)
        self.room = MicrolocationFactory(event=event, name="Hall A", position=1)
        self.other_room = MicrolocationFactory(event=event, name="Lab B", position=2)
        self.track = TrackFactory(event=event, name="Hardware")
        self.other_track = TrackFactory(event=event, name="Community")
        self.type = SessionTypeFactory(event=event, name="Talk")
        self.alice = SpeakerFactory(event=event, name="Alice Jansen", position="Firmware Lead",
                                    organisation="Sensor Works", email="alice-private@example.org",
                                    mobile="+65 1234 9876", complex_field_values={"tshirt": "XL-SECRET"})  # fmt: skip
        self.bob = SpeakerFactory(event=event, name="Bob Okafor", organisation="Community Labs")
        self.talk = self.session("Open hardware for all", 1, microlocation=self.room, track=self.track,
                                 session_type=self.type, short_abstract=f"<p>{LONG_ABSTRACT}</p>")  # fmt: skip
        self.talk.speakers.add(self.alice, self.bob)
        self.keynote = self.session("Keynote: the road ahead", 25, state=Session.State.CONFIRMED,
                                    microlocation=self.other_room, track=self.other_track)  # fmt: skip
        self.keynote.speakers.add(self.bob)
        self.pending = self.session("Pending secret talk", 3, state=Session.State.PENDING, microlocation=self.room)
        self.rejected = self.session("Rejected secret talk", 4, state=Session.State.REJECTED, microlocation=self.room)
        self.unscheduled = SessionFactory(event=event, title="Unscheduled accepted talk")
        self.hidden_speaker = SpeakerFactory(event=event, name="Pending Person")
        self.pending.speakers.add(self.hidden_speaker)

    def session(self, title, hours, minutes=60, **kwargs):
        starts = self.event.starts_at + datetime.timedelta(hours=hours)
        return SessionFactory(event=self.event, title=title, starts_at=starts,
                              ends_at=starts + datetime.timedelta(minutes=minutes), **kwargs)  # fmt: skip

    def url(self, name="", **kwargs):
        base = f"/e/{self.event.identifier}/"
        return base + name.format(**kwargs)

    def public_field(self, form, identifier, name, *, public=True):
        return CustomForm.objects.create(event=self.event, form=form, field_identifier=identifier, name=name,
                                         is_complex=True, is_public=public, type="text")  # fmt: skip
