"""``sort=`` on every list: each readable attribute of each resource sorts both ways (the cases
are generated from the serializers' fields, so a new field is covered without touching this
file), with ties and nulls, identically on the library and the fast read path; private fields
are refused to those who may not read them; computed ones, JSON and relationships are refused.
"""
import datetime
import json

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import override_settings
from rest_framework.relations import ManyRelatedField, RelatedField

from events.api.serializers import (
    EventSerializer,
    MicrolocationSerializer,
    RoleInviteSerializer,
    RoleSerializer,
    SessionTypeSerializer,
    SocialLinkSerializer,
    SpeakersCallSerializer,
    SponsorSerializer,
    TrackSerializer,
    UsersEventsRolesSerializer,
)
from events.models import Role, RoleInvite, SocialLink, Sponsor, UsersEventsRoles
from events.tests.factories import (
    EventFactory,
    MicrolocationFactory,
    SessionTypeFactory,
    SpeakersCallFactory,
    TrackFactory,
    give_role,
)
from openevent.api.tests.documents import assert_error
from openevent.users.api.serializers import UserSerializer
from openevent.users.tests.factories import UserFactory
from sessions_app.api.serializers import SessionSerializer, SpeakerSerializer
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def invite(event, number):
    return RoleInvite.objects.create(
        event=event,
        email=f"invitee{number}@example.org",
        role=Role.objects.get(name=Role.COORGANIZER),
        token_hash=f"{number:064d}",
        expires_at=event.starts_at,
    )


def memberships(event, number):
    return UsersEventsRoles.objects.create(user=UserFactory(), event=event, role=Role.objects.get(name=Role.MODERATOR))


# resource type -> (serializer, list URL for an event, a function making row ``n`` of that event)
RESOURCES = {
    "event": (EventSerializer, lambda event: "/v1/events", lambda event, n: EventFactory()),
    "session": (
        SessionSerializer, lambda event: f"/v1/events/{event.pk}/sessions",
        lambda event, n: SessionFactory(event=event),
    ),
    "speaker": (
        SpeakerSerializer, lambda event: f"/v1/events/{event.pk}/speakers",
        lambda event, n: SpeakerFactory(event=event),
    ),
    "track": (
        TrackSerializer, lambda event: f"/v1/events/{event.pk}/tracks", lambda event, n: TrackFactory(event=event),
    ),
    "session-type": (
        SessionTypeSerializer, lambda event: f"/v1/events/{event.pk}/session-types",
        lambda event, n: SessionTypeFactory(event=event),
    ),
    "microlocation": (
        MicrolocationSerializer, lambda event: f"/v1/events/{event.pk}/microlocations",
        lambda event, n: MicrolocationFactory(event=event),
    ),
    "sponsor": (
        SponsorSerializer, lambda event: f"/v1/events/{event.pk}/sponsors",
        lambda event, n: Sponsor.objects.create(event=event, name=f"Sponsor {n}"),
    ),
    "social-link": (
        SocialLinkSerializer, lambda event: f"/v1/events/{event.pk}/social-links",
        lambda event, n: SocialLink.objects.create(event=event, name=f"Link {n}", link=f"https://example.org/{n}"),
    ),
    # One live call per event: each row on an event of its own, listed at the top level.
    "speakers-call": (
        SpeakersCallSerializer, lambda event: "/v1/speakers-calls", lambda event, n: SpeakersCallFactory(),
    ),
    "role-invite": (RoleInviteSerializer, lambda event: f"/v1/events/{event.pk}/role-invites", invite),
    "users-events-roles": (
        UsersEventsRolesSerializer, lambda event: f"/v1/events/{event.pk}/users-events-roles", memberships,
    ),
    "user": (UserSerializer, lambda event: "/v1/users", lambda event, n: UserFactory()),
    "role": (RoleSerializer, lambda event: "/v1/roles", None),
}  # fmt: skip


def column_of(serializer_class, name):
    """The stored model column an attribute reads, or None (computed, JSON, a relationship)."""
    field = serializer_class().fields[name]
    if isinstance(field, (RelatedField, ManyRelatedField)) or not field.source or field.source == "*":
        return None
    try:
        column = serializer_class.Meta.model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
    if column.is_relation or isinstance(column, models.JSONField):
        return None
    return column


def cases():
    sortable, refused = [], []
    for resource, (serializer_class, _url, _make) in RESOURCES.items():
        for name, field in serializer_class().fields.items():
            if field.write_only:
                refused.append(pytest.param(resource, name, id=f"{resource}-{name}"))
            elif column_of(serializer_class, name) is not None:
                sortable.append(pytest.param(resource, name, id=f"{resource}-{name}"))
            else:
                refused.append(pytest.param(resource, name, id=f"{resource}-{name}"))
    return sortable, refused


