"""The read side of the program: which sessions and speakers a user sees, and the querysets
that load them ready to be rendered (to-one targets joined, visible to-many rows prefetched).

Used alike by the API, the pages and the admin; who may *write* what is ``events.permissions``
and ``sessions_app.services``.
"""
import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncDate

from events import permissions as rules
from events import queries as event_queries
from events.models import Event, UsersEventsRoles
from events.queries import owner_prefetch

from .models import Review, ScheduleRelease, Session, Speaker


def visible_sessions_q(user, *, listing=False):
    """A Q over Session for the rows ``user`` may see.

    Everyone: accepted and confirmed sessions of published events (``listing``: public events only,
    as in event lists). Program readers: every session of their events. A speaker: their own
    sessions (proposed by them or naming their speaker row) at published events.
    """
    if rules.is_admin(user):
        return Q(event__deleted_at__isnull=True)
    q = Q(event_id__in=event_queries.public_program_events(listing).values("id"), state__in=Session.PUBLIC_STATES)
    if rules.is_authenticated(user):
        q |= Q(event_id__in=event_queries.program_events(user).values("id"))
        own = Q(creator=user) | Q(pk__in=Speaker.objects.filter(user=user).values("sessions"))
        q |= own & Q(event_id__in=Event.objects.published().values("id"))
    return q


def visible_speakers_q(user, *, listing=False):
    """A Q over Speaker for the rows ``user`` may see: the speakers of sessions everyone sees,
    every speaker of the events whose program the user reads, and the user's own rows at
    published events."""
    if rules.is_admin(user):
        return Q(event__deleted_at__isnull=True)
    public_sessions = Session.objects.filter(speakers=OuterRef("pk"), state__in=Session.PUBLIC_STATES)
    q = Q(event_id__in=event_queries.public_program_events(listing).values("id")) & Q(Exists(public_sessions))
    if rules.is_authenticated(user):
        q |= Q(event_id__in=event_queries.program_events(user).values("id"))
        q |= Q(user=user, event_id__in=Event.objects.published().values("id"))
    return q


