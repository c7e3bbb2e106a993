"""The call for papers in the browser, through the pages: the call page in each of its states,
submitting a proposal (rows, mail, per-field errors, nothing written on refusal, prefill),
co-speakers and claiming their rows, My proposals (edit, withdraw, confirm, locked, another user's
session), the way back after logging in (no open redirect), and pinned query counts."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CustomForm, SpeakersCall
from events.services.custom_forms import ensure_form
from events.tests.factories import EventFactory, SpeakersCallFactory, TrackFactory, event_with_owner
from openevent.users.tests.factories import PASSWORD, UserFactory
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db
State = Session.State


def open_event(**kwargs):
    event = EventFactory(is_sessions_speakers_enabled=True, timezone="Asia/Singapore", **kwargs)
    SpeakersCallFactory(event=event, announcement="<p>Send us <strong>talks</strong></p>")
    return event


def submit_url(event, hash=None):
    url = reverse("cfp-submit", args=[event.identifier])
    return f"{url}?hash={hash}" if hash else url


def proposal(title="Open hardware", **extra):
    return {
        "session-title": title,
        "session-shortAbstract": "<p>Short</p>",
        "speaker-name": "Ada Lovelace",
        "speaker-organisation": "Analytical Engines",
        **extra,
    }


# --- the call page ------------------------------------------------------------------------------------
def test_open_call_page_shows_announcement_dates_countdown_and_submit(client):
    event = open_event()
    call = event.speakers_calls.get()
    call.ends_at = timezone.now() + datetime.timedelta(days=3, hours=2)
    call.save()
    body = client.get(reverse("cfp", args=[event.identifier])).content.decode()
    assert event.name in body
    assert "<strong>talks</strong>" in body
    assert "closes in <span data-countdown>3 days</span>" in body
    assert "Asia/Singapore" in body
    assert 'id="cfp-countdown"' in body
    assert "js/cfp-countdown.js" in body
    assert "Submit a proposal" in body


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [(1, 10, "The call opens in 1 day"), (-10, -1, "The call for speakers is closed.")],
)
def test_upcoming_and_closed_calls_say_so_without_submit(client, starts, ends, message):
    event = open_event()
    now = timezone.now()
    SpeakersCall.objects.filter(event=event).update(
        starts_at=now + datetime.timedelta(days=starts, minutes=5), ends_at=now + datetime.timedelta(days=ends)
    )
    body = client.get(reverse("cfp", args=[event.identifier])).content.decode()
    assert message in body
    assert "Submit a proposal" not in body


def test_no_call(client):
    event = EventFactory(is_sessions_speakers_enabled=True)
    body = client.get(reverse("cfp", args=[event.identifier])).content.decode()
    assert "This event has no call for speakers." in body


def test_private_call_needs_its_hash_and_leaks_nothing_without(client):
    event = open_event()
    call = event.speakers_calls.get()
    SpeakersCall.objects.filter(pk=call.pk).update(privacy="private")
    url = reverse("cfp", args=[event.identifier])
    body = client.get(url).content.decode()
    assert "private" in body
    assert "talks" not in body
    assert "Submit a proposal" not in body
    assert "talks" not in client.get(url + "?hash=wrong").content.decode()
    body = client.get(url + f"?hash={call.hash}").content.decode()
    assert "talks" in body
    assert submit_url(event, call.hash) in body


def test_draft_event_call_page_is_404_to_strangers_not_organizers(client):
    owner = UserFactory()
    event, _ = event_with_owner(owner, state="draft", is_sessions_speakers_enabled=True)
    SpeakersCallFactory(event=event)
    assert client.get(reverse("cfp", args=[event.identifier])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("cfp", args=[event.identifier])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("cfp", args=[event.identifier])).status_code == 200


def test_dashboard_links_the_call_page(client):
    owner = UserFactory()
    event, _ = event_with_owner(owner)
    client.force_login(owner)
    body = client.get(reverse("event-dashboard", args=[event.identifier])).content.decode()
    assert reverse("cfp", args=[event.identifier]) in body


# --- submitting ----------------------------------------------------------------------------------------
def test_anonymous_visitor_is_sent_to_log_in_and_back(client):
    event = open_event()
    response = client.get(submit_url(event, "abc"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    user = UserFactory()
    response = client.post(
        response.url, {"email": user.email, "password": PASSWORD, "next": submit_url(event, "abc")}
    )
    assert response.status_code == 302
    assert response.url == submit_url(event, "abc")


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_login_and_register_refuse_open_redirects(client, evil):
    user = UserFactory()
    response = client.post(reverse("login"), {"email": user.email, "password": PASSWORD, "next": evil})
    assert response.status_code == 302
    assert "evil" not in response.url
    body = client.get(reverse("register") + "?next=" + evil).content.decode()
    assert "evil.example" not in body


def test_register_keeps_next(client):
    body = client.get(reverse("register") + "?next=/e/x/cfp/submit").content.decode()
    assert 'value="/e/x/cfp/submit"' in body


def test_form_is_rendered_from_the_events_forms(client):
    event = open_event()
    TrackFactory(event=event, name="Hardware")
    ensure_form(event, "session")
    CustomForm.objects.filter(event=event, form="session", field_identifier="shortAbstract").update(is_required=True)
    CustomForm.objects.filter(event=event, form="session", field_identifier="longAbstract").update(is_included=False)
    CustomForm.objects.create(event=event, form="session", field_identifier="tshirt", name="T-shirt size",
                              type="select", options=["S", "M", "L"], is_complex=True, position=99,
                              description="For the speakers' gift")
    client.force_login(UserFactory(email="ada@example.org"))
    body = client.get(submit_url(event)).content.decode()
    assert "Short abstract *" in body
    assert 'aria-required="true"' in body
    assert "data-rich-text" in body
    assert "Long abstract" not in body
    assert ">Hardware</option>" in body
    assert '<option value="M">M</option>' in body.replace("\n", "")
    assert "gift" in body
    assert body.index("T-shirt size") > body.index("Title")
    assert body.index("Your speaker profile") > body.index("T-shirt")
    assert 'value="ada@example.org"' in body
    assert "disabled" in body


def test_submission_creates_rows_and_mails(client, django_capture_on_commit_callbacks, mailoutbox):
    event = open_event()
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    data = proposal(co_speaker_name_0="Grace", co_speaker_email_0="grace@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(event), data)
    session = Session.objects.get(event=event)
    assert response.status_code == 302
    assert response.url == reverse("cfp-submitted", args=[session.pk])
    assert session.state == State.PENDING
    assert session.title == "Open hardware"
    assert session.submitted_at
    own = Speaker.objects.get(event=event, user=user)
    assert own.email == "ada@example.org"
    assert own.organisation == "Analytical Engines"
    grace = Speaker.objects.get(event=event, email="grace@example.org")
    assert grace.user is None
    assert set(session.speakers.all()) == {own, grace}
    to_ada = [mail for mail in mailoutbox if mail.to == ["ada@example.org"]]
    assert to_ada
    assert "Open hardware" in to_ada[0].subject
    invite = [mail for mail in mailoutbox if "co-speaker" in mail.subject]
    assert invite
    assert invite[0].to == ["grace@example.org"]
    assert reverse("my-proposals") in invite[0].body
    assert "thank you" in client.get(response.url).content.decode().lower()


def test_required_field_error_is_on_that_field_and_nothing_is_written(client):
    event = open_event()
    ensure_form(event, "session")
    CustomForm.objects.filter(event=event, form="session", field_identifier="shortAbstract").update(is_required=True)
    client.force_login(UserFactory())
    response = client.post(submit_url(event), proposal(**{"session-shortAbstract": ""}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get("session-shortAbstract")
    assert not Session.objects.exists()
    assert not Speaker.objects.exists()


def test_refusal_is_summed_up_above_the_form(client):
    event = open_event()
    ensure_form(event, "session")
    CustomForm.objects.filter(event=event, form="session", field_identifier="shortAbstract").update(is_required=True)
    client.force_login(UserFactory())
    response = client.post(submit_url(event), proposal(**{"session-title": "", "session-shortAbstract": ""}))
    body = response.content.decode()
    summary = body[body.index('class="form-errors" role="alert"'):body.index("Your session")]
    assert "Nothing was saved yet: correct Title, Short abstract below." in summary
    assert not Session.objects.exists()


def test_valid_page_has_no_summary(client):
    event = open_event()
    client.force_login(UserFactory())
    assert "Nothing was saved yet" not in client.get(submit_url(event)).content.decode()


def test_number_field_steps_by_whole_numbers_and_keeps_decimals(client):
    event = open_event()
    ensure_form(event, "session")
    CustomForm.objects.create(event=event, form="session", field_identifier="years", name="Years of experience",
                              type="number", is_complex=True, position=99, min=0, max=50)
    client.force_login(UserFactory())
    body = client.get(submit_url(event)).content.decode()
    assert '<input type="number" name="session-years" step="any" min="0" max="50"' in body
    response = client.post(submit_url(event), proposal(**{"session-years": "2.5"}))
    assert response.status_code == 302
    assert Session.objects.get(event=event).complex_field_values == {"years": 2.5}


def test_my_proposals_is_in_the_main_navigation(client):
    client.force_login(UserFactory())
    body = client.get(reverse("my-events")).content.decode()
    nav = body[body.index('aria-label="Main"'):body.index("</nav>")]
    assert f'href="{reverse("my-proposals")}"' in nav
    assert "My proposals" in nav
    mine_page = client.get(reverse("my-proposals")).content.decode()
    assert f'href="{reverse("my-proposals")}" aria-current="page"' in mine_page


def test_service_refusal_of_a_co_speaker_leaves_nothing(client):
    event = open_event()
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    response = client.post(submit_url(event), proposal(co_speaker_email_0="ada@example.org"))
    assert response.status_code == 200
    assert "give another address" in str(response.context["form"].errors.get("co_speaker_email_0"))
    assert not Session.objects.exists()
    assert not Speaker.objects.exists()


def test_closed_call_refuses_and_writes_nothing(client):
    event = open_event()
    SpeakersCall.objects.filter(event=event).update(ends_at=timezone.now() - datetime.timedelta(minutes=1),
                                                    starts_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(UserFactory())
    response = client.post(submit_url(event), proposal())
    assert response.status_code == 403
    assert b"closed" in response.content
    assert not Session.objects.exists()


def test_private_call_submission_needs_hash(client):
    event = open_event()
    call = event.speakers_calls.get()
    SpeakersCall.objects.filter(pk=call.pk).update(privacy="private")
    client.force_login(UserFactory())
    assert client.post(submit_url(event), proposal()).status_code == 403
    response = client.post(submit_url(event, call.hash), proposal())
    assert response.status_code == 302
    assert Session.objects.filter(event=event).count() == 1


def test_profile_is_prefilled_from_latest_speaker_row(client):
    user = UserFactory(first_name="Ada", last_name="L")
    SpeakerFactory(user=user, event=EventFactory(), organisation="Old Org")
    SpeakerFactory(user=user, event=EventFactory(), organisation="Newest Org", name="Ada Byron")
    client.force_login(user)
    body = client.get(submit_url(open_event())).content.decode()
    assert 'value="Newest Org"' in body
    assert 'value="Ada Byron"' in body


def test_name_prefilled_from_account_without_speaker_rows(client):
    client.force_login(UserFactory(first_name="Grace", last_name="Hopper"))
    assert 'value="Grace Hopper"' in client.get(submit_url(open_event())).content.decode()


# --- co-speakers claim their rows ---------------------------------------------------------------------
@pytest.mark.parametrize("verified", [True, False])
def test_my_proposals_claims_rows_only_for_verified_address(client, verified):
    event = open_event()
    session = SessionFactory(event=event, state=State.PENDING, title="Shared talk")
    row = SpeakerFactory(event=event, email="grace@example.org", user=None, sessions=[session])
    grace = UserFactory(email="grace@example.org", is_verified=verified)
    client.force_login(grace)
    body = client.get(reverse("my-proposals")).content.decode()
    row.refresh_from_db()
    assert (row.user == grace) is verified
    assert ("Shared talk" in body) is verified


# --- My proposals -------------------------------------------------------------------------------------
def mine(user, event=None, **kwargs):
    event = event or open_event()
    session = SessionFactory(event=event, creator=user, **kwargs)
    SpeakerFactory(event=event, user=user, email=user.email, sessions=[session])
    return session


def test_my_proposals_lists_every_event_newest_first_with_actions(client):
    user = UserFactory()
    older = mine(user, title="Older", state=State.PENDING, submitted_at=timezone.now())
    newer = mine(user, title="Newer", state=State.ACCEPTED)
    locked = mine(user, title="Locked", state=State.PENDING, is_locked=True)
    SessionFactory(title="Someone else's")
    client.force_login(user)
    body = client.get(reverse("my-proposals")).content.decode()
    assert body.index("Locked") < body.index("Newer") < body.index("Older")
    assert "Someone else" not in body
    assert older.event.name in body
    assert "Pending" in body
    assert "Accepted" in body
    assert reverse("proposal-confirm", args=[newer.pk]) in body
    assert reverse("proposal-confirm", args=[older.pk]) not in body
    assert reverse("proposal-withdraw", args=[older.pk]) in body
    assert reverse("proposal-edit", args=[locked.pk]) not in body
    assert reverse("proposal-withdraw", args=[locked.pk]) not in body


def test_withdraw_asks_then_withdraws(client):
    user = UserFactory()
    session = mine(user, state=State.PENDING)
    client.force_login(user)
    assert b"Withdraw" in client.get(reverse("proposal-withdraw", args=[session.pk])).content
    session.refresh_from_db()
    assert session.state == State.PENDING
    client.post(reverse("proposal-withdraw", args=[session.pk]))
    session.refresh_from_db()
    assert session.state == State.WITHDRAWN


def test_confirm_accepted(client):
    user = UserFactory()
    session = mine(user, state=State.ACCEPTED)
    client.force_login(user)
    client.post(reverse("proposal-confirm", args=[session.pk]))
    session.refresh_from_db()
    assert session.state == State.CONFIRMED


def test_confirm_pending_is_refused(client):
    user = UserFactory()
    session = mine(user, state=State.PENDING)
    client.force_login(user)
    response = client.post(reverse("proposal-confirm", args=[session.pk]), follow=True)
    session.refresh_from_db()
    assert session.state == State.PENDING
    assert b"Only an accepted session" in response.content


def test_locked_session_cannot_be_withdrawn_or_edited(client):
    user = UserFactory()
    session = mine(user, state=State.PENDING, is_locked=True)
    client.force_login(user)
    client.post(reverse("proposal-withdraw", args=[session.pk]))
    response = client.post(reverse("proposal-edit", args=[session.pk]), proposal("Changed"))
    session.refresh_from_db()
    assert session.state == State.PENDING
    assert session.title != "Changed"
    assert response.status_code == 302


def test_edit_prefills_and_saves(client):
    user = UserFactory()
    session = mine(user, state=State.PENDING, title="Before")
    client.force_login(user)
    body = client.get(reverse("proposal-edit", args=[session.pk])).content.decode()
    assert 'value="Before"' in body
    response = client.post(reverse("proposal-edit", args=[session.pk]), proposal("After"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "After"
    assert Speaker.objects.get(event=session.event, user=user).organisation == "Analytical Engines"


@pytest.mark.parametrize("name", ["proposal-edit", "proposal-withdraw", "proposal-confirm", "cfp-submitted"])
def test_another_users_session_is_refused(client, name):
    session = mine(UserFactory(), state=State.ACCEPTED, title="Theirs")
    client.force_login(UserFactory())
    assert client.post(reverse(name, args=[session.pk]), proposal("Mine now")).status_code == 404
    session.refresh_from_db()
    assert session.title == "Theirs"
    assert session.state == State.ACCEPTED


def test_my_proposals_needs_login(client):
    response = client.get(reverse("my-proposals"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 5])
def test_my_proposals_query_count_is_constant(client, django_assert_num_queries, count):
    user = UserFactory()
    for index in range(count):
        mine(user, title=f"Talk {index}", state=State.PENDING, track=TrackFactory())
    client.force_login(user)
    client.get(reverse("my-proposals"))
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("my-proposals"))
    assert response.content.decode().count("Talk ") == count


QUERIES = 10  # session, user, bell, settings, claim, proposals + track, type, speakers; messages


# --- inviting a co-speaker after submitting -------------------------------------------------------------
def test_invite_co_speaker_from_the_edit_page(client, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    session = mine(user, state=State.PENDING, title="Shared")
    client.force_login(user)
    assert reverse("proposal-invite", args=[session.pk]) in client.get(
        reverse("proposal-edit", args=[session.pk])
    ).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposal-invite", args=[session.pk]), {"name": "Grace", "email": "grace@example.org"}, follow=True
        )
    assert "grace@example.org was invited" in response.content.decode()
    assert session.speakers.filter(email="grace@example.org", user=None).exists()
    assert [mail.to for mail in mailoutbox if "co-speaker" in mail.subject] == [["grace@example.org"]]


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-email", "Give a valid e-mail address for the co-speaker."), (None, "give another address")],
)
def test_invite_refusal_is_on_the_invite_form_with_what_was_typed(client, email, message):
    user = UserFactory()
    session = mine(user, state=State.PENDING, title="Shared")
    client.force_login(user)
    email = email or user.email
    response = client.post(reverse("proposal-invite", args=[session.pk]), {"name": "Grace", "email": email})
    assert response.status_code == 200
    body = response.content.decode()
    form = body[body.index('id="co-speakers-heading"'):]
    assert message in form
    assert 'aria-describedby="invite-email-error"' in form
    assert f'value="{email}"' in form
    assert 'value="Grace"' in form
    assert 'value="Shared"' in body  # the proposal form above is prefilled, not refused
    assert "Nothing was saved yet" not in body
    assert session.speakers.count() == 1


def test_invite_refused_by_a_closed_call_is_a_message(client):
    user = UserFactory()
    session = mine(user, state=State.PENDING)
    SpeakersCall.objects.filter(event=session.event).update(ends_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(user)
    response = client.post(reverse("proposal-invite", args=[session.pk]), {"email": "grace@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("proposal-edit", args=[session.pk])
    assert not Speaker.objects.filter(email="grace@example.org").exists()


def test_invite_to_another_users_session_is_404(client):
    session = mine(UserFactory(), state=State.PENDING)
    client.force_login(UserFactory())
    response = client.post(reverse("proposal-invite", args=[session.pk]), {"email": "x@example.org"})
    assert response.status_code == 404
    assert not Speaker.objects.filter(email="x@example.org").exists()
