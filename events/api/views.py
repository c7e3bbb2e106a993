from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework_json_api.utils import format_field_name, undo_format_field_name, undo_format_link_segment

from events import permissions as rules
from events import queries, services
from events.queries import owner_prefetch
from events.services import custom_forms
from events.services import stripe as stripe_services
from openevent.api.exceptions import Conflict
from openevent.api.fast.views import FastReadMixin
from openevent.api.permissions import Admin, Anyone, Authenticated, Nobody, OwnsRow
from openevent.api.schema import PlainAutoSchema
from openevent.core.errors import FieldErrors, ServiceError

from ..models import (
    CustomForm,
    Event,
    EventCopyright,
    Microlocation,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    StripeAuthorization,
    Track,
    UsersEventsRoles,
)
from .base import EventPlainView, EventResourceViewSet, visible_event
from .parsers import FormDocumentParser, TypeAttributeParser
from .permissions import EventCoorganizer, EventOwner, EventTeamReader, EventTrackOrganizer, Invitee, event_rule
from .public_cache import PublicProgramCacheMixin
from .serializers import (
    ABSENT_LISTS,
    CustomFormSerializer,
    EventCopyrightSerializer,
    EventSerializer,
    MicrolocationSerializer,
    RoleInviteSerializer,
    RoleSerializer,
    SessionTypeSerializer,
    SocialLinkSerializer,
    SpeakersCallSerializer,
    SponsorSerializer,
    StripeAuthorizationSerializer,
    TrackSerializer,
    UsersEventsRolesSerializer,
    event_owner,
)
from .team import add_event_team_routes

# Related resources by their registered basename (``openevent.api.routing``).
USERS = "user"
EVENTS = "event"
ROLES = "role"
INVITES = "role-invite"
MEMBERSHIPS = "users-events-roles"
TRACKS = "track"
SESSION_TYPES = "session-type"
MICROLOCATIONS = "microlocation"
SPONSORS = "sponsor"
SOCIAL_LINKS = "social-link"
SPEAKERS_CALLS = "speakers-call"
CUSTOM_FORMS = "custom-form"
COPYRIGHTS = "event-copyright"
STRIPE_AUTHORIZATIONS = "stripe-authorization"
SESSIONS = "session"
SPEAKERS = "speaker"


def includes(request, path):
    """Does ``?include=`` name ``path`` or something below it (``event`` for ``event.owner``)?"""
    raw = request.query_params.get("include", "") if request is not None else ""
    wanted = [undo_format_field_name(part) for part in path.split(".")]
    for item in raw.split(","):
        names = [undo_format_field_name(part) for part in item.strip().split(".")]
        if names[: len(wanted)] == wanted:
            return True
    return False


def with_event(view, queryset):
    """Rows that render an ``event`` relationship: the event is joined (whether the viewer may see
    it is asked of the row), and its owner prefetched whenever anything under ``event`` is
    included (``event``, ``event.owner``: every included event renders its owner)."""
    queryset = queryset.select_related("event")
    if includes(view.request, "event"):
        queryset = queryset.prefetch_related(owner_prefetch("event__user_roles"))
    return queryset


