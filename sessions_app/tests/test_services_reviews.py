"""Reviewers, review settings and reviews: who may do what, and what is stored."""
import datetime

import pytest
from django.utils import timezone

from events import permissions as rules
from events import queries as event_queries
from events import services as event_services
from events.models import Reviewer, ReviewSettings, UsersEventsRoles
from events.services import reviews as review_services
from events.tests.factories import EventFactory, TrackFactory
from openevent.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated
from sessions_app import queries, services
from sessions_app.models import Review
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return ReviewWorld()


def fresh(user):
    rules.forget_roles(user)
    rules.forget_reviewer(user)
    return user


# --- permissions -----------------------------------------------------------------------------------
def test_reviewers_review_their_tracks_and_never_their_own_sessions(w):
    assert rules.is_reviewer(w.all_reviewer, w.event)
    assert rules.can_review(w.all_reviewer, w.own_session)
    assert rules.can_review(w.all_reviewer, w.other)
    assert not rules.can_review(w.all_reviewer, w.reviewer_speaks)
    assert rules.can_review(w.track_reviewer, w.own_session)
    assert not rules.can_review(w.track_reviewer, w.other)


@pytest.mark.parametrize("who", ["anonymous", "stranger", "speaker", "registrar", "coorganizer", "other_organizer"])
def test_nobody_else_reviews(w, who):
    user = w.people[who]
    assert not rules.is_reviewer(user, w.event)
    assert not rules.can_review(user, w.own_session)


@pytest.mark.parametrize("who", ["owner", "organizer", "coorganizer", "admin"])
def test_coorganizers_and_up_manage_reviews(w, who):
    assert rules.can_manage_reviews(w.people[who], w.event)


@pytest.mark.parametrize("who", ["anonymous", "stranger", "speaker", "track_organizer", "moderator", "registrar"])
def test_lower_roles_and_outsiders_do_not_manage_reviews(w, who):
    assert not rules.can_manage_reviews(w.people[who], w.event)


# --- reviewers -------------------------------------------------------------------------------------
def test_only_team_members_are_marked_and_only_by_coorganizers(w):
    with pytest.raises(Invalid) as refused:
        review_services.mark_reviewer(w.owner, w.event, w.stranger)
    assert refused.value.field == "user"
    with pytest.raises(Invalid):
        review_services.mark_reviewer(w.owner, w.event, w.speaker_user)
    for who in ("moderator", "track_organizer", "registrar", "stranger", "speaker"):
        with pytest.raises(NotAllowed):
            review_services.mark_reviewer(w.people[who], w.event, w.people["registrar"])
    assert not Reviewer.objects.filter(user=w.people["registrar"]).exists()
    review_services.mark_reviewer(w.people["coorganizer"], w.event, w.people["registrar"])
    assert Reviewer.objects.filter(user=w.people["registrar"], event=w.event).exists()


def test_tracks_of_another_event_are_refused(w):
    foreign = TrackFactory(event=EventFactory())
    with pytest.raises(Invalid) as refused:
        review_services.mark_reviewer(w.owner, w.event, w.all_reviewer, tracks=[foreign])
    assert refused.value.field == "tracks"
    assert list(Reviewer.objects.get(user=w.all_reviewer).tracks.all()) == []


def test_marking_again_replaces_the_tracks_and_unmarking_keeps_reviews(w):
    review_services.mark_reviewer(w.owner, w.event, w.track_reviewer, tracks=[w.other_track])
    assert fresh(w.track_reviewer)
    assert rules.can_review(w.track_reviewer, w.other)
    assert not rules.can_review(w.track_reviewer, w.own_session)
    services.write_review(w.track_reviewer, w.other, 2)
    review_services.unmark_reviewer(w.owner, Reviewer.objects.get(user=w.track_reviewer))
    assert not rules.is_reviewer(fresh(w.track_reviewer), w.event)
    assert Review.objects.filter(reviewer=w.track_reviewer).count() == 1


def test_leaving_or_being_removed_from_the_team_drops_the_reviewer_row(w):
    membership = UsersEventsRoles.objects.get(event=w.event, user=w.track_reviewer)
    event_services.remove_from_team(w.owner, membership)
    assert not Reviewer.objects.filter(user=w.track_reviewer).exists()
    event_services.leave_event(w.all_reviewer, w.event)
    assert not Reviewer.objects.filter(event=w.event).exists()


