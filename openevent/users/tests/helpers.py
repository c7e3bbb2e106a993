"""Shared helpers for the users tests (and the browser tests of the apps above)."""
from playwright.sync_api import expect

from .factories import PASSWORD


def user_doc(attributes, id=None):
    data = {"type": "user", "attributes": attributes}
    if id is not None:
        data["id"] = str(id)
    return {"data": data}


def log_in(page, base, email, password=PASSWORD):
    """Log in through the login page in a real browser and wait for "My events"."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My events", level=1)).to_be_visible()