class EventViewSet(PublicProgramCacheMixin, FastReadMixin, EventResourceViewSet):
    queryset = Event.objects.all()
    serializer_class = EventSerializer
    soft_delete = True
    event_url_kwargs = ("pk",)
    policy = {
        "list": Anyone,
        "retrieve": Anyone,
        "create": Authenticated,
        "partial_update": EventCoorganizer,
        "destroy": EventOwner,
        "relationships": Nobody,
    }
    related_resources = {
        "owner": (USERS, None),
        "role_invites": (INVITES, "event_pk"),
        "users_events_roles": (MEMBERSHIPS, "event_pk"),
        "tracks": (TRACKS, "event_pk"),
        "session_types": (SESSION_TYPES, "event_pk"),
        "microlocations": (MICROLOCATIONS, "event_pk"),
        "sponsors": (SPONSORS, "event_pk"),
        "social_links": (SOCIAL_LINKS, "event_pk"),
        "custom_forms": (CUSTOM_FORMS, "event_pk"),
        "speakers_call": (SPEAKERS_CALLS, None),
        "event_copyright": (COPYRIGHTS, None),
        "stripe_authorization": (STRIPE_AUTHORIZATIONS, None),
        "sessions": (SESSIONS, "event_pk"),
        "speakers": (SPEAKERS, "event_pk"),
    }
    filterset_fields = {
        "name": ("exact", "icontains"),
        "state": ("exact", "in"),
        "privacy": ("exact",),
        "starts_at": ("exact", "lt", "lte", "gt", "gte"),
        "ends_at": ("exact", "lt", "lte", "gt", "gte"),
        "location_name": ("exact", "icontains"),
        "identifier": ("exact",),
        "online": ("exact",),
        "is_featured": ("exact",),
    }

    def visible_queryset(self, queryset):
        return queryset.filter(
            id__in=queries.visible_events(self.request.user, listing=self.action == "list").values("id")
        )

    def trashed_queryset(self, queryset):
        user = self.request.user
        if rules.is_admin(user):
            return queryset.filter(deleted_at__isnull=False)
        if not rules.is_authenticated(user):
            return queryset.none()
        return queryset.filter(
            deleted_at__isnull=False,
            user_roles__user=user,
            user_roles__role__name__in=rules.ORGANIZER_ROLES,
        )

    def optimize(self, queryset):
        return queryset.prefetch_related(owner_prefetch())

    def shown_targets(self, queryset):
        """Events a relationship may name (``openevent.api.relations.shown``): those a detail
        lookup finds (for the fast read path)."""
        return self.visible_queryset(queryset)

    def related_target(self, parent, name):
        if name == "owner":
            return event_owner(parent)
        if name == "speakers_call":
            return SpeakersCall.objects.filter(event=parent).first()
        if name == "event_copyright":
            return EventCopyright.objects.filter(event=parent).first()
        if name == "stripe_authorization":
            return StripeAuthorization.objects.filter(event=parent).first()
        return super().related_target(parent, name)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "deleted_at"}
        serializer.instance = services.create_event(self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "deleted_at"}
        serializer.instance = services.update_event(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance, permanent=False):
        services.delete_event(self.request.user, instance, permanent=permanent)

    def perform_restore(self, instance):
        services.restore_event(self.request.user, instance)


# The event's team relationships (organizers…): read-only, for those who see its team.
add_event_team_routes(EventViewSet, EventTeamReader)


class UpcomingEventViewSet(EventViewSet):
    """``GET /v1/events/upcoming``: published public events that have not ended, soonest first
    (``sort`` still applies), paginated like ``/v1/events``."""

    policy = {"list": Anyone}
    ordering = ["starts_at"]
    # The front end's adapter sends its ``upcoming=true`` hint along (app/adapters/event.js).
    extra_query_params = ("upcoming",)

    def visible_queryset(self, queryset):
        return super().visible_queryset(queryset).filter(id__in=queries.upcoming_events().values("id"))


class RoleViewSet(EventResourceViewSet):
    queryset = Role.objects.all()
    serializer_class = RoleSerializer
    policy = {"list": Anyone, "retrieve": Anyone}
    filterset_fields = {"name": ("exact", "in")}