def test_a_member_with_another_role_left_stays_reviewer(w):
    second = event_services.role("registrar")
    UsersEventsRoles.objects.create(event=w.event, user=w.all_reviewer, role=second)
    membership = UsersEventsRoles.objects.get(event=w.event, user=w.all_reviewer, role__name="moderator")
    event_services.remove_from_team(w.owner, membership)
    assert Reviewer.objects.filter(user=w.all_reviewer, event=w.event).exists()


def test_reviewers_query_lists_team_members_with_their_tracks(w):
    rows = list(event_queries.reviewers(w.event))
    assert {row.user for row in rows} == {w.all_reviewer, w.track_reviewer}


# --- settings --------------------------------------------------------------------------------------
def test_events_without_settings_use_the_defaults(w):
    settings = event_queries.review_settings(w.event)
    assert (settings.score_min, settings.score_max, settings.is_anonymous, settings.ends_at) == (0, 3, False, None)
    assert event_queries.review_scale(settings)[0] == (0, "No")


def test_settings_are_checked_and_saved(w):
    with pytest.raises(Invalid) as refused:
        review_services.update_review_settings(w.owner, w.event, score_min=3, score_max=1)
    assert refused.value.field == "score_max"
    with pytest.raises(Invalid) as refused:
        review_services.update_review_settings(w.owner, w.event, score_labels={"9": "Nine"})
    assert refused.value.field == "score_labels"
    with pytest.raises(Invalid):
        review_services.update_review_settings(w.owner, w.event, score_max=50)
    assert not ReviewSettings.objects.exists()
    row = review_services.update_review_settings(
        w.owner, w.event, score_min=1, score_max=5, score_labels={"1": " Bad ", "5": "Great", "3": ""},
        is_anonymous=True,
    )
    assert (row.score_min, row.score_max, row.is_anonymous) == (1, 5, True)
    assert row.score_labels == {"1": "Bad", "5": "Great"}
    # Labels of scores no longer on the scale go.
    row = review_services.update_review_settings(w.owner, w.event, score_max=4)
    assert row.score_labels == {"1": "Bad"}


@pytest.mark.parametrize("who", ["moderator", "track_organizer", "speaker", "stranger", "anonymous"])
def test_settings_are_changed_by_coorganizers_only(w, who):
    with pytest.raises(NotAllowed):
        review_services.update_review_settings(w.people[who], w.event, is_anonymous=True)


# --- reviews ---------------------------------------------------------------------------------------
def test_a_reviewer_writes_one_review_and_changes_it(w):
    review, created = services.write_review(w.all_reviewer, w.own_session, 2, "  Good talk ")
    assert created
    assert (review.score, review.comment) == (2, "Good talk")
    again, created = services.write_review(w.all_reviewer, w.own_session, 3, "")
    assert not created
    assert again.pk == review.pk
    assert again.score == 3
    assert Review.objects.count() == 1
    services.update_review(w.all_reviewer, again, comment="Changed")
    again.refresh_from_db()
    assert (again.score, again.comment) == (3, "Changed")
    services.delete_review(w.all_reviewer, again)
    assert not Review.objects.exists()


@pytest.mark.parametrize("score", [-1, 4, "2", 1.5, None, True])
def test_scores_outside_the_scale_are_refused(w, score):
    with pytest.raises(Invalid) as refused:
        services.write_review(w.all_reviewer, w.own_session, score)
    assert refused.value.field == "score"
    assert not Review.objects.exists()


def test_the_scale_follows_the_settings(w):
    review_services.update_review_settings(w.owner, w.event, score_min=1, score_max=5)
    with pytest.raises(Invalid):
        services.write_review(w.all_reviewer, w.own_session, 0)
    assert services.write_review(w.all_reviewer, w.own_session, 5)[0].score == 5


@pytest.mark.parametrize(
    ("who", "session", "error"),
    [
        ("anonymous", "own_session", NotAuthenticated),
        ("stranger", "own_session", NotAllowed),
        ("speaker", "own_session", NotAllowed),
        ("registrar", "own_session", NotAllowed),
        ("owner", "own_session", NotAllowed),
        ("track_organizer", "other", NotAllowed),
        ("moderator", "reviewer_speaks", NotAllowed),
    ],
)
def test_the_wrong_users_are_refused(w, who, session, error):
    with pytest.raises(error):
        services.write_review(w.people[who], getattr(w, session), 1)
    assert not Review.objects.exists()


