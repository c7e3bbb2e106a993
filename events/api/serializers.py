from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi
from rest_framework_json_api.relations import (
    HyperlinkedRelatedField,
    ResourceRelatedField,
    SerializerMethodResourceRelatedField,
)

from openevent.users.api.serializers import UserSerializer
from openevent.users.models import User

from ..models import Event, Role, RoleInvite, UsersEventsRoles


def to_one(basename, **kwargs):
    """A to-one relationship with ``links.self`` and ``links.related``."""
    return ResourceRelatedField(
        self_link_view_name=f"{basename}-relationships",
        related_link_view_name=f"{basename}-related",
        **kwargs,
    )


def to_many_links(basename, **kwargs):
    """A to-many relationship rendered as links only (its rows are fetched from the link)."""
    return HyperlinkedRelatedField(
        self_link_view_name=f"{basename}-relationships",
        related_link_view_name=f"{basename}-related",
        read_only=True,
        many=True,
        **kwargs,
    )


class RestorableMixin(serializers.Serializer):
    """``deleted-at`` is shown, and accepts only ``null`` (restore) on write."""

    deleted_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_deleted_at(self, value):
        if value is not None:
            raise serializers.ValidationError("Only null (restore) is accepted; delete with DELETE.")
        return value


class EventSerializer(RestorableMixin, jsonapi.ModelSerializer):
    role_invites = to_many_links("event")
    users_events_roles = to_many_links("event", source="user_roles")
    owner = SerializerMethodResourceRelatedField(
        model=User,
        method_name="get_owner",
        read_only=True,
        self_link_view_name="event-relationships",
        related_link_view_name="event-related",
    )

    included_serializers = {"owner": UserSerializer}

    class Meta:
        model = Event
        resource_name = "event"
        fields = [
            "identifier", "name", "starts_at", "ends_at", "timezone", "description", "location_name",
            "searchable_location_name", "latitude", "longitude", "online", "external_event_url",
            "logo_url", "original_image_url", "thumbnail_image_url", "large_image_url", "icon_image_url",
            "owner_name", "owner_description", "has_owner_info", "code_of_conduct", "privacy", "state",
            "ticket_url", "schedule_published_on", "is_sessions_speakers_enabled", "is_sponsors_enabled",
            "is_map_shown", "can_pay_by_stripe", "is_stripe_linked", "payment_currency", "is_featured",
            "is_promoted", "ical_url", "xcal_url", "pentabarf_url", "created_at", "deleted_at",
            "owner", "role_invites", "users_events_roles",
        ]  # fmt: skip
        read_only_fields = ["identifier", "is_stripe_linked", "created_at"]

    def get_owner(self, event):
        owners = getattr(event, "owner_roles", None)
        if owners is None:
            owners = list(event.user_roles.filter(role__name=Role.OWNER).select_related("user"))
        return owners[0].user if owners else None

    def validate_timezone(self, value):
        import zoneinfo

        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError("Unknown time zone.")
        return value

    def validate(self, attrs):
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": "The event must end after it starts."})
        return attrs


class RoleSerializer(jsonapi.ModelSerializer):
    class Meta:
        model = Role
        resource_name = "role"
        fields = ["name", "title_name"]


class UsersEventsRolesSerializer(jsonapi.ModelSerializer):
    user = to_one("users-events-roles", queryset=User.objects.all())
    event = to_one("users-events-roles", queryset=Event.objects.all())
    role = to_one("users-events-roles", queryset=Role.objects.all())

    included_serializers = {"user": UserSerializer, "event": EventSerializer, "role": RoleSerializer}

    class Meta:
        model = UsersEventsRoles
        resource_name = "users-events-roles"
        fields = ["user", "event", "role", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class RoleInviteSerializer(jsonapi.ModelSerializer):
    """``role-name`` or the ``role`` relationship names the role. The token never appears."""

    role_name = serializers.ChoiceField(choices=Role.NAMES, required=False)
    event = to_one("role-invite", queryset=Event.objects.all())
    role = to_one("role-invite", queryset=Role.objects.all(), required=False)

    included_serializers = {"event": EventSerializer, "role": RoleSerializer}

    class Meta:
        model = RoleInvite
        resource_name = "role-invite"
        fields = ["email", "role_name", "status", "created_at", "expires_at", "event", "role"]
        read_only_fields = ["created_at", "expires_at"]
        # Duplicates are the service's business (409 Conflict), not a serializer's 422.
        validators = []

    def validate(self, attrs):
        if self.instance is None:
            role = attrs.get("role")
            name = attrs.get("role_name")
            if role is None and name is None:
                raise serializers.ValidationError({"role": "Name the role with role-name or the role relationship."})
            if role is not None and name is not None and role.name != name:
                raise serializers.ValidationError({"role_name": "role-name and role disagree."})
            attrs["role_name"] = name or role.name
            attrs.pop("role", None)
        return attrs
