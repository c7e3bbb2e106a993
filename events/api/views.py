from django.db.models import Prefetch, Q
from rest_framework.exceptions import PermissionDenied

from events import permissions as rules
from events import services
from openevent.api.permissions import (
    Admin,
    Anyone,
    Authenticated,
    EventCoorganizer,
    EventMember,
    EventOwner,
    Invitee,
    Nobody,
    OwnsRow,
)
from openevent.api.views import ResourceViewSet

from ..models import Event, Role, RoleInvite, UsersEventsRoles
from .serializers import EventSerializer, RoleInviteSerializer, RoleSerializer, UsersEventsRolesSerializer

USERS_VIEWSET = "openevent.users.api.views.UserViewSet"
EVENTS_VIEWSET = "events.api.views.EventViewSet"
ROLES_VIEWSET = "events.api.views.RoleViewSet"
INVITES_VIEWSET = "events.api.views.RoleInviteViewSet"
MEMBERSHIPS_VIEWSET = "events.api.views.UsersEventsRolesViewSet"


def owner_prefetch(path="user_roles"):
    """Prefetch an event's owner the way ``EventSerializer.get_owner`` reads it."""
    owners = UsersEventsRoles.objects.filter(role__name=Role.OWNER).select_related("user")
    return Prefetch(path, queryset=owners, to_attr="owner_roles")


class EventViewSet(ResourceViewSet):
    queryset = Event.objects.all()
    serializer_class = EventSerializer
    soft_delete = True
    event_url_kwargs = ("pk",)
    policy = {
        "list": Anyone,
        "retrieve": Anyone,
        "create": Authenticated,
        "partial_update": EventCoorganizer,
        "destroy": EventOwner,
        "relationships": Nobody,
    }
    related_resources = {
        "owner": (USERS_VIEWSET, None),
        "role_invites": (INVITES_VIEWSET, "event_pk"),
        "users_events_roles": (MEMBERSHIPS_VIEWSET, "event_pk"),
    }
    ordering_fields = ["id", "name", "starts_at", "ends_at", "created_at", "state", "location_name"]
    filterset_fields = {
        "name": ("exact", "icontains"),
        "state": ("exact", "in"),
        "privacy": ("exact",),
        "starts_at": ("exact", "lt", "lte", "gt", "gte"),
        "ends_at": ("exact", "lt", "lte", "gt", "gte"),
        "location_name": ("exact", "icontains"),
        "identifier": ("exact",),
        "online": ("exact",),
        "is_featured": ("exact",),
    }

    def visible_queryset(self, queryset):
        return queryset.filter(
            id__in=rules.visible_events(self.request.user, listing=self.action == "list").values("id")
        )

    def trashed_queryset(self, queryset):
        user = self.request.user
        if rules.is_admin(user):
            return queryset.filter(deleted_at__isnull=False)
        if not rules.is_authenticated(user):
            return queryset.none()
        return queryset.filter(
            deleted_at__isnull=False,
            user_roles__user=user,
            user_roles__role__name__in=rules.ORGANIZER_ROLES,
        )

    def optimize(self, queryset):
        return queryset.prefetch_related(owner_prefetch())

    def related_id(self, parent, name):
        if name == "owner":
            owner = self.get_serializer().get_owner(parent)
            return owner.pk if owner else None
        return super().related_id(parent, name)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "deleted_at"}
        serializer.instance = services.create_event(self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "deleted_at"}
        serializer.instance = services.update_event(self.request.user, serializer.instance, **data)


class RoleViewSet(ResourceViewSet):
    queryset = Role.objects.all()
    serializer_class = RoleSerializer
    policy = {"list": Anyone, "retrieve": Anyone}
    ordering_fields = ["id", "name"]
    filterset_fields = {"name": ("exact", "in")}


