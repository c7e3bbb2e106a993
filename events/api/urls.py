from openevent.api.routing import resource_urls

from .views import EventViewSet, RoleInviteViewSet, RoleViewSet, UsersEventsRolesViewSet

urlpatterns = [
    *resource_urls("events", EventViewSet, "event"),
    *resource_urls("roles", RoleViewSet, "role"),
    *resource_urls("role-invites", RoleInviteViewSet, "role-invite"),
    *resource_urls("users-events-roles", UsersEventsRolesViewSet, "users-events-roles"),
]
