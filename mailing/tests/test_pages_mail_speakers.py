""""Mail speakers": organizers write to the speakers of their event, chosen by session state,
track or by name; only that event's speakers can ever be recipients (security lesson 12), one mail
per address, each in the event's sent mail."""
import pytest
from django.urls import reverse

from events.tests.factories import TrackFactory
from events.tests.helpers import count_queries
from mailing import organizer
from mailing.models import Mail
from notifications.models import MessageSettings
from openevent.core.errors import Invalid, NotAllowed
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

SUBJECT = "News for {speaker_name}"
BODY = "Dear {speaker_name},\n\nabout {session_titles} at {event_name}: the rooms open at 8."


@pytest.fixture
def w():
    """The program of ``Program`` (a speaker with a pending session in a track), plus Ada with an
    accepted and a rejected session, Bob with an accepted one in another track, and Carol with no
    address."""
    w = Program()
    event = w.event
    w.other_track = TrackFactory(event=event, name="Data")
    w.ada = SpeakerFactory(event=event, name="Ada", email="ada@example.org")
    w.bob = SpeakerFactory(event=event, name="Bob", email="bob@example.org")
    w.carol = SpeakerFactory(event=event, name="Carol", email="")
    w.talk = SessionFactory(event=event, title="Talk", state="accepted", track=w.track)
    w.talk.speakers.add(w.ada, w.carol)
    SessionFactory(event=event, title="Old idea", state="rejected", track=w.track).speakers.add(w.ada)
    SessionFactory(event=event, title="Data talk", state="accepted", track=w.other_track).speakers.add(w.bob)
    return w


def url(w, name="mail-speakers"):
    return reverse(name, args=[w.event.identifier])


def as_(client, w, who):
    if w.people[who] is not None:
        client.force_login(w.people[who])
    return client


def post(client, w, send=True, **data):
    return client.post(url(w), {"subject": SUBJECT, "body": BODY, **data, **({"send": ""} if send else {})})


# --- who may ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["mail-speakers", "sent-mail"])
@pytest.mark.parametrize("who", ["owner", "organizer", "coorganizer", "admin"])
def test_co_organizers_and_up_open_the_pages(client, w, name, who):
    assert as_(client, w, who).get(url(w, name)).status_code == 200


@pytest.mark.parametrize("name", ["mail-speakers", "sent-mail"])
@pytest.mark.parametrize("who", ["moderator", "track_organizer", "registrar", "speaker", "other_organizer", "plain"])
def test_others_are_refused(client, w, name, who):
    assert as_(client, w, who).get(url(w, name)).status_code == 403


