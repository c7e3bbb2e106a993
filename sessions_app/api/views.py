"""/v1/sessions and /v1/speakers, their nested lists, related and relationship routes.

Who sees what is ``sessions_app.queries.visible_sessions_q`` / ``visible_speakers_q``; who may
write what is decided by ``sessions_app.services`` (the policies here only turn away those who
could never write: anonymous users, readers without a stake in the row).
"""
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import (
    MethodNotAllowed,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_json_api.utils import undo_format_field_name

from events import permissions as rules
from events.api.base import EventPlainView, EventResourceViewSet
from events.api.public_cache import PublicProgramCacheMixin
from events.models import Microlocation, SessionType, Track
from openevent.api.exceptions import Conflict
from openevent.api.fast.views import FastReadMixin
from openevent.api.permissions import Anyone, Authenticated
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema
from openevent.api.views import is_id
from openevent.users.models import User

from .. import services, states
from ..models import Session, Speaker
from ..queries import (
    prepare_sessions,
    prepare_speakers,
    session_dates,
    session_languages,
    visible_sessions_q,
    visible_speakers_q,
)
from .serializers import (
    SESSION_PRIVATE_FIELDS,
    SPEAKER_PRIVATE_FIELDS,
    SessionSerializer,
    SpeakerSerializer,
)

#: Reads the ``last-modified-at`` precondition of a PATCH.
LAST_MODIFIED = serializers.DateTimeField()

# Related resources by their registered basename (``openevent.api.routing``).
USERS = "user"
EVENTS = "event"
TRACKS = "track"
SESSION_TYPES = "session-type"
MICROLOCATIONS = "microlocation"
SESSIONS = "session"
SPEAKERS = "speaker"


class EditsSession(BasePermission):
    """Organizers of the session's event, or one of its own speakers (the service decides what
    exactly they may change)."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return rules.can_manage_program(request.user, obj.event) or rules.owns_session(request.user, obj)


class EditsSpeaker(BasePermission):
    """Organizers of the speaker's event, or the speaker themself (their own row only)."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return rules.can_edit_speaker(request.user, obj)


class ProgramViewSet(PublicProgramCacheMixin, FastReadMixin, EventResourceViewSet):
    """What sessions and speakers share: visibility, nested parents, the trash, ``?hash=``."""

    soft_delete = True
    manager_roles = rules.COORGANIZER_ROLES
    # ``?hash=`` opens a private call for papers when proposing.
    extra_query_params = ("hash",)
    #: Nested URL kwargs whose parent is an event part: kwarg -> model.
    parent_parts = {}
    #: Nested URL kwargs that only list and never create.
    list_only_kwargs = ("user_pk",)
    private_fields = ()
    resource_basename = None

    # --- parents ---------------------------------------------------------------------------------
    def check_permissions(self, request):
        super().check_permissions(request)
        self.check_parents(request)

    def check_parents(self, request):
        """``/v1/users/<id>/…`` is for that user and admins; ``/v1/tracks/<id>/…`` (and rooms,
        session types) needs a live part of a visible event."""
        if "user_pk" in self.kwargs:
            user_pk = self.kwargs["user_pk"]
            if not is_id(user_pk) or not User.objects.filter(pk=user_pk).exists():
                raise Http404("No user found.")
            if not (
                rules.is_admin(request.user)
                or (rules.is_authenticated(request.user) and request.user.pk == int(user_pk))
            ):
                self.permission_denied(request, message="Only this user and administrators see this list.")
        for kwarg, model in self.parent_parts.items():
            if kwarg in self.kwargs:
                value = self.kwargs[kwarg]
                part = model.objects.select_related("event").filter(pk=value).first() if is_id(value) else None
                if part is None or not rules.can_see_event(request.user, part.event):
                    raise Http404("Not found.")

    def listing(self):
        """Top-level lists (and a user's own lists) show the public program of listed (public)
        events only; lists nested under a program object, details and filters also reach a
        published private event (someone had its link)."""
        return self.action == "list" and not (set(self.kwargs) - {"user_pk"})

    # --- querysets -------------------------------------------------------------------------------
    def include_paths(self):
        """``?include=`` as lists of python names; none on related and relationship routes (their
        ``include`` is for the related resource, served by its own view)."""
        if self.request is None or "related_field" in self.kwargs:
            return []
        raw = self.request.query_params.get("include", "")
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return [[undo_format_field_name(part) for part in item.split(".")] for item in items]

    def get_queryset(self):
        queryset = super().get_queryset()
        if "user_pk" in self.kwargs:
            queryset = queryset.filter(self.user_scope(int(self.kwargs["user_pk"])))
        return queryset

    def user_scope(self, user_pk):
        raise NotImplementedError

    def filterable_fields(self):
        """Private fields are filterable only by those who read them: admins, and program readers
        on a list nested under their event."""
        fields = [name for name, field in self.get_serializer_class()().fields.items() if not field.write_only]
        if rules.is_admin(self.request.user):
            return fields
        event = self.get_parent_event() if "event_pk" in self.kwargs else None
        if event is not None and rules.can_read_program(self.request.user, event):
            return fields
        return [name for name in fields if name not in self.private_fields]

    # --- writes ----------------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        # Lists nested under anything but an event only list.
        if set(self.kwargs) & {*self.list_only_kwargs, *self.parent_parts}:
            raise MethodNotAllowed(request.method)
        return super().create(request, *args, **kwargs)

    def event_for_create(self, data):
        """The event of a new row: the ``event`` relationship or the nested URL's event."""
        event = data.pop("event", None)
        parent = self.get_parent_event()
        if event is None:
            event = parent
        elif parent is not None and parent.pk != event.pk:
            raise ValidationError({"event": ["The event differs from the event in the URL."]})
        if event is None:
            raise ValidationError({"event": ["This field is required."]})
        self.check_create_permission({"event": event})
        return event

    def call_hash(self):
        return self.request.query_params.get("hash") or None

    @staticmethod
    def written_data(serializer):
        return {name: value for name, value in serializer.validated_data.items() if name != "deleted_at"}

    def location(self, instance):
        try:
            url = reverse(f"{self.resource_basename}-detail", kwargs={"pk": instance.pk})
        except NoReverseMatch:
            return {}
        return {"Location": self.request.build_absolute_uri(url)}


class SessionViewSet(ProgramViewSet):
    queryset = Session.objects.all()
    serializer_class = SessionSerializer
    resource_basename = "session"
    private_fields = SESSION_PRIVATE_FIELDS
    parent_lookups = {
        "event_pk": "event_id",
        "track_pk": "track_id",
        "session_type_pk": "session_type_id",
        "microlocation_pk": "microlocation_id",
        "speaker_pk": "speakers",
    }
    parent_parts = {"track_pk": Track, "session_type_pk": SessionType, "microlocation_pk": Microlocation}
    list_only_kwargs = ("user_pk", "speaker_pk")
    policy = {
        "list": Anyone,
        "retrieve": Anyone,
        "create": Authenticated,
        "partial_update": EditsSession,
        "destroy": EditsSession,
        "relationships": EditsSession,
    }
    related_resources = {
        "event": (EVENTS, None),
        "track": (TRACKS, None),
        "session_type": (SESSION_TYPES, None),
        "microlocation": (MICROLOCATIONS, None),
        "speakers": (SPEAKERS, "session_pk"),
        "creator": (USERS, None),
    }
    relationship_writers = {"speakers": "write_speakers"}
    filterset_fields = {
        "title": ("exact", "icontains"),
        "state": ("exact", "in"),
        "starts_at": ("exact", "lt", "lte", "gt", "gte", "isnull"),
        "ends_at": ("exact", "lt", "lte", "gt", "gte", "isnull"),
        "submitted_at": ("exact", "lt", "lte", "gt", "gte", "isnull"),
        "created_at": ("lt", "lte", "gt", "gte"),
        "level": ("exact",),
        "language": ("exact",),
        "is_locked": ("exact",),
        "track": ("exact", "isnull"),
        "session_type": ("exact", "isnull"),
        "microlocation": ("exact", "isnull"),
        "track__name": ("exact", "icontains"),
    }

    def visible_queryset(self, queryset):
        return queryset.filter(visible_sessions_q(self.request.user, listing=self.listing()))

    def user_scope(self, user_pk):
        return Q(creator_id=user_pk) | Q(pk__in=Speaker.objects.filter(user_id=user_pk).values("sessions"))

    def optimize(self, queryset):
        """The to-one targets and the speakers relationship are always rendered, included rows
        and their relationships when asked for: all loaded up front, limited to what the user
        may see."""
        return prepare_sessions(queryset, self.request.user, self.include_paths())

    # --- writes ----------------------------------------------------------------------------------
    def perform_create(self, serializer):
        data = self.written_data(serializer)
        data.pop("send_email", None)
        speakers = data.pop("speakers", ())
        event = self.event_for_create(data)
        serializer.instance = services.create_session(
            self.request.user, event, data, speakers=speakers, hash=self.call_hash()
        )

    def perform_update(self, serializer):
        data = self.written_data(serializer)
        send_email = data.pop("send_email", True)
        serializer.instance = services.update_session(
            self.request.user,
            serializer.instance,
            data,
            send_email=send_email,
            expected_modified_at=self.expected_modified_at(),
        )

    def expected_modified_at(self):
        """The precondition of a PATCH: the ``last-modified-at`` attribute, when the client sends
        the value it read (read-only otherwise: it never changes the row). A session changed since
        is refused with 409 (``services.check_unchanged_since``); without it, the write goes ahead."""
        data = self.request.data if isinstance(self.request.data, dict) else {}
        value = data.get("last_modified_at")
        if value in (None, ""):
            return None
        try:
            return LAST_MODIFIED.to_internal_value(value)
        except ValidationError as error:
            raise ValidationError({"last_modified_at": error.detail}) from None

    def perform_destroy(self, instance, permanent=False):
        services.delete_session(self.request.user, instance, permanent=permanent)

    def perform_restore(self, instance):
        services.restore_session(self.request.user, instance)

    MODES = {"POST": services.ADD, "PATCH": services.REPLACE, "DELETE": services.REMOVE}

    def write_speakers(self, session, method, data):
        """``/v1/sessions/<id>/relationships/speakers``: POST adds, PATCH replaces, DELETE removes."""
        if not isinstance(data, list):
            raise ParseError("The speakers relationship takes a list of resource identifiers.")
        ids = []
        for item in data:
            if item["type"] != SpeakerSerializer.Meta.resource_name:
                raise Conflict(f"'{item['type']}' is not the type of this relationship (speaker).")
            if not is_id(item["id"]):
                raise NotFound(f"No speaker with id {item['id']}.")
            ids.append(int(item["id"]))
        speakers = list(Speaker.objects.filter(pk__in=ids))
        missing = set(ids) - {speaker.pk for speaker in speakers}
        if missing:
            raise NotFound(f"No speaker with id {min(missing)}.")
        services.set_session_speakers(self.request.user, session, speakers, self.MODES[method])
        # The relationship data is read afresh below.
        session._prefetched_objects_cache = {}


class SpeakerViewSet(ProgramViewSet):
    queryset = Speaker.objects.all()
    serializer_class = SpeakerSerializer
    resource_basename = "speaker"
    private_fields = SPEAKER_PRIVATE_FIELDS
    parent_lookups = {"event_pk": "event_id", "session_pk": "sessions"}
    list_only_kwargs = ("user_pk", "session_pk")
    policy = {
        "list": Anyone,
        "retrieve": Anyone,
        "create": Authenticated,
        "partial_update": EditsSpeaker,
        "destroy": EditsSpeaker,
        "relationships": EditsSpeaker,
    }
    related_resources = {
        "event": (EVENTS, None),
        "user": (USERS, None),
        "sessions": (SESSIONS, "speaker_pk"),
    }
    filterset_fields = {
        "name": ("exact", "icontains"),
        "organisation": ("exact", "icontains"),
        "country": ("exact", "icontains"),
        "city": ("exact", "icontains"),
        "is_featured": ("exact",),
    }

    def visible_queryset(self, queryset):
        return queryset.filter(visible_speakers_q(self.request.user, listing=self.listing()))

    def user_scope(self, user_pk):
        return Q(user_id=user_pk)

    def optimize(self, queryset):
        return prepare_speakers(queryset, self.request.user, self.include_paths())

    def perform_create(self, serializer):
        data = self.written_data(serializer)
        sessions = data.pop("sessions", ())
        event = self.event_for_create(data)
        serializer.instance = services.create_speaker(
            self.request.user, event, data, hash=self.call_hash(), sessions=sessions
        )

    def perform_update(self, serializer):
        data = self.written_data(serializer)
        sessions = data.pop("sessions", None)
        speaker = services.update_speaker(self.request.user, serializer.instance, data, sessions=sessions)
        # The relationship data is read afresh.
        speaker._prefetched_objects_cache = {}
        serializer.instance = speaker

    def perform_destroy(self, instance, permanent=False):
        services.delete_speaker(self.request.user, instance, permanent=permanent)

    def perform_restore(self, instance):
        services.restore_speaker(self.request.user, instance)


@extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["session"])
class SessionStatesView(APIView):
    """``GET /v1/sessions/states``: the organizer and speaker transition tables, as Open Event
    clients read them (plain JSON: {table: {state: {state: true}}})."""

    authentication_classes = []
    permission_classes = [Anyone]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()

    def get(self, request):
        return Response(states.as_json())