SORTABLE, REFUSED = cases()


def is_unique(column):
    constraints = column.model._meta.constraints
    return column.unique or any(
        isinstance(constraint, models.UniqueConstraint) and column.name in constraint.fields
        for constraint in constraints
    )


def three_values(column):
    """Values for rows 0, 1, 2: row 1 lowest, row 0 next, row 2 absent (null), or equal to
    row 0 (a tie), or highest where values must be unique."""
    if column.choices:
        choices = sorted(str(value) for value, _label in column.flatchoices)
        low, middle, high = choices[0], choices[1], choices[-1]
    elif isinstance(column, models.BooleanField):
        low, middle, high = False, True, True
    elif isinstance(column, (models.IntegerField, models.FloatField, models.DecimalField)):
        low, middle, high = 1, 2, 3
    elif isinstance(column, models.DateTimeField):
        # Far from the rows' other dates, so that ends stay after starts (check constraints).
        year = 2100 if column.name.endswith("ends_at") else 2000
        base = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        low, middle, high = (base + datetime.timedelta(days=days) for days in (1, 2, 3))
    elif isinstance(column, models.DateField):
        low, middle, high = datetime.date(2000, 1, 1), datetime.date(2000, 1, 2), datetime.date(2000, 1, 3)
    elif isinstance(column, models.EmailField):
        low, middle, high = "aa@example.org", "bb@example.org", "cc@example.org"
    elif isinstance(column, models.URLField):
        low, middle, high = "https://aa.example.org", "https://bb.example.org", "https://cc.example.org"
    else:
        low, middle, high = "aa", "bb", "cc"
    if column.null:
        return middle, low, None
    return middle, low, high if is_unique(column) or low == middle else middle


def expected_orders(pks, values):
    """(ascending, descending) ids: nulls last ascending and first descending, ties by id."""
    rows = list(zip(values, pks, strict=True))
    present = [row for row in rows if row[0] is not None]
    absent = [pk for value, pk in rows if value is None]
    ascending = [pk for _value, pk in sorted(present, key=lambda row: (row[0], row[1]))] + absent
    descending = absent + [pk for _value, pk in sorted(present, key=lambda row: (_negated(row[0]), row[1]))]
    return [str(pk) for pk in ascending], [str(pk) for pk in descending]


def _negated(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return -value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return -value.toordinal()
    return [-ord(character) for character in value] + [0]


def ids_sorted(api, url, sort, pks, **params):
    only = json.dumps([{"name": "id", "op": "in_", "val": [str(pk) for pk in pks]}])
    response = api.get(url, sort=sort, filter=only, **{"page[size]": "0"}, **params)
    assert response.status_code == 200, response.json_body
    return [row["id"] for row in response.json_body["data"]]


@pytest.fixture
def admin(api):
    api.as_user(UserFactory(is_admin=True))
    return api


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "library"])
@pytest.mark.parametrize(("resource", "name"), SORTABLE)
def test_every_stored_attribute_sorts_both_ways(admin, resource, name, fast):
    serializer_class, url, make = RESOURCES[resource]
    column = column_of(serializer_class, name)
    event = EventFactory()
    model = serializer_class.Meta.model
    rows = list(model.objects.order_by("pk")[:3]) if make is None else [make(event, n) for n in range(3)]
    pks = sorted(row.pk for row in rows)
    values = three_values(column)
    for pk, value in zip(pks, values, strict=True):
        model._base_manager.filter(pk=pk).update(**{column.attname: value})
    # Trashed rows (``deleted-at`` set) are listed with the trash.
    params = {"get_trashed": "true"} if name == "deleted_at" else {}
    ascending, descending = expected_orders(pks, values)
    wire = name.replace("_", "-")
    with override_settings(API_FAST_READS=fast):
        assert ids_sorted(admin, url(event), wire, pks, **params) == ascending
        assert ids_sorted(admin, url(event), f"-{wire}", pks, **params) == descending


@pytest.mark.parametrize(("resource", "name"), REFUSED)
def test_computed_json_write_only_and_relationship_fields_are_refused(admin, resource, name):
    _serializer, url, _make = RESOURCES[resource]
    error = assert_error(admin.get(url(EventFactory()), sort=name.replace("_", "-")), 400)
    assert error["source"] == {"parameter": "sort"}