class UsersEventsRolesViewSet(EventResourceViewSet):
    """Who holds which role where. Rows are created only by accepting an invite and are never
    re-pointed; team members see their team, anyone sees their own rows. A draft event's rows,
    like everything under a draft, exist only for co-organizers and up (``rules.can_see_event``):
    a moderator of a draft sees none of them, not even their own."""

    queryset = UsersEventsRoles.objects.all()
    serializer_class = UsersEventsRolesSerializer
    parent_lookups = {"event_pk": "event_id"}
    policy = {
        "list": EventTeamReader,
        "retrieve": EventTeamReader | OwnsRow,
        "create": Admin,
        "partial_update": Nobody,
        "destroy": EventCoorganizer | OwnsRow,
        "relationships": Nobody,
    }
    related_resources = {
        "user": (USERS, None),
        "event": (EVENTS, None),
        "role": (ROLES, None),
    }
    filterset_fields = {"role__name": ("exact", "in")}

    def visible_queryset(self, queryset):
        user = self.request.user
        queryset = queryset.filter(event__deleted_at__isnull=True)
        if rules.is_admin(user):
            return queryset
        if not rules.is_authenticated(user):
            return queryset.none()
        own = Q(user=user, event_id__in=queries.visible_events(user, listing=False).values("id"))
        return queryset.filter(own | Q(event_id__in=queries.team_events(user).values("id")))

    def optimize(self, queryset):
        return with_event(self, queryset.select_related("role", "user"))

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = services.add_to_team(self.request.user, data["event"], data["user"], data["role"])

    def perform_destroy(self, instance, permanent=False):
        services.remove_from_team(self.request.user, instance)


class RoleInviteViewSet(EventResourceViewSet):
    """Organizers invite; the invitee (logged in with the invited address) accepts or declines by
    PATCHing ``status`` and may change nothing else. The invitee of a draft event sees the invite
    but not the event: its ``event`` relationship is null to them and it is never included."""

    queryset = RoleInvite.objects.all()
    serializer_class = RoleInviteSerializer
    parent_lookups = {"event_pk": "event_id"}
    policy = {
        "list": EventCoorganizer,
        "retrieve": EventCoorganizer | Invitee,
        "create": EventCoorganizer,
        "partial_update": EventCoorganizer | Invitee,
        "destroy": EventCoorganizer,
        "relationships": Nobody,
    }
    related_resources = {"event": (EVENTS, None), "role": (ROLES, None)}
    filterset_fields = {"status": ("exact", "in"), "email": ("exact", "icontains"), "role__name": ("exact",)}

    def visible_queryset(self, queryset):
        user = self.request.user
        queryset = queryset.filter(event__deleted_at__isnull=True)
        if rules.is_admin(user):
            return queryset
        if not rules.is_authenticated(user):
            return queryset.none()
        managed = UsersEventsRoles.objects.filter(user=user, role__name__in=rules.COORGANIZER_ROLES)
        # Invites to the user's address count once the address is proved to be theirs.
        addressed = Q(email=user.email.lower()) if user.is_verified else Q(pk__in=[])
        return queryset.filter(addressed | Q(event_id__in=managed.values("event_id")))

    def optimize(self, queryset):
        return with_event(self, queryset.select_related("role"))

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = services.invite(self.request.user, data["event"], data["email"], data["role_name"])

    def perform_update(self, serializer):
        serializer.instance = services.update_invite(self.request.user, serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance, permanent=False):
        services.delete_invite(self.request.user, instance)


# --- the program's parts ------------------------------------------------------------------------
def part_policy(manager):
    """Anyone reads (where the event is visible); ``manager`` writes; the ``event`` relationship
    is never rewritten."""
    return {
        "list": Anyone,
        "retrieve": Anyone,
        "create": manager,
        "partial_update": manager,
        "destroy": manager,
        "relationships": Nobody,
    }


class EventPartViewSet(PublicProgramCacheMixin, FastReadMixin, EventResourceViewSet):
    """Base of the resources that belong to one event (tracks, rooms, session types, sponsors,
    social links, the speakers call).

    Anyone reads them where the event is visible (a draft's parts are 404 below co-organizer);
    co-organizers and up write them (track organizers too for tracks). Writes go through
    ``events.services``, which asks ``rules.can_manage_program_part`` again.
    """

    soft_delete = True
    parent_lookups = {"event_pk": "event_id"}
    related_resources = {"event": (EVENTS, None)}
    policy = part_policy(EventCoorganizer)
    # Who manages the rows, as role names (for the trash); matches the policy's writers.
    manager_roles = rules.COORGANIZER_ROLES

    def visible_queryset(self, queryset):
        # Top-level lists show the parts of listed events; a nested list, a detail or a filter
        # also reaches a published private event (someone had its link).
        listing = self.action == "list" and "event_pk" not in self.kwargs
        return queryset.filter(event_id__in=queries.visible_events(self.request.user, listing=listing).values("id"))

    def optimize(self, queryset):
        return with_event(self, queryset)

    def trashed_queryset(self, queryset):
        # A track organizer manages tracks, yet a draft's are 404 to them, trash included.
        return self.visible_queryset(super().trashed_queryset(queryset))

    @staticmethod
    def part_data(serializer):
        return {name: value for name, value in serializer.validated_data.items() if name != "deleted_at"}

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = self.part_data(serializer)
        event = data.pop("event")
        serializer.instance = services.create_part(self.request.user, self.queryset.model, event, **data)

    def perform_update(self, serializer):
        data = self.part_data(serializer)
        serializer.instance = services.update_part(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance, permanent=False):
        services.delete_part(self.request.user, instance, permanent=permanent)

    def perform_restore(self, instance):
        services.restore_part(self.request.user, instance)


