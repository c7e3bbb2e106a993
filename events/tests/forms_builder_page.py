"""The forms builder page as a browser test drives it (shared by the builder's tests and the
end-to-end tests of the call for papers)."""
import re

from playwright.sync_api import expect


def row(page, name):
    return page.locator(".builder-row", has=page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$")))


def add_field(page, label, type_label, options=""):
    page.get_by_role("button", name="Add a custom field").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Label").fill(label)
    dialog.get_by_label("Type").select_option(label=type_label)
    if type_label == "Choose one":
        # A choice has choices and no bounds.
        expect(dialog.get_by_label("Minimum")).to_be_hidden()
        expect(dialog.get_by_label("Choices")).to_be_visible()
    if options:
        dialog.get_by_label("Choices").fill(options)
    dialog.get_by_role("button", name="Add field").click()
    expect(dialog).to_be_hidden()
