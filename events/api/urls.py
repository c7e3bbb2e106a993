from openevent.api.routing import resource_urls

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
