"""Sessions and speakers on the wire.

Private fields (a speaker's e-mail, mobile and custom answers; a session's comments to the
organizers and custom answers) are dropped from what a reader sees unless they read the event's
whole program (any role there, ``can_read_program``) or the row is their own.
"""
from django.db.models import Exists, Manager, OuterRef, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events import permissions as rules
from events.models import Event, Microlocation, SessionType, Track, UsersEventsRoles
from openevent.api.relations import absent, absent_resource, to_many, to_one
from openevent.api.serializers import ListSerializer, ModelSerializer, RestorableMixin
from openevent.users.api.serializers import UserSerializer
from openevent.users.models import User

from ..models import Session, Speaker
from ..queries import review_stats, visible_speakers_q

SESSION_PRIVATE_FIELDS = ("comments", "complex_field_values")
SPEAKER_PRIVATE_FIELDS = ("email", "mobile", "complex_field_values")

EVENT_SERIALIZER = "events.api.serializers.EventSerializer"
SESSION_SERIALIZER = "sessions_app.api.serializers.SessionSerializer"
SPEAKER_SERIALIZER = "sessions_app.api.serializers.SpeakerSerializer"


class ProgramListSerializer(ListSerializer):
    """A page of sessions or speakers. Whether the viewer reads each row's private fields
    depends on their roles at the row's event (``reads_program``): those of every event on the
    page are loaded with one query, published events included, so a page spanning many events
    (``/v1/sessions``, ``/v1/users/<id>/speakers``) costs no query per event."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, Manager) else data)
        user = self.child.viewer()
        if rules.is_authenticated(user) and not rules.is_admin(user):
            rules.prime_roles(user, {row.event_id for row in rows})
        return super().to_representation(rows)


class PrivateFieldsMixin:
    """Drops ``private_fields`` from the representation for readers outside the program."""

    private_fields = ()

    def viewer(self):
        request = self.context.get("request")
        return self.context.get("user") or (request.user if request is not None else None)

    def reads_program(self, instance):
        """Does the viewer read the whole program of ``instance``'s event? Asked once per event
        and request (the answer is kept in the serializer context, which included serializers
        share), so lists stay at a constant number of queries."""
        user = self.viewer()
        if not rules.is_authenticated(user):
            return False
        if rules.is_admin(user):
            return True
        cache = self.context.setdefault("_program_readers", {})
        if instance.event_id not in cache:
            if type(instance).event.is_cached(instance):
                event = instance.event
            else:
                event = Event.all_objects.get(pk=instance.event_id)
            cache[instance.event_id] = rules.can_read_program(user, event)
        return cache[instance.event_id]

    def owns(self, instance):
        raise NotImplementedError

    def private_rule(self):
        """For the fast read path: (``private_fields``, where they are shown) — to program
        readers (any role at the row's event, ``can_read_program``), to admins, and on the
        viewer's own rows (``owned_q``)."""
        user = self.viewer()
        if not rules.is_authenticated(user):
            return self.private_fields, False
        if rules.is_admin(user):
            return self.private_fields, True
        readers = UsersEventsRoles.objects.filter(
            user=user, event_id=OuterRef("event_id"), role__name__in=rules.ANY_ROLE
        )
        return self.private_fields, Q(Exists(readers)) | self.owned_q(user)

    def owned_q(self, user):
        raise NotImplementedError

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not (self.reads_program(instance) or self.owns(instance)):
            for name in self.private_fields:
                data.pop(name, None)
        return data


@extend_schema_field({"type": "number", "nullable": True, "readOnly": True})
class ReviewFigure(serializers.Field):
    """A read-only figure of a session's reviews (``review_count``, ``average_rating``) for those
    who manage the event's reviews, null for everyone else: annotated on the rows the viewsets
    load (``queries.review_stats``); a row loaded otherwise (a write's answer) reads it then."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        if self.field_name not in instance.__dict__:
            stats = review_stats(self.parent.viewer())
            row = Session.all_objects.filter(pk=instance.pk).annotate(**stats).values(*stats).first() or {}
            instance.__dict__.update({name: row.get(name) for name in stats})
        return instance.__dict__[self.field_name]

    def to_representation(self, value):
        return self.kind(value)


class SessionSerializer(PrivateFieldsMixin, RestorableMixin, ModelSerializer):
    private_fields = SESSION_PRIVATE_FIELDS

    # Beyond Open Event: the reviews' figures, for those who manage the event's reviews.
    review_count = ReviewFigure(int)
    average_rating = ReviewFigure(float)

    event = to_one("session", queryset=Event.objects.all(), required=False)
    track = to_one("session", queryset=Track.objects.all(), required=False, allow_null=True)
    session_type = to_one("session", queryset=SessionType.objects.all(), required=False, allow_null=True)
    microlocation = to_one("session", queryset=Microlocation.objects.all(), required=False, allow_null=True)
    speakers = to_many("session", queryset=Speaker.objects.all(), required=False)
    creator = to_one("session", model=User, read_only=True)
    state = serializers.ChoiceField(choices=Session.State.choices, required=False)
    # Whether a state change should mail the speakers (receivers read it); never stored.
    send_email = serializers.BooleanField(write_only=True, required=False)
    # Favourite sessions are not built (README, "Scope"): the viewer's favourite and the list
    # are always empty (the front end's sessions page includes ``favourite``).
    favourite = absent("user-favourite-session")
    favourites = absent("user-favourite-session", to_many=True)

    included_serializers = {
        "event": EVENT_SERIALIZER,
        "track": "events.api.serializers.TrackSerializer",
        "session_type": "events.api.serializers.SessionTypeSerializer",
        "microlocation": "events.api.serializers.MicrolocationSerializer",
        "speakers": SPEAKER_SERIALIZER,
        "creator": UserSerializer,
        "favourite": absent_resource("user-favourite-session"),
        "favourites": absent_resource("user-favourite-session"),
    }

    class Meta:
        model = Session
        resource_name = "session"
        fields = [
            "title", "subtitle", "short_abstract", "long_abstract", "comments", "language", "level",
            "starts_at", "ends_at", "slides_url", "video_url", "audio_url", "signup_url", "website",
            "twitter", "facebook", "github", "linkedin", "state", "created_at", "submitted_at",
            "last_modified_at", "is_mail_sent", "send_email", "is_locked", "complex_field_values",
            "deleted_at", "event", "track", "session_type", "microlocation", "speakers", "creator",
            "favourite", "favourites", "review_count", "average_rating",
        ]  # fmt: skip
        read_only_fields = ["created_at", "submitted_at", "last_modified_at"]
        list_serializer_class = ProgramListSerializer

    def annotated_attributes(self):
        """For the fast read path: the review figures as the row query's expressions."""
        return review_stats(self.viewer())

    def owns(self, session):
        user = self.viewer()
        if not rules.is_authenticated(user):
            return False
        if session.creator_id == user.pk:
            return True
        # The speakers are prefetched for the relationship's data: no query per row.
        return any(speaker.user_id == user.pk for speaker in session.speakers.all())

    def owned_q(self, user):
        """``owns`` as SQL: proposed by the viewer, or naming a speaker row of theirs that they see."""
        own_speakers = Speaker.objects.filter(visible_speakers_q(user), user_id=user.pk, sessions=OuterRef("pk"))
        return Q(creator_id=user.pk) | Q(Exists(own_speakers))

    def validate_complex_field_values(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Custom field values are an object of answers.")
        return value


class SpeakerSerializer(PrivateFieldsMixin, RestorableMixin, ModelSerializer):
    private_fields = SPEAKER_PRIVATE_FIELDS

    event = to_one("speaker", queryset=Event.objects.all(), required=False)
    user = to_one("speaker", queryset=User.objects.all(), required=False, allow_null=True)
    # Written on create and update through ``services.set_speaker_sessions``.
    sessions = to_many("speaker", queryset=Session.objects.all(), required=False)

    included_serializers = {
        "event": EVENT_SERIALIZER,
        "user": UserSerializer,
        "sessions": SESSION_SERIALIZER,
    }

    class Meta:
        model = Speaker
        resource_name = "speaker"
        fields = [
            "name", "email", "mobile", "photo_url", "thumbnail_image_url", "small_image_url",
            "icon_image_url", "short_biography", "long_biography", "speaking_experience",
            "organisation", "position", "country", "city", "address", "gender", "website", "twitter",
            "facebook", "github", "linkedin", "heard_from", "sponsorship_required", "is_featured",
            "is_email_overridden", "order", "complex_field_values", "created_at", "deleted_at", "event", "user",
            "sessions",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        list_serializer_class = ProgramListSerializer
        # E-mail uniqueness per event is the service's business (409), not a 422.
        validators = []

    def owns(self, speaker):
        return rules.owns_speaker(self.viewer(), speaker)

    def owned_q(self, user):
        return Q(user_id=user.pk)

    def validate_complex_field_values(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Custom field values are an object of answers.")
        return value
