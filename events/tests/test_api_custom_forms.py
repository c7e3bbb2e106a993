"""/v1/custom-forms, /v1/events/<id>/custom-forms and the whole-form save
(PUT /v1/events/<id>/custom-forms/<form>): who reads and who writes (security lesson 4: shaping
an event's forms needs co-organizer rights there), what the services refuse and where the errors
point, what lands in the database, and constant query counts for the lists. A speaker's refusals
are in sessions_app/tests/test_api_custom_answers.py (speakers live in that app)."""
import json

import pytest
from django.test import override_settings

from events.models import CustomForm, Event, Role
from events.services.custom_forms import MAX_FORM_BODY_BYTES, ensure_form
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import staffed_event
from openevent.api.tests.documents import assert_error, ids, pointers, rel, resource_doc
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITERS = ["owner", "organizer", "coorganizer", "admin"]
#: Everyone who may not shape the forms of the event, and the status they get.
REFUSED = [
    ("anonymous", 401), ("plain", 403), ("track_organizer", 403), ("moderator", 403), ("registrar", 403),
    ("other_coorganizer", 403), ("other_organizer", 403),
]  # fmt: skip
#: Built-in fields of the two forms (``events.form_fields``).
SESSION_FIELDS = 17
SPEAKER_FIELDS = 20


def with_forms(event):
    """Both forms of ``event`` saved, as ``create_event`` saves them for every real event."""
    ensure_form(event, "session")
    ensure_form(event, "speaker")
    return event


@pytest.fixture
def staffed():
    event, people = staffed_event()
    with_forms(event)
    elsewhere = EventFactory()
    people["other_coorganizer"] = UserFactory()
    give_role(people["other_coorganizer"], elsewhere, Role.COORGANIZER)
    return event, people


def field_doc(event=None, id=None, **attributes):
    return resource_doc("custom-form", attributes, id=id, event=event)


def custom(event, **values):
    """A custom field of ``event``'s session form, made in the database."""
    data = {"form": "session", "field_identifier": "shirt", "name": "T-shirt size", "type": "select",
            "options": ["S", "M"], "is_complex": True, "position": 50, **values}  # fmt: skip
    return CustomForm.objects.create(event=event, **data)


def built_in(event, identifier, form="session"):
    return CustomForm.objects.get(event=event, form=form, field_identifier=identifier)


def form_url(event, form="session", by_identifier=False):
    return f"/v1/events/{event.identifier if by_identifier else event.pk}/custom-forms/{form}"


def read_form(api, event, form="session"):
    """The form as a client reads it: the nested list filtered to one form."""
    response = api.get(f"/v1/events/{event.pk}/custom-forms", **{"filter[form]": form, "page[size]": "0"})
    assert response.status_code == 200, response.json_body
    return response.json_body["data"]


def bulk(rows):
    """A whole-form document from rows as read (``read_form``) or new ones (attributes only)."""
    data = []
    for row in rows:
        item = {"type": "custom-form", "attributes": dict(row["attributes"])}
        if "id" in row:
            item["id"] = row["id"]
        data.append(item)
    return {"data": data}


def new_row(**attributes):
    return {"attributes": {"name": "Dietary needs", "type": "text", "is-included": True, **attributes}}


def snapshot(event):
    return list(CustomForm.objects.filter(event=event).order_by("pk").values())


# --- reading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("by_identifier", [False, True])
def test_anyone_reads_a_published_events_forms_in_order(api, staffed, by_identifier):
    event, _ = staffed
    shirt = custom(event)
    segment = event.identifier if by_identifier else event.pk
    response = api.get(f"/v1/events/{segment}/custom-forms", **{"page[size]": "0"})
    assert response.status_code == 200, response.json_body
    data = response.json_body["data"]
    assert response.json_body["meta"]["count"] == SESSION_FIELDS + SPEAKER_FIELDS + 1
    forms = [row["attributes"]["form"] for row in data]
    assert forms == sorted(forms)  # session rows, then speaker rows, each in position order
    session = [row for row in data if row["attributes"]["form"] == "session"]
    assert session[0]["attributes"]["field-identifier"] == "title"
    assert session[-1]["id"] == str(shirt.pk)
    assert session[-1]["attributes"] == {
        "form": "session", "field-identifier": "shirt", "name": "T-shirt size", "type": "select",
        "description": "", "is-included": True, "is-required": False, "is-fixed": False, "is-public": False,
        "is-complex": True, "position": 50, "min": None, "max": None, "options": ["S", "M"],
        "created-at": session[-1]["attributes"]["created-at"],
    }  # fmt: skip
    assert session[-1]["relationships"]["event"] == {
        "links": {
            "self": f"http://testserver/v1/custom-forms/{shirt.pk}/relationships/event",
            "related": f"http://testserver/v1/custom-forms/{shirt.pk}/event",
        },
        "data": {"type": "event", "id": str(event.pk)},
    }
    title = session[0]["attributes"]
    assert (title["is-fixed"], title["is-complex"], title["is-required"]) == (True, False, True)


