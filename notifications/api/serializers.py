"""The notification, message-setting and email-notification resources in Open Event's shape."""
from django.core.exceptions import ObjectDoesNotExist
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import RelatedField

from events.api.serializers import EventSerializer
from events.models import Event
from openevent.api.relations import to_one
from openevent.api.serializers import ModelSerializer
from openevent.users.api.serializers import UserSerializer
from openevent.users.models import User

from .. import texts
from ..models import ACTIONS, EmailNotification, MessageSettings, Notification


class OnlyChangesMixin:
    """A PATCH may change only ``changeable`` attributes; the others may be sent back unchanged
    (clients send whole objects) but a different value is a 422 at its pointer, not ignored."""

    changeable = ()

    def to_internal_value(self, data):
        if self.instance is not None and isinstance(data, dict):
            refused = {
                name: [f"Only {', '.join(n.replace('_', '-') for n in self.changeable)} can be changed."]
                for name, value in data.items()
                if name in self.fields and name not in self.changeable and not self.unchanged_value(name, value)
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def unchanged_value(self, name, value):
        field = self.fields[name]
        if isinstance(field, RelatedField):
            current = getattr(self.instance, f"{field.source}_id", None)
            given = value.get("id") if isinstance(value, dict) else value
            return str(given) == str(current) if given is not None else current is None
        try:
            current = field.to_representation(field.get_attribute(self.instance))
        except (SkipField, AttributeError, ObjectDoesNotExist, TypeError, ValueError):  # no value to compare
            return False
        if isinstance(current, str) and isinstance(value, str) and isinstance(field, serializers.DateTimeField):
            try:
                return field.to_internal_value(value) == field.to_internal_value(current)
            except serializers.ValidationError:
                return False
        return current == value


class NotificationSerializer(OnlyChangesMixin, ModelSerializer):
    """``is-read`` is the only writable attribute. ``created-at`` (the blueprint's name) and
    ``received-at`` (the reference's) are the same time."""

    changeable = ("is_read",)

    created_at = serializers.DateTimeField(source="received_at", read_only=True)
    user = to_one("notification", read_only=True)
    event = to_one("notification", read_only=True)

    included_serializers = {"user": UserSerializer, "event": EventSerializer}

    class Meta:
        model = Notification
        resource_name = "notification"
        fields = ["title", "message", "action", "link", "received_at", "created_at", "is_read", "user", "event"]
        read_only_fields = ["title", "message", "action", "link", "received_at"]


def _template_source(name):
    try:
        return get_template(name).template.source.strip()
    except (TemplateDoesNotExist, AttributeError):
        return ""


class MessageSettingsSerializer(OnlyChangesMixin, ModelSerializer):
    """An action's switches (administrators change them); ``enabled`` is the blueprint's name
    for ``mail-status``. The messages are what the action's mail template and notification say."""

    changeable = ("mail_status", "notification_status", "user_control_status", "enabled")

    enabled = serializers.BooleanField(source="mail_status", required=False)
    label = serializers.SerializerMethodField()
    email_subject = serializers.SerializerMethodField()
    email_message = serializers.SerializerMethodField()
    notification_message = serializers.SerializerMethodField()

    class Meta:
        model = MessageSettings
        resource_name = "message-setting"
        fields = [
            "action", "label", "mail_status", "enabled", "notification_status", "user_control_status",
            "email_subject", "email_message", "notification_message",
        ]  # fmt: skip
        read_only_fields = ["action"]

    def get_label(self, row) -> str:
        return ACTIONS.get(row.action, row.action)

    def get_email_subject(self, row) -> str:
        return _template_source(f"mail/{row.action}.subject.txt")

    def get_email_message(self, row) -> str:
        return _template_source(f"mail/{row.action}.txt")

    def get_notification_message(self, row) -> str:
        return texts.TITLES.get(row.action, "")


class EmailNotificationSerializer(OnlyChangesMixin, ModelSerializer):
    """One user's mail preferences about one event. ``after-ticket-purchase`` belongs to ticket
    sales, which are not built: always on, read-only. ``event-id`` repeats the relationship as
    the blueprint shows it."""

    changeable = ("new_paper", "session_accept_reject", "session_schedule", "next_event")

    after_ticket_purchase = serializers.SerializerMethodField()
    event_id = serializers.IntegerField(read_only=True)
    user = to_one("email-notification", queryset=User.objects.all(), required=False)
    event = to_one("email-notification", queryset=Event.objects.all())

    included_serializers = {"user": UserSerializer, "event": EventSerializer}

    class Meta:
        model = EmailNotification
        resource_name = "email-notification"
        fields = [
            "new_paper", "session_accept_reject", "session_schedule", "next_event", "after_ticket_purchase",
            "event_id", "user", "event",
        ]  # fmt: skip
        # One row per user and event is the service's business (it updates the existing row).
        validators = []

    def get_after_ticket_purchase(self, row) -> bool:
        return True