def _filters(**columns):
    """``filterset_fields`` from short names: text, exact, number, date."""
    lookups = {
        "text": ("exact", "icontains"),
        "exact": ("exact", "in"),
        "number": ("exact", "lt", "lte", "gt", "gte"),
        "date": ("exact", "lt", "lte", "gt", "gte"),
    }
    return {name: lookups[kind] for name, kind in columns.items()}


class TrackViewSet(EventPartViewSet):
    queryset = Track.objects.all()
    serializer_class = TrackSerializer
    policy = part_policy(EventTrackOrganizer)
    manager_roles = rules.TRACK_ORGANIZER_ROLES
    related_resources = {**EventPartViewSet.related_resources, "sessions": (SESSIONS, "track_pk")}
    filterset_fields = _filters(name="text", color="exact", position="number")


class SessionTypeViewSet(EventPartViewSet):
    queryset = SessionType.objects.all()
    serializer_class = SessionTypeSerializer
    related_resources = {**EventPartViewSet.related_resources, "sessions": (SESSIONS, "session_type_pk")}
    filterset_fields = _filters(name="text", length="exact", position="number")


class MicrolocationViewSet(EventPartViewSet):
    queryset = Microlocation.objects.all()
    serializer_class = MicrolocationSerializer
    related_resources = {**EventPartViewSet.related_resources, "sessions": (SESSIONS, "microlocation_pk")}
    filterset_fields = _filters(
        name="text", room="text", floor="number", position="number", hidden_in_scheduler="exact",
        allows_parallel="exact",
    )


class SponsorViewSet(EventPartViewSet):
    queryset = Sponsor.objects.all()
    serializer_class = SponsorSerializer
    parser_classes = [TypeAttributeParser]
    filterset_fields = _filters(name="text", level="number", type="text")


class SocialLinkViewSet(EventPartViewSet):
    queryset = SocialLink.objects.all()
    serializer_class = SocialLinkSerializer
    filterset_fields = _filters(name="text", identifier="exact")


class SpeakersCallViewSet(EventPartViewSet):
    """One live call per event; its ``hash`` is for co-organizers and never filterable."""

    queryset = SpeakersCall.objects.all()
    serializer_class = SpeakersCallSerializer
    filterset_fields = _filters(privacy="exact", starts_at="date", ends_at="date", soft_ends_at="date")


class EventCopyrightViewSet(EventPartViewSet):
    """One live copyright per event (``/v1/events/<id>/event-copyright``); co-organizers and up
    write it, anyone who may see the event reads it."""

    queryset = EventCopyright.objects.all()
    serializer_class = EventCopyrightSerializer
    filterset_fields = _filters(holder="text", licence="text", year="number")