def test_the_detail_and_the_event_routes(api, staffed):
    event, people = staffed
    shirt = custom(event)
    response = api.get(f"/v1/custom-forms/{shirt.pk}", include="event")
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["name"] == "T-shirt size"
    assert [row["id"] for row in response.json_body["included"]] == [str(event.pk)]
    related = api.get(f"/v1/custom-forms/{shirt.pk}/event")
    assert related.status_code == 200
    assert related.json_body["data"]["type"] == "event"
    assert related.json_body["data"]["id"] == str(event.pk)
    relationship = api.get(f"/v1/custom-forms/{shirt.pk}/relationships/event")
    assert relationship.status_code == 200
    assert relationship.json_body["data"] == {"type": "event", "id": str(event.pk)}
    # Nobody re-points a field to another event, not even its organizers.
    elsewhere = with_forms(EventFactory())
    give_role(people["owner"], elsewhere, Role.OWNER)
    for method in ("patch", "post", "delete"):
        response = getattr(api.as_user(people["owner"]), method)(
            f"/v1/custom-forms/{shirt.pk}/relationships/event", {"data": {"type": "event", "id": str(elsewhere.pk)}}
        )
        assert_error(response, 403)
    assert CustomForm.objects.get(pk=shirt.pk).event_id == event.pk
    assert_error(api.get("/v1/custom-forms/999999"), 404)
    assert_error(api.get("/v1/custom-forms/abc"), 404)


def test_the_event_has_a_custom_forms_relationship(api, staffed):
    event, _ = staffed
    response = api.get(f"/v1/events/{event.pk}", include="custom-forms")
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["relationships"]["custom-forms"] == {
        "links": {
            "self": f"http://testserver/v1/events/{event.pk}/relationships/custom-forms",
            "related": f"http://testserver/v1/events/{event.pk}/custom-forms",
        }
    }
    # Links only, like the event's other to-many relationships: the client follows the link.
    assert response.json_body["included"] == [] or "custom-form" not in {
        row["type"] for row in response.json_body["included"]
    }
    relationship = api.get(f"/v1/events/{event.pk}/relationships/custom-forms")
    assert relationship.status_code == 200
    assert {row["id"] for row in relationship.json_body["data"]} == {
        str(pk) for pk in CustomForm.objects.filter(event=event).values_list("pk", flat=True)
    }
    assert {row["type"] for row in relationship.json_body["data"]} == {"custom-form"}


def test_top_level_list_shows_listed_events_only(api, staffed):
    """As for the other parts (``/v1/sponsors``): the forms of public published events; a private
    event's forms are read through the event (someone has its link), a draft's by its team."""
    event, _ = staffed
    private = with_forms(EventFactory(privacy=Event.Privacy.PRIVATE))
    draft = with_forms(EventFactory(state=Event.State.DRAFT))
    listed = {row["relationships"]["event"]["data"]["id"] for row in api.get(
        "/v1/custom-forms", **{"page[size]": "0"}).json_body["data"]}  # fmt: skip
    assert listed == {str(event.pk)}
    assert len(ids(api.get(f"/v1/events/{private.pk}/custom-forms", **{"page[size]": "0"}))) == (
        SESSION_FIELDS + SPEAKER_FIELDS
    )
    assert_error(api.get(f"/v1/events/{draft.pk}/custom-forms"), 404)
    assert_error(api.get(f"/v1/custom-forms/{built_in(draft, 'title').pk}"), 404)


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "moderator", "track_organizer", "other_coorganizer"])
def test_a_drafts_forms_are_404_below_coorganizer(api, viewer):
    event, people = staffed_event(state=Event.State.DRAFT)
    with_forms(event)
    people["other_coorganizer"] = UserFactory()
    give_role(people["other_coorganizer"], EventFactory(), Role.COORGANIZER)
    title = built_in(event, "title")
    api.as_user(people[viewer])
    assert_error(api.get(f"/v1/events/{event.pk}/custom-forms"), 404)
    assert_error(api.get(f"/v1/custom-forms/{title.pk}"), 404)
    assert_error(api.get(f"/v1/custom-forms/{title.pk}/relationships/event"), 404)
    assert title.pk not in {int(pk) for pk in ids(api.get("/v1/custom-forms"))}
    api.as_user(people["coorganizer"])
    assert api.get(f"/v1/events/{event.identifier}/custom-forms").status_code == 200
    assert api.get(f"/v1/custom-forms/{title.pk}").status_code == 200