def session_dates(user, event):
    """The days (ISO dates in the event's timezone, ascending) on which accepted or confirmed
    sessions of ``event`` that ``user`` sees start (``/v1/events/<id>/sessions/dates``)."""
    day = TruncDate("starts_at", tzinfo=zoneinfo.ZoneInfo(event.timezone))
    rows = (
        Session.objects.filter(visible_sessions_q(user), event=event, state__in=Session.PUBLIC_STATES)
        .exclude(starts_at=None)
        .annotate(day=day)
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    return [value.isoformat() for value in rows]


def session_languages(user, event):
    """The languages, sorted, of the sessions of ``event`` that ``user`` sees
    (``/v1/events/<id>/sessions/languages``)."""
    rows = (
        Session.objects.filter(visible_sessions_q(user), event=event)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return list(rows)


def visible_speakers(user):
    return Speaker.objects.filter(visible_speakers_q(user))


# --- loading rows for rendering --------------------------------------------------------------------
# ``paths`` are the ``include`` paths below the rows being loaded, as lists of python names
# (``include=speakers.user`` on sessions: ``[["speakers", "user"]]``; for the speakers: ``[["user"]]``).
# A rendered row reads every to-one target it names (``openevent.api.relations.shown`` asks
# whether it is in the trash or hidden), so those are joined; its to-many relationships need the
# ids of the related rows the user may see, or whole rows, loaded the same way, when included.
SESSION_TARGETS = ("event", "track", "session_type", "microlocation", "creator")
SPEAKER_TARGETS = ("event", "user")
# Included tracks, session types and rooms render their own ``event``.
PART_TARGETS = ("track", "session_type", "microlocation")


def names(paths, name):
    return any(path[:1] == [name] for path in paths)


def below(paths, name):
    return [path[1:] for path in paths if path[:1] == [name] and len(path) > 1]


def with_targets(rows, targets, paths):
    parts = [name for name in PART_TARGETS if name in targets and names(paths, name)]
    rows = rows.select_related(*targets, *(f"{name}__event" for name in parts))
    # Every included event renders its owner.
    events = ["event"] if names(paths, "event") else []
    events += [f"{name}__event" for name in parts if names(below(paths, name), "event")]
    return rows.prefetch_related(*(owner_prefetch(f"{path}__user_roles") for path in events))


def prepare_sessions(sessions, user, paths):
    """``sessions`` ready to be rendered: targets joined, visible speakers prefetched, the review
    figures the user may see annotated (``review_stats``)."""
    sessions = with_targets(sessions, SESSION_TARGETS, paths).annotate(**review_stats(user))
    return sessions.prefetch_related(speakers_prefetch(user, "speakers", paths))


def prepare_speakers(speakers, user, paths):
    """``speakers`` ready to be rendered: targets joined, visible sessions prefetched."""
    speakers = with_targets(speakers, SPEAKER_TARGETS, paths)
    return speakers.prefetch_related(sessions_prefetch(user, "sessions", paths))


def sessions_prefetch(user, path, paths):
    """Prefetch the sessions at ``path`` that ``user`` may see: their ids only for relationship
    data, or whole rows ready to be rendered when ``paths`` include them."""
    sessions = Session.objects.filter(visible_sessions_q(user))
    if names(paths, "sessions"):
        sessions = prepare_sessions(sessions, user, below(paths, "sessions"))
    else:
        sessions = sessions.only("id")
    return Prefetch(path, queryset=sessions)


def speakers_prefetch(user, path, paths):
    """Prefetch the speakers at ``path`` that ``user`` may see: what relationship data and
    ``SessionSerializer.owns`` read (id, user), or whole rows ready to be rendered when ``paths``
    include them."""
    speakers = visible_speakers(user)
    if names(paths, "speakers"):
        speakers = prepare_speakers(speakers, user, below(paths, "speakers"))
    else:
        speakers = speakers.only("id", "user_id")
    return Prefetch(path, queryset=speakers)


def session_speakers(session):
    """The live speaker rows of ``session``, with their accounts (where they have one), in a
    stable order: who hears about the session by mail."""
    return list(Speaker.objects.filter(sessions=session).select_related("user").order_by("pk"))


# --- who an organizer's mail to speakers reaches ---------------------------------------------------
def speakers_matching(event, *, states=(), track_ids=(), speaker_ids=()):
    """The live speakers of ``event`` who give a live session in one of ``states`` and in one of
    the tracks ``track_ids`` (either left empty: any), together with the speakers ``speaker_ids``;
    nobody when no criterion is given. Only rows of ``event`` are ever found, whatever the ids.

    Each speaker comes with ``live_sessions`` (all their live sessions at the event) and
    ``matching_sessions`` (those that meet ``states`` and ``track_ids``), ordered by title: three
    queries whatever the number of speakers."""
    sessions = Session.objects.filter(event=event).order_by(Lower("title"), "id")
    matching = sessions
    if states:
        matching = matching.filter(state__in=states)
    if track_ids:
        matching = matching.filter(track_id__in=track_ids)
    q = Q(pk__in=matching.values("speakers")) if states or track_ids else Q(pk__in=[])
    if speaker_ids:
        q |= Q(pk__in=speaker_ids)
    return (
        Speaker.objects.filter(q, event=event)
        .select_related("user")
        .order_by(Lower("name"), "id")
        .prefetch_related(
            Prefetch("sessions", queryset=sessions.only("id", "title"), to_attr="live_sessions"),
            Prefetch("sessions", queryset=matching.only("id", "title"), to_attr="matching_sessions"),
        )
    )


# --- the call for papers: a speaker's own proposals ---------------------------------------------------
def latest_speaker_profile(user):
    """The user's most recent live speaker row at any event (a new proposal's profile starts from
    it), or None."""
    if not rules.is_authenticated(user):
        return None
    return Speaker.objects.filter(user=user, event__deleted_at__isnull=True).order_by("-pk").first()


def user_proposals(user):
    """Every live session ``user`` proposed or speaks in, across live events, newest first, with
    its event, track and type joined and its speakers prefetched (a constant number of queries
    however many there are)."""
    if not rules.is_authenticated(user):
        return Session.objects.none()
    own = Q(creator=user) | Q(pk__in=Speaker.objects.filter(user=user).values("sessions"))
    return (
        Session.objects.filter(own, event__deleted_at__isnull=True)
        .select_related("event")
        .prefetch_related(
            "track", "session_type", Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk"))
        )
        .order_by("-pk")
    )


# --- reviews ----------------------------------------------------------------------------------------
#: Sessions that may be reviewed: submitted proposals, and decided ones (a score can still be
#: given or changed after a decision while the phase is open). Drafts are not submitted yet;
#: withdrawn and canceled sessions are gone from the program. The review page's queue shows
#: pending proposals only.
REVIEWABLE_STATES = (Session.State.PENDING, Session.State.ACCEPTED, Session.State.CONFIRMED, Session.State.REJECTED)


def visible_reviews_q(user):
    """A Q over Review for the rows ``user`` reads: administrators every one, those who manage
    the reviews of an event (co-organizers and up) every review there, a reviewer their own.
    Speakers (who are neither) read none. Reviews of trashed sessions or events are hidden."""
    live = Q(session__deleted_at__isnull=True, session__event__deleted_at__isnull=True)
    if rules.is_admin(user):
        return live
    if not rules.is_authenticated(user):
        return Q(pk__in=[])
    managed = event_queries.events_where(user, rules.COORGANIZER_ROLES).values("id")
    return live & (Q(session__event_id__in=managed) | Q(reviewer=user))


def visible_reviews(user):
    return Review.objects.filter(visible_reviews_q(user))


def review_stats(user):
    """``{"review_count", "average_rating"}`` -> SQL expressions over Session: the number of
    reviews and the mean score of each session, where ``user`` manages the reviews of its event
    (``rules.can_manage_reviews``: co-organizer and up, admins), NULL everywhere else. No query
    of its own: subqueries of the row query, the same on the API's library and fast paths and in
    the organizers' sessions table."""
    if not rules.is_authenticated(user):
        return {"review_count": Value(None, IntegerField()), "average_rating": Value(None, FloatField())}
    reviews = Review.objects.filter(session=OuterRef("pk")).order_by().values("session_id")
    count = Coalesce(Subquery(reviews.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())
    mean = Subquery(reviews.annotate(m=Avg("score")).values("m")[:1], output_field=FloatField())
    if rules.is_admin(user):
        return {"review_count": count, "average_rating": mean}
    managers = UsersEventsRoles.objects.filter(
        user=user, event_id=OuterRef("event_id"), role__name__in=rules.COORGANIZER_ROLES
    )
    return {
        "review_count": Case(When(Exists(managers), then=count), default=Value(None), output_field=IntegerField()),
        "average_rating": Case(When(Exists(managers), then=mean), default=Value(None), output_field=FloatField()),
    }


def reviewable_sessions(user, event):
    """The sessions of ``event`` ``user`` may review (``rules.can_review`` as a queryset): in a
    reviewable state, within their tracks (if they have any), not proposed by them and not
    naming their speaker row. Empty for anyone who is not a reviewer there."""
    reviewer = rules.reviewer_of(user, event)
    if reviewer is None:
        return Session.objects.none()
    sessions = Session.objects.filter(event=event, state__in=REVIEWABLE_STATES)
    tracks = [track.pk for track in reviewer.tracks.all()]
    if tracks:
        sessions = sessions.filter(track_id__in=tracks)
    own = Speaker.objects.filter(user=user, sessions=OuterRef("pk"))
    return sessions.exclude(creator=user).exclude(Exists(own))


def next_unreviewed(user, event, after=None):
    """The next pending proposal of ``event`` that ``user`` reviews and has not reviewed yet:
    the earliest submitted (then the lowest id); ``after``: skip that session id (the one just
    shown). None when there is none."""
    mine = Review.objects.filter(session=OuterRef("pk"), reviewer=user)
    sessions = reviewable_sessions(user, event).filter(state=Session.State.PENDING).exclude(Exists(mine))
    if after is not None:
        sessions = sessions.exclude(pk=after)
    return (
        sessions.select_related("track", "session_type")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("pk")))
        .order_by("submitted_at", "pk")
        .first()
    )


def reviews_by(user, event):
    """``user``'s reviews of ``event``'s live sessions, latest changed first, with their sessions."""
    return (
        Review.objects.filter(reviewer=user, session__event=event, session__deleted_at__isnull=True)
        .select_related("session")
        .order_by("-updated_at", "-pk")
    )


# --- the released schedule ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReleasedSlot:
    """Where and when a session of a release takes place (ids; aware datetimes, UTC)."""

    session_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    microlocation_id: int | None


@dataclass(frozen=True)
class ReleasedBlock:
    """A break or other block of a release; ``microlocation_id`` None: across all rooms."""

    id: int
    title: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    microlocation_id: int | None


@dataclass(frozen=True)
class ReleasedSchedule:
    """What the public pages show of an event's schedule: ``release`` (a ``ScheduleRelease``: its
    ``version``, ``released_at``, ``comment``, ``changelog``), ``slots`` (a list of
    ``ReleasedSlot``, by start then session id) and ``blocks`` (a list of ``ReleasedBlock``, by
    start then id)."""

    release: ScheduleRelease
    slots: list
    blocks: list


def current_release(event):
    """The ``ScheduleRelease`` the public sees of ``event``: its latest version while the schedule
    is published (``event.schedule_published_on`` set), else None (never released, or
    unpublished). One query (none when the schedule is not published)."""
    if event.schedule_published_on is None:
        return None
    return ScheduleRelease.objects.filter(event=event).order_by("-version").first()


def _moment(value):
    return datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)


