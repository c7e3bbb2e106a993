"""The base viewset of every API resource, assembled from one mixin per concern:

- ``policy.PolicyMixin``: the permission class of each action;
- ``trash.TrashMixin``: ``?get_trashed``, trashing, permanent deletes, restoring;
- ``related.RelatedRoutesMixin``: related and relationship routes, nested lists' parents;
- this module: querysets (visibility, nested parents), ``include`` checks, writes.

Scoping to an event (event ids or identifiers in URLs, the parent event, event roles) is the
events app's business: ``events.api.base``.
"""
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from rest_framework import status
from rest_framework.response import Response
from rest_framework_json_api import views as dja_views
from rest_framework_json_api.utils import undo_format_field_name

from .exceptions import BadQueryParameter, Conflict
from .includes import include_paths
from .policy import PolicyMixin
from .related import RelatedRoutesMixin
from .trash import TrashMixin, flag

__all__ = ["ResourceViewSet", "flag", "is_id"]


def is_id(value):
    """A primary key as URLs carry it: ASCII digits only (``"١"`` is a digit to Python)."""  # noqa: RUF002 -- the Arabic-Indic digit is the example
    value = str(value)
    return value.isascii() and value.isdigit()


class ResourceViewSet(PolicyMixin, TrashMixin, RelatedRoutesMixin, dja_views.viewsets.ModelViewSet):
    """What every API resource shares. Besides the mixins' declarations, subclasses declare
    ``parent_lookups``: nested url kwarg -> queryset filter (e.g. ``{"session_pk": "sessions"}``),
    and narrow ``visible_queryset`` (who sees which rows) and ``optimize`` (what rendering reads).
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parent_lookups = {}

    def initial(self, request, *args, **kwargs):
        self.resolve_url_kwargs()
        self.parses_resource_identifiers = self.action == "relationships"
        super().initial(request, *args, **kwargs)
        self.check_include(request)

    def resolve_url_kwargs(self):
        """Hook: turn URL kwargs into what the lookups expect before anything else runs."""

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

    # --- querysets ------------------------------------------------------------------------------
    def base_queryset(self):
        """Rows of the resource as the model's default manager sees them (live rows)."""
        return self.queryset.model._default_manager.all()

    def visible_queryset(self, queryset):
        """Restrict to the rows the requesting user may see. Subclasses narrow this."""
        return queryset

    def under_parents(self, queryset):
        """Restrict to the rows under the parents named in a nested URL (the parent's
        ``related_scopes`` entry, when it has one, names them)."""
        scope = self.parent_scope()
        if scope is not None:
            return queryset.filter(scope)
        for kwarg, lookup in self.parent_lookups.items():
            if kwarg in self.kwargs:
                queryset = queryset.filter(**{lookup: self.kwargs[kwarg]})
        return queryset

    def get_queryset(self):
        queryset = self.under_parents(self.visible_queryset(self.base_queryset()))
        if self.soft_delete:
            queryset = self.with_trashed(queryset, self.under_parents(self.queryset.model.all_objects.all()))
        return self.optimize(queryset)

    def optimize(self, queryset):
        """Hook for select_related/prefetch_related common to every request of this resource."""
        return queryset

    def get_object(self):
        """The object of a detail route, found once per request (a PATCH reads it to decide between
        restoring and updating, then updates it)."""
        if getattr(self, "_object", None) is None:
            lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if lookup is not None and not is_id(lookup):
                raise Http404("Not found.")
            self._object = super().get_object()
        return self._object

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
        """Check what the submitted data points at, then create through the serializer/service."""
        self.check_create_permission(serializer.validated_data)
        self.save_or_conflict(serializer)

    def check_create_permission(self, validated_data):
        """Hook: object-level checks on what a creation points at (its event…)."""

    def save_or_conflict(self, serializer):
        """Save; a unique constraint that still trips (a race, a duplicate) is 409, not 500."""
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise Conflict("This would duplicate an existing object.") from None

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        body_id = request.data.get("id") if isinstance(request.data, dict) else None
        if body_id is not None and str(body_id) != str(instance.pk):
            raise Conflict(f"The resource object's id ({body_id}) does not match the URL ({instance.pk}).")
        if self.is_trashed(instance):
            return self.restore(request, instance)
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        self.save_or_conflict(serializer)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context
