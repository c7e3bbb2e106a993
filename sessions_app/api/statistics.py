"""Statistics of the program: the admin dashboard's session counts and an event's overview."""
from django.http import Http404

from events import permissions as rules
from events.api.base import resolve_event_id
from events.api.permissions import EventCoorganizer
from events.api.statistics import StatisticsView, admin_statistics, described
from events.models import Event

from .. import statistics

AdminSessionStatistics = admin_statistics("admin-statistics-session", statistics.session_counts)


@described
class EventGeneralStatistics(StatisticsView):
    """``/v1/events/<id>/general-statistics`` for co-organizers and up."""

    resource_type = "event-statistics-general"
    permission_classes = [EventCoorganizer]

    def get_parent_event(self):
        event = Event.objects.filter(pk=resolve_event_id(self.kwargs["event_pk"])).first()
        if event is None or not rules.can_see_event(self.request.user, event):
            raise Http404("No event found.")
        return event

    def get(self, request, event_pk):
        event = self.get_parent_event()
        return self.document(event.pk, statistics.event_general_counts(event))
