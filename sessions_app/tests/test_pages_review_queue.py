"""The review pages as users meet them: a reviewer gets the next proposal, scores it and gets the
next; re-opens a review to change it; the scale, the end of the phase and anonymity show; the wrong
users are refused; co-organizers set the reviews up on the settings page."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Reviewer, ReviewSettings
from events.services import custom_forms
from events.services import reviews as review_services
from sessions_app.models import Review
from sessions_app.services import reviews as session_review_services
from sessions_app.tests.factories import SpeakerFactory
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = ReviewWorld()
    world.own_session.title = "Open hardware for everyone"
    shirt, _ = custom_forms.create_field(world.owner, world.event, {
        "form": "session", "name": "T-shirt size", "type": "select", "options": ["S", "M", "L"],
    })
    world.own_session.complex_field_values = {shirt.field_identifier: "L", "dropped": "kept"}
    world.own_session.save()
    world.other.speakers.add(SpeakerFactory(event=world.event, name="Grace Hopper"))
    return world


def queue_url(w):
    return reverse("review-page", args=[w.event.identifier])


def settings_url(w):
    return reverse("review-settings", args=[w.event.identifier])


def as_user(client, user):
    client.force_login(user)
    return client


# --- the queue -------------------------------------------------------------------------------------
def test_a_reviewer_scores_the_next_proposal_and_gets_the_one_after(client, w):
    as_user(client, w.all_reviewer)
    page = client.get(queue_url(w))
    assert page.status_code == 200
    first = page.context["session"]
    assert first in (w.own_session, w.other)
    assert first != w.reviewer_speaks
    html = page.content.decode()
    assert first.title in html
    assert "Save and next" in html

    response = client.post(queue_url(w), {"session": first.pk, "score": "3", "comment": "Strong."})
    assert response.status_code == 302
    review = Review.objects.get(session=first, reviewer=w.all_reviewer)
    assert (review.score, review.comment) == (3, "Strong.")

    page = client.get(response["Location"])
    html = page.content.decode()
    assert f"Your review of “{first.title}” was saved." in html
    second = page.context["session"]
    assert second is not None
    assert second not in (first, w.reviewer_speaks)
    # My reviews lists the first, linked to change it.
    assert f'href="?session={first.pk}"' in html

    client.post(queue_url(w), {"session": second.pk, "score": "1"})
    page = client.get(queue_url(w))
    assert page.context["session"] is None
    assert "Nothing left to review" in page.content.decode()
    assert Review.objects.filter(reviewer=w.all_reviewer).count() == 2


def test_the_proposal_shows_its_answers_and_speakers_unless_the_reviews_are_anonymous(client, w):
    as_user(client, w.all_reviewer)
    html = client.get(queue_url(w), {"session": w.other.pk}).content.decode()
    assert "Grace Hopper" in html
    html = client.get(queue_url(w), {"session": w.own_session.pk}).content.decode()
    assert "<dt>T-shirt size</dt><dd>L</dd>" in html
    assert "<dt>dropped</dt><dd>kept</dd>" in html

    review_services.update_review_settings(w.owner, w.event, is_anonymous=True)
    html = client.get(queue_url(w), {"session": w.other.pk}).content.decode()
    assert "Grace Hopper" not in html
    assert "<dt>Speakers</dt>" not in html
    assert w.other.title in html


def test_reopening_a_review_shows_its_score_and_saving_changes_it(client, w):
    session_review_services.write_review(w.all_reviewer, w.other, 1, "Hm.")
    as_user(client, w.all_reviewer)
    page = client.get(queue_url(w), {"session": w.other.pk})
    assert page.context["session"] == w.other
    html = page.content.decode()
    checked = re.findall(r'<input type="radio" name="score" value="(\d+)"[^>]*checked', html)
    assert checked == ["1"]
    assert "Hm." in html

    client.post(queue_url(w), {"session": w.other.pk, "score": "2", "comment": "Better on reread."})
    review = Review.objects.get(session=w.other, reviewer=w.all_reviewer)
    assert (review.score, review.comment) == (2, "Better on reread.")
    assert Review.objects.filter(session=w.other).count() == 1


def test_the_scale_and_labels_come_from_the_settings(client, w):
    review_services.update_review_settings(
        w.owner, w.event, score_min=1, score_max=5, score_labels={"1": "Reject", "5": "Must have"}
    )
    as_user(client, w.all_reviewer)
    html = client.get(queue_url(w)).content.decode()
    assert "1 · Reject" in html
    assert "5 · Must have" in html
    assert 'value="0"' not in html
    assert "(keys 1–5, Enter saves)" in html


@pytest.mark.parametrize("score", ["4", "-1", "x", ""])
def test_a_score_off_the_scale_is_a_form_error_and_writes_nothing(client, w, score):
    as_user(client, w.all_reviewer)
    response = client.post(queue_url(w), {"session": w.other.pk, "score": score})
    assert response.status_code == 200
    assert response.context["form"].errors["score"]
    assert 'role="alert"' in response.content.decode()
    assert not Review.objects.exists()


def test_a_track_reviewer_gets_only_their_tracks_proposals(client, w):
    as_user(client, w.track_reviewer)
    # Their track holds the speaker's session and one the moderator speaks in; not the other track's.
    assert client.get(queue_url(w)).context["session"] in (w.own_session, w.reviewer_speaks)
    assert client.get(queue_url(w), {"session": w.other.pk}).status_code == 404
    response = client.post(queue_url(w), {"session": w.other.pk, "score": "3"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_nobody_reviews_a_session_they_speak_in(client, w):
    as_user(client, w.all_reviewer)
    assert client.get(queue_url(w), {"session": w.reviewer_speaks.pk}).status_code == 404
    assert client.post(queue_url(w), {"session": w.reviewer_speaks.pk, "score": "3"}).status_code == 403
    assert not Review.objects.exists()


def test_after_the_phase_ends_the_page_says_so_and_refuses_scores(client, w):
    session_review_services.write_review(w.all_reviewer, w.other, 1)
    w.end_reviews()
    as_user(client, w.all_reviewer)
    html = client.get(queue_url(w)).content.decode()
    assert "The review phase ended" in html
    assert "Save and next" not in html
    assert f'href="?session={w.other.pk}"' not in html
    response = client.post(queue_url(w), {"session": w.other.pk, "score": "3"})
    assert response.status_code == 200
    assert "The review phase ended" in response.content.decode()
    assert Review.objects.get(session=w.other, reviewer=w.all_reviewer).score == 1


def test_a_coorganizer_who_does_not_review_is_told_so(client, w):
    as_user(client, w.people["coorganizer"])
    page = client.get(queue_url(w))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are not a reviewer of this event." in html
    assert "Review settings" in html
    assert f'the <a href="{settings_url(w)}">review settings</a>' in html
    response = client.post(queue_url(w), {"session": w.other.pk, "score": "3"})
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["speaker", "registrar", "plain", "other_organizer"])
def test_the_wrong_users_are_refused_the_queue(client, w, who):
    as_user(client, w.people[who])
    assert client.get(queue_url(w)).status_code == 403
    assert client.post(queue_url(w), {"session": w.other.pk, "score": "3"}).status_code == 403
    assert not Review.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(queue_url(w))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_speakers_never_see_reviews_on_their_proposals(client, w):
    session_review_services.write_review(w.all_reviewer, w.own_session, 0, "Weak; the reviewer's words.")
    as_user(client, w.speaker_user)
    for url in (reverse("my-proposals"), reverse("proposal-edit", args=[w.own_session.pk])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert w.own_session.title in html
        assert "Weak; the reviewer" not in html
        assert w.all_reviewer.email not in html


# --- settings --------------------------------------------------------------------------------------
def settings_post(**data):
    base = {"action": "settings", "score_min": "0", "score_max": "3", "ends_at": "", "is_anonymous": ""}
    return {**base, **data}


def test_a_coorganizer_sets_scale_labels_end_and_anonymity(client, w):
    as_user(client, w.people["coorganizer"])
    page = client.get(settings_url(w))
    assert page.status_code == 200
    assert "Label of score 3" in page.content.decode()

    ends = (timezone.now() + datetime.timedelta(days=3)).astimezone(datetime.UTC).replace(second=0, microsecond=0)
    w.event.timezone = "UTC"
    w.event.save(update_fields=["timezone"])
    response = client.post(settings_url(w), settings_post(
        score_max="3", label_0="No", label_3="Yes", is_anonymous="on", ends_at=ends.strftime("%Y-%m-%dT%H:%M"),
    ))
    assert response.status_code == 302
    row = ReviewSettings.objects.get(event=w.event)
    assert (row.score_min, row.score_max, row.is_anonymous) == (0, 3, True)
    assert row.score_labels == {"0": "No", "3": "Yes"}
    assert row.ends_at == ends
    assert "The review settings were saved." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("data", "field"), [
    ({"score_min": "3", "score_max": "1"}, "score_max"),
    ({"score_min": "0", "score_max": "50"}, "score_max"),
    ({"score_min": "x"}, "score_min"),
])
def test_a_bad_scale_is_a_form_error_and_changes_nothing(client, w, data, field):
    as_user(client, w.people["coorganizer"])
    response = client.post(settings_url(w), settings_post(**data))
    assert response.status_code == 200
    form = response.context["settings_form"]
    assert form.errors
    assert not ReviewSettings.objects.filter(event=w.event).exists()


def test_a_coorganizer_marks_and_unmarks_a_reviewer_of_a_track(client, w):
    registrar = w.people["registrar"]
    as_user(client, w.people["coorganizer"])
    response = client.post(settings_url(w), {
        "action": "reviewer", "user": registrar.pk, "is_reviewer": "on", "tracks": [w.other_track.pk],
    })
    assert response.status_code == 302
    reviewer = Reviewer.objects.get(event=w.event, user=registrar)
    assert list(reviewer.tracks.all()) == [w.other_track]
    html = client.get(settings_url(w)).content.decode()
    assert registrar.email in html
    assert w.other_track.name in html
    assert f'type="checkbox" name="tracks" value="{w.other_track.pk}"' in html  # not a Ctrl-click list

    client.post(settings_url(w), {"action": "reviewer", "user": registrar.pk})
    assert not Reviewer.objects.filter(event=w.event, user=registrar).exists()


def test_only_team_members_and_this_events_tracks_can_be_chosen(client, w):
    as_user(client, w.people["coorganizer"])
    outsider = w.people["plain"]
    response = client.post(settings_url(w), {"action": "reviewer", "user": outsider.pk, "is_reviewer": "on"})
    assert response.status_code == 200
    assert response.context["reviewer_form"].errors["user"]
    response = client.post(settings_url(w), {
        "action": "reviewer", "user": w.people["registrar"].pk, "is_reviewer": "on", "tracks": ["999999"],
    })
    assert response.status_code == 200
    assert response.context["reviewer_form"].errors["tracks"]
    assert not Reviewer.objects.filter(user__in=[outsider, w.people["registrar"]]).exists()


@pytest.mark.parametrize("who", ["track_organizer", "moderator", "registrar", "speaker", "plain", "other_organizer"])
def test_the_wrong_users_are_refused_the_settings(client, w, who):
    before = set(Reviewer.objects.values_list("user_id", flat=True))
    as_user(client, w.people[who])
    assert client.get(settings_url(w)).status_code == 403
    response = client.post(settings_url(w), settings_post(score_max="5"))
    assert response.status_code == 403
    response = client.post(settings_url(w), {"action": "reviewer", "user": w.people[who].pk, "is_reviewer": "on"})
    assert response.status_code == 403
    assert not ReviewSettings.objects.filter(event=w.event).exists()
    assert set(Reviewer.objects.values_list("user_id", flat=True)) == before