def released_schedule(event):
    """The released schedule of ``event`` as a ``ReleasedSchedule`` (``release``, ``slots``,
    ``blocks``), or None when the public sees none (``current_release`` is None). One query.

    ``slots`` is a list of ``ReleasedSlot(session_id, starts_at, ends_at, microlocation_id)``:
    the sessions as they were released (accepted or confirmed, scheduled, live then). A session
    changed, unscheduled, canceled or deleted since keeps its released slot until the next
    release; a reader that loads the sessions by ``session_id`` (``Session.all_objects``, or the
    live ``Session.objects`` to leave out deleted ones) takes their titles and speakers from
    today's rows and their times and rooms from the slots. ``blocks`` is a list of
    ``ReleasedBlock(id, title, kind, starts_at, ends_at, microlocation_id)``. Times are aware
    datetimes in UTC; ``microlocation_id`` is None for a session without a room and for a block
    across all rooms."""
    release = current_release(event)
    if release is None:
        return None
    slots = [
        ReleasedSlot(slot["session"], _moment(slot["starts_at"]), _moment(slot["ends_at"]), slot["microlocation"])
        for slot in release.slots
    ]
    blocks = [
        ReleasedBlock(
            block["id"],
            block["title"],
            block["kind"],
            _moment(block["starts_at"]),
            _moment(block["ends_at"]),
            block["microlocation"],
        )
        for block in release.blocks
    ]
    return ReleasedSchedule(release, slots, blocks)


def schedule_releases(event):
    """Every release of ``event``, newest first, with who released it: one query."""
    return ScheduleRelease.objects.filter(event=event).select_related("released_by").order_by("-version")


def draft_blocks_of(event):
    """The blocks of ``event``'s work in progress (organizers only), by start: one query."""
    return event.schedule_blocks.select_related("microlocation").order_by("starts_at", "id")
