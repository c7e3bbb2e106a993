from django.urls import path, re_path

from openevent.api.routing import resource_urls

from . import statistics
from .serializers import ABSENT_LIST
from .views import (
    AbsentListView,
    CustomFormSaveView,
    CustomFormViewSet,
    EventCopyrightViewSet,
    EventViewSet,
    HasStreamsView,
    MicrolocationViewSet,
    RoleInviteViewSet,
    RoleViewSet,
    SessionTypeViewSet,
    SocialLinkViewSet,
    SpeakersCallViewSet,
    SponsorViewSet,
    StripeAuthorizationViewSet,
    TicketAvailabilityView,
    TrackViewSet,
    UpcomingEventViewSet,
    UsersEventsRolesViewSet,
)

urlpatterns = [
    path("admin/statistics/events", statistics.AdminEventStatistics.as_view(), name="admin-statistics-events"),
    path("admin/statistics/users", statistics.AdminUserStatistics.as_view(), name="admin-statistics-users"),
    # Before the event's detail and related routes, which would take these for an id or a relation.
    re_path(r"^events/upcoming$", UpcomingEventViewSet.as_view({"get": "list"}), name="event-upcoming"),
    # Features not built (README, "Scope"): empty answers in the shapes clients read.
    re_path(
        r"^events/(?P<pk>[^/.]+)/(?P<related_field>tickets|exhibitors)$",
        AbsentListView.as_view({"get": "list"}),
        name=ABSENT_LIST,
    ),
    re_path(r"^(?P<related_field>groups)$", AbsentListView.as_view({"get": "list"}), name="absent-list"),
    # A whole form saved at once (beyond Open Event; the list itself is the nested custom-forms route).
    re_path(
        r"^events/(?P<event_pk>[^/.]+)/custom-forms/(?P<form>[^/.]+)$",
        CustomFormSaveView.as_view({"put": "save_form"}),
        name="event-custom-forms-save",
    ),
    path("events/<str:event_pk>/has-streams", HasStreamsView.as_view(), name="event-has-streams"),
    path(
        "events/<str:event_pk>/tickets/availability",
        TicketAvailabilityView.as_view(),
        name="event-tickets-availability",
    ),
    *resource_urls("events", EventViewSet, "event"),
    *resource_urls("roles", RoleViewSet, "role"),
    *resource_urls("role-invites", RoleInviteViewSet, "role-invite"),
    *resource_urls("users-events-roles", UsersEventsRolesViewSet, "users-events-roles"),
    *resource_urls("tracks", TrackViewSet, "track"),
    *resource_urls("session-types", SessionTypeViewSet, "session-type"),
    *resource_urls("microlocations", MicrolocationViewSet, "microlocation"),
    *resource_urls("sponsors", SponsorViewSet, "sponsor"),
    *resource_urls("social-links", SocialLinkViewSet, "social-link"),
    *resource_urls("speakers-calls", SpeakersCallViewSet, "speakers-call"),
    *resource_urls("custom-forms", CustomFormViewSet, "custom-form"),
    *resource_urls("stripe-authorizations", StripeAuthorizationViewSet, "stripe-authorization"),
    # Open Event serves the collection as event-copyrights and names rows event-copyright/<id>.
    *resource_urls("event-copyrights", EventCopyrightViewSet, "event-copyright", alias="event-copyright"),
]
