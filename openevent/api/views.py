"""Base viewset of the API: per-action policy, event lookup by id or identifier, soft delete,
related routes (``/v1/<plural>/<id>/<rel>``) and relationship routes
(``/v1/<plural>/<id>/relationships/<rel>``), every one guarded like the object itself.
"""
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework_json_api import views as dja_views
from rest_framework_json_api.utils import (
    format_link_segment,
    undo_format_field_name,
    undo_format_link_segment,
)

from events import permissions as rules
from events.models import Event

from .exceptions import BadQueryParameter, Conflict
from .includes import include_paths
from .permissions import Nobody
from .relations import related_target, shown

TRUE_VALUES = {"true", "1", "yes"}


def flag(request, name):
    return request.query_params.get(name, "").lower() in TRUE_VALUES


def is_id(value):
    """A primary key as URLs carry it: ASCII digits only (``"١"`` is a digit to Python)."""
    value = str(value)
    return value.isascii() and value.isdigit()


def resolve_event_id(value):
    """An event in a URL may be its numeric id or its 8-hex-char identifier."""
    value = str(value)
    if is_id(value):
        return int(value)
    found = Event.all_objects.filter(identifier=value.lower()).values_list("id", flat=True).first()
    if found is None:
        raise Http404("No event with that identifier.")
    return found


