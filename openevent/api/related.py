"""Related routes (``/v1/<plural>/<id>/<rel>``) and relationship routes
(``/v1/<plural>/<id>/relationships/<rel>``), every one guarded like the object itself.

A to-one related route answers with the target's own detail view (its policy, its visibility);
a to-many one is the related resource's list, routed to it directly (``routing.nested_urls``),
which first finds the parent through the parent's viewset: a parent the user may not see is 404
exactly as its detail would be.
"""
from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework_json_api.utils import format_link_segment, undo_format_link_segment

from .relations import related_target, shown
from .routing import viewset_for


class RelatedRoutesMixin:
    """Subclasses declare:

    - ``related_resources``: relation name (python) -> (basename of the related resource, nested
      url kwarg or None for to-one relations);
    - ``relationship_writers``: relation name -> method name handling POST/PATCH/DELETE on its
      relationship route (relations not listed are read-only there: 403);
    - ``related_scopes``: relation name -> ``scope(parent_pk)``, a ``Q`` over the related model
      naming the rows of a to-many relation that the related resource cannot name itself (an
      event's organizers are users holding a role there): its nested list and relationship
      route show those rows (as the related resource's list shows them to the viewer).

    An app above this one adds a relation to a resource with ``add_related``.
    """

    related_resources = {}
    relationship_writers = {}
    related_scopes = {}
    #: On a nested list route (set by ``routing.nested_urls``): the parent resource's viewset, the
    #: URL kwarg carrying the parent's id and the relation's URL segment.
    parent_viewset = None
    parent_kwarg = None
    parent_segment = None

    # --- the parent of a nested list ------------------------------------------------------------
    def check_permissions(self, request):
        if self.parent_viewset is not None and not hasattr(self, "nested_parent"):
            self.nested_parent = self.load_parent(request)
        super().check_permissions(request)

    def load_parent(self, request):
        """The parent named in a nested list's URL, found and guarded by its own viewset as its
        related route would be: the parent's ``retrieve`` policy and visibility (404 otherwise)."""
        view = self.parent_viewset(
            request=request,
            args=(),
            kwargs={"pk": str(self.kwargs[self.parent_kwarg]), "related_field": self.parent_segment},
            action="retrieve_related",
            format_kwarg=None,
        )
        view.headers = {}
        view.resolve_url_kwargs()
        view.check_permissions(request)
        return view.get_object()

    # --- related and relationship routes ----------------------------------------------------------
    def _relation(self):
        name = undo_format_link_segment(self.kwargs["related_field"])
        if name not in self.related_resources:
            raise Http404("No such relationship.")
        return name

    def _related_view(self, name):
        basename, nested_kwarg = self.related_resources[name]
        return viewset_for(basename), nested_kwarg

    def retrieve_related(self, request, *args, **kwargs):
        """``/v1/<plural>/<id>/<rel>`` of a to-one relation: the target, served by its own viewset
        so that its own policy and visibility apply on top of the parent's. (To-many relations are
        routed to the related list directly.)"""
        name = self._relation()
        parent = self.get_object()
        viewset, nested_kwarg = self._related_view(name)
        if nested_kwarg:
            raise Http404("No such relationship.")
        target = self.related_id(parent, name)
        if target is None:
            self.resource_name = False
            return Response({"data": None})
        response = viewset.as_view({"get": "retrieve"})(request._request, pk=str(target))
        # Rendered by the related resource's own view (its type, its includes), not by this one.
        return response.render()

    def relationships(self, request, *args, **kwargs):
        name = self._relation()
        parent = self.get_object()
        if request.method != "GET":
            writer = self.relationship_writers.get(name)
            if writer is None:
                raise PermissionDenied(f"The {format_link_segment(name)} relationship cannot be changed.")
            with transaction.atomic():
                getattr(self, writer)(parent, request.method, request.data)
        # Resource identifier documents are rendered as they are, not as resource objects.
        self.resource_name = False
        segment = format_link_segment(name)
        base = request.build_absolute_uri(request.path).rsplit("/relationships/", 1)[0]
        return Response(
            {
                "data": self.relationship_data(parent, name),
                "links": {"self": f"{base}/relationships/{segment}", "related": f"{base}/{segment}"},
            }
        )

    def relationship_data(self, parent, name):
        viewset, nested_kwarg = self._related_view(name)
        resource_type = viewset.resource_type()
        if nested_kwarg:
            related = viewset.visible_related(self.request, parent, nested_kwarg, type(self), format_link_segment(name))
            return [{"type": resource_type, "id": str(pk)} for pk in related]
        target = self.related_id(parent, name)
        return None if target is None else {"type": resource_type, "id": str(target)}

    def related_target(self, parent, name):
        """The object a to-one relation points at (None when empty or trashed)."""
        return related_target(parent, name)

    def related_id(self, parent, name):
        """The id a to-one relation names. The related route hands a foreign key to the target's
        own view, whose guards answer 404 for a trashed or hidden target; the relationship route
        names the target only when it is ``shown`` to the viewer, as the resource's
        relationship data does."""
        if self.action == "retrieve_related":
            if hasattr(parent, f"{name}_id"):
                return getattr(parent, f"{name}_id")
            target = self.related_target(parent, name)
            return target.pk if target is not None else None
        target = self.related_target(parent, name)
        return target.pk if shown(target, self.request.user) else None

    def get_related_serializer_class(self):
        """The library asks for this on related routes (to check ``include``): the related
        resource's serializer."""
        viewset, _ = self._related_view(self._relation())
        return viewset.serializer_class

    @classmethod
    def add_related(cls, name, basename, nested_kwarg=None, *, scope=None, policy=None):
        """Add the relation ``name`` to ``basename`` rows (declared as ``related_resources``,
        ``related_scopes`` and ``related_policy`` are): call it before the URLs are built."""
        cls.related_resources = {**cls.related_resources, name: (basename, nested_kwarg)}
        if scope is not None:
            cls.related_scopes = {**cls.related_scopes, name: scope}
        if policy is not None:
            cls.related_policy = {**cls.related_policy, name: policy}

    def parent_scope(self):
        """The ``related_scopes`` entry of the parent of a nested list, as a ``Q`` (or None)."""
        if self.parent_viewset is None or self.parent_segment is None:
            return None
        scope = self.parent_viewset.related_scopes.get(undo_format_link_segment(self.parent_segment))
        return None if scope is None else scope(self.kwargs[self.parent_kwarg])

    @classmethod
    def resource_type(cls):
        return cls.serializer_class.Meta.resource_name

    @classmethod
    def visible_related(cls, request, parent, nested_kwarg, parent_viewset=None, parent_segment=None):
        """Ids of the rows a nested list under ``parent`` would show to this request's user."""
        view = cls(
            request=request,
            kwargs={nested_kwarg: str(parent.pk)},
            action="list",
            format_kwarg=None,
            parent_viewset=parent_viewset,
            parent_kwarg=nested_kwarg,
            parent_segment=parent_segment,
        )
        # The parent is found already (guarded as its relationship route is).
        view.nested_parent = parent
        # Guarded exactly like the related list itself.
        view.check_permissions(request)
        return view.get_queryset().order_by("pk").values_list("pk", flat=True)