def test_the_reported_sorts_work(api):
    """The two sorts the issue reports as refused."""
    first, second = EventFactory(name="Second"), EventFactory(name="First")
    by_identifier = sorted([first, second], key=lambda event: event.identifier)
    response = api.get("/v1/events", sort="identifier")
    assert [row["id"] for row in response.json_body["data"]] == [str(event.pk) for event in by_identifier]
    quiet = SpeakerFactory(event=first, speaking_experience="")
    seasoned = SpeakerFactory(event=first, speaking_experience="Ten conferences")
    SessionFactory(event=first).speakers.add(quiet, seasoned)
    response = api.get(f"/v1/events/{first.identifier}/speakers", sort="-speaking-experience")
    assert [row["id"] for row in response.json_body["data"]] == [str(seasoned.pk), str(quiet.pk)]


# --- private fields -------------------------------------------------------------------------------
class Team:
    """A published event with an owner, a speaker (a user with a speaker row and a session), an
    unrelated user and an admin; three speakers of public sessions, one with an empty mobile."""

    def __init__(self):
        self.event = EventFactory()
        self.owner, self.speaker_user, self.plain = UserFactory(), UserFactory(), UserFactory()
        self.admin = UserFactory(is_admin=True)
        give_role(self.owner, self.event, Role.OWNER)
        own = SpeakerFactory(event=self.event, user=self.speaker_user, email="bb@example.org", mobile="+65 2")
        first = SpeakerFactory(event=self.event, email="cc@example.org", mobile="")
        second = SpeakerFactory(event=self.event, email="aa@example.org", mobile="+65 1")
        self.speakers = [own, first, second]
        self.session = SessionFactory(event=self.event, state=Session.State.ACCEPTED, comments="bb")
        self.session.speakers.add(own, first, second)
        self.other_session = SessionFactory(event=self.event, state=Session.State.ACCEPTED, comments="aa")

    def user(self, viewer):
        return {
            "anonymous": None,
            "plain": self.plain,
            "speaker": self.speaker_user,
            "owner": self.owner,
            "admin": self.admin,
        }[viewer]


@pytest.fixture
def team():
    return Team()


def sorted_ids(api, url, sort):
    response = api.get(url, sort=sort)
    assert response.status_code == 200, response.json_body
    return [row["id"] for row in response.json_body["data"]]


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "speaker"])
@pytest.mark.parametrize(
    ("url", "sort"),
    [
        ("/v1/events/{event}/speakers", "email"),
        ("/v1/events/{event}/speakers", "-mobile"),
        ("/v1/events/{event}/speakers", "name,complex-field-values"),
        ("/v1/events/{event}/sessions", "comments"),
        ("/v1/events/{event}/sessions", "-creator.email"),
        ("/v1/events/{event}/speakers", "user.email"),
        ("/v1/speakers-calls", "hash"),
    ],
)
def test_private_fields_do_not_sort_for_those_who_may_not_read_them(api, team, viewer, url, sort):
    """An order by a field one may not read would tell its values apart (an oracle)."""
    SpeakersCallFactory(event=team.event)
    api.as_user(team.user(viewer))
    error = assert_error(api.get(url.format(event=team.event.pk), sort=sort), 400)
    assert error["source"] == {"parameter": "sort"}
    assert sort.lstrip("-").split(",")[-1] in error["detail"]


def test_a_private_field_is_refused_with_its_reason(api, team):
    error = assert_error(api.get(f"/v1/events/{team.event.pk}/speakers", sort="email"), 400)
    assert "private" in error["detail"]
    error = assert_error(api.get("/v1/events", sort="ical-url"), 400)
    assert "computed" in error["detail"]
    error = assert_error(api.get(f"/v1/events/{team.event.pk}/speakers", sort="complex-field-values"), 400)
    assert "free-form" in error["detail"]
    error = assert_error(api.as_user(team.admin).get("/v1/users", sort="password"), 400)
    assert "write-only" in error["detail"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "library"])
@pytest.mark.parametrize("viewer", ["owner", "admin"])
def test_private_fields_sort_for_organizers_and_admins(api, team, viewer, fast):
    api.as_user(team.user(viewer))
    own, first, second = (str(speaker.pk) for speaker in team.speakers)
    speakers = f"/v1/events/{team.event.pk}/speakers"
    with override_settings(API_FAST_READS=fast):
        assert sorted_ids(api, speakers, "email") == [second, own, first]
        assert sorted_ids(api, speakers, "-email") == [first, own, second]
        assert sorted_ids(api, speakers, "mobile") == [first, second, own]
        assert sorted_ids(api, speakers, "-mobile") == [own, second, first]
        sessions = f"/v1/events/{team.event.pk}/sessions"
        assert sorted_ids(api, sessions, "comments") == [str(team.other_session.pk), str(team.session.pk)]


