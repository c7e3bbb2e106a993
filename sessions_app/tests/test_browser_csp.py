"""Pages work under the Content-Security-Policy in a real browser: no violation is reported on the
login page, the dashboard, the sessions page, the admin and the API docs."""
import pytest
from playwright.sync_api import expect

from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import log_in
from sessions_app.tests.helpers import Program

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_roles")]



def test_organizer_pages_run_under_the_policy(live_server, page, violations):
    program = Program()
    owner = program.people["owner"]
    base = live_server.url
    log_in(page, base, owner.email)
    page.goto(f"{base}/events/{program.event.identifier}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(program.event.name)
    page.goto(f"{base}/events/{program.event.identifier}/sessions/")
    expect(page.get_by_text(program.own_session.title).first).to_be_visible()
    page.goto(f"{base}/events/{program.event.identifier}/tracks/")
    page.goto(f"{base}/events/{program.event.identifier}/settings/")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    page.goto(f"{base}/events/{program.event.identifier}/team/")
    expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
    page.goto(f"{base}/events/new")
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_admin_and_api_docs_run_under_the_policy(live_server, page, violations):
    admin = UserFactory(email="root@example.org", is_admin=True)
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(admin.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{base}/admin/users/user/")
    expect(page.get_by_text("root@example.org").first).to_be_visible()
    page.goto(f"{base}/admin/users/user/{admin.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert violations == []

    page.goto(f"{base}/v1/docs/")
    expect(page.get_by_text("Open Event on Django API").first).to_be_visible(timeout=60000)
    assert violations == []

    # What the page actually received (a request the policy refuses gets no response).
    requested = []
    page.on("response", lambda response: requested.append(response.url))
    page.goto(f"{base}/v1/redoc/")
    # The schema of the whole API takes a while to build and to lay out.
    expect(page.get_by_role("menuitem", name="session-type", exact=True)).to_be_visible(timeout=60000)
    page.wait_for_load_state("networkidle")
    # Everything ReDoc loads, its fonts included, comes from our origin.
    assert [url for url in requested if not url.startswith((base, "blob:", "data:"))] == []
    assert any("/static/fonts/" in url for url in requested), requested
    # Its fonts are ours too (templates/api/redoc.html); the one thing refused is the Redocly logo its
    # bundle always asks of cdn.redoc.ly (img-src of that page), so nothing comes from the internet.
    assert [text for text in violations if "cdn.redoc.ly/redoc/logo-mini.svg" not in text] == []