class UsersEventsRolesViewSet(ResourceViewSet):
    """Who holds which role where. Rows are created only by accepting an invite and are never
    re-pointed; team members see their team, anyone sees their own rows."""

    queryset = UsersEventsRoles.objects.all()
    serializer_class = UsersEventsRolesSerializer
    parent_lookups = {"event_pk": "event_id"}
    policy = {
        "list": EventMember,
        "retrieve": EventMember | OwnsRow,
        "create": Admin,
        "partial_update": Nobody,
        "destroy": EventCoorganizer | OwnsRow,
        "relationships": Nobody,
    }
    related_resources = {
        "user": (USERS_VIEWSET, None),
        "event": (EVENTS_VIEWSET, None),
        "role": (ROLES_VIEWSET, None),
    }
    prefetch_for_includes = {"event": [owner_prefetch("event__user_roles")]}
    select_for_includes = {"event": ["event"], "user": ["user"]}
    ordering_fields = ["id", "created_at", "role.name", "user.email"]
    filterset_fields = {"role__name": ("exact", "in")}

    def visible_queryset(self, queryset):
        user = self.request.user
        queryset = queryset.filter(event__deleted_at__isnull=True)
        if rules.is_admin(user):
            return queryset
        if not rules.is_authenticated(user):
            return queryset.none()
        team_events = UsersEventsRoles.objects.filter(user=user).values("event_id")
        return queryset.filter(Q(user=user) | Q(event_id__in=team_events))

    def optimize(self, queryset):
        return queryset.select_related("role")

    def perform_create(self, serializer):
        data = serializer.validated_data
        if data["role"].name == Role.OWNER:
            raise PermissionDenied("Ownership moves only by an accepted owner invite.")
        super().perform_create(serializer)

    def perform_destroy(self, instance, permanent=False):
        services.remove_from_team(self.request.user, instance)


class RoleInviteViewSet(ResourceViewSet):
    """Organizers invite; the invitee (logged in with the invited address) accepts or declines by
    PATCHing ``status`` and may change nothing else."""

    queryset = RoleInvite.objects.all()
    serializer_class = RoleInviteSerializer
    parent_lookups = {"event_pk": "event_id"}
    policy = {
        "list": EventCoorganizer,
        "retrieve": EventCoorganizer | Invitee,
        "create": EventCoorganizer,
        "partial_update": EventCoorganizer | Invitee,
        "destroy": EventCoorganizer,
        "relationships": Nobody,
    }
    related_resources = {"event": (EVENTS_VIEWSET, None), "role": (ROLES_VIEWSET, None)}
    prefetch_for_includes = {"event": [owner_prefetch("event__user_roles")]}
    select_for_includes = {"event": ["event"]}
    ordering_fields = ["id", "created_at", "email", "status", "expires_at", "role.name"]
    filterset_fields = {"status": ("exact", "in"), "email": ("exact", "icontains"), "role__name": ("exact",)}

    def visible_queryset(self, queryset):
        user = self.request.user
        queryset = queryset.filter(event__deleted_at__isnull=True)
        if rules.is_admin(user):
            return queryset
        if not rules.is_authenticated(user):
            return queryset.none()
        managed = UsersEventsRoles.objects.filter(user=user, role__name__in=rules.COORGANIZER_ROLES)
        return queryset.filter(Q(email=user.email.lower()) | Q(event_id__in=managed.values("event_id")))

    def optimize(self, queryset):
        return queryset.select_related("role")

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = services.invite(self.request.user, data["event"], data["email"], data["role_name"])

    def perform_update(self, serializer):
        invitation = serializer.instance
        data = dict(serializer.validated_data)
        for relation in ("event", "role"):
            if relation in data and data.pop(relation) != getattr(invitation, relation):
                raise PermissionDenied(f"The {relation} of an invite cannot be changed.")
        status = data.pop("status", None)
        if status is not None and not status == invitation.status == RoleInvite.Status.PENDING:
            if data:
                raise PermissionDenied("Answering an invite changes its status and nothing else.")
            serializer.instance = services.answer_invite(invitation, self.request.user, status)
            return
        if data:
            if not rules.is_coorganizer(self.request.user, invitation.event):
                raise PermissionDenied("Only the event's organizers may change an invite.")
            serializer.instance = services.edit_invite(
                self.request.user, invitation, email=data.get("email"), role_name=data.get("role_name")
            )

    def perform_destroy(self, instance, permanent=False):
        services.delete_invite(self.request.user, instance)
