from django.urls import path

from openevent.api.routing import resource_urls

from . import statistics
from .views import (
    EventViewSet,
    MicrolocationViewSet,
    RoleInviteViewSet,
    RoleViewSet,
    SessionTypeViewSet,
    SocialLinkViewSet,
    SpeakersCallViewSet,
    SponsorViewSet,
    TrackViewSet,
    UsersEventsRolesViewSet,
)

urlpatterns = [
    path(
        "admin/statistics/events", statistics.AdminEventStatistics.as_view(), name="admin-statistics-events"
    ),
    path("admin/statistics/users", statistics.AdminUserStatistics.as_view(), name="admin-statistics-users"),
    *resource_urls("events", EventViewSet, "event"),
    *resource_urls("roles", RoleViewSet, "role"),
    *resource_urls("role-invites", RoleInviteViewSet, "role-invite"),
    *resource_urls("users-events-roles", UsersEventsRolesViewSet, "users-events-roles"),
    *resource_urls("tracks", TrackViewSet, "track"),
    *resource_urls("session-types", SessionTypeViewSet, "session-type"),
    *resource_urls("microlocations", MicrolocationViewSet, "microlocation"),
    *resource_urls("sponsors", SponsorViewSet, "sponsor"),
    *resource_urls("social-links", SocialLinkViewSet, "social-link"),
    *resource_urls("speakers-calls", SpeakersCallViewSet, "speakers-call"),
]
