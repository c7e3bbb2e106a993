"""Schemathesis over the served OpenAPI document (``/v1/schema/``), in process through the WSGI app.

Every operation is one test item (xdist spreads them). Each generated request is sent three
times: anonymously, as a speaker of a session of the seeded event and as its organizer (JWT).
Each answer must be no server error, and its status, media type and body must be the ones the
schema documents. Bounded: a fixed number of examples per operation, derandomized (the same
requests on every run), and a deadline per example.

Each request runs inside a savepoint rolled back afterwards, so a DELETE or a state change of one
example leaves the seeded event whole for the next; side effects that wait for a commit (mail,
notifications, Celery tasks) never run. Path ids are mostly those of the seeded rows (a
``flatmap_path_parameters`` hook), so reads and writes really succeed, not only 404.

No operation is excluded. The cost (273 operations, 3 examples each, 9 requests per operation)
is about a minute of CPU on either database.
"""
import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import CustomForm, EventCopyright, Role, RoleInvite, SocialLink, Sponsor, UsersEventsRoles
from events.tests.factories import (
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    event_with_owner,
)
from mailing.models import Mail
from notifications.models import EmailNotification, Notification
from openevent.users.services import issue_tokens
from openevent.users.tests.factories import UserFactory
from openevent.wsgi import application
from sessions_app.models import Review, ScheduleBlock
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

#: Examples generated per operation; each is sent by the three callers.
MAX_EXAMPLES = 3
#: The cap on one example (three requests), in milliseconds.
DEADLINE_MS = 5000

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Generated requests only (no coverage phase, no stateful links), positive and negative data.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}, "examples": {"enabled": True}},
        "generation": {"mode": "all", "deterministic": True, "max-examples": MAX_EXAMPLES},
    }
)

schema = schemathesis.openapi.from_wsgi("/v1/schema/", application, config=CONFIG)

#: The ids of the seeded rows, by the path they are addressed under; filled per test by ``seeded``.
SEEDED = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Most examples address the seeded rows (real successes), the rest what was generated."""
    if not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path
    real = dict(path_parameters)
    for name in path_parameters:
        value = SEEDED.get((path.split("/")[2], name))
        if value is not None:
            real[name] = value
    if real == path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([real, real, path_parameters])


@pytest.fixture
def in_process_requests():
    """The WSGI handler closes the database connection around each request, which would end the
    test's transaction (PostgreSQL): as Django's own test client does, it keeps it here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, in_process_requests):
    organizer = UserFactory(email="organizer@example.org")
    event, _ = event_with_owner(organizer, name="Seeded Conference")
    speaker_user = UserFactory(email="speaker@example.org")
    track = TrackFactory(event=event)
    room = MicrolocationFactory(event=event)
    session_type = SessionTypeFactory(event=event)
    call = SpeakersCallFactory(event=event)
    starts = event.starts_at + datetime.timedelta(hours=1)
    session = SessionFactory(
        event=event, track=track, microlocation=room, session_type=session_type,
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45),
    )
    speaker = SpeakerFactory(event=event, user=speaker_user, email=speaker_user.email, sessions=[session])
    sponsor = Sponsor.objects.create(event=event, name="Sponsor")
    link = SocialLink.objects.create(event=event, name="Site", link="https://example.org")
    copyright_ = EventCopyright.objects.create(event=event, licence="CC BY 4.0")
    form = CustomForm.objects.create(event=event, form="speaker", field_identifier="tshirt", name="T-shirt")
    invite = RoleInvite.objects.create(
        email="invitee@example.org", event=event, role=Role.objects.get(name=Role.ORGANIZER), invited_by=organizer,
        token_hash="0" * 64, expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    block = ScheduleBlock.objects.create(
        event=event, title="Lunch", kind="lunch", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    review = Review.objects.create(session=session, reviewer=organizer, score=3)
    notification = Notification.objects.create(user=organizer, event=event, action="test", title="Hello")
    email_notification = EmailNotification.objects.create(user=organizer, event=event)
    mail = Mail.objects.create(recipient=organizer.email, user=organizer, event=event)
    ids = {
        "events": event.pk, "tracks": track.pk, "microlocations": room.pk, "session-types": session_type.pk,
        "speakers-calls": call.pk, "sessions": session.pk, "speakers": speaker.pk, "sponsors": sponsor.pk,
        "social-links": link.pk, "event-copyrights": copyright_.pk, "event-copyright": copyright_.pk,
        "custom-forms": form.pk, "users": organizer.pk, "role-invites": invite.pk, "schedule-blocks": block.pk,
        "reviews": review.pk, "notifications": notification.pk, "email-notifications": email_notification.pk,
        "mails": mail.pk, "users-events-roles": UsersEventsRoles.objects.get(event=event, user=organizer).pk,
    }
    SEEDED.clear()
    for prefix, pk in ids.items():
        SEEDED[(prefix, "id")] = pk
    for prefix in ("events",):
        SEEDED[(prefix, "event_pk")] = event.pk
        SEEDED[(prefix, "event_ref")] = event.pk
    SEEDED[("sessions", "session_pk")] = session.pk
    SEEDED[("users", "user_pk")] = organizer.pk
    callers = {
        "anonymous": {},
        "speaker": {"Authorization": f"JWT {issue_tokens(speaker_user)['access_token']}"},
        "organizer": {"Authorization": f"JWT {issue_tokens(organizer)['access_token']}"},
    }
    yield callers
    SEEDED.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=DEADLINE_MS,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
def test_api_conforms_to_its_schema(case, seeded):
    for headers in seeded.values():
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)
