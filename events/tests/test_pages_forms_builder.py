"""The forms builder page: who may open it, and its JSON save endpoint."""
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import CustomForm
from events.queries import form_fields
from events.services.custom_forms import MAX_FORM_BODY_BYTES as MAX_BODY_BYTES
from events.tests.helpers import count_queries, staffed_event

pytestmark = pytest.mark.django_db


def page_url(event, form="session"):
    return reverse("event-forms", args=[event.identifier, form])


def rows_of(event, form="session"):
    """The form as the page hands it to the script (built-in rows of a never-saved form have no id)."""
    return [
        {"id": field.pk, "field_identifier": field.field_identifier, "name": field.name, "type": field.type,
         "description": field.description, "is_included": field.is_included, "is_required": field.is_required,
         "is_public": field.is_public, "is_complex": field.is_complex, "min": field.min, "max": field.max,
         "options": field.options}
        for field in form_fields(event, form)
    ]  # fmt: skip


def post(client, event, body, form="session"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(page_url(event, form), data=data, content_type="application/json")


@pytest.fixture
def staffed():
    return staffed_event()


@pytest.mark.parametrize("form", ["session", "speaker"])
def test_coorganizers_open_both_tabs(client, staffed, form):
    event, people = staffed
    for name in ("owner", "organizer", "coorganizer", "admin"):
        client.force_login(people[name])
        response = client.get(page_url(event, form))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'id="forms-builder-data"' in html
        assert "The forms builder needs JavaScript" in html
        blob = re.search(r'<script id="forms-builder-data" type="application/json">(.*?)</script>', html, re.S)
        data = json.loads(blob.group(1))
        names = [field["name"] for field in data["fields"]]
        assert names == [field.name for field in form_fields(event, form)]


def test_forms_home_redirects_to_the_session_tab(client, staffed):
    event, people = staffed
    client.force_login(people["coorganizer"])
    response = client.get(reverse("event-forms-home", args=[event.identifier]))
    assert response.status_code == 302
    assert response["Location"] == page_url(event)


def test_anonymous_visitors_are_sent_to_log_in(client, staffed):
    event, _ = staffed
    response = client.get(page_url(event))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
    assert post(client, event, {"fields": []}).status_code == 302


@pytest.mark.parametrize(("name", "status"), [
    ("track_organizer", 403), ("moderator", 403), ("registrar", 403), ("other_organizer", 403), ("plain", 403),
])  # fmt: skip
def test_others_are_refused(client, staffed, name, status):
    event, people = staffed
    client.force_login(people[name])
    assert client.get(page_url(event)).status_code == status
    response = post(client, event, {"fields": rows_of(event)})
    assert response.status_code == status
    assert not CustomForm.objects.filter(event=event).exists()


def test_an_unknown_form_is_not_found(client, staffed):
    event, people = staffed
    client.force_login(people["owner"])
    assert client.get(page_url(event, "attendee")).status_code == 404


def test_the_nav_links_the_forms_for_coorganizers_only(client, staffed):
    event, people = staffed
    href = f'href="{reverse("event-forms-home", args=[event.identifier])}"'
    client.force_login(people["coorganizer"])
    assert href in client.get(reverse("event-dashboard", args=[event.identifier])).content.decode()
    for name in ("track_organizer", "moderator"):
        client.force_login(people[name])
        assert href not in client.get(reverse("event-dashboard", args=[event.identifier])).content.decode(), name


def test_a_save_writes_the_whole_form_in_order(client, staffed):
    event, people = staffed
    client.force_login(people["coorganizer"])
    rows = rows_of(event)
    abstract = next(row for row in rows if row["field_identifier"] == "shortAbstract")
    abstract["is_required"] = True
    rows.insert(1, {"name": "T-shirt size", "type": "select", "options": ["S", "M", "L"], "is_included": True,
                    "is_required": False, "is_public": False, "description": "", "min": None, "max": None})
    response = post(client, event, {"fields": rows})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["fields"][1]["name"] == "T-shirt size"
    assert body["fields"][1]["id"]
    saved = list(CustomForm.objects.filter(event=event, form="session").order_by("position"))
    assert [field.name for field in saved][:2] == ["Title", "T-shirt size"]
    shirt = saved[1]
    assert shirt.is_complex
    assert shirt.type == "select"
    assert shirt.options == ["S", "M", "L"]
    assert CustomForm.objects.get(event=event, form="session", field_identifier="shortAbstract").is_required

    # Saved again from the answer (every row has an id now), leaving the custom field out deletes it.
    again = [row for row in body["fields"] if not row["is_complex"]]
    assert post(client, event, {"fields": again}).status_code == 200
    assert not CustomForm.objects.filter(event=event, is_complex=True).exists()


def test_row_errors_come_back_keyed_by_row_and_nothing_is_written(client, staffed):
    event, people = staffed
    client.force_login(people["owner"])
    rows = rows_of(event)
    rows.append({"name": "", "type": "select", "options": [], "is_included": True, "is_required": False,
                 "is_public": False})
    title = next(index for index, row in enumerate(rows) if row["field_identifier"] == "title")
    rows[title]["is_required"] = False
    response = post(client, event, {"fields": rows})
    assert response.status_code == 422
    errors = response.json()["errors"]
    last = len(rows) - 1
    assert f"{last}.name" in errors
    assert f"{last}.options" in errors
    assert f"{title}.is_required" in errors
    # The event's form was never saved: not even its built-in rows are written by the refused save.
    assert not CustomForm.objects.filter(event=event).exists()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[]", b'{"fields": "x"}', b'{"fields": [1]}', b"null"])
def test_bad_json_is_a_400_json_error(client, staffed, body):
    event, people = staffed
    client.force_login(people["owner"])
    response = post(client, event, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]


def test_a_missing_built_in_field_is_refused(client, staffed):
    event, people = staffed
    client.force_login(people["owner"])
    rows = [row for row in rows_of(event) if row["field_identifier"] != "subtitle"]
    response = post(client, event, {"fields": rows})
    assert response.status_code == 422
    assert "fields" in response.json()["errors"]


def test_a_too_large_body_is_refused(client, staffed):
    event, people = staffed
    client.force_login(people["owner"])
    body = json.dumps({"fields": rows_of(event), "padding": "x" * MAX_BODY_BYTES})
    response = post(client, event, body)
    assert response.status_code == 413
    assert response.json()["message"]
    assert not CustomForm.objects.filter(event=event).exists()


def test_the_post_needs_the_csrf_token(staffed):
    event, people = staffed
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owner"])
    assert post(client, event, {"fields": rows_of(event)}).status_code == 403


@pytest.mark.parametrize("customs", [1, 8])
def test_the_page_runs_a_fixed_number_of_queries(client, staffed, customs):
    event, people = staffed
    client.force_login(people["owner"])
    rows = rows_of(event) + [
        {"name": f"Custom {n}", "type": "text", "is_included": True, "is_required": False, "is_public": False}
        for n in range(customs)
    ]
    assert post(client, event, {"fields": rows}).status_code == 200
    response, queries = count_queries(lambda: client.get(page_url(event)))
    assert response.status_code == 200
    assert b"Custom 0" in response.content
    # session, user, event, roles for the checks and the nav, the bell, the platform settings, the form rows
    assert queries == PINNED_PAGE_QUERIES


PINNED_PAGE_QUERIES = 7


@pytest.mark.parametrize("bad", [
    {"name": 5, "type": "text"}, {"name": ["x"], "type": "text"}, {"name": "x", "type": 5},
    {"name": "x", "type": "text", "description": 7}, {"name": "x", "field_identifier": 3, "type": "text"},
    {"name": "x", "type": "text", "is_included": "yes"}, {"name": "x", "type": "text", "is_required": None},
    {"name": "x", "type": "number", "min": "abc"}, {"name": "x", "type": "number", "min": [1]},
    {"name": "x", "type": "text", "min": 10**30}, {"name": "x", "type": "text", "max": True},
    {"name": "x", "type": "select", "options": "a"}, {"id": "abc"}, {"id": [1]}, {"id": 10**30}, {"id": True},
    {"name": "x", "type": "text", "colour": "red"},
])  # fmt: skip
def test_rows_of_the_wrong_shape_are_refused_on_their_row(client, staffed, bad):
    event, people = staffed
    client.force_login(people["owner"])
    rows = rows_of(event)
    response = post(client, event, {"fields": [*rows, bad]})
    assert response.status_code == 422
    assert any(key.startswith(f"{len(rows)}.") for key in response.json()["errors"])
    assert not CustomForm.objects.filter(event=event, is_complex=True).exists()
