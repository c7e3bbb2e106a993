"""The "Mail templates" pages: an event's own wording of the mails the platform sends about it,
its live preview, save and reset; and the mails that follow use it."""
import pytest
from django.urls import reverse

from events.tests.helpers import count_queries
from mailing import organizer
from mailing.models import MailTemplate
from mailing.services import render_mail
from openevent.core.errors import Invalid, NotAllowed
from sessions_app import services as session_services
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

ACCEPTED = "session_accepted"
SUBJECT = "Welcome aboard, {speaker_name}!"
BODY = "Dear {speaker_name},\n\n“{session_title}” is in the program of {event_name}.\n\nSee {session_link}"


@pytest.fixture
def w():
    return Program()


def url(w, name, *args):
    return reverse(name, args=[w.event.identifier, *args])


def as_(client, w, who):
    if w.people[who] is not None:
        client.force_login(w.people[who])
    return client


# --- who may ---------------------------------------------------------------------------------------
PAGES = [
    ("mail-templates", ()),
    ("mail-template-edit", (ACCEPTED,)),
    ("mail-template-reset", (ACCEPTED,)),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("who", ["owner", "organizer", "coorganizer", "admin"])
def test_co_organizers_and_up_open_the_pages(client, w, name, args, who):
    assert as_(client, w, who).get(url(w, name, *args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("who", ["moderator", "track_organizer", "registrar", "speaker", "other_organizer", "plain"])
def test_others_are_refused(client, w, name, args, who):
    assert as_(client, w, who).get(url(w, name, *args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, w, name, args):
    response = client.get(url(w, name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["moderator", "speaker", "other_organizer"])
def test_others_cannot_save_preview_or_reset(client, w, who):
    MailTemplate.objects.create(event=w.event, action=ACCEPTED, subject="Ours", body="Ours")
    as_(client, w, who)
    theirs = {"subject": "Theirs", "body": "Theirs"}
    assert client.post(url(w, "mail-template-edit", ACCEPTED), theirs).status_code == 403
    assert client.post(url(w, "mail-template-preview", ACCEPTED), theirs).status_code == 403
    assert client.post(url(w, "mail-template-reset", ACCEPTED)).status_code == 403
    assert MailTemplate.objects.get().subject == "Ours"


def test_the_services_refuse_others_too(w):
    with pytest.raises(NotAllowed):
        organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, BODY, w.people["moderator"])
    with pytest.raises(NotAllowed):
        organizer.reset_mail_template(w.event, ACCEPTED, w.people["speaker"])


def test_a_mail_organizers_may_not_rewrite_has_no_page(client, w):
    as_(client, w, "owner")
    assert client.get(url(w, "mail-template-edit", "user_registration")).status_code == 404
    wording = {"subject": "x", "body": "y"}
    assert client.post(url(w, "mail-template-preview", "password_reset"), wording).status_code == 404
    assert client.get(url(w, "mail-template-edit", "nonsense")).status_code == 404


def test_the_event_navigation_links_the_mail_pages_for_co_organizers_only(client, w):
    dashboard = reverse("event-dashboard", args=[w.event.identifier])
    assert url(w, "mail-templates") in as_(client, w, "coorganizer").get(dashboard).content.decode()
    client.logout()
    assert url(w, "mail-templates") not in as_(client, w, "moderator").get(dashboard).content.decode()


# --- the list -------------------------------------------------------------------------------------
def test_the_list_shows_each_overridable_mail_as_default_or_customized(client, w):
    organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, BODY, w.people["owner"])
    page = as_(client, w, "coorganizer").get(url(w, "mail-templates")).content.decode()
    for action in organizer.overridable_actions():
        assert url(w, "mail-template-edit", action.key) in page
    assert page.count("Customized") == 1
    assert page.count(">Default<") == len(organizer.overridable_actions()) - 1
    assert "Session accepted" in page
    assert "Verify your e-mail" not in page


# --- the editor -----------------------------------------------------------------------------------
def test_the_editor_starts_from_the_default_wording_with_placeholders(client, w):
    response = as_(client, w, "coorganizer").get(url(w, "mail-template-edit", ACCEPTED))
    form = response.context["form"]
    assert form["subject"].value() == "Your session “{session_title}” was accepted at {event_name}"
    body = form["body"].value()
    assert body.startswith("Hello {speaker_name},")
    assert "{session_link}" in body
    # Only the mail's own text: the shared layout (signature) is added to every mail anyway.
    assert "-- \n" not in body
    page = response.content.decode()
    assert 'data-placeholder="session_title"' in page
    assert "The session&#x27;s title" in page or "The session's title" in page


def test_the_editor_shows_the_saved_wording(client, w):
    organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, BODY, w.people["owner"])
    form = as_(client, w, "coorganizer").get(url(w, "mail-template-edit", ACCEPTED)).context["form"]
    assert (form["subject"].value(), form["body"].value()) == (SUBJECT, BODY)


def test_the_preview_uses_the_events_own_data(client, w):
    accepted = SessionFactory(event=w.event, title="Rust in space", state="accepted")
    accepted.speakers.add(SpeakerFactory(event=w.event, name="Grace Hopper"))
    response = as_(client, w, "coorganizer").get(url(w, "mail-template-edit", ACCEPTED))
    preview = response.context["preview"]
    assert preview.subject == f"Your session “Rust in space” was accepted at {w.event.name}"
    assert "Hello Grace Hopper," in preview.text
    assert f"/e/{w.event.identifier}/session/{accepted.pk}" in preview.text
    # The HTML mail is shown in a frame that may do nothing, its styles allowed by their hashes.
    page = response.content.decode()
    assert 'sandbox=""' in page
    assert "srcdoc=" in page
    assert "'unsafe-hashes'" in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_the_preview_endpoint_renders_what_is_typed(client, w):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-template-preview", ACCEPTED), {"subject": SUBJECT, "body": BODY}
    )
    assert response.status_code == 200
    preview = response.json()
    speaker = w.speaker.name
    assert preview["subject"] == f"Welcome aboard, {speaker}!"
    first = f"Dear {speaker},\n\n“{w.own_session.title}” is in the program of {w.event.name}."
    assert preview["text"].startswith(first)
    assert f"<p>Dear {speaker},</p>" in preview["html"]
    assert preview["errors"] == {}


def test_the_preview_endpoint_names_unknown_placeholders(client, w):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-template-preview", ACCEPTED),
        {"subject": "Hi {nickname}", "body": "See {session_name} {event_name}"},
    )
    preview = response.json()
    assert preview["subject"] == "Hi {nickname}"
    assert preview["errors"] == {
        "subject": ["This mail has no placeholder {nickname}; use those listed beside the text."],
        "body": ["This mail has no placeholder {session_name}; use those listed beside the text."],
    }