def test_nothing_is_written_or_changed_after_the_review_phase(w):
    review, _ = services.write_review(w.all_reviewer, w.own_session, 1)
    w.end_reviews()
    with pytest.raises(NotAllowed):
        services.write_review(w.all_reviewer, w.other, 1)
    with pytest.raises(NotAllowed):
        services.write_review(w.all_reviewer, w.own_session, 2)
    with pytest.raises(NotAllowed):
        services.update_review(w.all_reviewer, review, score=2)
    with pytest.raises(NotAllowed):
        services.delete_review(w.all_reviewer, review)
    review.refresh_from_db()
    assert review.score == 1


def test_others_do_not_change_or_delete_a_review(w):
    review, _ = services.write_review(w.all_reviewer, w.own_session, 1)
    for who in ("owner", "track_organizer", "speaker"):
        with pytest.raises(NotAllowed):
            services.update_review(w.people[who], review, score=3)
        with pytest.raises(NotAllowed):
            services.delete_review(w.people[who], review)
    assert Review.objects.get().score == 1


def test_drafts_and_withdrawn_sessions_are_not_reviewed(w):
    for state in ("draft", "withdrawn", "canceled"):
        session = SessionFactory(event=w.event, state=state)
        with pytest.raises(Invalid):
            services.write_review(w.all_reviewer, session, 1)
    decided = SessionFactory(event=w.event, state="rejected")
    assert services.write_review(w.all_reviewer, decided, 1)[1]


def test_a_race_for_the_same_review_is_a_conflict_not_a_crash(w):
    Review.objects.create(session=w.own_session, reviewer=w.all_reviewer, score=1)
    # The service finds the row and changes it; a unique clash would be a Conflict.
    assert services.write_review(w.all_reviewer, w.own_session, 2)[1] is False
    assert Conflict.status == 409


# --- the read side ---------------------------------------------------------------------------------
def test_next_unreviewed_skips_reviewed_own_and_other_tracks(w):
    assert queries.next_unreviewed(w.track_reviewer, w.event) == w.own_session
    services.write_review(w.track_reviewer, w.own_session, 1)
    # The moderator speaks in this one; the track organizer reviews it (it is in their track).
    assert queries.next_unreviewed(w.track_reviewer, w.event) == w.reviewer_speaks
    services.write_review(w.track_reviewer, w.reviewer_speaks, 1)
    assert queries.next_unreviewed(w.track_reviewer, w.event) is None
    first = queries.next_unreviewed(w.all_reviewer, w.event)
    assert first in {w.own_session, w.other}
    services.write_review(w.all_reviewer, first, 1)
    second = queries.next_unreviewed(w.all_reviewer, w.event)
    assert second is not None
    assert second != first
    assert second != w.reviewer_speaks
    services.write_review(w.all_reviewer, second, 1)
    assert queries.next_unreviewed(w.all_reviewer, w.event) is None
    assert queries.next_unreviewed(w.people["registrar"], w.event) is None


def test_review_stats_annotate_count_and_mean(w):
    services.write_review(w.all_reviewer, w.own_session, 1)
    services.write_review(w.track_reviewer, w.own_session, 2)
    for who in ("owner", "coorganizer", "admin"):
        rows = {s.pk: s for s in w.event.sessions.annotate(**queries.review_stats(w.people[who]))}
        assert (rows[w.own_session.pk].review_count, rows[w.own_session.pk].average_rating) == (2, 1.5), who
        assert (rows[w.other.pk].review_count, rows[w.other.pk].average_rating) == (0, None), who
    # Those who do not manage the reviews read no figures, not even their own review's.
    for who in ("moderator", "track_organizer", "speaker", "anonymous"):
        rows = {s.pk: s for s in w.event.sessions.annotate(**queries.review_stats(w.people[who]))}
        assert (rows[w.own_session.pk].review_count, rows[w.own_session.pk].average_rating) == (None, None), who


def test_who_reads_which_review(w):
    mine, _ = services.write_review(w.all_reviewer, w.own_session, 1)
    theirs, _ = services.write_review(w.track_reviewer, w.own_session, 2)
    assert set(queries.visible_reviews(w.all_reviewer)) == {mine}
    assert set(queries.visible_reviews(w.people["coorganizer"])) == {mine, theirs}
    for who in ("speaker", "stranger", "anonymous", "registrar", "other_organizer"):
        assert not queries.visible_reviews(w.people[who]).exists()


def test_an_ended_phase_is_closed(w):
    settings = event_queries.review_settings(w.event)
    assert event_queries.review_phase_open(settings)
    settings.ends_at = timezone.now() - datetime.timedelta(seconds=1)
    assert not event_queries.review_phase_open(settings)
