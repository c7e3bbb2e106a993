"""Filtering and sorting through the real API: Open Event's JSON filter (``filter=[...]``), the
JSON:API style (``filter[field]=…``), ``sort``, ``include`` and the check on unknown parameters."""
import datetime
import json

import pytest

from events import services
from events.models import Event, Role
from events.tests.factories import EventFactory, event_with_owner, give_role
from openevent.api.filters import like_lookup
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(month, day):
    return datetime.datetime(2027, month, day, 9, 0, tzinfo=UTC)


def json_filter(api, url, nodes, **params):
    return api.get(url, filter=json.dumps(nodes), **params)


def names(response):
    assert response.status_code == 200, response.json_body
    return [item["attributes"]["name"] for item in response.json_body["data"]]


def emails(response):
    assert response.status_code == 200, response.json_body
    return [item["attributes"]["email"] for item in response.json_body["data"]]


def assert_bad_parameter(response, parameter):
    """A 400 JSON:API error document whose first error names ``parameter``."""
    assert response.status_code == 400, response.json_body
    assert response["Content-Type"].startswith("application/vnd.api+json")
    body = response.json_body
    assert body["jsonapi"] == {"version": "1.0"}
    error = body["errors"][0]
    assert error["status"] == "400"
    assert error["source"] == {"parameter": parameter}
    assert error["detail"]
    assert "data" not in body
    return error["detail"]


@pytest.fixture
def events():
    """Three published public events, plus a draft and a private one anonymous lists never show."""
    EventFactory(
        name="Alpha Summit", starts_at=at(3, 1), ends_at=at(3, 3), location_name="Singapore",
        schedule_published_on=at(2, 1),
    )  # fmt: skip
    EventFactory(
        name="Beta Conf", starts_at=at(6, 15), ends_at=at(6, 16), location_name="Berlin", online=True,
        description="Line one\nLine two",
    )  # fmt: skip
    EventFactory(name="C++ (Dev) Day", starts_at=at(9, 30), ends_at=at(10, 1), location_name="")
    EventFactory(name="Alpha Draft", starts_at=at(3, 1), ends_at=at(3, 2), state=Event.State.DRAFT)
    EventFactory(name="Alpha Private", starts_at=at(3, 1), ends_at=at(3, 2), privacy=Event.Privacy.PRIVATE)


