"""The permission vocabulary: each rule grants the right people and refuses the wrong ones."""
import pytest

from events import permissions as rules
from events import queries
from events.models import Event, Role
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = [
    "owner",
    "organizer",
    "coorganizer",
    "track_organizer",
    "moderator",
    "registrar",
    "plain",
    "admin",
    "other_organizer",
    "anonymous",
]

EXPECTED = {
    rules.is_owner: {"owner", "admin"},
    rules.is_organizer: {"owner", "organizer", "admin"},
    rules.is_coorganizer: {"owner", "organizer", "coorganizer", "admin"},
    rules.is_track_organizer: {"owner", "organizer", "coorganizer", "track_organizer", "admin"},
    rules.is_moderator: {"owner", "organizer", "coorganizer", "moderator", "admin"},
    rules.is_registrar: {"owner", "organizer", "coorganizer", "registrar", "admin"},
    rules.has_any_role: {"owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"},
}


@pytest.mark.parametrize("rule", list(EXPECTED), ids=lambda r: r.__name__)
def test_role_rules(rule):
    event, people = staffed_event()
    granted = {name for name in ALL if rule(people[name], event)}
    assert granted == EXPECTED[rule]


def test_roles_at_another_event_grant_nothing():
    _event, people = staffed_event()
    elsewhere = EventFactory()
    for name in ("owner", "organizer", "coorganizer"):
        assert not rules.is_coorganizer(people[name], elsewhere)


def test_blocked_admin_is_no_admin():
    admin = UserFactory(is_admin=True, is_blocked=True)
    assert rules.is_admin(admin)  # the flag stays, but a blocked user never authenticates
    assert not admin.is_active


@pytest.mark.parametrize(
    ("holder", "allowed"),
    [
        ("owner", set(Role.NAMES)),
        ("organizer", set(Role.NAMES) - {"owner"}),
        ("coorganizer", {"coorganizer", "track_organizer", "moderator", "registrar"}),
        ("track_organizer", set()),
        ("moderator", set()),
        ("registrar", set()),
        ("plain", set()),
        ("other_organizer", set()),
        ("anonymous", set()),
        ("admin", set(Role.NAMES)),
    ],
)
def test_who_may_invite_whom(holder, allowed):
    event, people = staffed_event()
    assert {name for name in Role.NAMES if rules.can_invite(people[holder], event, name)} == allowed


def test_event_visibility():
    event, people = staffed_event(state=Event.State.DRAFT)
    visible = {name for name in ALL if rules.can_see_event(people[name], event)}
    assert visible == {"owner", "organizer", "coorganizer", "admin"}
    published = EventFactory()
    assert all(rules.can_see_event(people[name], published) for name in ALL)


def test_visible_events_for_lists():
    draft, people = staffed_event(state=Event.State.DRAFT)
    private = EventFactory(privacy=Event.Privacy.PRIVATE)
    public = EventFactory()
    assert set(queries.visible_events(None)) >= {public}
    assert draft not in queries.visible_events(None)
    assert private not in queries.visible_events(None)
    assert draft in queries.visible_events(people["coorganizer"])
    assert draft not in queries.visible_events(people["moderator"])
    assert private in queries.visible_events(None, listing=False)
    assert set(queries.visible_events(people["admin"])) == {draft, private, public, *Event.objects.all()}


def test_prime_roles_answers_many_events_with_one_query(django_assert_num_queries):
    user = UserFactory()
    events = [EventFactory(state=Event.State.DRAFT) for _ in range(4)]
    give_role(user, events[0], Role.COORGANIZER)
    give_role(user, events[0], Role.MODERATOR)
    give_role(user, events[1], Role.MODERATOR)
    with django_assert_num_queries(1):
        rules.prime_roles(user, [event.pk for event in events])
    with django_assert_num_queries(0):
        assert rules.roles_at(user, events[0]) == {Role.COORGANIZER, Role.MODERATOR}
        assert rules.roles_at(user, events[1]) == {Role.MODERATOR}
        assert rules.roles_at(user, events[2]) == set()
        assert [rules.can_see_event(user, event) for event in events] == [True, False, False, False]
        # Events already known are not asked again.
        rules.prime_roles(user, [events[0].pk, events[3].pk])
    rules.prime_roles(None, [events[0].pk])
