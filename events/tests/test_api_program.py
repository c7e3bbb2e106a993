"""/v1/tracks, /v1/session-types, /v1/microlocations, /v1/sponsors, /v1/social-links,
/v1/speakers-calls and their lists under events: who may do what, validation, soft delete, the
event's relationship routes and constant query counts. Speakers-call specifics live in
test_api_speakers_calls.py."""
import json

import pytest

from events.models import Event, Microlocation, SpeakersCall, Track
from events.tests.helpers import count_queries, staffed_event
from events.tests.program import (
    LISTS,
    RESOURCES,
    create_doc,
    ids,
    make,
    part_doc,
    pointers,
    refused,
    writers,
)
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

ALL = list(RESOURCES)


def each(pairs_of):
    """(resource key, *case) for every resource and every case ``pairs_of(resource)`` gives."""
    cases = []
    for key, resource in RESOURCES.items():
        for case in pairs_of(resource):
            cases.append((key, *case) if isinstance(case, tuple) else (key, case))
    return cases


@pytest.fixture
def staffed():
    return staffed_event()


# --- creating ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "role"), each(writers))
def test_managers_create(api, staffed, key, role):
    resource = RESOURCES[key]
    event, people = staffed
    response = api.as_user(people[role]).post(f"/v1/{resource.plural}", create_doc(resource, event))
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == resource.type
    assert data["relationships"]["event"]["data"] == {"type": "event", "id": str(event.pk)}
    assert data["attributes"]["deleted-at"] is None
    row = resource.model.objects.get(pk=data["id"])
    assert row.event == event
    assert response["Location"].endswith(f"/v1/{resource.plural}/{row.pk}")


@pytest.mark.parametrize(("key", "role", "status"), each(refused))
def test_others_cannot_create(api, staffed, key, role, status):
    """Security lesson 4: creating a part of an event needs rights on that event."""
    resource = RESOURCES[key]
    event, people = staffed
    response = api.as_user(people[role]).post(f"/v1/{resource.plural}", create_doc(resource, event))
    assert_error(response, status)
    assert not resource.model.all_objects.exists()


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("role", ["plain", "track_organizer", "moderator", "other_organizer"])
def test_creating_on_a_draft_you_cannot_see_names_no_event(api, key, role):
    resource = RESOURCES[key]
    event, people = staffed_event(state=Event.State.DRAFT)
    response = api.as_user(people[role]).post(f"/v1/{resource.plural}", create_doc(resource, event))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/event"]
    assert not resource.model.all_objects.exists()


@pytest.mark.parametrize("key", ALL)
def test_coorganizer_creates_on_a_draft(api, key):
    resource = RESOURCES[key]
    event, people = staffed_event(state=Event.State.DRAFT)
    response = api.as_user(people["coorganizer"]).post(f"/v1/{resource.plural}", create_doc(resource, event))
    assert response.status_code == 201, response.json_body


