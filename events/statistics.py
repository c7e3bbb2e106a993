"""Counts for the admin dashboards: events and users. Each is one aggregate query over live rows,
so the numbers agree with what lists show. The program's counts are ``sessions_app.statistics``,
the mail log's ``mailing.statistics``."""
from django.db.models import Count, Q
from django.utils import timezone

from openevent.users.models import User

from .models import Event, Role, UsersEventsRoles


def event_counts():
    now = timezone.now()
    return Event.objects.aggregate(
        draft=Count("id", filter=Q(state=Event.State.DRAFT)),
        published=Count("id", filter=Q(state=Event.State.PUBLISHED, ends_at__gte=now)),
        past=Count("id", filter=Q(ends_at__lt=now)),
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
