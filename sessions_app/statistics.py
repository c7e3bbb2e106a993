"""Counts of the program for the admin dashboard and the per-event overview. Each is one aggregate
query over live rows, so the numbers agree with what lists show."""
from django.db.models import Count, Q

from events.models import Sponsor

from .models import Session, Speaker

SESSION_STATES = [state.value for state in Session.State]


def _live_sessions():
    return Session.objects.filter(event__deleted_at__isnull=True)


def session_counts():
    return _live_sessions().aggregate(
        draft=Count("id", filter=Q(state=Session.State.DRAFT)),
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        accepted=Count("id", filter=Q(state=Session.State.ACCEPTED)),
        confirmed=Count("id", filter=Q(state=Session.State.CONFIRMED)),
        pending=Count("id", filter=Q(state=Session.State.PENDING)),
        rejected=Count("id", filter=Q(state=Session.State.REJECTED)),
    )


def event_general_counts(event):
    """The event's overview, as Open Event's ``event-statistics-general``: its identifier, the
    sessions by state, the submitted ones (proposed at some time, as in ``session_counts``), its
    speakers and sponsors."""
    by_state = _live_sessions().filter(event=event).aggregate(
        sessions=Count("id"),
        sessions_submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        **{f"sessions_{state}": Count("id", filter=Q(state=state)) for state in SESSION_STATES},
    )
    return {
        "identifier": event.identifier,
        **by_state,
        "speakers": Speaker.objects.filter(event=event).count(),
        "sponsors": Sponsor.objects.filter(event=event).count(),
    }