def test_the_speaker_sorts_their_own_lists_by_what_they_read(api, team):
    """A user's own speaker rows hold nothing hidden from them, yet the rule is the same as on
    any list: a private field sorts only on a list whose every row the viewer reads in full
    (the filter's rule, ``filterable_fields``), which a list across events is not."""
    api.as_user(team.speaker_user)
    url = f"/v1/users/{team.speaker_user.pk}/speakers"
    assert sorted_ids(api, url, "-name") == [str(team.speakers[0].pk)]
    assert_error(api.get(url, sort="email"), 400)


# --- through relations ----------------------------------------------------------------------------
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "library"])
def test_sorting_through_a_to_one_relation_counts_only_related_rows_the_viewer_sees(api, fast):
    event = EventFactory()
    web, data, gone = (TrackFactory(event=event, name=name) for name in ("Web", "Data", "Archive"))
    on_web, on_data, on_gone, nowhere, also_web = (
        SessionFactory(event=event, track=track) for track in (web, data, gone, None, web)
    )
    gone.soft_delete()  # a trashed track sorts as no track: its name is not shown, so not ordered by
    url = f"/v1/events/{event.pk}/sessions"
    with override_settings(API_FAST_READS=fast):
        assert sorted_ids(api, url, "track.name") == [
            str(row.pk) for row in (on_data, on_web, also_web, on_gone, nowhere)
        ]
        assert sorted_ids(api, url, "-track.name,-id") == [
            str(row.pk) for row in (nowhere, on_gone, also_web, on_web, on_data)
        ]


def test_a_draft_event_sorts_as_absent_for_those_who_may_not_see_it(api):
    """Invites of a draft event: the invitee sees the invite, not the event (its relationship is
    null to them), so sorting by the event's name must not order by it either."""
    invitee = UserFactory(email="invitee@example.org", is_verified=True)
    draft, public = EventFactory(name="Aa draft", state="draft"), EventFactory(name="Bb public")
    to_draft = RoleInvite.objects.create(
        event=draft, email=invitee.email, role=Role.objects.get(name=Role.MODERATOR),
        token_hash="1" * 64, expires_at=draft.starts_at,
    )  # fmt: skip
    to_public = RoleInvite.objects.create(
        event=public, email=invitee.email, role=Role.objects.get(name=Role.MODERATOR),
        token_hash="2" * 64, expires_at=public.starts_at,
    )  # fmt: skip
    api.as_user(invitee)
    assert sorted_ids(api, "/v1/role-invites", "event.name") == [str(to_public.pk), str(to_draft.pk)]
    api.as_user(UserFactory(is_admin=True))
    assert sorted_ids(api, "/v1/role-invites", "event.name") == [str(to_draft.pk), str(to_public.pk)]


@pytest.mark.parametrize(
    ("url", "sort", "reason"),
    [
        ("/v1/events/{event}/sessions", "speakers.name", "to-many"),
        ("/v1/events/{event}/sessions", "track", "relationship"),
        ("/v1/events/{event}/sessions", "track.event.name", "one level"),
        ("/v1/events/{event}/sessions", "track.sessions", "relationship, not an attribute"),
        ("/v1/events/{event}/sessions", "title.name", "not a relationship"),
        ("/v1/events/{event}/sessions", "track.font-color", "computed"),
        ("/v1/events/{event}/sessions", "bogus", "no such field"),
        ("/v1/events/{event}/users-events-roles", "role.nope", "no such"),
    ],
)
def test_sorts_that_cannot_be_served_say_why(api, team, url, sort, reason):
    api.as_user(team.owner)
    error = assert_error(api.get(url.format(event=team.event.pk), sort=sort), 400)
    assert error["source"] == {"parameter": "sort"}
    assert reason in error["detail"]


def test_memberships_sort_by_role_and_event(api, team):
    later = EventFactory(starts_at=team.event.starts_at + datetime.timedelta(days=5))
    moderator = give_role(team.owner, later, Role.MODERATOR)
    owner = UsersEventsRoles.objects.get(user=team.owner, event=team.event)
    api.as_user(team.owner)
    assert sorted_ids(api, "/v1/users-events-roles", "role.name") == [str(moderator.pk), str(owner.pk)]
    assert sorted_ids(api, "/v1/users-events-roles", "-event.starts-at") == [str(moderator.pk), str(owner.pk)]
    assert sorted_ids(api, "/v1/users-events-roles", "event.starts-at") == [str(owner.pk), str(moderator.pk)]
