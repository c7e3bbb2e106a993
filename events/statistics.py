"""Counts for the admin dashboards and the per-event overview. Each is one aggregate query over
live rows, so the numbers agree with what lists show."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from mailing.models import Mail
from openevent.users.models import User
from sessions_app.models import Session, Speaker

from .models import Event, Role, Sponsor, UsersEventsRoles

SESSION_STATES = [state.value for state in Session.State]


def event_counts():
    now = timezone.now()
    return Event.objects.aggregate(
        draft=Count("id", filter=Q(state=Event.State.DRAFT)),
        published=Count("id", filter=Q(state=Event.State.PUBLISHED, ends_at__gte=now)),
        past=Count("id", filter=Q(ends_at__lt=now)),
    )


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


def user_counts():
    counts = User.objects.aggregate(
        super_admin=Count("id", filter=Q(is_super_admin=True)),
        admin=Count("id", filter=Q(is_admin=True, is_super_admin=False)),
        verified=Count("id", filter=Q(is_verified=True)),
        unverified=Count("id", filter=Q(is_verified=False)),
    )
    memberships = UsersEventsRoles.objects.filter(event__deleted_at__isnull=True, user__deleted_at__isnull=True)
    per_role = dict(
        memberships.values("role__name").annotate(n=Count("user", distinct=True)).values_list("role__name", "n")
    )
    for name in (Role.OWNER, Role.ORGANIZER, Role.COORGANIZER, Role.TRACK_ORGANIZER):
        counts[name] = per_role.get(name, 0)
    return counts


def mail_counts():
    now = timezone.now()
    windows = {"one_day": 1, "three_days": 3, "seven_days": 7, "thirty_days": 30}
    return Mail.objects.aggregate(
        **{name: Count("id", filter=Q(time__gte=now - timedelta(days=days))) for name, days in windows.items()}
    )


def event_general_counts(event):
    by_state = _live_sessions().filter(event=event).aggregate(
        sessions=Count("id"), **{f"sessions_{state}": Count("id", filter=Q(state=state)) for state in SESSION_STATES}
    )
    return {
        **by_state,
        "speakers": Speaker.objects.filter(event=event).count(),
        "sponsors": Sponsor.objects.filter(event=event).count(),
    }
