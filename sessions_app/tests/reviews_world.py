"""A program with reviewers, for the review tests: the moderator reviews every session, the
track organizer only the first track's, the registrar (not marked) reviews nothing."""
import datetime

from django.utils import timezone

from events.services import reviews as review_services
from events.tests.factories import TrackFactory
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program


class ReviewWorld(Program):
    def __init__(self, **event_kwargs):
        super().__init__(**event_kwargs)
        people = self.people
        self.other_track = TrackFactory(event=self.event)
        self.owner = people["owner"]
        self.all_reviewer = people["moderator"]
        self.track_reviewer = people["track_organizer"]
        review_services.mark_reviewer(self.owner, self.event, self.all_reviewer)
        review_services.mark_reviewer(self.owner, self.event, self.track_reviewer, tracks=[self.track])
        # ``own_session`` (pending, in ``track``) is the speaker's; ``other`` is in the other track.
        self.other = SessionFactory(event=self.event, state="pending", track=self.other_track, title="Other talk")
        # A pending proposal the moderator speaks in: theirs is never theirs to review.
        self.reviewer_speaks = SessionFactory(event=self.event, state="pending", track=self.track)
        self.reviewer_speaks.speakers.add(SpeakerFactory(event=self.event, user=self.all_reviewer))
        self.stranger = UserFactory()
        people["stranger"] = self.stranger

    def end_reviews(self):
        review_services.update_review_settings(
            self.owner, self.event, ends_at=timezone.now() - datetime.timedelta(minutes=1)
        )