def test_filters_and_sort(api, staffed):
    event, _ = staffed
    shirt = custom(event)
    url = f"/v1/events/{event.pk}/custom-forms"
    speaker = api.get(url, **{"filter[form]": "speaker", "page[size]": "0"})
    assert {row["attributes"]["form"] for row in speaker.json_body["data"]} == {"speaker"}
    assert speaker.json_body["meta"]["count"] == SPEAKER_FIELDS
    open_event_filter = json.dumps([{"name": "is-complex", "op": "eq", "val": True}])
    assert ids(api.get(url, filter=open_event_filter)) == {str(shirt.pk)}
    assert ids(api.get(url, **{"filter[field-identifier]": "shirt"})) == {str(shirt.pk)}
    fixed = api.get(url, **{"filter[is-fixed]": "true", "page[size]": "0"})
    assert {row["attributes"]["field-identifier"] for row in fixed.json_body["data"]} == {"title", "name", "email"}
    by_position = api.get(url, sort="-position", **{"filter[form]": "session"})
    assert by_position.json_body["data"][0]["id"] == str(shirt.pk)
    error = assert_error(api.get(url, filter=json.dumps([{"name": "colour", "op": "eq", "val": "red"}])), 400)
    assert error["source"] == {"parameter": "filter"}


@pytest.mark.parametrize("fast", [True, False])
def test_both_read_paths_render_the_same_documents(api, staffed, settings, fast):
    event, people = staffed
    custom(event, min=1, max=3, description="Pick one")
    urls = [
        f"/v1/events/{event.pk}/custom-forms?include=event&page[size]=0",
        "/v1/custom-forms?fields[custom-form]=name,type,options,event",
        f"/v1/custom-forms/{built_in(event, 'title').pk}?include=event.owner",
    ]
    api.as_user(people["coorganizer"])
    settings.API_FAST_READS = fast
    documents = [api.get(url).json_body for url in urls]
    with override_settings(API_FAST_READS=not fast):
        assert [api.get(url).json_body for url in urls] == documents


# --- creating -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", WRITERS)
def test_coorganizers_and_up_add_a_custom_field(api, staffed, role):
    event, people = staffed
    response = api.as_user(people[role]).post(
        "/v1/custom-forms", field_doc(event, name="T-shirt size", type="select", options=["S", "M", "L"],
                                      **{"is-required": True, "is-fixed": True, "form": "speaker"})
    )  # fmt: skip
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    row = CustomForm.objects.get(pk=data["id"])
    assert response["Location"].endswith(f"/v1/custom-forms/{row.pk}")
    assert (row.event, row.form, row.field_identifier, row.type) == (event, "speaker", "t-shirt-size", "select")
    assert row.options == ["S", "M", "L"]
    assert (row.is_complex, row.is_required, row.is_included) == (True, True, True)
    assert not row.is_fixed  # the catalogue decides, not the client
    assert row.position == SPEAKER_FIELDS
    assert data["attributes"]["is-fixed"] is False
    assert data["attributes"]["field-identifier"] == "t-shirt-size"


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_others_cannot_add_fields(api, staffed, role, status):
    """Security lesson 4: creating a form field needs co-organizer rights on that event."""
    event, people = staffed
    before = snapshot(event)
    response = api.as_user(people[role]).post("/v1/custom-forms", field_doc(event, name="Shirt", type="text"))
    assert_error(response, status)
    assert snapshot(event) == before


@pytest.mark.parametrize("role", ["plain", "moderator", "other_coorganizer"])
def test_adding_to_a_draft_you_cannot_see_names_no_event(api, role):
    event, people = staffed_event(state=Event.State.DRAFT)
    people["other_coorganizer"] = UserFactory()
    give_role(people["other_coorganizer"], EventFactory(), Role.COORGANIZER)
    response = api.as_user(people[role]).post("/v1/custom-forms", field_doc(event, name="Shirt", type="text"))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/event"]
    assert not CustomForm.objects.filter(event=event).exists()