@pytest.mark.parametrize("key", ALL)
def test_the_event_is_required(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    response = api.as_user(people["owner"]).post(f"/v1/{resource.plural}", part_doc(resource, **resource.attributes))
    assert_error(response, 422)
    assert "/data/relationships/event" in pointers(response)
    gone = create_doc(resource, event)
    gone["data"]["relationships"]["event"]["data"]["id"] = "999999"
    response = api.post(f"/v1/{resource.plural}", gone)
    assert_error(response, 422)
    assert "/data/relationships/event" in pointers(response)
    assert not resource.model.all_objects.exists()


@pytest.mark.parametrize("key", ALL)
def test_garbage_wrong_type_and_media_type(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    api.as_user(people["owner"])
    url = f"/v1/{resource.plural}"
    assert_error(api.post(url, raw="{not json"), 400)
    assert_error(api.post(url, {"no": "data"}), 400)
    wrong_type = create_doc(resource, event)
    wrong_type["data"]["type"] = "event"
    assert_error(api.post(url, wrong_type), 409)
    assert_error(api.post(url, create_doc(resource, event), content_type="application/json"), 415)
    assert not resource.model.all_objects.exists()
    with_charset = api.post(url, create_doc(resource, event), content_type="application/vnd.api+json; charset=utf-8")
    assert with_charset.status_code == 201


INVALID = [
    ("track", {"color": "red"}, "color"),
    ("track", {"color": "#12345"}, "color"),
    ("track", {"color": "#12345g"}, "color"),
    ("track", {"name": ""}, "name"),
    ("track", {"position": -1}, "position"),
    ("session-type", {"length": "1:30"}, "length"),
    ("session-type", {"length": "00:60"}, "length"),
    ("session-type", {"length": "01:30:00"}, "length"),
    ("session-type", {"length": "ninety"}, "length"),
    ("session-type", {"name": ""}, "name"),
    ("microlocation", {"latitude": 91}, "latitude"),
    ("microlocation", {"longitude": -181}, "longitude"),
    ("microlocation", {"floor": "first"}, "floor"),
    ("microlocation", {"name": ""}, "name"),
    ("sponsor", {"url": "not a url"}, "url"),
    ("sponsor", {"logo-url": "nope"}, "logo-url"),
    ("sponsor", {"level": -1}, "level"),
    ("sponsor", {"name": ""}, "name"),
    ("social-link", {"link": "not a link"}, "link"),
    ("social-link", {"link": ""}, "link"),
    ("social-link", {"name": ""}, "name"),
    ("speakers-call", {"ends-at": "2027-01-09T09:00:00Z"}, "ends-at"),
    ("speakers-call", {"ends-at": "2027-01-10T09:00:00Z"}, "ends-at"),
    ("speakers-call", {"soft-ends-at": "2027-03-01T00:00:00Z"}, "soft-ends-at"),
    ("speakers-call", {"soft-ends-at": "2027-01-01T00:00:00Z"}, "soft-ends-at"),
    ("speakers-call", {"starts-at": "soon"}, "starts-at"),
    ("speakers-call", {"starts-at": None}, "starts-at"),
    ("speakers-call", {"privacy": "secret"}, "privacy"),
]


@pytest.mark.parametrize(("key", "change", "attribute"), INVALID)
def test_invalid_input_is_422_with_a_pointer(api, staffed, key, change, attribute):
    resource = RESOURCES[key]
    event, people = staffed
    response = api.as_user(people["owner"]).post(f"/v1/{resource.plural}", create_doc(resource, event, **change))
    assert_error(response, 422)
    assert f"/data/attributes/{attribute}" in pointers(response)
    assert not resource.model.all_objects.exists()


@pytest.mark.parametrize(("key", "change", "attribute"), INVALID)
def test_invalid_updates_are_422_with_a_pointer(api, staffed, key, change, attribute):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    response = api.as_user(people["owner"]).patch(
        f"/v1/{resource.plural}/{row.pk}", part_doc(resource, id=row.pk, **change)
    )
    assert_error(response, 422)
    assert f"/data/attributes/{attribute}" in pointers(response)


@pytest.mark.parametrize("key", ["track", "sponsor", "speakers-call"])
def test_html_is_sanitized_on_create_and_update(api, staffed, key):
    resource = RESOURCES[key]
    name = "announcement" if key == "speakers-call" else "description"
    event, people = staffed
    dirty = '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a><script>alert(1)</script><b>there</b></p>'
    api.as_user(people["owner"])
    response = api.post(f"/v1/{resource.plural}", create_doc(resource, event, **{name: dirty}))
    assert response.status_code == 201, response.json_body
    stored = getattr(resource.model.objects.get(), name)
    assert stored == response.json_body["data"]["attributes"][name]
    assert "<b>there</b>" in stored
    for bad in ("script", "onclick", "javascript", "alert"):
        assert bad not in stored
    row_id = response.json_body["data"]["id"]
    link = '<a href="https://example.org" style="color:red">site</a><img src=x onerror=alert(1)>'
    response = api.patch(f"/v1/{resource.plural}/{row_id}", part_doc(resource, id=row_id, **{name: link}))
    assert response.status_code == 200, response.json_body
    stored = getattr(resource.model.objects.get(), name)
    assert stored == '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>'


# --- reading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", LISTS)
def test_nested_list_by_id_or_identifier_for_anyone(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    mine = {str(make(resource, event).pk), str(make(resource, event).pk)}
    other_event, _ = staffed_event()
    make(resource, other_event)
    for viewer in ("anonymous", "plain", "moderator", "owner"):
        api.as_user(people[viewer])
        for key_of_event in (event.pk, event.identifier):
            response = api.get(f"/v1/events/{key_of_event}/{resource.plural}")
            assert response.status_code == 200, response.json_body
            assert ids(response) == mine
            assert response.json_body["meta"]["count"] == 2
            assert {row["type"] for row in response.json_body["data"]} == {resource.type}


@pytest.mark.parametrize("key", ALL)
def test_detail_for_anyone_on_a_published_event(api, staffed, key):
    resource = RESOURCES[key]
    event, _people = staffed
    row = make(resource, event)
    response = api.as_user(None).get(f"/v1/{resource.plural}/{row.pk}")
    assert response.status_code == 200
    assert response.json_body["data"]["id"] == str(row.pk)
    assert_error(api.get(f"/v1/{resource.plural}/999999"), 404)
    assert_error(api.get(f"/v1/{resource.plural}/{event.identifier}"), 404)


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize(
    "viewer", ["anonymous", "plain", "other_organizer", "track_organizer", "moderator", "registrar"]
)
def test_parts_of_a_draft_are_404_below_coorganizer(api, key, viewer):
    resource = RESOURCES[key]
    event, people = staffed_event(state=Event.State.DRAFT)
    row = make(resource, event)
    api.as_user(people[viewer])
    assert_error(api.get(f"/v1/{resource.plural}/{row.pk}"), 404)
    assert_error(api.get(f"/v1/events/{event.pk}/{resource.relation}"), 404)
    assert_error(api.get(f"/v1/events/{event.identifier}/relationships/{resource.relation}"), 404)
    assert_error(api.get(f"/v1/{resource.plural}/{row.pk}/event"), 404)
    assert str(row.pk) not in ids(api.get(f"/v1/{resource.plural}"))
    doc = part_doc(resource, id=row.pk, **dict([resource.change[::2]]))
    response = api.patch(f"/v1/{resource.plural}/{row.pk}", doc)
    assert response.status_code in (401, 404)
    response = api.delete(f"/v1/{resource.plural}/{row.pk}")
    assert response.status_code in (401, 404)
    assert resource.model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("viewer", ["owner", "organizer", "coorganizer", "admin"])
def test_parts_of_a_draft_are_visible_to_coorganizers(api, key, viewer):
    resource = RESOURCES[key]
    event, people = staffed_event(state=Event.State.DRAFT)
    row = make(resource, event)
    api.as_user(people[viewer])
    assert api.get(f"/v1/{resource.plural}/{row.pk}").status_code == 200
    assert ids(api.get(f"/v1/events/{event.identifier}/{resource.relation}")) == {str(row.pk)}
    assert str(row.pk) in ids(api.get(f"/v1/{resource.plural}"))


@pytest.mark.parametrize("key", ALL)
def test_top_level_list_shows_the_rows_the_user_may_read(api, key):
    """Anyone lists the parts of listed (published, public) events; a private published event's
    parts are reached through the event (its link); drafts only by their co-organizers."""
    resource = RESOURCES[key]
    public, people = staffed_event()
    private = staffed_event(privacy=Event.Privacy.PRIVATE)[0]
    draft, draft_people = staffed_event(state=Event.State.DRAFT)
    rows = {
        name: str(make(resource, event).pk)
        for name, event in (("public", public), ("private", private), ("draft", draft))
    }
    assert ids(api.get(f"/v1/{resource.plural}")) == {rows["public"]}
    assert ids(api.get(f"/v1/events/{private.identifier}/{resource.relation}")) == {rows["private"]}
    assert ids(api.as_user(draft_people["coorganizer"]).get(f"/v1/{resource.plural}")) == {
        rows["public"],
        rows["draft"],
    }
    assert ids(api.as_user(draft_people["moderator"]).get(f"/v1/{resource.plural}")) == {rows["public"]}
    assert ids(api.as_user(people["admin"]).get(f"/v1/{resource.plural}")) == set(rows.values())


@pytest.mark.parametrize("key", ALL)
def test_include_event_and_the_part_event_routes(api, staffed, key):
    resource = RESOURCES[key]
    event, _people = staffed
    row = make(resource, event)
    body = api.get(f"/v1/{resource.plural}/{row.pk}", include="event").json_body
    (included,) = body["included"]
    assert included["type"] == "event"
    assert included["id"] == str(event.pk)
    related = api.get(f"/v1/{resource.plural}/{row.pk}/event")
    assert related.status_code == 200
    assert related.json_body["data"]["id"] == str(event.pk)
    relationship = api.get(f"/v1/{resource.plural}/{row.pk}/relationships/event")
    assert relationship.json_body["data"] == {"type": "event", "id": str(event.pk)}
    assert relationship.json_body["links"]["related"].endswith(f"/v1/{resource.plural}/{row.pk}/event")


# --- the event's relationship routes -------------------------------------------------------------------
@pytest.mark.parametrize("key", ALL)
def test_event_relationship_lists_live_ids_and_cannot_be_written(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    first = make(resource, event)
    url = f"/v1/events/{event.pk}/relationships/{resource.relation}"
    if resource.to_many:
        second = make(resource, event)
        make(resource, event).soft_delete()
        expected = [{"type": resource.type, "id": str(first.pk)}, {"type": resource.type, "id": str(second.pk)}]
    else:
        expected = {"type": resource.type, "id": str(first.pk)}
    response = api.get(url)
    assert response.status_code == 200
    assert response.json_body["data"] == expected
    assert response.json_body["links"]["related"].endswith(f"/v1/events/{event.pk}/{resource.relation}")
    other = make(resource, staffed_event()[0]) if resource.to_many else first
    body = {"data": [{"type": resource.type, "id": str(other.pk)}] if resource.to_many else None}
    for actor in ("owner", "admin"):
        api.as_user(people[actor])
        assert_error(api.patch(url, body), 403)
        if resource.to_many:
            assert_error(api.post(url, body), 403)
            assert_error(api.delete(url, body), 403)
    assert resource.model.objects.filter(event=event).count() == (2 if resource.to_many else 1)


@pytest.mark.parametrize("key", ALL)
def test_a_part_never_moves_to_another_event(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    other_event, _other_people = staffed_event()
    target = {"data": {"type": "event", "id": str(other_event.pk)}}
    api.as_user(people["admin"])
    assert_error(api.patch(f"/v1/{resource.plural}/{row.pk}/relationships/event", target), 403)
    doc = part_doc(resource, id=row.pk)
    doc["data"]["relationships"] = {"event": target}
    assert_error(api.patch(f"/v1/{resource.plural}/{row.pk}", doc), 403)
    # Naming its own event is no move.
    doc["data"]["relationships"] = {"event": {"data": {"type": "event", "id": str(event.pk)}}}
    assert api.patch(f"/v1/{resource.plural}/{row.pk}", doc).status_code == 200
    row.refresh_from_db()
    assert row.event == event


# --- updating and deleting -----------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "role"), each(writers))
def test_managers_update(api, staffed, key, role):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    wire, python, value = resource.change
    response = api.as_user(people[role]).patch(
        f"/v1/{resource.plural}/{row.pk}", part_doc(resource, id=row.pk, **{wire: value})
    )
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"][wire] == value
    row.refresh_from_db()
    assert getattr(row, python) == value


@pytest.mark.parametrize(("key", "role", "status"), each(refused))
def test_others_cannot_update_or_delete(api, staffed, key, role, status):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    wire, python, value = resource.change
    api.as_user(people[role])
    assert_error(api.patch(f"/v1/{resource.plural}/{row.pk}", part_doc(resource, id=row.pk, **{wire: value})), status)
    assert_error(api.delete(f"/v1/{resource.plural}/{row.pk}"), status)
    row.refresh_from_db()
    assert getattr(row, python) != value
    assert row.deleted_at is None


@pytest.mark.parametrize("key", ALL)
def test_update_id_must_match_and_type_must_be_right(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    wire, python, value = resource.change
    api.as_user(people["owner"])
    assert_error(api.patch(f"/v1/{resource.plural}/{row.pk}", part_doc(resource, id=row.pk + 1, **{wire: value})), 409)
    wrong = part_doc(resource, id=row.pk, **{wire: value})
    wrong["data"]["type"] = "event"
    assert_error(api.patch(f"/v1/{resource.plural}/{row.pk}", wrong), 409)
    row.refresh_from_db()
    assert getattr(row, python) != value


@pytest.mark.parametrize("key", ALL)
def test_soft_delete_trash_and_restore(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    manager = people[resource.manager]
    url = f"/v1/{resource.plural}/{row.pk}"
    response = api.as_user(manager).delete(url)
    assert response.status_code == 200
    assert response.json_body["meta"] == {"message": "Object successfully deleted"}
    assert resource.model.all_objects.get(pk=row.pk).deleted_at is not None
    # Gone from details, lists, the event's routes.
    assert_error(api.get(url), 404)
    assert str(row.pk) not in ids(api.get(f"/v1/{resource.plural}"))
    assert ids(api.get(f"/v1/events/{event.pk}/{resource.relation}")) == set()
    # The trash is shown to those who manage the rows only (security lesson 14).
    assert str(row.pk) in ids(api.get(f"/v1/{resource.plural}", get_trashed="true"))
    if resource.to_many:
        assert str(row.pk) in ids(api.get(f"/v1/events/{event.pk}/{resource.relation}", get_trashed="true"))
    else:
        # The event's speakers-call is its live call, trash or no trash.
        assert ids(api.get(f"/v1/events/{event.pk}/{resource.relation}", get_trashed="true")) == set()
    for outsider in ("anonymous", "plain", "other_organizer", "moderator", "registrar"):
        api.as_user(people[outsider])
        assert str(row.pk) not in ids(api.get(f"/v1/{resource.plural}", get_trashed="true"))
        response = api.patch(url, part_doc(resource, id=row.pk, **{"deleted-at": None}))
        assert response.status_code in (401, 404)
    assert resource.model.all_objects.get(pk=row.pk).deleted_at is not None
    # A trashed row accepts only its restoration.
    api.as_user(manager)
    wire, _python, value = resource.change
    assert_error(api.patch(url, part_doc(resource, id=row.pk, **{wire: value})), 422)
    restored = api.patch(url, part_doc(resource, id=row.pk, **{"deleted-at": None}))
    assert restored.status_code == 200, restored.json_body
    assert restored.json_body["data"]["attributes"]["deleted-at"] is None
    assert resource.model.objects.filter(pk=row.pk).exists()
    assert api.as_user(None).get(url).status_code == 200


@pytest.mark.parametrize("key", ALL)
def test_deleting_twice_or_with_a_date_is_refused(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    api.as_user(people["owner"])
    response = api.patch(
        f"/v1/{resource.plural}/{row.pk}", part_doc(resource, id=row.pk, **{"deleted-at": "2027-01-01T00:00:00Z"})
    )
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/deleted-at"]
    assert api.delete(f"/v1/{resource.plural}/{row.pk}").status_code == 200
    assert_error(api.delete(f"/v1/{resource.plural}/{row.pk}"), 404)


@pytest.mark.parametrize("key", ALL)
def test_permanent_delete_is_for_admins(api, staffed, key):
    resource = RESOURCES[key]
    event, people = staffed
    row = make(resource, event)
    url = f"/v1/{resource.plural}/{row.pk}?permanent=true"
    for role in ("owner", "coorganizer"):
        assert_error(api.as_user(people[role]).delete(url), 403)
    assert resource.model.objects.filter(pk=row.pk).exists()
    assert api.as_user(people["admin"]).delete(url).status_code == 200
    assert not resource.model.all_objects.filter(pk=row.pk).exists()


# --- query counts -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", LISTS)
@pytest.mark.parametrize("viewer", ["anonymous", "coorganizer"])
def test_nested_lists_run_constant_queries(api, staffed, key, viewer):
    resource = RESOURCES[key]
    event, people = staffed
    make(resource, event)
    api.as_user(people[viewer])

    def fetch():
        return api.get(f"/v1/events/{event.identifier}/{resource.plural}", include="event", **{"page[size]": "0"})

    response, one = count_queries(fetch)
    assert len(response.json_body["data"]) == 1
    for _ in range(19):
        make(resource, event)
    response, many = count_queries(fetch)
    assert len(response.json_body["data"]) == 20
    assert len(response.json_body["included"]) == 1
    assert one == many


@pytest.mark.parametrize("key", ALL)
def test_top_level_lists_run_constant_queries(api, key):
    resource = RESOURCES[key]
    event, people = staffed_event()
    make(resource, event)
    api.as_user(people["coorganizer"])

    def fetch():
        return api.get(f"/v1/{resource.plural}", include="event", **{"page[size]": "0"})

    response, one = count_queries(fetch)
    assert len(response.json_body["data"]) == 1
    for _ in range(19):
        other, _other_people = staffed_event()
        make(resource, other)
    response, many = count_queries(fetch)
    assert len(response.json_body["data"]) == 20
    assert one == many


# --- filtering and sorting -------------------------------------------------------------------------------
def test_lists_filter_and_sort(api, staffed):
    event, _people = staffed
    track = RESOURCES["track"]
    for name, position in (("Web", 2), ("Data", 1), ("Web Security", 3)):
        make(track, event, name=name, position=position)
    url = f"/v1/events/{event.pk}/tracks"

    def names(response):
        return [row["attributes"]["name"] for row in response.json_body["data"]]

    assert names(api.get(url)) == ["Data", "Web", "Web Security"]
    assert names(api.get(url, sort="-position")) == ["Web Security", "Web", "Data"]
    assert names(api.get(url, sort="name", **{"filter[name.icontains]": "web"})) == ["Web", "Web Security"]
    nodes = [{"name": "name", "op": "startswith", "val": "Web"}, {"name": "position", "op": "gt", "val": 2}]
    assert names(api.get(url, filter=json.dumps(nodes))) == ["Web Security"]
    assert_error(api.get(url, sort="font-color"), 400)
    # Events filter through their tracks.
    make(track, staffed_event()[0], name="Other")
    found = api.get(
        "/v1/events",
        filter=json.dumps([{"name": "tracks", "op": "any", "val": {"name": "name", "op": "eq", "val": "Data"}}]),
    )
    assert ids(found) == {str(event.pk)}


def test_filters_through_tracks_never_reach_a_draft(api):
    draft, people = staffed_event(state=Event.State.DRAFT)
    make(RESOURCES["track"], draft, name="Secret")
    nodes = [{"name": "tracks", "op": "any", "val": {"name": "name", "op": "eq", "val": "Secret"}}]
    assert ids(api.as_user(people["moderator"]).get("/v1/events", filter=json.dumps(nodes))) == set()


# --- tracks --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("color", "font"), [("#000000", "#000000"), ("#ffffff", "#000000"), ("#1a1a1a", "#ffffff"), ("#FFD700", "#000000")]
)
def test_track_font_color_is_computed_and_read_only(api, staffed, color, font):
    event, people = staffed
    doc = create_doc(RESOURCES["track"], event, color=color, **{"font-color": "#123456"})
    response = api.as_user(people["track_organizer"]).post("/v1/tracks", doc)
    assert response.status_code == 201, response.json_body
    expected = "#ffffff" if color == "#000000" else font
    assert response.json_body["data"]["attributes"]["font-color"] == expected
    assert Track.objects.get().font_color == expected


def test_track_organizer_manages_tracks_but_not_rooms(api, staffed):
    event, people = staffed
    api.as_user(people["track_organizer"])
    created = api.post("/v1/tracks", create_doc(RESOURCES["track"], event))
    assert created.status_code == 201
    track_id = created.json_body["data"]["id"]
    assert (
        api.patch(f"/v1/tracks/{track_id}", part_doc(RESOURCES["track"], id=track_id, color="#000000")).status_code
        == 200
    )
    assert api.delete(f"/v1/tracks/{track_id}").status_code == 200
    assert str(track_id) in ids(api.get("/v1/tracks", get_trashed="true"))
    restored = api.patch(f"/v1/tracks/{track_id}", part_doc(RESOURCES["track"], id=track_id, **{"deleted-at": None}))
    assert restored.status_code == 200
    assert_error(api.post("/v1/microlocations", create_doc(RESOURCES["microlocation"], event)), 403)
    room = make(RESOURCES["microlocation"], event)
    assert_error(api.delete(f"/v1/microlocations/{room.pk}"), 403)
    assert Microlocation.objects.filter(pk=room.pk).exists()


# --- the speakers-call route of an event ------------------------------------------------------------------
def test_event_without_a_call_serves_null(api, staffed):
    event, _people = staffed
    response = api.get(f"/v1/events/{event.identifier}/speakers-call")
    assert response.status_code == 200
    assert response.json_body["data"] is None
    assert api.get(f"/v1/events/{event.pk}/relationships/speakers-call").json_body["data"] is None
    call = make(RESOURCES["speakers-call"], event)
    call.soft_delete()
    assert api.get(f"/v1/events/{event.pk}/speakers-call").json_body["data"] is None
    assert not SpeakersCall.objects.exists()


# --- sponsors: Open Event's ``type`` attribute ----------------------------------------------------------
def test_sponsor_type_attribute_is_read_and_written(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    response = api.post("/v1/sponsors", create_doc(RESOURCES["sponsor"], event, type="Gold"))
    assert response.status_code == 201, response.json_body
    assert response.json_body["data"]["type"] == "sponsor"
    assert response.json_body["data"]["attributes"]["type"] == "Gold"
    sponsor_id = response.json_body["data"]["id"]
    # Leaving the attribute out leaves it alone (the resource type is no sponsor type).
    renamed = api.patch(f"/v1/sponsors/{sponsor_id}", part_doc(RESOURCES["sponsor"], id=sponsor_id, name="ACME Inc"))
    assert renamed.json_body["data"]["attributes"]["type"] == "Gold"
    changed = api.patch(f"/v1/sponsors/{sponsor_id}", part_doc(RESOURCES["sponsor"], id=sponsor_id, type="Silver"))
    assert changed.json_body["data"]["attributes"]["type"] == "Silver"
    untyped = create_doc(RESOURCES["sponsor"], event)
    del untyped["data"]["attributes"]["type"]
    created = api.post("/v1/sponsors", untyped)
    assert created.json_body["data"]["attributes"]["type"] == ""
    listing = api.get(f"/v1/events/{event.pk}/sponsors", **{"filter[type]": "Silver"})
    assert ids(listing) == {sponsor_id}


# --- the event document -------------------------------------------------------------------------------------
def test_event_links_every_part_of_its_program(api, staffed):
    event, people = staffed
    relationships = api.get(f"/v1/events/{event.pk}").json_body["data"]["relationships"]
    for segment in (
        "tracks",
        "session-types",
        "microlocations",
        "sponsors",
        "social-links",
        "speakers-call",
        "sessions",
        "speakers",
    ):
        links = relationships[segment]["links"]
        assert links["self"].endswith(f"/v1/events/{event.pk}/relationships/{segment}")
        assert links["related"].endswith(f"/v1/events/{event.pk}/{segment}")
        # Link-only: the rows come from the link, not with every event.
        assert "data" not in relationships[segment]
    for segment in ("sessions", "speakers"):
        assert api.get(f"/v1/events/{event.identifier}/{segment}").status_code == 200
        assert api.get(f"/v1/events/{event.pk}/relationships/{segment}").json_body["data"] == []
        assert_error(
            api.as_user(people["owner"]).patch(f"/v1/events/{event.pk}/relationships/{segment}", {"data": []}), 403
        )


def test_event_list_queries_do_not_grow_with_program_parts(api):
    def list_events():
        return api.get("/v1/events", **{"page[size]": "0"})

    event, _ = staffed_event()
    for resource in RESOURCES.values():
        make(resource, event)
    _, one = count_queries(list_events)
    for _ in range(5):
        other, _ = staffed_event()
        for resource in RESOURCES.values():
            make(resource, other)
    response, many = count_queries(list_events)
    assert len(response.json_body["data"]) == 12  # staffed_event makes two events each time
    assert one == many


def test_a_drafts_trash_stays_hidden_from_its_track_organizer(api):
    event, people = staffed_event(state=Event.State.DRAFT)
    track = make(RESOURCES["track"], event)
    track.soft_delete()
    api.as_user(people["track_organizer"])
    assert str(track.pk) not in ids(api.get("/v1/tracks", get_trashed="true"))
    response = api.patch(f"/v1/tracks/{track.pk}", part_doc(RESOURCES["track"], id=track.pk, **{"deleted-at": None}))
    assert_error(response, 404)
    assert str(track.pk) in ids(api.as_user(people["coorganizer"]).get("/v1/tracks", get_trashed="true"))
