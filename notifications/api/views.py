"""``/v1/notifications``, ``/v1/message-settings`` and ``/v1/email-notifications``.

A notification or a preference row is its user's: others (but administrators) never find it
(404, security lesson 3). Lists under a user (``/v1/users/<id>/notifications``) are guarded by
the user resource's relation policy (the user themselves and administrators).
"""
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events import permissions as rules
from events.api.views import with_event
from openevent.api.parsers import PlainJsonAsJsonApiParser, PlainJsonParser
from openevent.api.permissions import Admin, Authenticated, Nobody
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema
from openevent.api.views import ResourceViewSet, is_id
from openevent.users.models import User

from .. import services
from ..models import PREFERENCES, EmailNotification, MessageSettings, Notification
from .serializers import EmailNotificationSerializer, MessageSettingsSerializer, NotificationSerializer

USERS, EVENTS = "user", "event"


class OwnRowsMixin:
    """Rows with a ``user``: administrators see every one, anyone else their own."""

    parent_lookups = {"user_pk": "user_id"}

    def visible_queryset(self, queryset):
        user = self.request.user
        if rules.is_admin(user):
            return queryset
        if not rules.is_authenticated(user):
            return queryset.none()
        return queryset.filter(user=user)


class ReadMostlyMixin:
    """A method the resource does not serve (``http_method_names``) is 405 for everyone, before
    any permission check would make it a 403."""

    def get_permissions(self):
        if self.request.method.lower() not in self.http_method_names:
            return []
        return super().get_permissions()


class NotificationViewSet(ReadMostlyMixin, OwnRowsMixin, ResourceViewSet):
    """Written by the receivers only: no POST (405). Its user reads it, marks it read or unread
    (``is-read`` is the only writable attribute) and deletes it."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]
    policy = {
        "list": Admin,
        "nested_list": Authenticated,
        "retrieve": Authenticated,
        "partial_update": Authenticated,
        "destroy": Authenticated,
        "relationships": Nobody,
    }
    related_resources = {"user": (USERS, None), "event": (EVENTS, None)}
    filterset_fields = {
        "is_read": ("exact",),
        "action": ("exact", "in"),
        "received_at": ("lt", "lte", "gt", "gte"),
    }

    def optimize(self, queryset):
        return with_event(self, queryset.select_related("user"))

    def perform_update(self, serializer):
        data = serializer.validated_data
        instance = serializer.instance
        if "is_read" in data:
            services.mark_read(instance, data["is_read"], actor=self.request.user)

    def perform_destroy(self, instance, permanent=False):
        services.delete_notification(instance, actor=self.request.user)


class MessageSettingsViewSet(ReadMostlyMixin, ResourceViewSet):
    """One row per action. Logged-in users read the switches (the preferences they may set
    depend on them); administrators change them. Rows are neither created nor deleted here."""

    queryset = MessageSettings.objects.all()
    serializer_class = MessageSettingsSerializer
    http_method_names = ["get", "patch", "head", "options"]
    policy = {"list": Authenticated, "retrieve": Authenticated, "partial_update": Admin}
    filterset_fields = {
        "action": ("exact", "in"),
        "mail_status": ("exact",),
        "notification_status": ("exact",),
        "user_control_status": ("exact",),
    }

    def perform_update(self, serializer):
        services.update_message_settings(serializer.instance, dict(serializer.validated_data), actor=self.request.user)


class EmailNotificationViewSet(OwnRowsMixin, ResourceViewSet):
    """A user's mail preferences about one event. A user creates and changes their own (POST
    with the event; an existing row for that event is updated); administrators see every row."""

    queryset = EmailNotification.objects.all()
    serializer_class = EmailNotificationSerializer
    policy = {
        "list": Admin,
        "nested_list": Authenticated,
        "retrieve": Authenticated,
        "create": Authenticated,
        "partial_update": Authenticated,
        "destroy": Authenticated,
        "relationships": Nobody,
    }
    related_resources = {"user": (USERS, None), "event": (EVENTS, None)}
    filterset_fields = dict.fromkeys(PREFERENCES, ("exact",))

    def optimize(self, queryset):
        return with_event(self, queryset.select_related("user"))

    @staticmethod
    def preferences(data):
        return {name: value for name, value in data.items() if name in PREFERENCES}

    def perform_create(self, serializer):
        data = serializer.validated_data
        actor = self.request.user
        user = data.get("user") or actor
        if user.pk != actor.pk and not rules.is_admin(actor):
            raise ValidationError({"user": ["You set your own preferences only."]})
        serializer.instance = services.update_email_preferences(
            user, data["event"], self.preferences(data), actor=actor
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.update_email_preferences(
            serializer.instance.user, serializer.instance.event, self.preferences(data), actor=self.request.user
        )

    def perform_destroy(self, instance, permanent=False):
        services.delete_email_preferences(instance, actor=self.request.user)


@extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
class MarkAllReadView(APIView):
    """``POST /v1/users/<id>/notifications/mark-all-read``: every unread notification of the
    user is marked read (the user themselves, or an administrator). Answers how many were."""

    schema = PlainAutoSchema()
    parser_classes = [PlainJsonParser, PlainJsonAsJsonApiParser]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    permission_classes = [Authenticated]

    def post(self, request, user_pk):
        if not is_id(user_pk):
            raise Http404("No such user.")
        user = User.objects.filter(pk=user_pk).first()
        if user is None:
            raise Http404("No such user.")
        if user.pk != request.user.pk and not rules.is_admin(request.user):
            raise PermissionDenied("You may mark only your own notifications read.")
        count = services.mark_all_read(user)
        return Response({"meta": {"marked-read": count}})
