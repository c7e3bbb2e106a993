from django.db.models import Q
from rest_framework import serializers

from openevent.api.relations import links_only, viewer_of
from openevent.api.serializers import ModelSerializer
from openevent.core import permissions as rules

from ..models import User

PUBLIC_FIELDS = [
    "first_name",
    "last_name",
    "public_name",
    "avatar_url",
    "thumbnail_image_url",
    "small_image_url",
    "icon_image_url",
    "details",
    "facebook_url",
    "twitter_url",
    "instagram_url",
]
PRIVATE_FIELDS = [
    "email",
    "contact",
    "is_admin",
    "is_super_admin",
    "is_verified",
    "is_blocked",
    "last_accessed_at",
    "created_at",
    "deleted_at",
]
# Flag -> the rule a writer must satisfy to change it.
FLAG_RULES = {
    "is_super_admin": rules.is_super_admin,
    "is_admin": rules.is_super_admin,
    "is_verified": rules.is_admin,
    "is_blocked": rules.is_admin,
}


class UserSerializer(ModelSerializer):
    """Others see public fields only; the user themself and admins see everything."""

    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    deleted_at = serializers.DateTimeField(required=False, allow_null=True)
    # The sessions the user proposed or speaks in, and their speaker profiles (self and admins).
    sessions = links_only("user", source="created_sessions")
    speakers = links_only("user", source="speaker_profiles")

    class Meta:
        model = User
        resource_name = "user"
        fields = ["password", *PUBLIC_FIELDS, *PRIVATE_FIELDS, "sessions", "speakers"]
        read_only_fields = [
            "last_accessed_at", "created_at", "thumbnail_image_url", "small_image_url", "icon_image_url",
        ]  # fmt: skip
        # Uniqueness is the service's business: a taken address is 409 Conflict, not 422.
        extra_kwargs = {"email": {"validators": []}}

    #: Private read-only fields that apps above add (``add_private_fields``: a user's events).
    added_private_fields = ()

    @classmethod
    def add_private_fields(cls, **fields):
        """Add read-only ``fields`` shown where the private fields are (self and admins)."""
        cls.add_fields(**fields)
        cls.added_private_fields = (*cls.added_private_fields, *fields)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The viewer: the request's user, or whom the view names (``context["user"]``: the
        # registrant, whose registration request is anonymous).
        viewer = viewer_of(self.context)
        own = rules.is_authenticated(viewer) and viewer.pk == instance.pk
        if not (rules.is_admin(viewer) or own):
            for name in (*PRIVATE_FIELDS, *self.added_private_fields):
                data.pop(name, None)
        return data

    def private_rule(self):
        """For the fast read path: the private fields are shown to admins and on one's own row."""
        viewer = viewer_of(self.context)
        private = [*PRIVATE_FIELDS, *self.added_private_fields]
        if rules.is_admin(viewer):
            return private, True
        if rules.is_authenticated(viewer):
            return private, Q(pk=viewer.pk)
        return private, False

    def validate(self, attrs):
        viewer = self.context["request"].user
        for flag, rule in FLAG_RULES.items():
            changed = flag in attrs and (self.instance is None or getattr(self.instance, flag) != attrs[flag])
            if changed and not rule(viewer):
                raise serializers.ValidationError({flag: "You are not allowed to change this flag."})
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": "This field is required."})
        if "deleted_at" in attrs and attrs["deleted_at"] is not None:
            raise serializers.ValidationError({"deleted_at": "Only null (restore) is accepted."})
        return attrs
