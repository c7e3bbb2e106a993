"""A hostile user against the custom forms: the field resource, the whole-form save, the forms
builder page. Every attack must fail with a proper status and change nothing. Attacks with answers
(check_answers) are in sessions_app/tests/test_hostile_cfp_reviews.py, where sessions live."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from events.models import CustomForm, Role
from events.services.custom_forms import MAX_CUSTOM_FIELDS, create_field, ensure_form
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import staffed_event
from openevent.api.tests.documents import assert_error, rel, resource_doc
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed():
    event, people = staffed_event()
    ensure_form(event, "session")
    ensure_form(event, "speaker")
    elsewhere = EventFactory()
    ensure_form(elsewhere, "session")
    people["other_coorganizer"] = UserFactory()
    give_role(people["other_coorganizer"], elsewhere, Role.COORGANIZER)
    people["elsewhere"] = elsewhere
    return event, people


def snapshot(*events):
    return list(CustomForm.objects.filter(event__in=events).order_by("pk").values())


def shirt_of(event):
    return CustomForm.objects.create(event=event, form="session", field_identifier="shirt", name="Shirt",
                                     type="select", options=["S", "M"], is_complex=True, position=50)  # fmt: skip


def rows_doc(event, form="session", extra=()):
    rows = CustomForm.objects.filter(event=event, form=form).order_by("position", "pk")
    data = [{"type": "custom-form", "id": str(row.pk), "attributes": {"name": row.name}} for row in rows]
    return {"data": [*data, *extra]}


def new_row(**attributes):
    return {"type": "custom-form", "attributes": {"name": "Q", "type": "text", "is-included": True, **attributes}}


@pytest.mark.parametrize("who", ["other_coorganizer", "track_organizer", "moderator", "registrar", "plain"])
def test_outsiders_cannot_write_any_field(api, staffed, who):
    event, people = staffed
    shirt = shirt_of(event)
    before = snapshot(event, people["elsewhere"])
    api.as_user(people[who])
    assert api.post("/v1/custom-forms", resource_doc("custom-form", {"name": "X", "type": "text"},
                                                     event=event)).status_code == 403  # fmt: skip
    assert api.patch(f"/v1/custom-forms/{shirt.pk}", resource_doc("custom-form", {"name": "X"},
                                                                  id=shirt.pk)).status_code == 403  # fmt: skip
    assert api.delete(f"/v1/custom-forms/{shirt.pk}").status_code == 403
    assert api.put(f"/v1/events/{event.pk}/custom-forms/session", rows_doc(event)).status_code == 403
    client_status = api.patch(f"/v1/custom-forms/{shirt.pk}/relationships/event",
                              {"data": rel("event", people["elsewhere"].pk)["data"]}).status_code  # fmt: skip
    assert client_status in (403, 405)
    assert snapshot(event, people["elsewhere"]) == before


def test_a_field_is_not_moved_to_another_event_by_its_relationship(api, staffed):
    event, people = staffed
    shirt = shirt_of(event)
    give_role(people["coorganizer"], people["elsewhere"], Role.COORGANIZER)
    api.as_user(people["coorganizer"])
    response = api.patch(f"/v1/custom-forms/{shirt.pk}/relationships/event",
                         {"data": rel("event", people["elsewhere"].pk)["data"]})  # fmt: skip
    assert response.status_code in (403, 405)
    assert CustomForm.objects.get(pk=shirt.pk).event_id == event.pk


def test_another_events_fields_cannot_be_taken_over_by_a_put(api, staffed):
    event, people = staffed
    foreign = shirt_of(people["elsewhere"])
    before = snapshot(event, people["elsewhere"])
    api.as_user(people["coorganizer"])
    extra = [{"type": "custom-form", "id": str(foreign.pk), "attributes": {"name": "Mine now"}}]
    assert_error(api.put(f"/v1/events/{event.pk}/custom-forms/session", rows_doc(event, extra=extra)), 422)
    speaker_row = CustomForm.objects.filter(event=event, form="speaker").first()
    extra = [{"type": "custom-form", "id": str(speaker_row.pk), "attributes": {"name": "Moved"}}]
    assert_error(api.put(f"/v1/events/{event.pk}/custom-forms/session", rows_doc(event, extra=extra)), 422)
    assert snapshot(event, people["elsewhere"]) == before


@pytest.mark.parametrize("attributes", [
    {"form": "speaker"}, {"is-complex": True}, {"field-identifier": "hacked"}, {"is-fixed": False},
    {"type": "paragraph"},
])  # fmt: skip
def test_a_built_in_field_keeps_its_identity(api, staffed, attributes):
    event, people = staffed
    title = CustomForm.objects.get(event=event, form="session", field_identifier="title")
    before = snapshot(event)
    api.as_user(people["coorganizer"])
    response = api.patch(f"/v1/custom-forms/{title.pk}", resource_doc("custom-form", attributes, id=title.pk))
    assert response.status_code in (403, 409, 422)
    assert api.delete(f"/v1/custom-forms/{title.pk}").status_code == 403
    assert snapshot(event) == before


def test_no_more_than_the_cap_of_custom_fields_one_by_one(api, staffed):
    event, people = staffed
    for index in range(MAX_CUSTOM_FIELDS):
        create_field(people["owner"], event, {"name": f"Q{index}", "type": "text"})
    api.as_user(people["coorganizer"])
    response = api.post("/v1/custom-forms", resource_doc("custom-form", {"name": "One too many", "type": "text"},
                                                         event=event))  # fmt: skip
    assert_error(response, 422)
    assert CustomForm.objects.filter(event=event, is_complex=True).count() == MAX_CUSTOM_FIELDS


@pytest.mark.parametrize("options", [
    [f"o{n}" for n in range(101)], ["x" * 201], "S,M", [1, 2], [["S"]], [], ["S", "S"], [" "], None,
])  # fmt: skip
def test_bad_options_are_refused(api, staffed, options):
    event, people = staffed
    api.as_user(people["coorganizer"])
    before = snapshot(event)
    response = api.post("/v1/custom-forms", resource_doc("custom-form", {"name": "Pick", "type": "select",
                                                                         "options": options}, event=event))
    assert_error(response, 422)
    put = api.put(f"/v1/events/{event.pk}/custom-forms/session",
                  rows_doc(event, extra=[new_row(type="select", options=options)]))  # fmt: skip
    assert_error(put, 422)
    assert snapshot(event) == before


def test_a_put_of_ten_thousand_rows_is_refused(api, staffed):
    event, people = staffed
    before = snapshot(event)
    api.as_user(people["coorganizer"])
    rows = [new_row(name=f"Q{n}") for n in range(10_000)]
    response = api.put(f"/v1/events/{event.pk}/custom-forms/session", rows_doc(event, extra=rows))
    assert response.status_code in (413, 422)
    assert snapshot(event) == before


def test_duplicate_ids_and_odd_ids_in_a_put(api, staffed):
    event, people = staffed
    before = snapshot(event)
    api.as_user(people["coorganizer"])
    first = CustomForm.objects.filter(event=event, form="session").first()
    for odd in (str(first.pk), "9" * 40, "-1", "1e3", "", 1.5, True, [1], {"id": 1}):
        extra = [{"type": "custom-form", "id": odd, "attributes": {"name": "Twice"}}]
        response = api.put(f"/v1/events/{event.pk}/custom-forms/session", rows_doc(event, extra=extra))
        assert 400 <= response.status_code < 500, (odd, response.status_code)
    assert snapshot(event) == before


@pytest.mark.parametrize("pk", ["abc", "9" * 30, "-1", "%20"])
def test_odd_field_ids_are_404(api, staffed, pk):
    event, people = staffed
    api.as_user(people["coorganizer"])
    assert api.get(f"/v1/custom-forms/{pk}").status_code == 404
    assert api.delete(f"/v1/custom-forms/{pk}").status_code == 404
    assert api.put(f"/v1/events/{pk}/custom-forms/session", rows_doc(event)).status_code == 404


@pytest.mark.parametrize("body", [b"\xff\xfe", b"[]", b'{"fields": {}}', b'{"fields": [1]}', b"null",
                                  b'{"fields": [{"id": "x"}]}', b'{"fields": [{"name": ["a"]}]}'])
def test_the_builder_page_refuses_junk_without_500(client, staffed, body):
    event, people = staffed
    before = snapshot(event)
    client.force_login(people["coorganizer"])
    response = client.post(reverse("event-forms", args=[event.identifier, "session"]), data=body,
                           content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 422)
    assert snapshot(event) == before


def test_the_builder_page_refuses_other_events_coorganizers(client, staffed):
    event, people = staffed
    before = snapshot(event)
    client.force_login(people["other_coorganizer"])
    url = reverse("event-forms", args=[event.identifier, "session"])
    assert client.post(url, data=json.dumps({"fields": []}), content_type="application/json").status_code in (403, 404)
    assert snapshot(event) == before


def test_a_browser_session_cannot_save_forms_without_the_csrf_token(staffed):
    event, people = staffed
    shirt = shirt_of(event)
    before = snapshot(event)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["coorganizer"])
    put = browser.put(f"/v1/events/{event.pk}/custom-forms/session", json.dumps(rows_doc(event)),
                      content_type="application/vnd.api+json")  # fmt: skip
    assert put.status_code == 403
    assert browser.delete(f"/v1/custom-forms/{shirt.pk}").status_code == 403
    page = browser.post(reverse("event-forms", args=[event.identifier, "session"]), json.dumps({"fields": []}),
                        content_type="application/json")  # fmt: skip
    assert page.status_code == 403
    assert snapshot(event) == before
