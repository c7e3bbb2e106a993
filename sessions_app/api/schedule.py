"""``/v1/schedule-blocks`` and ``/v1/events/<id>/schedule-blocks``: the breaks and other blocks
of an event's schedule in the work in progress.

The work in progress is the organizers': co-organizers and up read and write blocks (anyone else
is 403 on a nested list, and sees no rows in ``/v1/schedule-blocks``); the public reads the
blocks of the released version (``sessions_app.queries.released_schedule``). Writes go through
``sessions_app.services.schedule``, which asks ``rules.can_manage_schedule`` again and refuses
bad times or rooms in words (422 with a pointer).
"""

from events import permissions as rules
from events import queries as event_queries
from events.api.base import EventResourceViewSet
from events.api.permissions import EventCoorganizer
from events.models import Event, Microlocation
from openevent.api.permissions import Nobody
from openevent.api.relations import to_one
from openevent.api.serializers import ModelSerializer

from ..models import ScheduleBlock
from ..services import schedule

BASENAME = "schedule-block"


class ScheduleBlockSerializer(ModelSerializer):
    event = to_one(BASENAME, queryset=Event.objects.all())
    microlocation = to_one(BASENAME, queryset=Microlocation.objects.all(), required=False, allow_null=True)

    included_serializers = {
        "event": "events.api.serializers.EventSerializer",
        "microlocation": "events.api.serializers.MicrolocationSerializer",
    }

    class Meta:
        model = ScheduleBlock
        resource_name = BASENAME
        fields = ["title", "kind", "starts_at", "ends_at", "created_at", "event", "microlocation"]
        read_only_fields = ["created_at"]


class ScheduleBlockViewSet(EventResourceViewSet):
    queryset = ScheduleBlock.objects.all()
    serializer_class = ScheduleBlockSerializer
    parent_lookups = {"event_pk": "event_id"}
    policy = {
        "list": EventCoorganizer,
        "retrieve": EventCoorganizer,
        "create": EventCoorganizer,
        "partial_update": EventCoorganizer,
        "destroy": EventCoorganizer,
        "relationships": Nobody,
    }
    related_resources = {"event": ("event", None), "microlocation": ("microlocation", None)}
    filterset_fields = {
        "kind": ("exact", "in"),
        "starts_at": ("exact", "lt", "lte", "gt", "gte"),
        "ends_at": ("exact", "lt", "lte", "gt", "gte"),
        "microlocation": ("exact", "isnull"),
    }

    def visible_queryset(self, queryset):
        """The blocks of the events the user manages the schedule of (admins: every event)."""
        user = self.request.user
        if not rules.is_authenticated(user):
            return queryset.none()
        events = event_queries.events_where(user, rules.COORGANIZER_ROLES)
        return queryset.filter(event_id__in=events.values("id"))

    def optimize(self, queryset):
        # A block's room renders its own event relationship: joined too, or it is read per block.
        return queryset.select_related("event", "microlocation__event")

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = dict(serializer.validated_data)
        event = data.pop("event")
        serializer.instance = schedule.create_block(self.request.user, event, data)

    def perform_update(self, serializer):
        serializer.instance = schedule.update_block(self.request.user, serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance, permanent=False):
        schedule.delete_block(self.request.user, instance)
