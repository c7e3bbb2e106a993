"""URL patterns for a resource in the Open Event layout (no trailing slashes)::

    <prefix>                                   list, create
    <prefix>/<pk>                              retrieve, update (PATCH), destroy
    <prefix>/<pk>/relationships/<rel>          relationship route
    <prefix>/<pk>/<rel>                        related route

URL names are ``<basename>-list|detail|relationships|related``; serializers build their links
from them.
"""
from django.urls import re_path
from rest_framework_json_api.utils import format_link_segment

PK = r"(?P<pk>[^/.]+)"


def _bind(viewset, mapping):
    return viewset.as_view({method: action for method, action in mapping.items() if hasattr(viewset, action)})


def resource_urls(prefix, viewset, basename):
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