class StripeAuthorizationViewSet(EventResourceViewSet):
    """An event's Stripe connection (``/v1/stripe-authorizations``, the event's
    ``stripe-authorization``), per Open Event's blueprint: POST with ``stripe-auth-code`` and the
    ``event`` relationship (the owner and organizers: ``rules.can_connect_stripe``) exchanges the
    code with Stripe; GET shows the publishable key to co-organizers and up
    (``rules.can_see_stripe_authorization``); DELETE revokes and forgets it. No list: Open Event
    serves none. The tokens never leave the server."""

    queryset = StripeAuthorization.objects.all()
    serializer_class = StripeAuthorizationSerializer
    soft_delete = False
    parent_lookups = {"event_pk": "event_id"}
    related_resources = {"event": (EVENTS, None)}
    policy = {
        "list": Nobody,
        "retrieve": event_rule(rules.can_see_stripe_authorization),
        "create": event_rule(rules.can_connect_stripe),
        "partial_update": Nobody,
        "destroy": event_rule(rules.can_connect_stripe),
        "relationships": Nobody,
    }

    def visible_queryset(self, queryset):
        return queryset.filter(event_id__in=queries.visible_events(self.request.user).values("id"))

    def optimize(self, queryset):
        return with_event(self, queryset)

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = serializer.validated_data
        serializer.instance = stripe_services.connect(self.request.user, data["event"], data["stripe_auth_code"])

    def perform_destroy(self, instance, permanent=False):
        stripe_services.disconnect(self.request.user, instance.event)


class CustomFormViewSet(EventPartViewSet):
    """The fields of events' session and speaker forms (``/v1/custom-forms``,
    ``/v1/events/<id>/custom-forms``). Read like the other parts (a published event's forms are
    public: its call for papers shows them); co-organizers and up write them, through
    ``events.services.custom_forms``, which decides what may change. Rows are deleted for good
    (custom fields only; their answers stay stored with the sessions and speakers)."""

    queryset = CustomForm.objects.all()
    serializer_class = CustomFormSerializer
    parser_classes = [TypeAttributeParser]
    soft_delete = False
    filterset_fields = _filters(
        form="exact", field_identifier="exact", name="text", type="exact", is_included="exact",
        is_required="exact", is_fixed="exact", is_public="exact", is_complex="exact", position="number",
    )  # fmt: skip

    def create(self, request, *args, **kwargs):
        """201 for a new field; a built-in field the form has already (clients that build a new
        event's forms send every field) is changed instead: 200."""
        response = super().create(request, *args, **kwargs)
        if not getattr(self, "created", True):
            response.status_code = status.HTTP_200_OK
            response.headers.pop("Location", None)
        return response

    def perform_create(self, serializer):
        self.check_create_permission(serializer.validated_data)
        data = dict(serializer.validated_data)
        event = data.pop("event")
        serializer.instance, self.created = custom_forms.create_field(self.request.user, event, data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = custom_forms.update_field(self.request.user, serializer.instance, data)

    def perform_destroy(self, instance, permanent=False):
        custom_forms.delete_field(self.request.user, instance)


class RowErrors(ValidationError):
    """422 for a document whose ``data`` is a list: one error object per refused attribute, each
    with its own ``source.pointer`` (``(pointer or None, message)`` pairs)."""

    def __init__(self, errors):
        super().__init__([
            {"detail": message, **({"source": {"pointer": pointer}} if pointer else {})} for pointer, message in errors
        ])  # fmt: skip


def row_pointer(key):
    """Where the error ``key`` of ``save_form`` (``<index>.<attribute>``, or ``fields`` for the
    form as a whole) points in the bulk document."""
    index, _, name = key.partition(".")
    if not name or not index.isdigit():
        return "/data"
    if name == "id":
        return f"/data/{index}/id"
    return f"/data/{index}/attributes/{format_field_name(name)}"


#: Attributes a client may send back unchanged and that a save ignores.
READ_ONLY_ATTRIBUTES = tuple(CustomFormSerializer.Meta.read_only_fields)


def form_rows(document, event):
    """The rows of a whole-form document (``{"data": [custom-form resource objects]}``, in the
    form's order) as ``save_form`` reads them: attributes by their python names (read-only ones,
    which clients send back as they read them, left out), ``id`` when the object has one. 400 for
    another shape, 409 for an object of another type, 422 for an ``event`` relationship naming
    another event than the URL's."""
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list):
        raise ParseError('Send the form as {"data": [custom-form resource objects]}, in its order.')
    rows, elsewhere = [], []
    for index, item in enumerate(data):
        attributes = item.get("attributes", {}) if isinstance(item, dict) else None
        if not isinstance(attributes, dict) or not isinstance(item.get("relationships", {}), dict):
            raise ParseError(f"/data/{index} is not a resource object with attributes.")
        if item.get("type") != CustomFormSerializer.Meta.resource_name:
            raise Conflict(f"/data/{index} is of type {item.get('type')!r}; the form holds custom-form objects.")
        if "id" in attributes:
            raise ParseError(f"/data/{index}: the id is a member of the resource object, not an attribute.")
        named = (item.get("relationships", {}).get("event") or {}).get("data")
        if isinstance(named, dict) and str(named.get("id")) != str(event.pk):
            elsewhere.append((f"/data/{index}/relationships/event", "The fields of this form belong to its event."))
        row = {undo_format_field_name(name): value for name, value in attributes.items()}
        for name in READ_ONLY_ATTRIBUTES:
            row.pop(name, None)
        if "id" in item:
            row["id"] = item["id"]
        rows.append(row)
    if elsewhere:
        raise RowErrors(elsewhere)
    return rows