# --- JSON filter: every op --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"name": "state", "op": "eq", "val": "published"}, ["Alpha Summit", "Beta Conf", "C++ (Dev) Day"]),
        ({"name": "name", "op": "eq", "val": "Beta Conf"}, ["Beta Conf"]),
        ({"name": "name", "op": "ne", "val": "Beta Conf"}, ["Alpha Summit", "C++ (Dev) Day"]),
        ({"name": "starts-at", "op": "lt", "val": "2027-06-15T09:00:00Z"}, ["Alpha Summit"]),
        ({"name": "starts-at", "op": "le", "val": "2027-06-15T09:00:00Z"}, ["Alpha Summit", "Beta Conf"]),
        ({"name": "starts-at", "op": "gt", "val": "2027-06-15T09:00:00Z"}, ["C++ (Dev) Day"]),
        ({"name": "starts-at", "op": "ge", "val": "2027-06-15T09:00:00+00:00"}, ["Beta Conf", "C++ (Dev) Day"]),
        # The same instant written with another offset.
        ({"name": "starts-at", "op": "ge", "val": "2027-06-15T17:00:00+08:00"}, ["Beta Conf", "C++ (Dev) Day"]),
        # A bare date means midnight.
        ({"name": "starts-at", "op": "ge", "val": "2027-06-15"}, ["Beta Conf", "C++ (Dev) Day"]),
        ({"name": "name", "op": "like", "val": "Alpha%"}, ["Alpha Summit"]),
        ({"name": "name", "op": "like", "val": "%Conf"}, ["Beta Conf"]),
        ({"name": "name", "op": "like", "val": "%mm%"}, ["Alpha Summit"]),
        ({"name": "name", "op": "like", "val": "B_ta Conf"}, ["Beta Conf"]),
        ({"name": "name", "op": "like", "val": "b_ta conf"}, []),
        ({"name": "name", "op": "like", "val": "%e%a%"}, ["Beta Conf", "C++ (Dev) Day"]),
        # Regex characters in the pattern are literals.
        ({"name": "name", "op": "like", "val": "C++ (Dev)%"}, ["C++ (Dev) Day"]),
        ({"name": "name", "op": "like", "val": "C++_(Dev) D_y"}, ["C++ (Dev) Day"]),
        ({"name": "name", "op": "like", "val": "C.. (Dev) Day"}, []),
        # Wildcards match newlines too.
        ({"name": "description", "op": "like", "val": "%one_Line t%"}, ["Beta Conf"]),
        ({"name": "description", "op": "ilike", "val": "LINE%TWO"}, ["Beta Conf"]),
        ({"name": "name", "op": "ilike", "val": "%CONF%"}, ["Beta Conf"]),
        ({"name": "name", "op": "ilike", "val": "b_TA conf"}, ["Beta Conf"]),
        ({"name": "name", "op": "ilike", "val": "beta conf"}, ["Beta Conf"]),
        ({"name": "name", "op": "in_", "val": ["Beta Conf", "Alpha Summit", "Nope"]}, ["Alpha Summit", "Beta Conf"]),
        ({"name": "name", "op": "notin_", "val": ["Beta Conf", "Alpha Summit"]}, ["C++ (Dev) Day"]),
        ({"name": "schedule-published-on", "op": "is_", "val": None}, ["Beta Conf", "C++ (Dev) Day"]),
        ({"name": "schedule-published-on", "op": "isnot", "val": None}, ["Alpha Summit"]),
        ({"name": "schedule-published-on", "op": "eq", "val": None}, ["Beta Conf", "C++ (Dev) Day"]),
        ({"name": "schedule-published-on", "op": "ne", "val": None}, ["Alpha Summit"]),
        ({"name": "online", "op": "is_", "val": True}, ["Beta Conf"]),
        ({"name": "online", "op": "isnot", "val": True}, ["Alpha Summit", "C++ (Dev) Day"]),
        ({"name": "online", "op": "eq", "val": False}, ["Alpha Summit", "C++ (Dev) Day"]),
        ({"name": "online", "op": "eq", "val": "true"}, ["Beta Conf"]),
        ({"name": "location-name", "op": "startswith", "val": "Sing"}, ["Alpha Summit"]),
        ({"name": "location-name", "op": "endswith", "val": "lin"}, ["Beta Conf"]),
        ({"name": "name", "op": "contains", "val": "(Dev)"}, ["C++ (Dev) Day"]),
        (
            {"name": "starts-at", "op": "between", "val": ["2027-03-01T00:00:00Z", "2027-07-01T00:00:00Z"]},
            ["Alpha Summit", "Beta Conf"],
        ),
        ({"name": "id", "op": "ne", "val": 0}, ["Alpha Summit", "Beta Conf", "C++ (Dev) Day"]),
    ],
)
def test_each_op(api, events, node, expected):
    assert names(json_filter(api, "/v1/events", [node], sort="starts-at")) == expected


def test_id_takes_numbers_or_numeric_strings(api, events):
    beta = Event.objects.get(name="Beta Conf")
    assert names(json_filter(api, "/v1/events", [{"name": "id", "op": "eq", "val": beta.pk}])) == ["Beta Conf"]
    assert names(json_filter(api, "/v1/events", [{"name": "id", "op": "in_", "val": [str(beta.pk)]}])) == [
        "Beta Conf"
    ]


def test_names_may_be_dashed_or_underscored(api, events):
    dashed = [{"name": "location-name", "op": "eq", "val": "Berlin"}]
    underscored = [{"name": "location_name", "op": "eq", "val": "Berlin"}]
    assert names(json_filter(api, "/v1/events", dashed)) == names(json_filter(api, "/v1/events", underscored))
    assert names(json_filter(api, "/v1/events", dashed)) == ["Beta Conf"]


def test_a_list_of_filters_must_all_hold(api, events):
    nodes = [
        {"name": "name", "op": "like", "val": "%a%"},
        {"name": "starts-at", "op": "gt", "val": "2027-04-01T00:00:00Z"},
    ]
    assert names(json_filter(api, "/v1/events", nodes, sort="name")) == ["Beta Conf", "C++ (Dev) Day"]


def test_an_empty_list_filters_nothing(api, events):
    assert len(names(json_filter(api, "/v1/events", []))) == 3
    assert len(names(api.get("/v1/events", filter=""))) == 3


