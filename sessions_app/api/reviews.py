"""``/v1/reviews``: a reviewer's score and comment for a session (beyond Open Event).

Who reads which review is ``sessions_app.queries.visible_reviews_q`` (organizers of the event,
co-organizer and up, read every review; a reviewer their own; speakers none); who may write is
``sessions_app.services.reviews`` (the author while the review phase is open). A review is never
re-pointed to another session or reviewer: its relationship routes only read.
"""
from django.db.models import Prefetch
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework_json_api.utils import undo_format_field_name

from events import permissions as rules
from events.api.base import EventResourceViewSet
from openevent.api.permissions import Authenticated, Nobody
from openevent.api.relations import to_one
from openevent.api.serializers import ModelSerializer
from openevent.users.api.serializers import UserSerializer
from openevent.users.models import User

from .. import services
from ..models import Review, Session
from ..queries import below, prepare_sessions, visible_reviews_q, visible_sessions_q

SESSION_SERIALIZER = "sessions_app.api.serializers.SessionSerializer"


def include_paths(raw):
    """``?include=`` as lists of python names (``session.track`` -> ``[["session", "track"]]``)."""
    items = [item.strip() for item in (raw or "").split(",") if item.strip()]
    return [[undo_format_field_name(part) for part in item.split(".")] for item in items]


class ReviewSerializer(ModelSerializer):
    session = to_one("review", queryset=Session.objects.all())
    reviewer = to_one("review", model=User, read_only=True)
    score = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    included_serializers = {"session": SESSION_SERIALIZER, "reviewer": UserSerializer}

    class Meta:
        model = Review
        resource_name = "review"
        fields = ["score", "comment", "created_at", "updated_at", "session", "reviewer"]
        read_only_fields = ["created_at", "updated_at"]
        # One review per reviewer and session is the service's business (it updates).
        validators = []


class WritesOwnReview(BasePermission):
    """The author of a review (the service decides whether the phase is still open) and
    administrators; organizers who read it do not change it."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return rules.is_admin(request.user) or obj.reviewer_id == request.user.pk


class ReviewViewSet(EventResourceViewSet):
    queryset = Review.objects.all()
    serializer_class = ReviewSerializer
    parent_lookups = {"session_pk": "session_id"}
    policy = {
        "list": Authenticated,
        "retrieve": Authenticated,
        "create": Authenticated,
        "partial_update": WritesOwnReview,
        "destroy": WritesOwnReview,
        "relationships": Nobody,
    }
    related_resources = {"session": ("session", None), "reviewer": ("user", None)}
    filterset_fields = {
        "session": ("exact", "in"),
        "session__event": ("exact",),
        "score": ("exact", "lt", "lte", "gt", "gte"),
        "updated_at": ("lt", "lte", "gt", "gte"),
    }

    def event_of(self, obj):
        return obj.session.event

    def visible_queryset(self, queryset):
        return queryset.filter(visible_reviews_q(self.request.user))

    def optimize(self, queryset):
        """The session (with what rendering it reads, when included) and the reviewer, loaded up
        front: a constant number of queries whatever the number of reviews."""
        paths = [] if "related_field" in self.kwargs else include_paths(self.request.query_params.get("include", ""))
        sessions = prepare_sessions(Session.objects.all(), self.request.user, below(paths, "session"))
        return queryset.select_related("reviewer").prefetch_related(Prefetch("session", queryset=sessions))

    def get_queryset(self):
        # ``/v1/sessions/<id>/reviews`` needs a session the user sees (404 otherwise).
        if "session_pk" in self.kwargs and not self._session_visible():
            raise Http404("No session found.")
        return super().get_queryset()

    def _session_visible(self):
        session_pk = str(self.kwargs["session_pk"])
        if not (session_pk.isascii() and session_pk.isdigit()):
            return False
        return Session.objects.filter(visible_sessions_q(self.request.user), pk=session_pk).exists()

    def perform_create(self, serializer):
        data = serializer.validated_data
        session = data["session"]
        if not Session.objects.filter(visible_sessions_q(self.request.user), pk=session.pk).exists():
            raise ValidationError({"session": ["No session found with this id."]})
        review, created = services.write_review(self.request.user, session, data["score"], data.get("comment", ""))
        serializer.instance = review
        self.created = created

    def create(self, request, *args, **kwargs):
        """201 for a new review; a second POST for the same session changes the reviewer's review
        and answers 200 (one review per reviewer and session)."""
        response = super().create(request, *args, **kwargs)
        if not getattr(self, "created", True):
            response.status_code = status.HTTP_200_OK
        return response

    def perform_update(self, serializer):
        data = serializer.validated_data
        session = data.get("session")
        if session is not None and session.pk != serializer.instance.session_id:
            raise ValidationError({"session": ["A review stays with its session."]})
        serializer.instance = services.update_review(
            self.request.user, serializer.instance, score=data.get("score"), comment=data.get("comment")
        )

    def perform_destroy(self, instance, permanent=False):
        services.delete_review(self.request.user, instance)
