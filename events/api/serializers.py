from django.db.models import Q
from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from events import permissions as rules
from events import queries
from openevent.api.relations import absent, absent_resource, computed, hide_unless, links_only, to_one
from openevent.api.serializers import ModelSerializer, RestorableMixin
from openevent.users.api.serializers import UserSerializer
from openevent.users.models import User

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
from .team import EVENT_TEAM, team_relation


def in_draft(row):
    """Does ``row`` belong to a draft event that is already loaded (no query)?"""
    descriptor = getattr(type(row), "event", None)
    is_cached = getattr(descriptor, "is_cached", None)
    return is_cached is not None and is_cached(row) and row.event is not None and not row.event.is_published


def prime_draft_roles(user, rows):
    """Before a page of rows is rendered, the viewer's roles at the draft events they belong to
    are loaded with one query (``rules.prime_roles``) for the ``can_see_event`` checks below."""
    if rules.is_authenticated(user) and not rules.is_admin(user):
        rules.prime_roles(user, {row.event_id for row in rows if in_draft(row)})


# A relationship names an event only to those who may see it (everything under a draft is 404
# below co-organizer): registered with the generic relationship fields of ``openevent.api``.
hide_unless(Event, rules.can_see_event, prepare=prime_draft_roles)


#: The URL name of the lists of features not built (``/v1/events/<id>/tickets``…): always empty.
ABSENT_LIST = "event-absent-related"

#: What an include of an absent relationship of an event resolves to, and the relations the
#: reference has below it (the front end includes ``group.followers.user``).
ABSENT_INCLUDES = {
    "tax": absent_resource("tax"),
    "video_stream": absent_resource("video-stream"),
    "group": absent_resource(
        "group",
        user=UserSerializer,
        follower=absent_resource("user-follow-group", user=UserSerializer),
        followers=absent_resource("user-follow-group", user=UserSerializer),
    ),
    "event_topic": absent_resource("event-topic"),
    "event_sub_topic": absent_resource("event-sub-topic"),
    "event_type": absent_resource("event-type"),
    "tickets": absent_resource("ticket"),
    "exhibitors": absent_resource("exhibitor"),
}

#: The lists of features not built that clients read (``AbsentListView``), by URL segment.
ABSENT_LISTS = {
    "tickets": ABSENT_INCLUDES["tickets"],
    "exhibitors": ABSENT_INCLUDES["exhibitors"],
    "groups": ABSENT_INCLUDES["group"],
}


def event_owner(event):
    """The user who owns ``event`` (None if nobody does), from the ``owner_roles`` prefetch
    (``events.queries.owner_prefetch``) when the event was loaded with it."""
    owners = getattr(event, "owner_roles", None)
    if owners is None:
        owners = list(event.user_roles.filter(role__name=Role.OWNER).select_related("user"))
    return owners[0].user if owners else None