@pytest.mark.parametrize("name", ["mail-speakers", "sent-mail"])
def test_anonymous_visitors_are_sent_to_log_in(client, w, name):
    response = client.get(url(w, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["moderator", "speaker", "other_organizer"])
def test_others_cannot_send_or_preview(client, w, who, mailoutbox):
    as_(client, w, who)
    assert post(client, w, states=["accepted"]).status_code == 403
    assert client.post(url(w, "mail-speakers-preview"), {"states": ["accepted"]}).status_code == 403
    assert not Mail.objects.exists()
    with pytest.raises(NotAllowed):
        organizer.mail_speakers(w.event, w.people[who], subject=SUBJECT, body=BODY, states=["accepted"])


# --- recipients -----------------------------------------------------------------------------------
def test_speakers_of_sessions_in_the_chosen_states_get_one_mail_each(
    client, w, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(as_(client, w, "coorganizer"), w, states=["accepted"])
    assert response.status_code == 302
    assert response["Location"] == url(w, "sent-mail")
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"ada@example.org", "bob@example.org"}
    ada = by_address["ada@example.org"]
    assert ada.subject == "News for Ada"
    # Ada's sessions in the chosen states only.
    assert ada.body.startswith(f"Dear Ada,\n\nabout Talk at {w.event.name}: the rooms open at 8.")
    assert "Data talk" in by_address["bob@example.org"].body
    rows = Mail.objects.filter(event=w.event, action="speaker_mail")
    assert rows.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "2 mails queued." in page
    assert "Without an e-mail address, not written to: Carol." in page
    assert "ada@example.org" in page
    assert "News for Ada" in page


def test_tracks_narrow_the_states(client, w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(as_(client, w, "coorganizer"), w, states=["accepted", "pending"], tracks=[w.track.pk])
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.org", w.speaker.email]


def test_chosen_speakers_get_it_with_all_their_sessions(client, w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(as_(client, w, "coorganizer"), w, speakers=[w.ada.pk])
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    assert "about Old idea, Talk at" in message.body


def test_a_speaker_with_an_account_is_mailed_as_the_user(client, w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(as_(client, w, "coorganizer"), w, speakers=[w.speaker.pk])
    (mail,) = Mail.objects.all()
    assert mail.user == w.speaker_user
    assert [message.to for message in mailoutbox] == [[w.speaker_user.email]]


def test_one_mail_per_address(client, w, mailoutbox, django_capture_on_commit_callbacks):
    # The same person twice, under two spellings of the address.
    twin = SpeakerFactory(event=w.event, name="Ada L.", email="ADA@example.org")
    w.talk.speakers.add(twin)
    with django_capture_on_commit_callbacks(execute=True):
        post(as_(client, w, "coorganizer"), w, states=["accepted"], speakers=[twin.pk, w.ada.pk])
    assert sorted(message.to[0].lower() for message in mailoutbox) == ["ada@example.org", "bob@example.org"]
    assert Mail.objects.count() == 2


def test_a_speaker_of_another_event_is_refused(client, w, mailoutbox):
    other = Program()
    stranger = SpeakerFactory(event=other.event, name="Mallory", email="mallory@example.org")
    response = post(as_(client, w, "coorganizer"), w, speakers=[w.ada.pk, stranger.pk])
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(response.context["form"].errors["speakers"])
    assert not Mail.objects.exists()
    assert mailoutbox == []
    # The service refuses it too, whoever calls it.
    with pytest.raises(Invalid):
        organizer.mail_speakers(w.event, w.people["owner"], subject=SUBJECT, body=BODY, speaker_ids=[stranger.pk])
    assert not Mail.objects.exists()


def test_a_track_of_another_event_is_refused(client, w):
    other = Program()
    response = post(as_(client, w, "coorganizer"), w, states=["accepted"], tracks=[other.track.pk])
    assert "Select a valid choice" in " ".join(response.context["form"].errors["tracks"])
    with pytest.raises(Invalid):
        organizer.mail_speakers(w.event, w.people["owner"], subject=SUBJECT, body=BODY, track_ids=[other.track.pk])
    assert not Mail.objects.exists()


def test_there_is_no_address_field(client, w):
    response = post(as_(client, w, "coorganizer"), w, recipient="mallory@example.org", to="mallory@example.org")
    assert "Choose who gets the mail" in str(response.context["form"].non_field_errors())
    assert not Mail.objects.exists()


def test_bad_wording_is_a_form_error(client, w):
    response = post(as_(client, w, "coorganizer"), w, states=["accepted"], subject="Hi {session_title}")
    assert "no placeholder {session_title}" in " ".join(response.context["form"].errors["subject"])
    assert not Mail.objects.exists()


def test_nobody_matching_is_a_form_error(client, w):
    response = post(as_(client, w, "coorganizer"), w, states=["withdrawn"])
    assert "No speaker with an e-mail address matches" in " ".join(response.context["form"].errors["states"])
    assert not Mail.objects.exists()


def test_switched_off_mails_queue_nothing(client, w, mailoutbox):
    MessageSettings.objects.filter(action="speaker_mail").update(mail_status=False)
    response = post(as_(client, w, "coorganizer"), w, states=["accepted"])
    assert not Mail.objects.exists()
    assert "switched off" in client.get(response["Location"]).content.decode()


# --- preview --------------------------------------------------------------------------------------
def test_the_preview_shows_the_mail_as_a_chosen_recipient_gets_it(client, w):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-speakers-preview"),
        {"subject": SUBJECT, "body": BODY, "states": ["accepted"], "preview_for": w.bob.pk},
    )
    preview = response.json()
    assert preview["subject"] == "News for Bob"
    assert preview["text"].startswith(f"Dear Bob,\n\nabout Data talk at {w.event.name}")
    assert preview["summary"] == "This mail goes to 2 addresses."
    assert preview["recipient"] == "bob@example.org"
    assert preview["errors"] == {}
    assert not Mail.objects.exists()


def test_the_preview_is_of_the_first_recipient_otherwise(client, w):
    preview = as_(client, w, "coorganizer").post(
        url(w, "mail-speakers-preview"), {"subject": SUBJECT, "body": BODY, "speakers": [w.bob.pk, w.ada.pk]}
    ).json()
    assert preview["subject"] == "News for Ada"


def test_the_preview_refuses_a_foreign_speaker(client, w):
    stranger = SpeakerFactory(event=Program().event, email="mallory@example.org")
    preview = as_(client, w, "coorganizer").post(
        url(w, "mail-speakers-preview"),
        {"subject": SUBJECT, "body": BODY, "speakers": [stranger.pk], "preview_for": stranger.pk},
    ).json()
    assert "speakers" in preview["errors"]
    assert "mallory" not in preview["text"]
    assert preview["summary"] == "Choose the recipients."


def test_preview_without_javascript_sends_nothing(client, w):
    response = post(as_(client, w, "coorganizer"), w, send=False, states=["accepted"], preview="")
    assert response.status_code == 200
    assert response.context["preview"].subject == "News for Ada"
    assert "This mail goes to 2 addresses." in response.content.decode()
    assert not Mail.objects.exists()


# --- the sent mail --------------------------------------------------------------------------------
def _mails(event, count):
    Mail.objects.bulk_create(
        Mail(recipient=f"r{n}@example.org", event=event, action="speaker_mail", subject=f"Mail {n}")
        for n in range(count)
    )


def test_the_sent_mail_lists_only_this_events_mails(client, w):
    _mails(w.event, 2)
    _mails(Program().event, 1)
    Mail.objects.filter(event=w.event, subject="Mail 1").update(status="sent")
    page = as_(client, w, "coorganizer").get(url(w, "sent-mail"))
    assert [mail.subject for mail in page.context["mails"]] == ["Mail 1", "Mail 0"]
    assert "Showing 1–2 of 2 mails" in page.content.decode()


def test_the_sent_mail_is_paged(client, w):
    _mails(w.event, 60)
    as_(client, w, "coorganizer")
    first = client.get(url(w, "sent-mail"))
    assert len(first.context["mails"]) == 50
    second = client.get(url(w, "sent-mail") + "?page=2")
    assert len(second.context["mails"]) == 10
    assert "Showing 51–60 of 60 mails" in second.content.decode()


@pytest.mark.parametrize("mails", [1, 40])
def test_the_sent_mail_runs_a_fixed_number_of_queries(client, w, mails):
    _mails(w.event, mails)
    as_(client, w, "coorganizer")
    response, queries = count_queries(lambda: client.get(url(w, "sent-mail")))
    assert response.status_code == 200
    # + the bell's unread count.
    assert queries == 8


@pytest.mark.parametrize("speakers", [1, 25])
def test_the_mail_speakers_page_runs_a_fixed_number_of_queries(client, w, speakers):
    for _ in range(speakers):
        SpeakerFactory(event=w.event)
    as_(client, w, "coorganizer")
    response, queries = count_queries(lambda: client.get(url(w)))
    assert response.status_code == 200
    # + the bell's unread count and the platform settings (the preview's platform name).
    assert queries == 10