class _ResourceBase(dja_views.viewsets.ModelViewSet):
    """What every API resource shares (see ``ResourceViewSet``). Subclasses declare:

    - ``policy``: action name -> permission class (``list``, ``retrieve``, ``create``,
      ``partial_update``, ``destroy``; ``relationships`` for writes to relationship routes);
    - ``related_resources``: relation name (python) -> (dotted viewset path, nested url kwarg or None
      for to-one relations);
    - ``relationship_writers``: relation name -> method name handling POST/PATCH/DELETE on its
      relationship route (relations not listed are read-only there: 403);
    - ``event_of(obj)``: the event an object belongs to (permission checks resolve it first);
    - ``parent_lookups``: nested url kwarg -> queryset filter (e.g. ``{"event_pk": "event_id"}``).
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    policy = {}
    related_resources = {}
    relationship_writers = {}
    parent_lookups = {}
    # Resolve these URL kwargs from event identifiers to ids before anything else runs.
    event_url_kwargs = ("event_pk",)
    soft_delete = False

    # --- policy -------------------------------------------------------------------------------
    def policy_action(self):
        if self.action == "relationships":
            return "retrieve" if self.request.method in ("GET", "HEAD", "OPTIONS") else "relationships"
        if self.action == "retrieve_related":
            return "retrieve"
        if self.action == "update":
            return "partial_update"
        if self.action == "metadata":
            return "list"
        return self.action

    def get_permissions(self):
        if self.action is None:
            # A method this route does not map (PUT…): let DRF answer 405, not 403.
            return []
        return [self.policy.get(self.policy_action(), Nobody)()]

    # --- URL kwargs and the parent event --------------------------------------------------------
    def initial(self, request, *args, **kwargs):
        for name in self.event_url_kwargs:
            if name in self.kwargs:
                self.kwargs[name] = resolve_event_id(self.kwargs[name])
        self.parses_resource_identifiers = self.action == "relationships"
        super().initial(request, *args, **kwargs)
        self.check_include(request)

    def check_include(self, request):
        """An unknown ``include`` path is a 400 naming the parameter (DJA would raise a ParseError
        without ``source.parameter`` when building the serializer). Related and relationship routes
        are left to the related resource's own view."""
        raw = request.query_params.get("include")
        if not raw or "related_field" in self.kwargs:
            return
        for path in include_paths(raw):  # refuses too many or too deep paths first
            serializer = self.get_serializer_class()
            for name in path.split("."):
                included = getattr(serializer, "included_serializers", None) or {}
                if undo_format_field_name(name) not in included:
                    raise BadQueryParameter("include", f"'{path}' cannot be included here.")
                serializer = included[undo_format_field_name(name)]

    def get_parent_event(self):
        """The event named in a nested URL, if it is visible to the user (404 otherwise)."""
        if "event_pk" not in self.kwargs:
            return None
        if not hasattr(self, "_parent_event"):
            event = Event.objects.filter(pk=self.kwargs["event_pk"]).first()
            if event is None or not rules.can_see_event(self.request.user, event):
                raise Http404("No event found.")
            self._parent_event = event
        return self._parent_event

    def event_of(self, obj):
        if isinstance(obj, Event):
            return obj
        return obj.event

    # --- querysets ------------------------------------------------------------------------------
    def base_queryset(self):
        """Rows of the resource as the model's default manager sees them (live rows)."""
        return self.queryset.model._default_manager.all()

    def visible_queryset(self, queryset):
        """Restrict to the rows the requesting user may see. Subclasses narrow this."""
        return queryset

    #: Roles at a row's event that manage its trash (``get_trashed``, restore); admins always do.
    #: None: the rows have no event, admins only.
    manager_roles = None

    def trashed_queryset(self, queryset):
        """Of ``queryset`` (all rows, trashed included), the trashed ones the user may manage."""
        user = self.request.user
        trashed = queryset.filter(deleted_at__isnull=False)
        if rules.is_admin(user):
            return trashed
        if not self.manager_roles or not rules.is_authenticated(user):
            return queryset.none()
        return trashed.filter(event_id__in=rules.events_where(user, self.manager_roles).values("id"))

    def wants_trashed(self):
        if not self.soft_delete:
            return False
        # Restoring (PATCH deleted-at: null) needs to find the trashed row.
        return flag(self.request, "get_trashed") or self.action in ("partial_update", "update")

    def get_queryset(self):
        queryset = self.visible_queryset(self.base_queryset())
        for kwarg, lookup in self.parent_lookups.items():
            if kwarg in self.kwargs:
                if kwarg == "event_pk":
                    self.get_parent_event()
                queryset = queryset.filter(**{lookup: self.kwargs[kwarg]})
        if self.wants_trashed():
            everything = self.queryset.model.all_objects.all()
            for kwarg, lookup in self.parent_lookups.items():
                if kwarg in self.kwargs:
                    everything = everything.filter(**{lookup: self.kwargs[kwarg]})
            trashed_ids = self.trashed_queryset(everything).values("pk")
            queryset = self.queryset.model.all_objects.filter(pk__in=queryset.values("pk")) | (
                self.queryset.model.all_objects.filter(pk__in=trashed_ids)
            )
        return self.optimize(queryset)

    def optimize(self, queryset):
        """Hook for select_related/prefetch_related common to every request of this resource."""
        return queryset

    def get_object(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if lookup is not None and not is_id(lookup) and self.queryset.model is not Event:
            raise Http404("Not found.")
        return super().get_object()

    # --- writes -----------------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=self.location(serializer.instance))

    def location(self, instance):
        """``Location`` of a created resource: its detail URL."""
        match = self.request.resolver_match
        if match is None or not match.url_name:
            return {}
        basename = match.url_name.rsplit("-", 1)[0]
        try:
            url = reverse(f"{basename}-detail", kwargs={"pk": instance.pk})
        except NoReverseMatch:
            return {}
        return {"Location": self.request.build_absolute_uri(url)}

    def perform_create(self, serializer):
        """Check the event of the submitted data, then create through the serializer/service."""
        self.check_create_permission(serializer.validated_data)
        self.save_or_conflict(serializer)

    def save_or_conflict(self, serializer):
        """Save; a unique constraint that still trips (a race, a duplicate) is 409, not 500."""
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise Conflict("This would duplicate an existing object.") from None

    def check_create_permission(self, validated_data):
        event = validated_data.get("event") or self.get_parent_event()
        if event is not None:
            if not rules.can_see_event(self.request.user, event):
                raise ValidationError({"event": ["No event found with this id."]})
            self.check_object_permissions(self.request, event)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        body_id = request.data.get("id") if isinstance(request.data, dict) else None
        if body_id is not None and str(body_id) != str(instance.pk):
            raise Conflict(f"The resource object's id ({body_id}) does not match the URL ({instance.pk}).")
        if self.soft_delete and instance.deleted_at is not None:
            return self.restore(request, instance)
        return super().update(request, *args, **kwargs)

    def restore(self, request, instance):
        """A trashed row accepts exactly one change: ``deleted-at: null``."""
        if "deleted_at" not in request.data or request.data["deleted_at"] is not None:
            raise ValidationError(
                {"deleted_at": ["This object is deleted; restore it with deleted-at: null first."]}
            )
        others = sorted(set(request.data) - {"deleted_at", "id", "type", "_meta"})
        if others:
            raise ValidationError(
                {others[0]: ["Restore the object (deleted-at: null) on its own, then change it."]}
            )
        instance.restore()
        return Response(self.get_serializer(instance).data)

    def perform_update(self, serializer):
        self.save_or_conflict(serializer)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        if flag(request, "permanent"):
            if not rules.is_admin(request.user):
                raise PermissionDenied("Only administrators may delete permanently.")
            self.perform_destroy(instance, permanent=True)
        else:
            self.perform_destroy(instance, permanent=not self.soft_delete)
        # A meta-only document, rendered as it is (not as a resource object).
        self.resource_name = False
        return Response({"meta": {"message": "Object successfully deleted"}}, status=status.HTTP_200_OK)

    def perform_destroy(self, instance, permanent=False):
        if permanent:
            instance.delete()
        else:
            instance.soft_delete()

    # --- related and relationship routes ----------------------------------------------------------
    def _relation(self):
        name = undo_format_link_segment(self.kwargs["related_field"])
        if name not in self.related_resources:
            raise Http404("No such relationship.")
        return name

    def _related_view(self, name):
        path, nested_kwarg = self.related_resources[name]
        return import_string(path), nested_kwarg

    def retrieve_related(self, request, *args, **kwargs):
        """``/v1/<plural>/<id>/<rel>``: the related resource(s), served by their own viewset so
        that their own policy and visibility apply on top of the parent's."""
        name = self._relation()
        parent = self.get_object()
        viewset, nested_kwarg = self._related_view(name)
        if nested_kwarg:
            response = viewset.as_view({"get": "list"})(request._request, **{nested_kwarg: str(parent.pk)})
        else:
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
            related = viewset.visible_related(self.request, parent, nested_kwarg)
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
    def resource_type(cls):
        return cls.serializer_class.Meta.resource_name

    @classmethod
    def visible_related(cls, request, parent, nested_kwarg):
        """Ids of the rows a nested list under ``parent`` would show to this request's user."""
        view = cls(request=request, kwargs={nested_kwarg: str(parent.pk)}, action="list", format_kwarg=None)
        # Guarded exactly like the related list itself.
        view.check_permissions(request)
        return view.get_queryset().order_by("pk").values_list("pk", flat=True)

    # --- query parameters ---------------------------------------------------------------------------
    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context



class ResourceViewSet(dja_views.AutoPrefetchMixin, dja_views.PreloadIncludesMixin, _ResourceBase):
    """The base of every API viewset: the library's include prefetching wraps our querysets."""

    def get_queryset(self):
        if self.action in ("retrieve_related", "relationships"):
            # ``include`` on these URLs is meant for the related resource (served by its own
            # view); prefetching it on the parent would load rows nobody reads.
            return _ResourceBase.get_queryset(self)
        return super().get_queryset()
