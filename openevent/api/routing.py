"""URL patterns for a resource in the Open Event layout (no trailing slashes)::

    <prefix>                                   list, create
    <prefix>/<pk>                              retrieve, update (PATCH), destroy
    <prefix>/<pk>/relationships/<rel>          relationship route
    <prefix>/<pk>/<rel>                        related route

URL names are ``<basename>-list|detail|relationships|related``; serializers build their links
from them.

Every resource registered here is known by its basename, so a viewset names the resources it
relates to by basename (``related_resources = {"sessions": ("session", "event_pk")}``) and never
imports their app. A to-many related route (``/v1/events/<id>/sessions``) is served by the related
resource's own list view, bound directly to the URL with the parent's id as its nested kwarg
(``nested_urls``, routed before the resources' own patterns).
"""
from django.urls import re_path
from rest_framework_json_api.utils import format_link_segment

PK = r"(?P<pk>[^/.]+)"

# basename -> (prefix, viewset), in registration order.
_resources = {}


def _bind(viewset, mapping, **initkwargs):
    return viewset.as_view(
        {method: action for method, action in mapping.items() if hasattr(viewset, action)}, **initkwargs
    )


def resource_urls(prefix, viewset, basename):
    _resources[basename] = (prefix, viewset)
    relations = "|".join(format_link_segment(name) for name in viewset.related_resources) or "(?!)"
    return [
        re_path(rf"^{prefix}$", _bind(viewset, {"get": "list", "post": "create"}), name=f"{basename}-list"),
        re_path(
            rf"^{prefix}/{PK}$",
            _bind(viewset, {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
            name=f"{basename}-detail",
        ),
        re_path(
            rf"^{prefix}/{PK}/relationships/(?P<related_field>[-\w]+)$",
            _bind(viewset, {m: "relationships" for m in ("get", "post", "patch", "delete")}),
            name=f"{basename}-relationships",
        ),
        re_path(
            rf"^{prefix}/{PK}/(?P<related_field>{relations})$",
            _bind(viewset, {"get": "retrieve_related"}),
            name=f"{basename}-related",
        ),
    ]


def viewset_for(basename):
    """The viewset registered for the resource ``basename``."""
    try:
        return _resources[basename][1]
    except KeyError:
        raise LookupError(f"No API resource is registered as {basename!r}.") from None


def nested_urls():
    """``<prefix>/<pk>/<rel>`` for every to-many relation of every registered resource, bound to
    the related resource's ``list`` with ``<nested kwarg>=<pk>``; the related view checks the
    parent through the parent's viewset (``RelatedRoutesMixin.nested_parent``). Call it once every
    resource is registered, and put its patterns before the resources' own."""
    patterns = []
    for prefix, viewset in _resources.values():
        for name, (basename, nested_kwarg) in viewset.related_resources.items():
            if not nested_kwarg:
                continue
            segment = format_link_segment(name)
            related = viewset_for(basename)
            view = _bind(
                related, {"get": "list"}, parent_viewset=viewset, parent_kwarg=nested_kwarg, parent_segment=segment
            )
            patterns.append(re_path(rf"^{prefix}/(?P<{nested_kwarg}>[^/.]+)/{segment}$", view))
    return patterns
