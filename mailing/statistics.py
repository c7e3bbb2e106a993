"""Counts of the mail log for the admin dashboard: one aggregate query."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Mail


def mail_counts():
    now = timezone.now()
    windows = {"one_day": 1, "three_days": 3, "seven_days": 7, "thirty_days": 30}
    return Mail.objects.aggregate(
        **{name: Count("id", filter=Q(time__gte=now - timedelta(days=days))) for name, days in windows.items()}
    )
