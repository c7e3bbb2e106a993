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
from django.views.decorators.csrf import csrf_exempt
from rest_framework_json_api.utils import format_link_segment

PK = r"(?P<pk>[^/.]+)"

# basename -> (prefix, viewset, the view of its related route), in registration order.
_resources = {}


def _bind(viewset, mapping, **initkwargs):
    return viewset.as_view(
        {method: action for method, action in mapping.items() if hasattr(viewset, action)}, **initkwargs
    )


def resource_urls(prefix, viewset, basename, alias=None):
    """The routes of a resource under ``prefix``, and the same routes, unnamed, under ``alias``
    (a second spelling clients use: ``event-copyright/<id>`` beside ``event-copyrights``)."""
    relations = "|".join(format_link_segment(name) for name in viewset.related_resources) or "(?!)"
    related_view = _bind(viewset, {"get": "retrieve_related"})
    _resources[basename] = (prefix, viewset, related_view)
    views = [
        ("", _bind(viewset, {"get": "list", "post": "create"}), "list"),
        (
            f"/{PK}",
            _bind(viewset, {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
            "detail",
        ),
        (
            f"/{PK}/relationships/(?P<related_field>[-\\w]+)",
            _bind(viewset, dict.fromkeys(("get", "post", "patch", "delete"), "relationships")),
            "relationships",
        ),
        (f"/{PK}/(?P<related_field>{relations})", related_view, "related"),
    ]
    patterns = [re_path(rf"^{prefix}{route}$", view, name=f"{basename}-{kind}") for route, view, kind in views]
    if alias:
        patterns += [re_path(rf"^{alias}{route}$", view) for route, view, _ in views]
    return patterns


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
    for prefix, viewset, related_view in _resources.values():
        for name, (basename, nested_kwarg) in viewset.related_resources.items():
            if not nested_kwarg:
                continue
            segment = format_link_segment(name)
            list_view = _bind(
                viewset_for(basename),
                {"get": "list"},
                parent_viewset=viewset,
                parent_kwarg=nested_kwarg,
                parent_segment=segment,
            )
            view = _nested(list_view, related_view, nested_kwarg, segment)
            patterns.append(re_path(rf"^{prefix}/(?P<{nested_kwarg}>[^/.]+)/{segment}$", view))
    return patterns


def _nested(list_view, related_view, nested_kwarg, segment):
    """GET (and HEAD) of a nested list go to the related list view; any other method stays the
    parent's related route's, as it always was (OPTIONS describes that route, others are 405)."""

    @csrf_exempt
    def view(request, **kwargs):
        if request.method in ("GET", "HEAD"):
            return list_view(request, **kwargs)
        return related_view(request, pk=kwargs[nested_kwarg], related_field=segment)

    return view