class SessionDatesView(EventPlainView):
    """``GET /v1/events/<id>/sessions/dates``: the days with accepted or confirmed sessions the
    viewer sees, as ``["2027-03-18", …]`` in the event's timezone (plain JSON, as Open Event)."""

    def answer(self, event):
        return session_dates(self.request.user, event)


class SessionLanguagesView(EventPlainView):
    """``GET /v1/events/<id>/sessions/languages``: the languages of the sessions the viewer sees,
    as ``["English", …]`` (plain JSON, as Open Event)."""

    def answer(self, event):
        return session_languages(self.request.user, event)


@extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["session"])
class SessionConflictsView(APIView):
    """``GET /v1/sessions/<id>/conflicts``: the session's schedule conflicts
    (``services.session_conflicts``) for those who plan the schedule (track organizers and up at
    its event): ``{"data": [{"kind", "severity", "message", "other-session"}, …], "meta":
    {"errors": n, "warnings": n}}``. A session the viewer does not see is 404, one they see but
    do not plan is 403. Read-only."""

    permission_classes = [Anyone]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()

    def get(self, request, session_pk):
        session = None
        if is_id(session_pk):
            visible = Session.objects.filter(visible_sessions_q(request.user)).select_related("event")
            session = visible.filter(pk=session_pk).first()
        if session is None:
            raise NotFound(f"No session with id {session_pk}.")
        if not rules.can_see_conflicts(request.user, session.event):
            if not rules.is_authenticated(request.user):
                self.permission_denied(request)
            raise PermissionDenied("Only the event's track organizers and up see a session's conflicts.")
        found = services.session_conflicts(session)
        errors = sum(conflict.is_error for conflict in found)
        return Response(
            {
                "data": [conflict.as_json() for conflict in found],
                "meta": {"session": str(session.pk), "errors": errors, "warnings": len(found) - errors},
            }
        )