def test_the_preview_frame_keeps_the_mail_inside_its_attribute(client, w):
    # Organizers' text, and the quotes of the layout, stay inside ``srcdoc``: nothing reaches the page.
    hostile = '"><script src="/evil.js"></script><img src=x onerror=alert(1)>'
    organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, hostile, w.people["owner"])
    page = as_(client, w, "coorganizer").get(url(w, "mail-template-edit", ACCEPTED)).content.decode()
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert "<script src=\"/evil.js\"" not in page
    assert "<img src=x" not in page


def test_lines_end_the_same_whatever_the_browser_posts(client, w):
    as_(client, w, "coorganizer").post(
        url(w, "mail-template-edit", ACCEPTED), {"subject": SUBJECT, "body": "One\r\n\r\nTwo {event_name}", "save": ""}
    )
    assert MailTemplate.objects.get().body == "One\n\nTwo {event_name}"


def test_the_preview_escapes_what_organizers_write_in_the_html_mail(client, w):
    preview = as_(client, w, "coorganizer").post(
        url(w, "mail-template-preview", ACCEPTED), {"subject": "x", "body": "<script>alert(1)</script>"}
    ).json()
    assert "<script>" not in preview["html"]
    assert "&lt;script&gt;" in preview["html"]


# --- saving ---------------------------------------------------------------------------------------
def test_saving_stores_the_wording(client, w):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-template-edit", ACCEPTED), {"subject": SUBJECT, "body": BODY, "save": ""}
    )
    assert response.status_code == 302
    template = MailTemplate.objects.get()
    assert (template.event, template.action, template.subject, template.body) == (w.event, ACCEPTED, SUBJECT, BODY)
    assert template.updated_by == w.people["coorganizer"]
    # Saving again changes the same row.
    client.post(url(w, "mail-template-edit", ACCEPTED), {"subject": "Again", "body": BODY, "save": ""})
    assert list(MailTemplate.objects.values_list("subject", flat=True)) == ["Again"]


def test_preview_without_javascript_saves_nothing(client, w):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-template-edit", ACCEPTED), {"subject": SUBJECT, "body": BODY, "preview": ""}
    )
    assert response.status_code == 200
    assert response.context["preview"].subject == f"Welcome aboard, {w.speaker.name}!"
    assert not MailTemplate.objects.exists()


