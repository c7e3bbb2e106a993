"""sessions_app.services.proposals: submitting, co-speakers (limits, reuse, refusals, the mail),
claiming rows by a verified address, withdraw and confirm."""
import datetime

import pytest
from django.utils import timezone

from events.models import CustomForm, SpeakersCall
from events.services.custom_forms import ensure_form
from events.tests.factories import EventFactory, SpeakersCallFactory
from openevent.core.errors import FieldErrors, Invalid, NotAllowed
from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
State = Session.State


@pytest.fixture
def event():
    event = EventFactory(is_sessions_speakers_enabled=True)
    SpeakersCallFactory(event=event)
    return event


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")


def submit(user, event, **session):
    return services.submit_proposal(user, event, {"title": "Talk", **session}, {"name": "Ada"})


def test_submit_creates_pending_session_with_own_speaker_row(ada, event):
    session = submit(ada, event)
    assert session.state == State.PENDING
    speaker = Speaker.objects.get(event=event, user=ada)
    assert speaker.email == "ada@example.org"
    assert list(session.speakers.all()) == [speaker]


def test_second_submission_reuses_the_speaker_row(ada, event):
    submit(ada, event)
    services.submit_proposal(ada, event, {"title": "Another"}, {"name": "Ada L", "organisation": "Engines"})
    speaker = Speaker.objects.get(event=event, user=ada)
    assert speaker.organisation == "Engines"
    assert Session.objects.filter(event=event).count() == 2


def test_required_fields_of_both_parts_come_back_at_once_and_nothing_is_written(ada, event):
    ensure_form(event, "session")
    ensure_form(event, "speaker")
    CustomForm.objects.filter(event=event, field_identifier__in=["shortAbstract", "organisation"]).update(
        is_required=True
    )
    with pytest.raises(FieldErrors) as caught:
        submit(ada, event)
    assert set(caught.value.errors) >= {"session.short_abstract", "speaker.organisation"}
    assert not Session.objects.exists()
    assert not Speaker.objects.exists()


def test_closed_call_refuses(ada, event):
    SpeakersCall.objects.filter(event=event).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(NotAllowed):
        submit(ada, event)
    assert not Speaker.objects.exists()


def test_invite_co_speaker_makes_an_unclaimed_row_and_mails_it(
    ada, event, django_capture_on_commit_callbacks, mailoutbox
):
    session = submit(ada, event, title="Open hardware")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.invite_co_speaker(ada, session, "Grace@Example.org", "Grace")
    assert row.user is None
    assert row.email == "grace@example.org"
    assert row in session.speakers.all()
    [mail] = [mail for mail in mailoutbox if mail.to == ["grace@example.org"]]
    assert "Ada Lovelace added you as a co-speaker" in mail.subject
    assert "Open hardware" in mail.body
    assert event.name in mail.body
    assert "/proposals/" in mail.body


def test_existing_speaker_of_the_event_is_linked_not_duplicated(ada, event):
    existing = SpeakerFactory(event=event, email="grace@example.org")
    session = submit(ada, event)
    assert services.invite_co_speaker(ada, session, "grace@example.org") == existing
    assert Speaker.objects.filter(event=event, email="grace@example.org").count() == 1


def test_own_address_and_bad_address_are_refused(ada, event):
    session = submit(ada, event)
    with pytest.raises(Invalid, match="another address"):
        services.invite_co_speaker(ada, session, "ADA@example.org")
    with pytest.raises(Invalid):
        services.invite_co_speaker(ada, session, "not an address")


def test_at_most_five_co_speakers(ada, event):
    session = submit(ada, event)
    for index in range(services.MAX_CO_SPEAKERS):
        services.invite_co_speaker(ada, session, f"co{index}@example.org")
    with pytest.raises(Invalid, match="at most 5"):
        services.invite_co_speaker(ada, session, "sixth@example.org")
    assert session.speakers.count() == 6


def test_only_the_owner_invites_and_only_while_open(ada, event):
    session = submit(ada, event)
    with pytest.raises(NotAllowed):
        services.invite_co_speaker(UserFactory(), session, "x@example.org")
    SpeakersCall.objects.filter(event=event).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(NotAllowed):
        services.invite_co_speaker(ada, session, "x@example.org")
    assert not Speaker.objects.filter(email="x@example.org").exists()


def test_a_refused_co_speaker_rolls_back_the_whole_submission(ada, event):
    with pytest.raises(FieldErrors) as caught:
        services.submit_proposal(ada, event, {"title": "Talk"}, {"name": "Ada"}, [("Me", "ada@example.org")])
    assert "co_speakers.0.email" in caught.value.errors
    assert not Session.objects.exists()
    assert not Speaker.objects.exists()


def test_claim_links_rows_of_a_verified_address_only(event):
    row = SpeakerFactory(event=event, email="grace@example.org", user=None)
    unverified = UserFactory(email="grace@example.org", is_verified=False)
    assert services.claim_speaker_rows(unverified) == []
    row.refresh_from_db()
    assert row.user is None
    unverified.is_verified = True
    unverified.save()
    assert services.claim_speaker_rows(unverified) == [row]
    row.refresh_from_db()
    assert row.user == unverified


def test_withdraw_and_confirm(ada, event):
    session = submit(ada, event)
    with pytest.raises(NotAllowed):
        services.confirm(ada, session)
    Session.objects.filter(pk=session.pk).update(state=State.ACCEPTED)
    session.refresh_from_db()
    services.confirm(ada, session)
    assert Session.objects.get(pk=session.pk).state == State.CONFIRMED
    services.withdraw(ada, session)
    assert Session.objects.get(pk=session.pk).state == State.WITHDRAWN


def test_stranger_cannot_withdraw(ada, event):
    session = SessionFactory(event=event, state=State.PENDING)
    with pytest.raises(NotAllowed):
        services.withdraw(ada, session)
