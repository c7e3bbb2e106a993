"""Event scoping of the API: events named by id or identifier in URLs, the parent event of a
nested URL, the event each object belongs to (permission checks resolve it first), and the trash
managed by an event's team."""
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events import permissions as rules
from events import queries
from events.models import Event
from openevent.api.permissions import Anyone
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema
from openevent.api.views import ResourceViewSet, is_id


def resolve_event_id(value):
    """An event in a URL may be its numeric id or its 8-hex-char identifier."""
    value = str(value)
    if is_id(value):
        return int(value)
    found = Event.all_objects.filter(identifier=value.lower()).values_list("id", flat=True).first()
    if found is None:
        raise Http404("No event with that identifier.")
    return found


def visible_event(user, value):
    """The live event named by id or identifier ``value``, if ``user`` may see it (404 otherwise)."""
    event = Event.objects.filter(pk=resolve_event_id(value)).first()
    if event is None or not rules.can_see_event(user, event):
        raise Http404("No event found.")
    return event


class EventScopedMixin:
    """Declarations: ``event_url_kwargs`` (URL kwargs naming an event, resolved from identifiers
    to ids before anything else runs) and ``manager_roles`` (roles at a row's event that manage its
    trash; admins always do; None: admins only)."""

    event_url_kwargs = ("event_pk",)
    manager_roles = None

    def resolve_url_kwargs(self):
        super().resolve_url_kwargs()
        for name in self.event_url_kwargs:
            if name in self.kwargs:
                self.kwargs[name] = resolve_event_id(self.kwargs[name])

    def get_parent_event(self):
        """The event named in a nested URL, if it is visible to the user (404 otherwise). On a
        nested list route the parent event is the one its own viewset found already."""
        if "event_pk" not in self.kwargs:
            return None
        if not hasattr(self, "_parent_event"):
            found = getattr(self, "nested_parent", None)
            if isinstance(found, Event) and found.pk == int(self.kwargs["event_pk"]):
                event = found if found.deleted_at is None else None
            else:
                event = Event.objects.filter(pk=self.kwargs["event_pk"]).first()
            if event is None or not rules.can_see_event(self.request.user, event):
                raise Http404("No event found.")
            self._parent_event = event
        return self._parent_event

    def event_of(self, obj):
        if isinstance(obj, Event):
            return obj
        return obj.event

    def get_queryset(self):
        # A hidden or unknown parent event is 404 before anything is listed.
        self.get_parent_event()
        return super().get_queryset()

    def trashed_queryset(self, queryset):
        """The trashed rows of the events where the user holds one of ``manager_roles``."""
        user = self.request.user
        if rules.is_admin(user) or not self.manager_roles or not rules.is_authenticated(user):
            return super().trashed_queryset(queryset)
        trashed = queryset.filter(deleted_at__isnull=False)
        return trashed.filter(event_id__in=queries.events_where(user, self.manager_roles).values("id"))

    def check_create_permission(self, validated_data):
        event = validated_data.get("event") or self.get_parent_event()
        if event is not None:
            if not rules.can_see_event(self.request.user, event):
                raise ValidationError({"event": ["No event found with this id."]})
            self.check_object_permissions(self.request, event)


class EventResourceViewSet(EventScopedMixin, ResourceViewSet):
    """The base of the resources of the events app and above."""


@extend_schema(responses={200: OpenApiTypes.ANY})
class EventPlainView(APIView):
    """Plain-JSON answers about one event (``/v1/events/<id>/sessions/dates``…), as the Open
    Event front end reads them: the event named by id or identifier, 404 unless the viewer may
    see it (a draft below co-organizer), exactly as the event's own detail."""

    permission_classes = [Anyone]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()

    def get(self, request, event_pk):
        return Response(self.answer(visible_event(request.user, event_pk)))

    def answer(self, event):
        raise NotImplementedError
