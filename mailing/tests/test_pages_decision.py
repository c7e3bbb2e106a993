"""The organizers' decision message, read by the speaker from My proposals (the mail log's
record of the state-change mail, so it lives with the mailing app)."""
import pytest
from django.urls import reverse

from events.tests.factories import SpeakersCallFactory, event_with_owner
from mailing.models import Mail
from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.test_pages_cfp import mine

pytestmark = pytest.mark.django_db
State = Session.State


def test_speaker_reads_the_decision_mail_of_their_session(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    event, _ = event_with_owner(owner, is_sessions_speakers_enabled=True)
    SpeakersCallFactory(event=event)
    user = UserFactory()
    session = mine(user, event=event, state=State.PENDING, title="Decided talk")
    other = SessionFactory(event=event, creator=user, state=State.PENDING, title="Other talk")
    other.speakers.add(Speaker.objects.get(event=event, user=user))
    with django_capture_on_commit_callbacks(execute=True):
        services.change_state(owner, session, State.ACCEPTED)
        services.change_state(owner, other, State.REJECTED)
    client.force_login(user)
    assert reverse("proposal-decision", args=[session.pk]) in client.get(reverse("my-proposals")).content.decode()
    body = client.get(reverse("proposal-decision", args=[session.pk])).content.decode()
    assert "Decided talk" in body
    assert "accepted" in body.lower()
    mail = Mail.objects.get(session=session, action="session_accepted")
    assert mail.subject in body
    assert Mail.objects.get(session=other).subject not in body


def test_decision_page_of_another_users_session_is_404(client):
    session = mine(UserFactory(), state=State.ACCEPTED)
    client.force_login(UserFactory())
    assert client.get(reverse("proposal-decision", args=[session.pk])).status_code == 404