class EventSerializer(RestorableMixin, ModelSerializer):
    role_invites = links_only("event")
    users_events_roles = links_only("event", source="user_roles")
    # The program. Sessions and speakers are served by sessions_app.
    tracks = links_only("event")
    session_types = links_only("event")
    microlocations = links_only("event")
    sponsors = links_only("event")
    social_links = links_only("event")
    # The fields of the event's session and speaker forms (``/v1/events/<id>/custom-forms``).
    custom_forms = links_only("event")
    sessions = links_only("event")
    speakers = links_only("event")
    # The live call of the event (one at most); ``/v1/events/<id>/speakers-call``.
    speakers_call = links_only("event", model=SpeakersCall)
    owner = computed("event", "get_owner", User)
    # Who holds which role, for the event's team (``team.EVENT_TEAM``).
    organizers = team_relation(Role.ORGANIZER)
    coorganizers = team_relation(Role.COORGANIZER)
    track_organizers = team_relation(Role.TRACK_ORGANIZER)
    moderators = team_relation(Role.MODERATOR)
    registrars = team_relation(Role.REGISTRAR)
    # The live copyright of the event (one at most); ``/v1/events/<id>/event-copyright``.
    event_copyright = links_only("event", model=EventCopyright)
    # The event's connected Stripe account (one at most); ``/v1/events/<id>/stripe-authorization``.
    stripe_authorization = links_only("event", model=StripeAuthorization)
    # Features this project deliberately does not build (README, "Scope"): always empty, so a
    # client that reads or includes them gets nothing rather than an error.
    tax = absent("tax")
    video_stream = absent("video-stream")
    group = absent("group")
    event_topic = absent("event-topic")
    event_sub_topic = absent("event-sub-topic")
    event_type = absent("event-type")
    tickets = absent("ticket", to_many=True, related_link_view_name=ABSENT_LIST)
    exhibitors = absent("exhibitor", to_many=True, related_link_view_name=ABSENT_LIST)

    # Links-only relations (social links, custom forms, the speakers call, the copyright) may be included:
    # their rows are not embedded, the client follows the relationship's related link.
    included_serializers = {
        "owner": UserSerializer,
        "social_links": "events.api.serializers.SocialLinkSerializer",
        "custom_forms": "events.api.serializers.CustomFormSerializer",
        "speakers_call": "events.api.serializers.SpeakersCallSerializer",
        "event_copyright": "events.api.serializers.EventCopyrightSerializer",
        **dict.fromkeys(EVENT_TEAM, UserSerializer),
        **ABSENT_INCLUDES,
    }

    class Meta:
        model = Event
        resource_name = "event"
        fields = [
            "identifier", "name", "starts_at", "ends_at", "timezone", "description", "location_name",
            "searchable_location_name", "latitude", "longitude", "online", "external_event_url",
            "logo_url", "original_image_url", "thumbnail_image_url", "large_image_url", "icon_image_url",
            "owner_name", "owner_description", "has_owner_info", "code_of_conduct", "privacy", "state",
            "ticket_url", "schedule_published_on", "is_sessions_speakers_enabled", "is_sponsors_enabled",
            "is_map_shown", "can_pay_by_stripe", "is_stripe_linked", "payment_currency", "payment_country",
            "can_pay_by_paypal", "paypal_email", "can_pay_by_cheque", "cheque_details", "can_pay_by_bank",
            "bank_details", "can_pay_onsite", "onsite_details", "can_pay_by_omise", "is_tax_enabled",
            "refund_policy", "is_featured",
            "is_promoted", "ical_url", "xcal_url", "pentabarf_url", "created_at", "deleted_at",
            "owner", "role_invites", "users_events_roles", "tracks", "session_types", "microlocations",
            "sponsors", "social_links", "speakers_call", "sessions", "speakers",
            "event_copyright", "stripe_authorization", "tax", "video_stream", "group", "event_topic",
            "event_sub_topic", "event_type",
            "tickets", "exhibitors", "custom_forms",
            "organizers", "coorganizers", "track_organizers", "moderators", "registrars",
        ]  # fmt: skip
        read_only_fields = ["identifier", "is_stripe_linked", "created_at"]

    def get_owner(self, event):
        return event_owner(event)

    def computed_relation(self, name):
        """For the fast read path: the rows naming ``owner`` (the first per event wins, as in
        ``event_owner``), and the lookups to the event and to the user."""
        if name != "owner":
            raise KeyError(name)
        return UsersEventsRoles.objects.filter(role__name=Role.OWNER).order_by("id"), "event", "user"


class RoleSerializer(ModelSerializer):
    class Meta:
        model = Role
        resource_name = "role"
        fields = ["name", "title_name"]


