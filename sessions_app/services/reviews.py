"""Reviews: a reviewer's score and comment for a session.

A reviewer (``events.permissions.can_review``) writes one review per session, on the event's
scale (``events.queries.review_settings``), and changes or deletes it while the review phase is
open (until ``ReviewSettings.ends_at``). Platform administrators may correct or delete any review
(the admin site); organizers read reviews, they do not write other people's.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import permissions as rules
from events import queries as event_queries
from openevent.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated
from openevent.core.text import LONG_TEXT_MAX_LENGTH

from ..models import Review
from ..queries import REVIEWABLE_STATES


def _check_open(event):
    settings = event_queries.review_settings(event)
    if not event_queries.review_phase_open(settings):
        raise NotAllowed("The review phase of this event has ended.")
    return settings


def _check_score(settings, score):
    if isinstance(score, bool) or not isinstance(score, int):
        raise Invalid("The score is a whole number.", field="score")
    if not settings.score_min <= score <= settings.score_max:
        raise Invalid(
            f"The score must be between {settings.score_min} and {settings.score_max}.", field="score"
        )
    return score


def _clean_comment(comment):
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise Invalid("The comment is text.", field="comment")
    comment = comment.strip()
    if len(comment) > LONG_TEXT_MAX_LENGTH:
        raise Invalid(f"A comment has at most {LONG_TEXT_MAX_LENGTH} characters.", field="comment")
    return comment


def _check_reviewer(actor, session):
    if not rules.is_authenticated(actor):
        raise NotAuthenticated("Log in to review.")
    if not rules.can_review(actor, session):
        raise NotAllowed("You do not review this session.")
    if session.state not in REVIEWABLE_STATES or session.deleted_at is not None:
        raise Invalid(f"A {session.get_state_display().lower()} session is not reviewed.", field="session")


@transaction.atomic
def write_review(actor, session, score, comment=""):
    """``actor``'s review of ``session``: created, or their earlier one changed (one review per
    reviewer and session). Returns (review, created)."""
    _check_reviewer(actor, session)
    settings = _check_open(session.event)
    score = _check_score(settings, score)
    comment = _clean_comment(comment)
    review = Review.objects.select_for_update().filter(session=session, reviewer=actor).first()
    if review is not None:
        review.score, review.comment, review.updated_at = score, comment, timezone.now()
        review.save(update_fields=["score", "comment", "updated_at"])
        return review, False
    try:
        with transaction.atomic():
            review = Review.objects.create(session=session, reviewer=actor, score=score, comment=comment)
    except IntegrityError:
        raise Conflict("You have reviewed this session already.") from None
    return review, True


def _check_author(actor, review):
    if not rules.is_authenticated(actor):
        raise NotAuthenticated("Log in to review.")
    if rules.is_admin(actor):
        return False
    if review.reviewer_id != actor.pk:
        raise NotAllowed("Only its author changes a review.")
    return True


@transaction.atomic
def update_review(actor, review, score=None, comment=None):
    """Change the score and/or the comment of ``review`` (its author while the phase is open and
    they still review the session; administrators always)."""
    session = review.session
    if _check_author(actor, review):
        _check_reviewer(actor, session)
        settings = _check_open(session.event)
    else:
        settings = event_queries.review_settings(session.event)
    if score is not None:
        review.score = _check_score(settings, score)
    if comment is not None:
        review.comment = _clean_comment(comment)
    review.updated_at = timezone.now()
    review.save(update_fields=["score", "comment", "updated_at"])
    return review


@transaction.atomic
def delete_review(actor, review):
    """Delete ``review`` (its author while the phase is open; administrators always)."""
    if _check_author(actor, review):
        _check_open(review.session.event)
    review.delete()