def test_or_and_not_nest(api, events):
    berlin_or_singapore = {
        "or": [
            {"name": "location-name", "op": "eq", "val": "Berlin"},
            {"name": "location-name", "op": "eq", "val": "Singapore"},
        ]
    }
    assert names(json_filter(api, "/v1/events", [berlin_or_singapore], sort="name")) == ["Alpha Summit", "Beta Conf"]
    assert names(json_filter(api, "/v1/events", [{"not": berlin_or_singapore}])) == ["C++ (Dev) Day"]
    nested = {
        "or": [
            {"and": [{"name": "online", "op": "eq", "val": True}, {"name": "name", "op": "like", "val": "Beta%"}]},
            {"not": {"or": [{"name": "online", "op": "eq", "val": False}, {"name": "name", "op": "eq", "val": "x"}]}},
            {"and": [{"name": "location-name", "op": "eq", "val": ""}, {"not": {"name": "id", "op": "eq", "val": 0}}]},
        ]
    }
    assert names(json_filter(api, "/v1/events", [nested], sort="name")) == ["Beta Conf", "C++ (Dev) Day"]


def test_filters_never_reveal_what_the_list_hides(api, events):
    nodes = [{"name": "name", "op": "like", "val": "Alpha%"}]
    assert names(json_filter(api, "/v1/events", nodes)) == ["Alpha Summit"]
    assert names(json_filter(api, "/v1/events", [{"name": "state", "op": "eq", "val": "draft"}])) == []


def test_json_and_bracket_filters_combine(api, events):
    response = json_filter(
        api, "/v1/events", [{"name": "name", "op": "like", "val": "%a%"}], **{"filter[location-name]": "Berlin"}
    )
    assert names(response) == ["Beta Conf"]


def test_detail_routes_ignore_list_parameters(api, events):
    beta = Event.objects.get(name="Beta Conf")
    response = json_filter(api, f"/v1/events/{beta.pk}", [{"name": "name", "op": "eq", "val": "other"}], sort="nope")
    assert response.status_code == 200
    assert response.json_body["data"]["attributes"]["name"] == "Beta Conf"


# --- has and any ------------------------------------------------------------------------------------
@pytest.fixture
def team():
    """An owner's two events with invites, and a stranger's event with an invite of its own."""
    owner = UserFactory(first_name="Olga")
    first, _ = event_with_owner(owner, name="First")
    second, _ = event_with_owner(owner, name="Second")
    services.invite(owner, first, "ann@example.org", Role.COORGANIZER)
    services.invite(owner, first, "bob@example.org", Role.MODERATOR)
    services.invite(owner, first, "cy@example.org", Role.ORGANIZER)
    services.invite(owner, second, "dee@example.org", Role.COORGANIZER)
    stranger_event, stranger = event_with_owner(name="Elsewhere")
    services.invite(stranger, stranger_event, "ann@example.org", Role.COORGANIZER)
    return owner, first, second


def test_has_filters_on_a_to_one_relation(api, team):
    owner, _, _ = team
    api.as_user(owner)
    by_role = [{"name": "role", "op": "has", "val": {"name": "name", "op": "eq", "val": "coorganizer"}}]
    assert sorted(emails(json_filter(api, "/v1/role-invites", by_role))) == ["ann@example.org", "dee@example.org"]
    by_event = [{"name": "event", "op": "has", "val": {"name": "name", "op": "eq", "val": "Second"}}]
    assert emails(json_filter(api, "/v1/role-invites", by_event)) == ["dee@example.org"]
    combined = [
        {
            "name": "event",
            "op": "has",
            "val": {"or": [{"name": "name", "op": "eq", "val": "Second"}, {"name": "name", "op": "eq", "val": "x"}]},
        },
        {"name": "role", "op": "has", "val": {"not": {"name": "name", "op": "eq", "val": "owner"}}},
    ]
    assert emails(json_filter(api, "/v1/role-invites", combined)) == ["dee@example.org"]


def test_a_to_one_relation_compares_by_id(api, team):
    owner, first, second = team
    api.as_user(owner)
    response = json_filter(api, "/v1/role-invites", [{"name": "event", "op": "eq", "val": str(second.pk)}])
    assert emails(response) == ["dee@example.org"]
    response = json_filter(api, "/v1/role-invites", [{"name": "event", "op": "notin_", "val": [first.pk]}])
    assert emails(response) == ["dee@example.org"]