@pytest.mark.parametrize(
    ("subject", "body", "field", "message"),
    [
        ("Hi {nickname}", BODY, "subject", "This mail has no placeholder {nickname}"),
        (SUBJECT, "Hi {speaker_name} from {organizer_name}, {x_y}", "body", "no placeholder {organizer_name}, {x_y}"),
        ("Two\nlines", BODY, "subject", "The subject is one line."),
        ("x" * 201, BODY, "subject", "at most 200 characters"),
        (SUBJECT, "x" * 20_001, "body", "at most 20000 characters"),
        ("", BODY, "subject", "This field is required."),
        (SUBJECT, "   ", "body", "Write the text of the mail."),
    ],
)
def test_bad_wording_is_a_form_error(client, w, subject, body, field, message):
    response = as_(client, w, "coorganizer").post(
        url(w, "mail-template-edit", ACCEPTED), {"subject": subject, "body": body, "save": ""}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not MailTemplate.objects.exists()


def test_the_service_checks_the_wording_too(w):
    with pytest.raises(Invalid) as refused:
        organizer.save_mail_template(w.event, ACCEPTED, "Hi {nickname}", BODY, w.people["owner"])
    assert refused.value.field == "subject"
    with pytest.raises(Invalid):
        organizer.save_mail_template(w.event, "user_registration", SUBJECT, BODY, w.people["owner"])
    assert not MailTemplate.objects.exists()


# --- reset ----------------------------------------------------------------------------------------
def test_reset_asks_first_then_deletes_the_events_wording(client, w):
    organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, BODY, w.people["owner"])
    other = Program()
    organizer.save_mail_template(other.event, ACCEPTED, SUBJECT, BODY, other.people["owner"])
    as_(client, w, "coorganizer")
    edit = client.get(url(w, "mail-template-edit", ACCEPTED)).content.decode()
    assert url(w, "mail-template-reset", ACCEPTED) in edit
    confirm = client.get(url(w, "mail-template-reset", ACCEPTED))
    assert "Reset to default" in confirm.content.decode()
    assert MailTemplate.objects.filter(event=w.event).exists()
    response = client.post(url(w, "mail-template-reset", ACCEPTED))
    assert response.status_code == 302
    assert not MailTemplate.objects.filter(event=w.event).exists()
    assert MailTemplate.objects.filter(event=other.event).exists()
    form = client.get(url(w, "mail-template-edit", ACCEPTED)).context["form"]
    assert form["subject"].value() == "Your session “{session_title}” was accepted at {event_name}"


# --- the mails that follow ------------------------------------------------------------------------
def test_the_acceptance_mail_uses_the_events_wording(w, mailoutbox, django_capture_on_commit_callbacks):
    organizer.save_mail_template(w.event, ACCEPTED, SUBJECT, BODY, w.people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        session_services.change_state(w.people["organizer"], w.own_session, "accepted")
    (message,) = mailoutbox
    assert message.to == [w.speaker.email]
    assert message.subject == f"Welcome aboard, {w.speaker.name}!"
    assert message.body.startswith(
        f"Dear {w.speaker.name},\n\n“{w.own_session.title}” is in the program of {w.event.name}."
    )
    assert f"/e/{w.event.identifier}/session/{w.own_session.pk}" in message.body


def test_other_events_keep_the_default_wording(w, mailoutbox, django_capture_on_commit_callbacks):
    other = Program()
    organizer.save_mail_template(other.event, ACCEPTED, SUBJECT, BODY, other.people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        session_services.change_state(w.people["organizer"], w.own_session, "accepted")
    (message,) = mailoutbox
    assert message.subject == f"Your session “{w.own_session.title}” was accepted at {w.event.name}"


# --- query counts ---------------------------------------------------------------------------------
@pytest.mark.parametrize("customized", [1, 7])
def test_the_list_runs_a_fixed_number_of_queries(client, w, customized):
    for action in organizer.overridable_actions()[:customized]:
        # (The release mail names no single session.)
        body = BODY if "session_title" in action.placeholders else "Dear {speaker_name},\n\n{changes}"
        organizer.save_mail_template(w.event, action.key, SUBJECT, body, w.people["owner"])
    as_(client, w, "coorganizer")
    response, queries = count_queries(lambda: client.get(url(w, "mail-templates")))
    assert response.status_code == 200
    # + the bell's unread count.
    assert queries == 7


@pytest.mark.parametrize("sessions", [1, 20])
def test_the_editor_runs_a_fixed_number_of_queries(client, w, sessions):
    for _ in range(sessions):
        SessionFactory(event=w.event, state="accepted").speakers.add(SpeakerFactory(event=w.event))
    as_(client, w, "coorganizer")
    response, queries = count_queries(lambda: client.get(url(w, "mail-template-edit", ACCEPTED)))
    assert response.status_code == 200
    # + the bell's unread count, and the platform settings (read afresh by each of the renders
    # of the default wording and the preview: the name and address of the platform).
    assert queries == 17


@pytest.mark.parametrize("action", [action.key for action in organizer.overridable_actions()])
def test_the_default_wording_of_every_mail_is_valid_and_reads_like_the_default_mail(w, action):
    # (A scheduled session: an organizer's wording has no conditions, the platform's may.)
    Session.objects.filter(pk=w.own_session.pk).update(starts_at=w.at(1), ends_at=w.at(2), microlocation=w.room)
    subject, body = organizer.default_wording(action)
    assert organizer.wording_errors(action, subject, body) == {}
    values = organizer.preview_values(w.event, action)
    default = render_mail(action, values, event=w.event)
    rewritten = organizer.preview_mail(w.event, action, subject, body)
    assert rewritten.subject == default.subject
    assert rewritten.text == default.text