class UsersEventsRolesSerializer(ModelSerializer):
    user = to_one("users-events-roles", queryset=User.objects.all())
    event = to_one("users-events-roles", queryset=Event.objects.all())
    role = to_one("users-events-roles", queryset=Role.objects.all())

    included_serializers = {"user": UserSerializer, "event": EventSerializer, "role": RoleSerializer}

    class Meta:
        model = UsersEventsRoles
        resource_name = "users-events-roles"
        fields = ["user", "event", "role", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class RoleInviteSerializer(ModelSerializer):
    """``role-name`` or the ``role`` relationship names the role. The token never appears."""

    role_name = serializers.ChoiceField(choices=Role.NAMES, required=False)
    event = to_one("role-invite", queryset=Event.objects.all())
    role = to_one("role-invite", queryset=Role.objects.all(), required=False)

    included_serializers = {"event": EventSerializer, "role": RoleSerializer}

    class Meta:
        model = RoleInvite
        resource_name = "role-invite"
        fields = ["email", "role_name", "status", "created_at", "expires_at", "event", "role"]
        read_only_fields = ["created_at", "expires_at"]
        # Duplicates are the service's business (409 Conflict), not a serializer's 422.
        validators = []

    def validate(self, attrs):
        if self.instance is None:
            role = attrs.get("role")
            name = attrs.get("role_name")
            if role is None and name is None:
                raise serializers.ValidationError({"role": "Name the role with role-name or the role relationship."})
            if role is not None and name is not None and role.name != name:
                raise serializers.ValidationError({"role_name": "role-name and role disagree."})
            attrs["role_name"] = name or role.name
            attrs.pop("role", None)
        return attrs


# --- the program's parts ------------------------------------------------------------------------
PART_FIELDS = ["created_at", "deleted_at", "event"]


def event_relation(basename):
    """The ``event`` a part belongs to: required on create (422 at /data/relationships/event)."""
    return to_one(basename, queryset=Event.objects.all())


class EventPartSerializer(RestorableMixin, ModelSerializer):
    """Base of the serializers of an event's parts; subclasses declare ``event``."""

    included_serializers = {"event": EventSerializer}


class TrackSerializer(EventPartSerializer):
    event = event_relation("track")
    sessions = links_only("track")
    font_color = serializers.CharField(read_only=True)

    class Meta:
        model = Track
        resource_name = "track"
        fields = ["name", "description", "color", "font_color", "position", "sessions", *PART_FIELDS]
        read_only_fields = ["created_at"]


class SessionTypeSerializer(EventPartSerializer):
    event = event_relation("session-type")
    sessions = links_only("session-type")

    class Meta:
        model = SessionType
        resource_name = "session-type"
        fields = ["name", "length", "position", "sessions", *PART_FIELDS]
        read_only_fields = ["created_at"]


class MicrolocationSerializer(EventPartSerializer):
    event = event_relation("microlocation")
    sessions = links_only("microlocation")
    # Video streams are not built (README, "Scope"); the sessions page includes it.
    video_stream = absent("video-stream")

    included_serializers = {**EventPartSerializer.included_serializers, "video_stream": ABSENT_INCLUDES["video_stream"]}

    class Meta:
        model = Microlocation
        resource_name = "microlocation"
        fields = [
            "name", "room", "floor", "latitude", "longitude", "position", "hidden_in_scheduler",
            "allows_parallel", "sessions",
            *PART_FIELDS,
            "video_stream",
        ]  # fmt: skip
        read_only_fields = ["created_at"]


class SponsorSerializer(EventPartSerializer):
    """Open Event clients read and write a ``type`` attribute (the kind of sponsorship), a name the
    library reserves; ``SponsorViewSet`` parses it with ``TypeAttributeParser``."""

    _reserved_field_names = jsonapi.ReservedFieldNamesMixin._reserved_field_names - {"type"}
    event = event_relation("sponsor")

    class Meta:
        model = Sponsor
        resource_name = "sponsor"
        fields = ["name", "description", "url", "level", "logo_url", "type", *PART_FIELDS]
        read_only_fields = ["created_at"]


class SocialLinkSerializer(EventPartSerializer):
    event = event_relation("social-link")

    class Meta:
        model = SocialLink
        resource_name = "social-link"
        fields = ["name", "link", "identifier", *PART_FIELDS]
        read_only_fields = ["created_at"]


class EventCopyrightSerializer(EventPartSerializer):
    event = event_relation("event-copyright")

    class Meta:
        model = EventCopyright
        resource_name = "event-copyright"
        fields = ["holder", "holder_url", "licence", "licence_url", "year", "logo_url", *PART_FIELDS]
        read_only_fields = ["created_at"]
        # One live copyright per event is the service's business (409 Conflict), not a 422.
        validators = []


class SpeakersCallSerializer(EventPartSerializer):
    """``hash`` is the secret of a private call's link: only co-organizers and up see it."""

    event = event_relation("speakers-call")

    class Meta:
        model = SpeakersCall
        resource_name = "speakers-call"
        fields = ["announcement", "starts_at", "soft_ends_at", "ends_at", "privacy", "hash", *PART_FIELDS]
        read_only_fields = ["hash", "created_at"]
        # One live call per event is the service's business (409 Conflict), not a 422.
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_see_hash(instance):
            data.pop("hash", None)
        return data

    def private_rule(self):
        """For the fast read path: ``hash`` is shown where ``may_see_hash`` says so."""
        user = self.context.get("user")
        if not rules.is_authenticated(user):
            return ("hash",), False
        if rules.is_admin(user):
            return ("hash",), True
        return ("hash",), Q(event_id__in=queries.events_where(user, rules.COORGANIZER_ROLES).values("id"))

    def may_see_hash(self, call):
        """``rules.is_coorganizer`` at the call's event, answered for a whole list with one query:
        the rows of a list share the root serializer's context, which keeps the answer."""
        user = self.context.get("user")
        if not rules.is_authenticated(user):
            return False
        if rules.is_admin(user):
            return True
        if "coorganized_event_ids" not in self.context:
            events = queries.events_where(user, rules.COORGANIZER_ROLES)
            self.context["coorganized_event_ids"] = set(events.values_list("id", flat=True))
        return call.event_id in self.context["coorganized_event_ids"]


class CustomFormSerializer(ModelSerializer):
    """One field of an event's session or speaker form. Open Event names the field's kind
    ``type``, a name the library reserves; ``CustomFormViewSet`` parses it with
    ``TypeAttributeParser``. What may change is ``events.services.custom_forms``' business:
    ``is-fixed`` follows the built-in catalogue, and a field's form, kind (``is-complex``: custom or
    built in) and a built-in field's identifier stay as they were created."""

    _reserved_field_names = jsonapi.ReservedFieldNamesMixin._reserved_field_names - {"type"}
    event = event_relation("custom-form")

    included_serializers = {"event": EventSerializer}

    class Meta:
        model = CustomForm
        resource_name = "custom-form"
        fields = [
            "form", "field_identifier", "name", "type", "description", "is_included", "is_required", "is_fixed",
            "is_public", "is_complex", "position", "min", "max", "options", "created_at", "event",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        # The service fills these in: a new field is on the session form unless told otherwise, and
        # a custom one without an identifier gets one from its name.
        extra_kwargs = {"form": {"required": False}, "field_identifier": {"required": False}}
        # One identifier per form is the service's business (409 Conflict), not a serializer's 422.
        validators = []


class StripeAuthorizationSerializer(ModelSerializer):
    """An event's Stripe connection, as Open Event's ``stripe-authorization``: created from the
    ``stripe-auth-code`` Stripe gave the organizer (write-only, exchanged by
    ``events.services.stripe``); it shows the connected account's publishable key and never a
    token (they are not fields here at all)."""

    stripe_auth_code = serializers.CharField(write_only=True, trim_whitespace=True)
    event = event_relation("stripe-authorization")

    included_serializers = {"event": EventSerializer}

    class Meta:
        model = StripeAuthorization
        resource_name = "stripe-authorization"
        fields = ["stripe_auth_code", "stripe_publishable_key", "event"]
        read_only_fields = ["stripe_publishable_key"]
        # One per event is the service's business (409 Conflict), not a 422.
        validators = []