def test_any_filters_on_a_to_many_relation_without_duplicates(api, team):
    owner, _, _ = team
    api.as_user(owner)
    # Three invites of "First" match; the event still appears once.
    nodes = [{"name": "role-invites", "op": "any", "val": {"name": "email", "op": "like", "val": "%@example.org"}}]
    response = json_filter(api, "/v1/events", nodes, sort="name")
    assert names(response) == ["First", "Second"]
    assert response.json_body["meta"]["count"] == 2
    nodes = [{"name": "role-invites", "op": "any", "val": {"name": "email", "op": "eq", "val": "ann@example.org"}}]
    assert names(json_filter(api, "/v1/events", nodes)) == ["First"]
    nodes = [{"not": nodes[0]}]
    assert "First" not in names(json_filter(api, "/v1/events", nodes))


def test_any_reaches_through_several_relations(api, team):
    owner, _, second = team
    member = UserFactory(first_name="Zed")
    give_role(member, second, Role.MODERATOR)
    api.as_user(owner)
    nodes = [
        {
            "name": "users-events-roles",
            "op": "any",
            "val": [
                {"name": "user", "op": "has", "val": {"name": "first-name", "op": "eq", "val": "Zed"}},
                {"name": "role", "op": "has", "val": {"name": "name", "op": "in_", "val": ["moderator", "owner"]}},
            ],
        }
    ]
    assert names(json_filter(api, "/v1/events", nodes)) == ["Second"]
    # Everyone on the team of "First" and "Second" is Olga; she is there twice over, each event once.
    nodes = [{"name": "users-events-roles", "op": "any", "val": {"name": "user", "op": "has", "val": {
        "name": "first-name", "op": "eq", "val": "Olga"}}}]  # fmt: skip
    response = json_filter(api, "/v1/events", nodes, sort="name")
    assert names(response) == ["First", "Second"]


def test_nested_filters_match_only_rows_the_user_may_see(api, team):
    """Invites are for organizers' eyes: nobody else may probe them through the events list."""
    owner, _, _ = team
    nodes = [{"name": "role-invites", "op": "any", "val": {"name": "email", "op": "eq", "val": "ann@example.org"}}]
    assert names(json_filter(api, "/v1/events", nodes)) == []  # anonymous
    assert names(json_filter(api.as_user(UserFactory()), "/v1/events", nodes)) == []
    # The owner sees the invites of their own event, not the stranger's one to the same address.
    assert names(json_filter(api.as_user(owner), "/v1/events", nodes)) == ["First"]
    assert names(json_filter(api.as_user(UserFactory(is_admin=True)), "/v1/events", nodes, sort="name")) == [
        "Elsewhere",
        "First",
    ]


def test_private_user_fields_are_filterable_through_relations_by_admins_only(api, team):
    owner, _, _ = team
    nodes = [{"name": "users-events-roles", "op": "any", "val": {"name": "user", "op": "has", "val": {
        "name": "email", "op": "eq", "val": owner.email}}}]  # fmt: skip
    detail = assert_bad_parameter(json_filter(api.as_user(owner), "/v1/events", nodes), "filter")
    assert "email" in detail
    response = json_filter(api.as_user(UserFactory(is_admin=True)), "/v1/events", nodes, sort="name")
    assert names(response) == ["First", "Second"]


def test_filters_on_a_related_route_apply_to_the_related_list(api, team):
    owner, first, _ = team
    api.as_user(owner)
    nodes = [{"name": "email", "op": "ne", "val": "bob@example.org"}]
    response = json_filter(api, f"/v1/events/{first.pk}/role-invites", nodes, sort="-email", include="role")
    assert emails(response) == ["cy@example.org", "ann@example.org"]
    response = api.get(f"/v1/events/{first.pk}/role-invites", sort="role.name", **{"filter[status]": "pending"})
    assert emails(response) == ["ann@example.org", "bob@example.org", "cy@example.org"]


