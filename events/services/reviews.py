"""Reviewers and review settings of an event.

Organizers (co-organizer and up, ``rules.can_manage_reviews``) mark current team members as
reviewers, optionally limited to some tracks, and set the scale, its labels, the end of the review
phase and anonymity. The reviews themselves are ``sessions_app.services.reviews``.
"""
from django.db import transaction

from openevent.core.errors import Invalid, NotAllowed

from .. import permissions as rules
from ..models import Reviewer, ReviewSettings, Track, UsersEventsRoles

#: A scale wider than this is no scale people score on.
MAX_SCALE_STEPS = 10
LABEL_MAX_LENGTH = 60
SETTINGS_FIELDS = {"score_min", "score_max", "score_labels", "ends_at", "is_anonymous"}


def _require_manager(actor, event):
    if not rules.can_manage_reviews(actor, event):
        raise NotAllowed("Only co-organizers and up manage the reviews of this event.")


def _tracks_of(event, tracks):
    tracks = list(tracks or ())
    for track in tracks:
        if not isinstance(track, Track) or track.event_id != event.pk or track.deleted_at is not None:
            raise Invalid("This track belongs to another event.", field="tracks")
    return tracks


@transaction.atomic
def mark_reviewer(actor, event, user, tracks=()):
    """Make team member ``user`` a reviewer of ``event`` (of ``tracks`` only, when given; none:
    every session). Marking someone again replaces their tracks."""
    _require_manager(actor, event)
    if not UsersEventsRoles.objects.filter(event=event, user=user).exists():
        raise Invalid(f"{user.email} is not on this event's team; invite them first.", field="user")
    tracks = _tracks_of(event, tracks)
    reviewer, _ = Reviewer.objects.get_or_create(event=event, user=user)
    reviewer.tracks.set(tracks)
    rules.forget_reviewer(user)
    return reviewer


@transaction.atomic
def unmark_reviewer(actor, reviewer):
    """``reviewer`` no longer reviews (the reviews they wrote stay)."""
    _require_manager(actor, reviewer.event)
    reviewer.delete()
    rules.forget_reviewer(reviewer.user)


def drop_reviewer_off_team(event, user):
    """Called by the team services after a role went away: someone who holds no role at
    ``event`` any more is no reviewer there either."""
    if not UsersEventsRoles.objects.filter(event=event, user=user).exists():
        Reviewer.objects.filter(event=event, user=user).delete()
        rules.forget_reviewer(user)


def _clean_labels(labels, score_min, score_max):
    if labels in (None, ""):
        return {}
    if not isinstance(labels, dict):
        raise Invalid("Score labels are an object of score -> label.", field="score_labels")
    cleaned = {}
    for key, raw in labels.items():
        try:
            score = int(str(key))
        except ValueError:
            raise Invalid(f"'{key}' is not a score.", field="score_labels") from None
        if not score_min <= score <= score_max:
            raise Invalid(f"Score {score} is outside the scale {score_min}–{score_max}.", field="score_labels")
        if not isinstance(raw, str):
            raise Invalid("A score label is text.", field="score_labels")
        label = raw.strip()
        if len(label) > LABEL_MAX_LENGTH:
            raise Invalid(f"A score label has at most {LABEL_MAX_LENGTH} characters.", field="score_labels")
        if label:
            cleaned[str(score)] = label
    return cleaned


@transaction.atomic
def update_review_settings(actor, event, **data):
    """Change the review settings of ``event`` (creating its row on first change)."""
    _require_manager(actor, event)
    unknown = set(data) - SETTINGS_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(f"'{name}' cannot be set here.", field=name)
    row = ReviewSettings.objects.select_for_update().filter(event=event).first() or ReviewSettings(event=event)
    for name in ("score_min", "score_max"):
        if name in data:
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise Invalid("A score is a whole number.", field=name)
            setattr(row, name, value)
    if row.score_max <= row.score_min:
        raise Invalid("The highest score must be above the lowest.", field="score_max")
    if row.score_max - row.score_min > MAX_SCALE_STEPS:
        raise Invalid(f"A scale has at most {MAX_SCALE_STEPS + 1} scores.", field="score_max")
    if "score_labels" in data:
        row.score_labels = _clean_labels(data["score_labels"], row.score_min, row.score_max)
    else:
        # Labels of scores no longer on the scale go.
        row.score_labels = {
            key: label for key, label in (row.score_labels or {}).items() if row.score_min <= int(key) <= row.score_max
        }
    if "ends_at" in data:
        row.ends_at = data["ends_at"]
    if "is_anonymous" in data:
        row.is_anonymous = bool(data["is_anonymous"])
    row.save()
    return row