class CustomFormSaveView(CustomFormViewSet):
    """``PUT /v1/events/<id or identifier>/custom-forms/<session|speaker>`` (beyond Open Event):
    the whole form saved at once, as the forms page does, by ``custom_forms.save_form``: the
    fields in the order of ``data``; objects with an ``id`` change that field, those without are
    new custom fields (a built-in one may be named by its ``field-identifier`` with
    ``is-complex: false``), custom fields left out are deleted. All or nothing: refusals come back
    together, one error object per refused attribute (``/data/<index>/attributes/<name>``).
    Answers the saved fields (200)."""

    http_method_names = ["put"]
    parser_classes = [FormDocumentParser]
    policy = {"save_form": EventCoorganizer}

    def save_form(self, request, *args, **kwargs):
        event = self.get_parent_event()
        rows = form_rows(request.data, event)
        try:
            saved = custom_forms.save_form(request.user, event, self.kwargs["form"], rows)
        except FieldErrors as error:
            raise RowErrors([(row_pointer(key), message) for key, message in error.errors.items()]) from None
        except ServiceError as error:
            if error.status != status.HTTP_422_UNPROCESSABLE_ENTITY:
                raise
            # The form named in the URL (an attendee form): no member of the document to point at.
            raise RowErrors([(None, error.message)]) from None
        return Response(self.get_serializer(saved, many=True).data)


# --- features this project does not build (README, "Scope") ---------------------------------------
@extend_schema(responses={200: OpenApiTypes.OBJECT})
class AbsentListView(EventResourceViewSet):
    """``/v1/events/<id>/tickets``, ``/exhibitors`` and ``/v1/groups`` (the front end's home page
    lists promoted groups): the lists of features not built, always empty; under an event behind
    the same 404 as the event. Their query parameters (filters, sort, page) are accepted and
    change nothing: there are no rows."""

    queryset = Event.objects.none()
    policy = {"list": Anyone}
    filter_backends = []
    # Always an empty list: described as such, not as a resource with fields.
    schema = PlainAutoSchema()
    event_url_kwargs = ("pk",)

    def get_queryset(self):
        if "pk" in self.kwargs:
            visible_event(self.request.user, self.kwargs["pk"])
        return Event.objects.none()

    def get_serializer_class(self):
        """The absent resource of the list (what ``include`` is checked against; the schema,
        which names no list, is shown the tickets')."""
        return ABSENT_LISTS[undo_format_link_segment(self.kwargs.get("related_field", "tickets"))]

    get_related_serializer_class = get_serializer_class


class HasStreamsView(EventPlainView):
    """``/v1/events/<id>/has-streams``: video streams are not built, so there is none."""

    def answer(self, event):
        return {"exists": False, "can_access": False}


class TicketAvailabilityView(EventPlainView):
    """``/v1/events/<id>/tickets/availability``: no tickets are sold here (README, "Scope")."""

    def answer(self, event):
        return []