def test_sending_a_built_in_field_changes_it(api, staffed):
    """Open Event clients building a new event's forms send every field: ours exist already."""
    event, people = staffed
    count = CustomForm.objects.filter(event=event).count()
    response = api.as_user(people["coorganizer"]).post(
        "/v1/custom-forms", field_doc(event, name="Subtitle", type="text", **{"field-identifier": "subtitle",
                                                                             "is-included": True})
    )  # fmt: skip
    assert response.status_code == 200, response.json_body
    assert "Location" not in response
    subtitle = built_in(event, "subtitle")
    assert response.json_body["data"]["id"] == str(subtitle.pk)
    assert subtitle.is_included
    assert CustomForm.objects.filter(event=event).count() == count


BAD_CREATIONS = [
    ({"name": "Shirt", "type": "colour"}, 422, "/data/attributes/type"),
    ({"name": "Shirt", "type": "select"}, 422, "/data/attributes/options"),
    ({"name": "Shirt", "type": "select", "options": []}, 422, "/data/attributes/options"),
    ({"name": "Shirt", "type": "checkbox", "options": ["S", "S"]}, 422, "/data/attributes/options"),
    ({"name": "Shirt", "type": "text", "is-required": True, "is-included": False}, 422, "/data/attributes/is-included"),
    ({"name": "Shirt", "type": "text", "form": "attendee"}, 422, "/data/attributes/form"),
    ({"name": "Shirt", "type": "text", "form": "order"}, 422, "/data/attributes/form"),
    ({"name": "", "type": "text"}, 422, "/data/attributes/name"),
    ({"name": "Shirt", "type": "text", "field-identifier": "Bad Id!"}, 422, "/data/attributes/field-identifier"),
    ({"name": "Shirt", "type": "number", "min": 5, "max": 1}, 422, "/data/attributes/max"),
    ({"name": "Shirt", "type": "text", "min": "few"}, 422, "/data/attributes/min"),
    ({"name": "Shirt", "type": "text", "is-public": "maybe"}, 422, "/data/attributes/is-public"),
    ({"name": "Shirt", "type": "text", "is-complex": False}, 422, "/data/attributes/field-identifier"),
    ({"name": "Shirt", "type": "text", "field-identifier": "shirt"}, 409, "/data/attributes/field-identifier"),
]


@pytest.mark.parametrize(("attributes", "status", "pointer"), BAD_CREATIONS)
def test_bad_fields_are_refused_with_a_pointer(api, staffed, attributes, status, pointer):
    event, people = staffed
    custom(event)  # "shirt" is taken
    before = snapshot(event)
    response = api.as_user(people["coorganizer"]).post("/v1/custom-forms", field_doc(event, **attributes))
    assert_error(response, status)
    assert pointer in pointers(response)
    assert snapshot(event) == before


