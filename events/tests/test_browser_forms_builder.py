"""The forms builder in a real browser: require the short abstract, add a "T-shirt size" choice
and move it up by keyboard, save and reload; a refused save shows the error on its row; delete a
custom field (dragged first); the unsaved-changes warning."""

import pytest
from playwright.sync_api import expect

from events.models import CustomForm
from events.tests.factories import event_with_owner
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import log_in

from .forms_builder_page import add_field, row

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]


def open_builder(live_server, page, form="session"):
    owner = UserFactory(email="fiona@example.org")
    event, _ = event_with_owner(owner=owner, name="Forms Summit")
    log_in(page, live_server.url, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/events/{event.identifier}/")
    page.get_by_role("navigation", name="Event pages").get_by_role("link", name="Forms").click()
    expect(page.get_by_role("heading", name="Session form")).to_be_visible()
    expect(page.get_by_text("The forms builder needs JavaScript")).to_be_hidden()
    return event


def test_require_the_abstract_add_a_choice_move_it_and_save(live_server, page, violations):
    event = open_builder(live_server, page)
    # The title is fixed: its toggles are locked and say why.
    expect(page.get_by_label("Require Title")).to_be_disabled()
    expect(row(page, "Title")).to_contain_text("always included and required")

    # Un-including the short abstract, then requiring it: Require checks Include again.
    page.get_by_label("Include Short abstract").uncheck()
    expect(page.get_by_label("Require Short abstract")).not_to_be_checked()
    page.get_by_label("Require Short abstract").check()
    expect(page.get_by_label("Include Short abstract")).to_be_checked()

    add_field(page, "T-shirt size", "Choose one", "S\nM\nL")
    names = page.locator(".builder-row strong")
    last = names.count() - 1
    expect(names.nth(last)).to_have_text("T-shirt size")
    move_up = page.get_by_role("button", name="Move T-shirt size up")
    expect(move_up).to_be_focused()
    page.keyboard.press("Enter")
    expect(names.nth(last - 1)).to_have_text("T-shirt size")
    expect(move_up).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("moved to position")

    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")

    rows = list(CustomForm.objects.filter(event=event, form="session").order_by("position"))
    shirt = next(field for field in rows if field.name == "T-shirt size")
    assert shirt.is_complex
    assert shirt.type == "select"
    assert shirt.options == ["S", "M", "L"]
    assert shirt.position == len(rows) - 2
    abstract = next(field for field in rows if field.field_identifier == "shortAbstract")
    assert abstract.is_required
    assert abstract.is_included

    page.reload()
    expect(names.nth(last - 1)).to_have_text("T-shirt size")
    expect(row(page, "T-shirt size")).to_contain_text("Choices: S, M, L")
    expect(page.get_by_label("Require Short abstract")).to_be_checked()
    assert violations == []


def test_a_refused_save_shows_the_error_on_its_row_and_keeps_the_edits(live_server, page, violations):
    event = open_builder(live_server, page)
    # A number field whose minimum is above its maximum: the service refuses the row.
    page.get_by_role("button", name="Add a custom field").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Label").fill("Years of experience")
    dialog.get_by_label("Type").select_option(label="Number")
    expect(dialog.get_by_label("Choices")).to_be_hidden()
    dialog.get_by_label("Minimum").fill("10")
    dialog.get_by_label("Maximum").fill("2")
    dialog.get_by_role("button", name="Add field").click()
    page.get_by_label("Require Subtitle").check()
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_contain_text("nothing was saved")
    broken = row(page, "Years of experience")
    expect(broken.locator(".errorlist")).to_be_visible()
    expect(page.get_by_label("Require Subtitle")).to_be_checked()
    assert not CustomForm.objects.filter(event=event, is_complex=True).exists()
    assert not CustomForm.objects.filter(event=event, field_identifier="subtitle", is_required=True).exists()

    # Editing the field fixes it: its error goes, and the next save keeps every edit.
    broken.get_by_role("button", name="Edit Years of experience").click()
    expect(dialog.get_by_label("Minimum")).to_have_value("10")
    dialog.get_by_label("Maximum").fill("40")
    dialog.get_by_role("button", name="Save field").click()
    expect(broken.locator(".errorlist")).to_have_count(0)
    expect(broken).to_contain_text("Between 10 and 40")  # the bounds show on the row, as choices do
    expect(broken.get_by_role("button", name="Edit Years of experience")).to_be_focused()
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")
    years = CustomForm.objects.get(event=event, name="Years of experience")
    assert (years.type, years.min, years.max) == ("number", 10, 40)
    assert CustomForm.objects.get(event=event, field_identifier="subtitle").is_required
    assert violations == []


def test_drag_a_custom_field_up_then_delete_it(live_server, page, violations):
    event = open_builder(live_server, page)
    add_field(page, "Dietary needs", "Short text")
    # Dragging the new (last) row onto the one above it puts it in that row's place.
    names = page.locator(".builder-row strong")
    above = names.nth(names.count() - 2).inner_text()
    row(page, "Dietary needs").drag_to(row(page, above))
    expect(names.nth(names.count() - 2)).to_have_text("Dietary needs")
    expect(names.last).to_have_text(above)
    expect(page.get_by_role("status")).to_contain_text("Dietary needs moved to position")
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")
    saved = list(CustomForm.objects.filter(event=event, form="session").order_by("position"))
    assert [field.name for field in saved[-2:]] == ["Dietary needs", above]

    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Delete Dietary needs").click()
    expect(row(page, "Dietary needs")).to_have_count(0)
    assert "kept and shown as archived" in messages[0]
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")
    assert not CustomForm.objects.filter(event=event, name="Dietary needs").exists()
    assert violations == []


def test_unsaved_changes_are_warned_about_when_leaving(live_server, page, violations):
    open_builder(live_server, page)
    page.get_by_label("Include Subtitle").check()
    kinds = []

    def stay(dialog):
        kinds.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    # Switching to the speaker tab asks first; dismissing keeps the page and the edit.
    page.get_by_role("link", name="Speaker form").click()
    page.wait_for_timeout(300)
    assert kinds == ["beforeunload"]
    expect(page.get_by_label("Include Subtitle")).to_be_checked()
    page.remove_listener("dialog", stay)

    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")
    page.get_by_role("link", name="Speaker form").click()
    expect(page.get_by_role("heading", name="Speaker form")).to_be_visible()
    assert kinds == ["beforeunload"]
    assert violations == []



def test_drag_a_field_to_reorder(live_server, page, violations):
    event = open_builder(live_server, page)
    names = page.locator(".builder-row strong")
    expect(names.nth(1)).to_have_text("Subtitle")
    row(page, "Long abstract").drag_to(row(page, "Subtitle"))
    expect(names.nth(1)).to_have_text("Long abstract")
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_role("status")).to_have_text("The form is saved.")
    order = list(CustomForm.objects.filter(event=event, form="session").order_by("position")
                 .values_list("field_identifier", flat=True)[:3])  # fmt: skip
    assert order == ["title", "longAbstract", "subtitle"]
    assert violations == []
