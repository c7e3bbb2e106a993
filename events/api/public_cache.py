"""Which API documents are cached for anonymous readers, and under which version.

Cached (``openevent.api.cache``): GET list and detail documents, as an anonymous reader gets them,
of a published public event and its program:

- the event itself: ``/v1/events/<id or identifier>``;
- the lists nested under the event: ``/v1/events/<event>/sessions``, ``/speakers``, ``/tracks``,
  ``/session-types``, ``/microlocations``, ``/sponsors``, ``/social-links``, ``/custom-forms`` (and the speakers call,
  ``/v1/events/<event>/speakers-call``, served by the call's detail);
- the top-level details of those resources when they belong to such an event:
  ``/v1/sessions/<id>``, ``/v1/speakers/<id>``, ``/v1/tracks/<id>``, …

Never cached: any request of a logged-in user, anything but GET/HEAD, error responses, the browsable
API, ``?get_trashed``, draft or private events, top-level lists (``/v1/sessions``: many events) and
lists nested under anything but an event (``/v1/tracks/<id>/sessions``).

The scope of a document is its event, the version is the event's ``program_version``, found with
one query that also checks the event is published, public and live.
"""
from openevent.api.cache import CachedDocumentMixin
from openevent.api.views import is_id

from ..models import Event

UNCACHED_PARAMETERS = ("get_trashed",)


class PublicProgramCacheMixin(CachedDocumentMixin):
    """For the viewsets of events and of the resources that belong to one event (``event_id``)."""

    def document_scope(self):
        if any(name in self.request.query_params for name in UNCACHED_PARAMETERS):
            return None
        events = self.document_events()
        if events is None:
            return None
        public = events.filter(state=Event.State.PUBLISHED, privacy=Event.Privacy.PUBLIC)
        found = public.values_list("pk", "program_version").first()
        return None if found is None else (f"event:{found[0]}", found[1])

    def retrieve_related(self, request, *args, **kwargs):
        """``/v1/events/<event>/<relation>``: the event's related documents (the nested lists, while
        they are served through the event's view, and its speakers call)."""
        return self.cached_document(super().retrieve_related, request, *args, **kwargs)

    def document_events(self):
        """The live events (a queryset of at most one) whose document this request reads, or
        None when it is not one event's document."""
        kwargs = set(self.kwargs)
        if self.action == "list" and kwargs == {"event_pk"}:
            return Event.objects.filter(pk=self.kwargs["event_pk"])
        if self.action == "retrieve_related" and kwargs == {"pk", "related_field"} and self.queryset.model is Event:
            return Event.objects.filter(pk=self.kwargs["pk"])
        if self.action == "retrieve" and kwargs == {"pk"} and is_id(self.kwargs["pk"]):
            model = self.queryset.model
            if model is Event:
                return Event.objects.filter(pk=self.kwargs["pk"])
            return Event.objects.filter(pk__in=model.objects.filter(pk=self.kwargs["pk"]).values("event_id"))
        return None