def test_bad_documents_are_refused(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    before = snapshot(event)
    assert_error(api.post("/v1/custom-forms", raw="{not json"), 400)
    assert_error(api.post("/v1/custom-forms", {"no": "data"}), 400)
    wrong_type = field_doc(event, name="Shirt", type="text")
    wrong_type["data"]["type"] = "sponsor"
    assert_error(api.post("/v1/custom-forms", wrong_type), 409)
    no_event = api.post("/v1/custom-forms", field_doc(name="Shirt", type="text"))
    assert_error(no_event, 422)
    assert "/data/relationships/event" in pointers(no_event)
    assert_error(api.post("/v1/custom-forms", field_doc(event, name="Shirt"), content_type="application/json"), 415)
    assert snapshot(event) == before


# --- changing -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", WRITERS)
def test_coorganizers_and_up_change_a_field(api, staffed, role):
    event, people = staffed
    shirt = custom(event)
    response = api.as_user(people[role]).patch(
        f"/v1/custom-forms/{shirt.pk}", field_doc(id=shirt.pk, name="Shirt size", options=["S", "M", "XL"])
    )
    assert response.status_code == 200, response.json_body
    shirt.refresh_from_db()
    assert (shirt.name, shirt.options, shirt.type) == ("Shirt size", ["S", "M", "XL"], "select")
    assert response.json_body["data"]["attributes"]["type"] == "select"


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_others_cannot_change_or_delete_fields(api, staffed, role, status):
    event, people = staffed
    shirt = custom(event)
    before = snapshot(event)
    api.as_user(people[role])
    assert_error(api.patch(f"/v1/custom-forms/{shirt.pk}", field_doc(id=shirt.pk, name="Mine")), status)
    assert_error(api.delete(f"/v1/custom-forms/{shirt.pk}"), status)
    assert snapshot(event) == before


BAD_CHANGES = [
    ("title", {"is-included": False}, 422, "/data/attributes/is-required"),
    ("title", {"is-required": False}, 422, "/data/attributes/is-required"),
    ("email", {"is-included": False, "is-required": False}, 422, "/data/attributes/is-required"),
    ("subtitle", {"type": "number"}, 422, "/data/attributes/type"),
    ("subtitle", {"field-identifier": "sub"}, 403, "/data/attributes/field-identifier"),
    ("subtitle", {"is-complex": True}, 403, "/data/attributes/is-complex"),
    ("subtitle", {"is-fixed": True}, 403, "/data/attributes/is-fixed"),
    ("subtitle", {"form": "speaker"}, 403, "/data/attributes/form"),
    ("subtitle", {"is-required": True, "is-included": False}, 422, "/data/attributes/is-included"),
    ("shirt", {"options": []}, 422, "/data/attributes/options"),
    ("shirt", {"is-complex": False}, 403, "/data/attributes/is-complex"),
    ("shirt", {"field-identifier": "comments"}, 422, "/data/attributes/field-identifier"),
    ("shirt", {"type": "nope"}, 422, "/data/attributes/type"),
]


@pytest.mark.parametrize(("identifier", "attributes", "status", "pointer"), BAD_CHANGES)
def test_bad_changes_are_refused_with_a_pointer(api, staffed, identifier, attributes, status, pointer):
    event, people = staffed
    custom(event)
    form = "speaker" if identifier == "email" else "session"
    row = built_in(event, identifier, form)
    before = snapshot(event)
    api.as_user(people["coorganizer"])
    response = api.patch(f"/v1/custom-forms/{row.pk}", field_doc(id=row.pk, **attributes))
    assert_error(response, status)
    assert pointer in pointers(response)
    assert snapshot(event) == before


def test_a_field_stays_in_its_event(api, staffed):
    event, people = staffed
    shirt = custom(event)
    elsewhere = with_forms(EventFactory())
    give_role(people["coorganizer"], elsewhere, Role.COORGANIZER)
    doc = field_doc(id=shirt.pk, name="Moved")
    doc["data"]["relationships"] = {"event": rel("event", elsewhere.pk)}
    response = api.as_user(people["coorganizer"]).patch(f"/v1/custom-forms/{shirt.pk}", doc)
    assert_error(response, 403)
    assert pointers(response) == ["/data/relationships/event"]
    shirt.refresh_from_db()
    assert (shirt.event_id, shirt.name) == (event.pk, "T-shirt size")


# --- deleting -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", WRITERS)
def test_coorganizers_and_up_delete_a_custom_field(api, staffed, role):
    event, people = staffed
    shirt = custom(event)
    response = api.as_user(people[role]).delete(f"/v1/custom-forms/{shirt.pk}")
    assert response.status_code == 200, response.json_body
    assert response.json_body["meta"] == {"message": "Object successfully deleted"}
    assert not CustomForm.objects.filter(pk=shirt.pk).exists()
    assert_error(api.get(f"/v1/custom-forms/{shirt.pk}"), 404)


@pytest.mark.parametrize("identifier", ["title", "subtitle"])
def test_built_in_fields_are_never_deleted(api, staffed, identifier):
    event, people = staffed
    row = built_in(event, identifier)
    error = assert_error(api.as_user(people["owner"]).delete(f"/v1/custom-forms/{row.pk}"), 403)
    assert "Built-in fields cannot be deleted" in error["detail"]
    assert_error(api.as_user(people["admin"]).delete(f"/v1/custom-forms/{row.pk}?permanent=true"), 403)
    assert CustomForm.objects.filter(pk=row.pk).exists()


# --- saving a whole form at once ----------------------------------------------------------------------
@pytest.mark.parametrize("role", WRITERS)
def test_coorganizers_and_up_save_a_whole_form(api, staffed, role):
    event, people = staffed
    old = custom(event)
    api.as_user(people[role])
    rows = [row for row in read_form(api, event) if row["id"] != str(old.pk)]
    rows.reverse()  # reordered: title last
    title = next(row for row in rows if row["attributes"]["field-identifier"] == "title")
    title["attributes"]["name"] = "Talk title"
    abstract = next(row for row in rows if row["attributes"]["field-identifier"] == "shortAbstract")
    abstract["attributes"]["is-required"] = True
    rows.insert(1, new_row(**{"is-required": True}))
    rows.insert(2, new_row(name="Level of detail", type="select", options=["Intro", "Deep"]))
    response = api.put(form_url(event), bulk(rows))
    assert response.status_code == 200, response.json_body
    data = response.json_body["data"]
    assert [row["attributes"]["position"] for row in data] == list(range(len(rows)))
    assert [row["attributes"]["name"] for row in data[1:3]] == ["Dietary needs", "Level of detail"]
    assert data[-1]["attributes"]["name"] == "Talk title"
    saved = list(CustomForm.objects.filter(event=event, form="session").order_by("position"))
    assert [str(row.pk) for row in saved] == [row["id"] for row in data]
    assert not CustomForm.objects.filter(pk=old.pk).exists()  # left out: deleted
    assert (saved[1].is_complex, saved[1].field_identifier, saved[1].is_required) == (True, "dietary-needs", True)
    assert saved[2].options == ["Intro", "Deep"]
    assert (saved[-1].field_identifier, saved[-1].name) == ("title", "Talk title")
    assert built_in(event, "shortAbstract").is_required
    # The speaker form is another form: untouched.
    assert CustomForm.objects.filter(event=event, form="speaker").count() == SPEAKER_FIELDS


def test_the_form_read_is_saved_back_unchanged(api, staffed):
    """A client saves what it read (read-only ``created-at`` included) by id or identifier URL."""
    event, people = staffed
    custom(event)
    api.as_user(people["coorganizer"])
    before = snapshot(event)
    response = api.put(form_url(event, "speaker", by_identifier=True), bulk(read_form(api, event, "speaker")))
    assert response.status_code == 200, response.json_body
    assert len(response.json_body["data"]) == SPEAKER_FIELDS
    assert snapshot(event) == before
    with_charset = api.put(form_url(event), bulk(read_form(api, event)),
                           content_type="application/vnd.api+json; charset=utf-8")  # fmt: skip
    assert with_charset.status_code == 200


def test_a_form_never_saved_names_its_built_in_fields_by_identifier(api):
    event, people = staffed_event()
    rows = [{"attributes": {"field-identifier": identifier, "is-complex": False, "type": kind, "name": name,
                            "is-included": True, "is-required": identifier == "title"}}
            for identifier, kind, name in (("title", "text", "Title"), ("subtitle", "text", "Subtitle"))]  # fmt: skip
    response = api.as_user(people["coorganizer"]).put(form_url(event), bulk(rows))
    assert_error(response, 422)  # the other built-in fields are missing
    assert pointers(response) == ["/data"]
    assert not CustomForm.objects.filter(event=event).exists()  # nothing written, not even the defaults
    ensure_form(event, "session")
    everything = read_form(api, event)
    response = api.put(form_url(event), bulk([{"attributes": {**row["attributes"], "is-included": True}}
                                             if not row["attributes"]["is-fixed"] else row for row in everything]))
    assert response.status_code == 200, response.json_body
    assert CustomForm.objects.filter(event=event, form="session", is_included=True).count() == SESSION_FIELDS


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_others_cannot_save_a_whole_form(api, staffed, role, status):
    event, people = staffed
    document = bulk([*read_form(api.as_user(people["coorganizer"]), event), new_row()])
    before = snapshot(event)
    assert_error(api.as_user(people[role]).put(form_url(event), document), status)
    assert snapshot(event) == before


@pytest.mark.parametrize("role", ["anonymous", "plain", "moderator", "other_coorganizer"])
def test_a_drafts_form_is_404_to_those_who_cannot_see_it(api, role):
    event, people = staffed_event(state=Event.State.DRAFT)
    with_forms(event)
    people["other_coorganizer"] = UserFactory()
    give_role(people["other_coorganizer"], EventFactory(), Role.COORGANIZER)
    document = bulk(read_form(api.as_user(people["coorganizer"]), event))
    before = snapshot(event)
    expected = 401 if role == "anonymous" else 404
    assert_error(api.as_user(people[role]).put(form_url(event), document), expected)
    assert_error(api.as_user(people["coorganizer"]).put("/v1/events/nothere1/custom-forms/session", document), 404)
    assert snapshot(event) == before


def errors_by_pointer(response):
    return {error["source"]["pointer"]: error["detail"] for error in response.json_body["errors"]}


def test_each_refused_attribute_is_an_error_object_and_nothing_is_written(api, staffed):
    event, people = staffed
    shirt = custom(event)
    api.as_user(people["coorganizer"])
    rows = read_form(api, event)
    index = {row["attributes"]["field-identifier"]: number for number, row in enumerate(rows)}
    rows[index["title"]]["attributes"]["is-included"] = False
    rows[index["shirt"]]["attributes"]["options"] = []
    rows[index["subtitle"]]["attributes"]["type"] = "number"
    rows.append(new_row(name="", type="colour"))
    rows.append(new_row(**{"field-identifier": "shirt"}))
    rows.append(new_row(**{"is-included": "yes", "min": "one", "name": 7}))
    before = snapshot(event)
    response = api.put(form_url(event), bulk(rows))
    assert_error(response, 422)
    last = len(rows) - 1
    assert errors_by_pointer(response) == {
        f"/data/{index['title']}/attributes/is-required": "Title is always included and required.",
        f"/data/{index['title']}/attributes/is-included": "A required field must be included.",
        f"/data/{index['shirt']}/attributes/options": "Give every choice a text, and at least one choice.",
        f"/data/{index['subtitle']}/attributes/type": "The type of a built-in field cannot change.",
        f"/data/{last - 2}/attributes/name": "Give the field a label.",
        f"/data/{last - 2}/attributes/type": "'colour' is not a field type.",
        f"/data/{last - 1}/attributes/field-identifier": "Another field of this form has this identifier.",
        f"/data/{last}/attributes/is-included": "Give true or false.",
        f"/data/{last}/attributes/min": "Give a whole number (or leave it empty).",
        f"/data/{last}/attributes/name": "Give a text.",
    }
    assert {error["status"] for error in response.json_body["errors"]} == {"422"}
    assert snapshot(event) == before
    assert CustomForm.objects.get(pk=shirt.pk).options == ["S", "M"]


def test_row_refusals_about_ids_and_the_whole_form(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    rows = read_form(api, event)
    speaker_row = read_form(api, event, "speaker")[0]
    elsewhere = with_forms(EventFactory())
    foreign = {"id": str(built_in(elsewhere, "level").pk), "attributes": {"name": "Level"}}
    before = snapshot(event)
    cases = [
        ([*rows, speaker_row], {f"/data/{len(rows)}/id": "This field is not part of this form."}),
        ([*rows, foreign], {f"/data/{len(rows)}/id": "This field is not part of this form."}),
        ([*rows, rows[0]], {f"/data/{len(rows)}/id": "This field appears twice."}),
        ([*rows, {"id": "x1", "attributes": {}}], {f"/data/{len(rows)}/id": "This field is not part of this form."}),
        (rows[1:], {"/data": "Every built-in field stays in the form (Title is missing)."}),
        ([*rows, new_row(colour="red")], {f"/data/{len(rows)}/attributes/colour": "This cannot be set here."}),
        ([*rows, *(new_row(name=f"Q{n}") for n in range(51))],
         {"/data": "A form holds at most 50 custom fields."}),
    ]  # fmt: skip
    for sent, expected in cases:
        response = api.put(form_url(event), bulk(sent))
        assert_error(response, 422)
        assert errors_by_pointer(response) == expected
    assert snapshot(event) == before


def test_an_event_relationship_names_the_urls_event_only(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    document = bulk([*read_form(api, event), new_row()])
    document["data"][0]["relationships"] = {"event": rel("event", event.pk)}
    document["data"][-1]["relationships"] = {"event": rel("event", EventFactory().pk)}
    before = snapshot(event)
    response = api.put(form_url(event), document)
    assert_error(response, 422)
    assert pointers(response) == [f"/data/{len(document['data']) - 1}/relationships/event"]
    assert snapshot(event) == before


@pytest.mark.parametrize(("form", "detail"), [
    ("attendee", "Attendee forms come with ticket sales, which this server does not run."),
    ("order", "'order' is not a form; use session or speaker."),
])  # fmt: skip
def test_only_session_and_speaker_forms_are_saved(api, staffed, form, detail):
    event, people = staffed
    api.as_user(people["coorganizer"])
    response = api.put(form_url(event, form), bulk([new_row()]))
    assert assert_error(response, 422)["detail"] == detail
    assert not CustomForm.objects.filter(event=event, form=form).exists()


BAD_BODIES = [
    (b"{not json", 400),
    (b"\xff\xfe", 400),
    (b"null", 400),
    (b"[]", 400),
    (b'{"fields": []}', 400),
    (b'{"data": {"type": "custom-form", "attributes": {}}}', 400),
    (b'{"data": [1]}', 400),
    (b'{"data": [{"type": "custom-form", "attributes": []}]}', 400),
    (b'{"data": [{"type": "custom-form", "attributes": {}, "relationships": []}]}', 400),
    (b'{"data": [{"type": "custom-form", "attributes": {"id": "3"}}]}', 400),
    (b'{"data": [{"type": "session", "attributes": {}}]}', 409),
    (b'{"data": [{"attributes": {}}]}', 409),
    (b'{"data": ' + b"[" * 40 + b"]" * 40 + b"}", 400),
]


@pytest.mark.parametrize(("body", "status"), BAD_BODIES)
def test_malformed_documents_are_refused(api, staffed, body, status):
    event, people = staffed
    before = snapshot(event)
    response = api.as_user(people["coorganizer"]).put(form_url(event), raw=body)
    assert_error(response, status)
    assert snapshot(event) == before


def test_the_body_is_capped_and_json_api_only(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    document = bulk(read_form(api, event))
    document["meta"] = {"padding": "x" * MAX_FORM_BODY_BYTES}
    before = snapshot(event)
    response = api.put(form_url(event), document)
    assert_error(response, 413)
    assert_error(api.put(form_url(event), bulk(read_form(api, event)), content_type="application/json"), 415)
    assert_error(api.put(form_url(event)), 400)  # no body at all
    assert snapshot(event) == before
    # Other methods of the route are not served.
    assert api.post(form_url(event), bulk([new_row()])).status_code == 405
    assert api.patch(form_url(event), bulk([new_row()])).status_code == 405


# --- cached documents ---------------------------------------------------------------------------------
def test_api_writes_refresh_the_cached_documents(api, staffed, document_cache, django_capture_on_commit_callbacks):
    """Anonymous readers get a published event's forms from the cache; each write through the API
    bumps the event's version after it commits, so the next read shows it."""
    event, people = staffed
    url = f"/v1/events/{event.pk}/custom-forms?page[size]=0"
    first = api.get(url)
    assert first.json_body["meta"]["count"] == SESSION_FIELDS + SPEAKER_FIELDS
    custom(event, field_identifier="unseen")  # written past the services: no new version
    assert api.get(url).json_body["meta"]["count"] == SESSION_FIELDS + SPEAKER_FIELDS  # from the cache
    CustomForm.objects.filter(field_identifier="unseen").delete()
    coorganizer = people["coorganizer"]
    with django_capture_on_commit_callbacks(execute=True):
        created = api.as_user(coorganizer).post("/v1/custom-forms", field_doc(event, name="Shirt"))
    assert created.status_code == 201, created.json_body
    assert api.as_user(None).get(url).json_body["meta"]["count"] == SESSION_FIELDS + SPEAKER_FIELDS + 1
    shirt = created.json_body["data"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(coorganizer).patch(f"/v1/custom-forms/{shirt}", field_doc(id=shirt, name="Shirt size"))
    names = {row["attributes"]["name"] for row in api.as_user(None).get(url).json_body["data"]}
    assert "Shirt size" in names
    rows = [row for row in read_form(api, event) if not row["attributes"]["is-complex"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.as_user(coorganizer).put(form_url(event), bulk(rows)).status_code == 200
    assert api.as_user(None).get(url).json_body["meta"]["count"] == SESSION_FIELDS + SPEAKER_FIELDS


# --- query counts -------------------------------------------------------------------------------------
#: (url, viewer) -> queries, the same for 1 and for many custom fields (and events).
QUERIES = {
    ("/v1/events/{event}/custom-forms?include=event", "anonymous"): 4,
    ("/v1/events/{event}/custom-forms?include=event", "coorganizer"): 6,
    ("/v1/custom-forms?include=event", "anonymous"): 2,
    ("/v1/custom-forms?include=event", "coorganizer"): 4,
    ("/v1/events/{event}/relationships/custom-forms", "anonymous"): 3,
}
MANY = 12


@pytest.mark.parametrize(("url", "viewer"), list(QUERIES), ids=str)
def test_lists_run_constant_queries(api, staffed, django_assert_num_queries, url, viewer):
    event, people = staffed
    api.as_user(people[viewer])
    expected = QUERIES[(url, viewer)]
    everywhere = url.startswith("/v1/custom-forms")
    url = url.format(event=event.pk) + ("&page[size]=0" if "?" in url else "")
    counts = []
    for number in (1, MANY):
        while CustomForm.objects.filter(is_complex=True).count() < number:
            made = CustomForm.objects.filter(is_complex=True).count()
            custom(with_forms(EventFactory()) if everywhere else event, field_identifier=f"q-{made}", name=f"Q {made}")
        api.get(url)  # warm-up
        with django_assert_num_queries(expected):
            response = api.get(url)
        assert response.status_code == 200, response.json_body
        counts.append(len(response.json_body["data"]))
    assert counts[1] > counts[0]
