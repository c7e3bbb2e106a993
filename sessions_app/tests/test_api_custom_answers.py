"""Custom answers through the API: every refused answer is its own error object pointing at the
answer (``/data/attributes/complex-field-values/<identifier>``); required fields bind speakers'
proposals, not organizers; nothing is written on a refusal."""
import pytest

from events.models import CustomForm
from events.services.custom_forms import create_field, ensure_form
from openevent.api.tests.documents import resource_doc
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.tests.helpers import Program, session_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = Program()
    owner = program.people["owner"]
    create_field(owner, program.event, {"name": "T-shirt size", "type": "select", "options": ["S", "M", "L"],
                                        "is_required": True})  # fmt: skip
    create_field(owner, program.event, {"name": "Attendees", "type": "number", "min": 1, "max": 500})
    abstract = next(row for row in ensure_form(program.event, "session") if row.field_identifier == "shortAbstract")
    abstract.is_required = True
    abstract.save()
    return program


def propose(api, program, user, **attributes):
    return api.as_user(user).post("/v1/sessions", session_doc(program.event, title="A talk", state="pending",
                                                                  **attributes))  # fmt: skip


def test_each_refused_answer_is_an_error_object_of_its_own(api, program):
    before = Session.objects.count()
    response = propose(api, program, UserFactory(), **{"complex-field-values": {"t-shirt-size": "XL",
                                                                                 "attendees": 900, "shoe": 42}})
    assert response.status_code == 422
    errors = {error["source"]["pointer"]: error["detail"] for error in response.json_body["errors"]}
    assert errors == {
        "/data/attributes/complex-field-values/t-shirt-size": "T-shirt size: choose one of S, M, L.",
        "/data/attributes/complex-field-values/attendees": "Attendees: give between 1 and 500.",
        "/data/attributes/complex-field-values/shoe": "'shoe' is not a question of this form.",
        "/data/attributes/short-abstract": "Short abstract is required.",
    }
    assert all(error["status"] == "422" for error in response.json_body["errors"])
    assert Session.objects.count() == before


def test_a_complete_proposal_stores_its_typed_answers(api, program):
    response = propose(api, program, UserFactory(), **{"short-abstract": "<p>Why</p><script>x()</script>",
                                                         "complex-field-values": {"t-shirt-size": "M",
                                                                                  "attendees": "40"}})  # fmt: skip
    assert response.status_code == 201, response.json_body
    session = Session.objects.get(pk=response.json_body["data"]["id"])
    assert session.complex_field_values == {"t-shirt-size": "M", "attendees": 40}
    assert "<script>" not in session.short_abstract


def test_organizers_may_leave_required_fields_empty_but_not_answer_wrongly(api, program):
    owner = program.people["owner"]
    response = propose(api, program, owner)
    assert response.status_code == 201, response.json_body
    response = propose(api, program, owner, **{"complex-field-values": {"attendees": "many"}})
    assert response.status_code == 422
    assert response.json_body["errors"][0]["source"]["pointer"] == "/data/attributes/complex-field-values/attendees"


def test_a_speaker_of_the_event_reads_its_forms_but_cannot_shape_them(api, program):
    """Security lesson 4: speaking at the event grants no right over its forms (the API's
    refusals of everyone else are in events/tests/test_api_custom_forms.py)."""
    event = program.event
    shirt = CustomForm.objects.get(event=event, field_identifier="t-shirt-size")
    before = list(CustomForm.objects.filter(event=event).order_by("pk").values())
    api.as_user(program.people["speaker"])
    listed = api.get(f"/v1/events/{event.pk}/custom-forms", **{"filter[form]": "session", "page[size]": "0"})
    assert listed.status_code == 200
    assert str(shirt.pk) in {row["id"] for row in listed.json_body["data"]}
    new = resource_doc("custom-form", {"name": "Mine", "type": "text"}, event=event)
    assert api.post("/v1/custom-forms", new).status_code == 403
    change = resource_doc("custom-form", {"name": "Mine"}, id=shirt.pk)
    assert api.patch(f"/v1/custom-forms/{shirt.pk}", change).status_code == 403
    assert api.delete(f"/v1/custom-forms/{shirt.pk}").status_code == 403
    whole = {"data": [{"type": "custom-form", "id": row["id"], "attributes": row["attributes"]}
                      for row in listed.json_body["data"] if row["id"] != str(shirt.pk)]}  # fmt: skip
    assert api.put(f"/v1/events/{event.pk}/custom-forms/session", whole).status_code == 403
    assert list(CustomForm.objects.filter(event=event).order_by("pk").values()) == before