# --- JSON filter: mistakes are 400s naming "filter" -------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("{not json", "JSON"),
        ('{"name": "name", "op": "eq", "val": "x"}', "list"),
        ('"name"', "list"),
        ('["name"]', "object"),
        ('[{"name": "nope", "op": "eq", "val": 1}]', "nope"),
        ('[{"name": "name", "op": "equals", "val": "x"}]', "equals"),
        ('[{"name": "name", "op": "eq"}]', "val"),
        ('[{"op": "eq", "val": "x"}]', "name"),
        ('[{"name": 5, "op": "eq", "val": "x"}]', "name"),
        ('[{"name": "name", "op": "eq", "val": "x", "field": "state"}]', "field"),
        ('[{"name": "starts-at", "op": "gt", "val": "next tuesday"}]', "starts-at"),
        ('[{"name": "starts-at", "op": "gt", "val": "2027-13-45"}]', "starts-at"),
        ('[{"name": "id", "op": "eq", "val": "abc"}]', "id"),
        ('[{"name": "latitude", "op": "lt", "val": "north"}]', "latitude"),
        ('[{"name": "online", "op": "eq", "val": "perhaps"}]', "online"),
        ('[{"name": "name", "op": "eq", "val": ["a"]}]', "name"),
        ('[{"name": "name", "op": "eq", "val": {"a": 1}}]', "name"),
        ('[{"name": "name", "op": "lt", "val": null}]', "name"),
        ('[{"name": "name", "op": "in_", "val": "a"}]', "list"),
        ('[{"name": "starts-at", "op": "in_", "val": ["2027-01-01", "soon"]}]', "starts-at"),
        ('[{"name": "starts-at", "op": "between", "val": ["2027-01-01"]}]', "two"),
        ('[{"name": "starts-at", "op": "between", "val": "2027-01-01"}]', "two"),
        ('[{"name": "name", "op": "like", "val": 5}]', "string"),
        ('[{"name": "name", "op": "startswith", "val": null}]', "string"),
        ('[{"name": "online", "op": "is_", "val": "yes"}]', "null"),
        ('[{"or": []}]', "or"),
        ('[{"and": {"name": "name", "op": "eq", "val": "x"}}]', "and"),
        ('[{"not": [{"name": "name", "op": "eq", "val": "x"}]}]', "not"),
        ('[{"or": [{"name": "name", "op": "eq", "val": "x"}], "name": "name"}]', "or"),
        ('[{"or": [{"name": "nope", "op": "eq", "val": "x"}]}]', "nope"),
        # Relationships: has for to-one, any for to-many, nothing else on to-many.
        ('[{"name": "role-invites", "op": "has", "val": {"name": "email", "op": "eq", "val": "a"}}]', "has"),
        ('[{"name": "role-invites", "op": "eq", "val": 1}]', "any"),
        ('[{"name": "name", "op": "any", "val": {"name": "email", "op": "eq", "val": "a"}}]', "any"),
        (
            '[{"name": "role-invites", "op": "any", "val": {"name": "token-hash", "op": "eq", "val": "a"}}]',
            "token-hash",
        ),
        ('[{"name": "role-invites", "op": "any", "val": {"name": "nope", "op": "eq", "val": "a"}}]', "nope"),
        ('[{"name": "role-invites", "op": "any", "val": "ann@example.org"}]', "object"),
        # Not database fields: a property and a method field.
        ('[{"name": "ical-url", "op": "eq", "val": ""}]', "ical-url"),
        ('[{"name": "owner", "op": "has", "val": {"name": "first-name", "op": "eq", "val": "x"}}]', "owner"),
    ],
)
def test_mistakes_in_the_json_filter_are_400(api, events, raw, fragment):
    detail = assert_bad_parameter(api.get("/v1/events", filter=raw), "filter")
    assert fragment in detail


def test_deep_nesting_is_refused(api, events):
    node = {"name": "name", "op": "eq", "val": "x"}
    for _ in range(20):
        node = {"not": node}
    assert_bad_parameter(json_filter(api, "/v1/events", [node]), "filter")
    assert_bad_parameter(api.get("/v1/events", filter="[" * 100000), "filter")


def test_a_relation_that_does_not_lead_to_a_model_field_is_refused(api, team):
    owner, _, _ = team
    api.as_user(owner)
    # role-name is a property of the invite, not a column.
    response = json_filter(api, "/v1/role-invites", [{"name": "role-name", "op": "eq", "val": "coorganizer"}])
    assert_bad_parameter(response, "filter")
    nested = [{"name": "role", "op": "has", "val": {"name": "title-names", "op": "eq", "val": "x"}}]
    assert "title-names" in assert_bad_parameter(json_filter(api, "/v1/role-invites", nested), "filter")


