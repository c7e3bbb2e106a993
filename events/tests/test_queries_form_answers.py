"""``events.queries.form_answers``: custom answers labelled by their fields, the rest archived."""
from events.models import CustomForm
from events.queries import form_answers


def field(identifier, name, type_, *, is_complex=True):
    return CustomForm(field_identifier=identifier, name=name, type=type_, is_complex=is_complex)


FIELDS = [
    field("title", "Title", "text", is_complex=False),
    field("first-talk", "First talk?", "boolean"),
    field("topics", "Topics", "checkbox"),
    field("size", "T-shirt size", "select"),
    field("notes", "Notes", "text"),
]


def test_answers_follow_the_form_order_and_read_as_people_write_them():
    answers, archived = form_answers(FIELDS, {"size": "M", "topics": ["Web", "Data"], "first-talk": True})
    assert answers == [
        {"label": "First talk?", "kind": "text", "value": "Yes"},
        {"label": "Topics", "kind": "list", "value": ["Web", "Data"]},
        {"label": "T-shirt size", "kind": "text", "value": "M"},
    ]
    assert archived == []


def test_booleans_given_as_text_read_yes_or_no_and_empty_answers_are_left_out():
    answers, _ = form_answers(FIELDS, {"first-talk": "false", "topics": [], "notes": "", "size": None})
    assert answers == [{"label": "First talk?", "kind": "text", "value": "No"}]


def test_answers_of_deleted_fields_are_archived_under_their_key():
    answers, archived = form_answers(FIELDS, {"size": "L", "old-diet": ["Vegan"], "old-flag": False, "title": "x"})
    assert answers == [{"label": "T-shirt size", "kind": "text", "value": "L"}]
    # A built-in field's identifier is no custom field: such a key is archived like any unknown one.
    assert archived == [
        {"label": "old-diet", "kind": "list", "value": ["Vegan"]},
        {"label": "old-flag", "kind": "text", "value": "No"},
        {"label": "title", "kind": "text", "value": "x"},
    ]


def test_stored_values_that_are_no_object_show_nothing():
    for values in (None, [], "text", 5):
        assert form_answers(FIELDS, values) == ([], [])