def test_secrets_are_never_filterable(api, team):
    owner, _, _ = team
    admin = UserFactory(is_admin=True)
    api.as_user(admin)
    for name in ("password", "token-hash", "token_hash"):
        response = json_filter(api, "/v1/users", [{"name": name, "op": "like", "val": "%"}])
        assert_bad_parameter(response, "filter")
        response = json_filter(api, "/v1/role-invites", [{"name": name, "op": "like", "val": "%"}])
        assert_bad_parameter(response, "filter")
    nested = [{"name": "users-events-roles", "op": "any", "val": {"name": "user", "op": "has", "val": {
        "name": "password", "op": "like", "val": "pbkdf2%"}}}]  # fmt: skip
    assert_bad_parameter(json_filter(api, "/v1/events", nested), "filter")
    # What admins may filter users on works.
    response = json_filter(api, "/v1/users", [{"name": "email", "op": "eq", "val": owner.email}])
    assert [item["id"] for item in response.json_body["data"]] == [str(owner.pk)]
    response = json_filter(api, "/v1/users", [{"name": "is-admin", "op": "eq", "val": True}])
    assert [item["id"] for item in response.json_body["data"]] == [str(admin.pk)]


# --- JSON:API style filter[field] ---------------------------------------------------------------------
def test_bracket_filters(api, events):
    assert names(api.get("/v1/events", **{"filter[name]": "Beta Conf"})) == ["Beta Conf"]
    response = api.get("/v1/events", sort="starts-at", **{"filter[starts-at.gte]": "2027-06-15T09:00:00Z"})
    assert names(response) == ["Beta Conf", "C++ (Dev) Day"]
    assert names(api.get("/v1/events", **{"filter[name.icontains]": "conf"})) == ["Beta Conf"]
    response = api.get("/v1/events", sort="name", **{"filter[state.in]": "published,draft"})
    assert names(response) == ["Alpha Summit", "Beta Conf", "C++ (Dev) Day"]


def test_bracket_filter_through_a_relation(api, team):
    owner, _, _ = team
    response = api.as_user(owner).get("/v1/role-invites", **{"filter[role.name]": "moderator"})
    assert emails(response) == ["bob@example.org"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("filter[nope]", "x"),
        ("filter[name.regex]", "x"),
        ("filter[starts-at.gte]", "someday"),
        ("filter[state]", "bogus"),
        ("filter[name]", ""),
        ("filter[]", "x"),
        ("filterx", "x"),
    ],
)
def test_bad_bracket_filters_are_400_naming_the_parameter(api, events, parameter, value):
    assert_bad_parameter(api.get("/v1/events", **{parameter: value}), parameter)


# --- sort ------------------------------------------------------------------------------------------
def test_sort_by_dashed_names_descending_and_several_keys(api, events):
    assert names(api.get("/v1/events", sort="-starts-at")) == ["C++ (Dev) Day", "Beta Conf", "Alpha Summit"]
    assert names(api.get("/v1/events", sort="location-name,name")) == ["C++ (Dev) Day", "Beta Conf", "Alpha Summit"]
    assert names(api.get("/v1/events", sort="-location_name")) == ["Alpha Summit", "Beta Conf", "C++ (Dev) Day"]
    ids = [item["id"] for item in api.get("/v1/events", sort="-id").json_body["data"]]
    assert ids == sorted(ids, key=int, reverse=True)


def test_sort_through_a_to_one_relation(api, team):
    owner, _, _ = team
    api.as_user(owner)
    response = api.get("/v1/role-invites", sort="role.name,email")
    roles = [item["attributes"]["role-name"] for item in response.json_body["data"]]
    assert roles == ["coorganizer", "coorganizer", "moderator", "organizer"]
    assert emails(response)[:2] == ["ann@example.org", "dee@example.org"]
    response = api.get("/v1/role-invites", sort="-role.name")
    assert response.json_body["data"][0]["attributes"]["role-name"] == "organizer"


def test_equal_sort_keys_fall_back_to_the_primary_key(api):
    created = [EventFactory(name="Same", starts_at=at(5, 5), ends_at=at(5, 6)).pk for _ in range(5)]
    for sort in ("name", "-name", "starts-at"):
        ids = [int(item["id"]) for item in api.get("/v1/events", sort=sort).json_body["data"]]
        assert ids == created


@pytest.mark.parametrize(
    "sort", ["nope", "-nope", "name,nope", "event.ical-url", "event.owner", "role.nope", "description", "", ","]
)
def test_unknown_sort_fields_are_400(api, team, sort):
    owner, _, _ = team
    response = api.as_user(owner).get("/v1/role-invites", sort=sort)
    if sort == "":
        assert response.status_code == 200
        return
    assert_bad_parameter(response, "sort")


def test_event_sort_errors_name_the_sortable_fields(api, events):
    detail = assert_bad_parameter(api.get("/v1/events", sort="owner.email"), "sort")
    assert "owner.email" in detail
    assert "starts-at" in detail


# --- unknown query parameters and include ---------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"foo": "1"}, "foo"),
        ({"page[offset]": "3"}, "page[offset]"),
        ({"page": "2"}, "page"),
        ({"fields": "name"}, "fields"),
        ({"Sort": "name"}, "Sort"),
    ],
)
def test_unknown_query_parameters_are_400(api, events, params, parameter):
    assert_bad_parameter(api.get("/v1/events", **params), parameter)


def test_repeated_parameters_are_400_except_filters(api, events):
    def get(query):
        response = api.client.get(f"/v1/events?{query}", HTTP_ACCEPT="application/vnd.api+json")
        response.json_body = json.loads(response.content)
        return response

    assert_bad_parameter(get("sort=name&sort=id"), "sort")
    assert_bad_parameter(get("include=owner&include=owner"), "include")
    # A repeated filter[x] is django-filter's business: the last value counts.
    assert names(get("filter[name]=Beta+Conf&filter[name]=Alpha+Summit")) == ["Alpha Summit"]
    name_is = '[{"name":"name","op":"like","val":"%25a%25"}]'
    starts_late = '[{"name":"starts-at","op":"gt","val":"2027-04-01"}]'
    assert names(get(f"filter={name_is}&filter={starts_late}&sort=name")) == ["Beta Conf", "C++ (Dev) Day"]


def test_known_query_parameters_pass(api, events):
    response = api.get(
        "/v1/events",
        get_trashed="false",
        include="owner",
        sort="name",
        **{"fields[event]": "name", "page[number]": "1", "page[size]": "2", "filter[state]": "published"},
    )
    assert response.status_code == 200, response.json_body
    assert names(response) == ["Alpha Summit", "Beta Conf"]


def test_unknown_includes_are_400(api, team):
    owner, first, _ = team
    api.as_user(owner)
    assert api.get("/v1/role-invites", include="event,role").status_code == 200
    assert api.get("/v1/role-invites", include="event.owner").status_code == 200
    for include in ("nope", "event.nope", "event,", "role.event", "event.owner.nope"):
        assert "cannot be included" in assert_bad_parameter(api.get("/v1/role-invites", include=include), "include")
    assert_bad_parameter(api.get(f"/v1/events/{first.pk}", include="role-invites"), "include")
    assert_bad_parameter(api.get(f"/v1/users/{owner.pk}", include="events"), "include")


# --- the LIKE translation on its own ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "insensitive", "expected"),
    [
        ("abc", False, ("exact", "abc")),
        ("abc", True, ("iexact", "abc")),
        ("abc%", False, ("startswith", "abc")),
        ("%abc", True, ("iendswith", "abc")),
        ("%abc%", False, ("contains", "abc")),
        ("%%abc%%", False, ("contains", "abc")),
        ("%", False, ("contains", "")),
        ("", False, ("exact", "")),
        ("50\\%", False, ("exact", "50%")),
        ("a\\_b%", False, ("startswith", "a_b")),
        # Anything else goes to the database's own LIKE (no regular expression), normalized.
        ("a%b", False, ("like", "a%b")),
        ("a_c", True, ("ilike", "a_c")),
        ("%1.5_(x)", False, ("like", "%1.5_(x)")),
        ("%%a\\%b%%_", False, ("like", "%a\\%b%_")),
        ("a\\\\%b_", False, ("like", "a\\\\%b_")),
    ],
)
def test_like_patterns_become_safe_lookups(pattern, insensitive, expected):
    assert like_lookup(pattern, insensitive) == expected
