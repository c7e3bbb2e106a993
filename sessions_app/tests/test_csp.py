"""Every page answers with a Content-Security-Policy that allows scripts from our origin only, and
no template holds an inline script or event handler that such a policy would block."""
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openevent.core.csp import HEADER
from sessions_app.tests.helpers import Program
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
#: Namespaces and prefixes whose pages are not ours to test one by one (the admin is checked below).
SKIPPED_PREFIXES = ("admin/", "v1/", "auth/", "media/")
#: Pages that show a mail's HTML in a sandboxed frame (mailing.views).
MAIL_PREVIEW_PAGES = {"mail-template-edit", "mail-speakers"}


def directives(response):
    value = response[HEADER]
    return {part.split()[0]: part.split()[1:] for part in value.split("; ")}


def page_url_names():
    """(name, converters) of every named page route of the project."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((pattern.name, list(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


def test_the_project_has_pages_to_check():
    names = {name for name, _ in page_url_names()}
    assert {"login", "register", "my-events", "event-dashboard", "session-list", "speaker-list"} <= names


@pytest.mark.parametrize(("name", "converters"), page_url_names(), ids=[name for name, _ in page_url_names()])
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "owner"])
def test_every_page_has_the_policy(client, name, converters, logged_in):
    program = Program()
    if logged_in:
        client.force_login(program.people["owner"])
    values = {"identifier": program.event.identifier, "part": "tracks", "pk": program.own_session.pk,
              "token": "no-such-token", "action": "session_accepted", "form": "session",
              "day": program.event.starts_at.date(), "task": "0f2d8c3e-6f4b-4c1e-9a57-3b8e2d1c4a90"}  # fmt: skip
    response = client.get(reverse(name, kwargs={key: values[key] for key in converters}))
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    # The mail previews (a sandboxed frame, which inherits the page's policy) may also apply the
    # inline styles of the mail layout, each allowed by its hash; never 'unsafe-inline'.
    style_src = policy["style-src"]
    if name in MAIL_PREVIEW_PAGES and len(style_src) > 1:
        assert style_src[:2] == ["'self'", "'unsafe-hashes'"]
        assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", source) for source in style_src[2:])
    else:
        assert style_src == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("url", ["/admin/login/", "/v1/events", "/no-such-page", "/v1/no-such-thing"])
def test_admin_api_and_errors_have_it_too(client, url):
    assert directives(client.get(url))["script-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["/v1/docs/", "/v1/redoc/"])
def test_the_api_docs_relax_only_styles_and_workers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"


def test_the_swagger_start_up_script_is_served_from_our_origin(client):
    script = client.get("/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_no_template_has_inline_scripts_or_handlers():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE):
            offenders.append(str(template.relative_to(TEMPLATES)))
        if re.search(r"javascript:", text, re.IGNORECASE):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


#: The public site's pages (issue 10), walked above with the program's draft-free event; here
#: with a schedule, so each answers 200 with its real content under the policy.
PUBLIC_PAGES = {"home", "public-event", "public-schedule", "public-schedule-grid-css", "public-session",
                "public-session-ics", "public-speakers", "public-speaker", "public-tracks", "public-rooms"}  # fmt: skip


def test_the_walk_includes_the_public_pages():
    assert {name for name, _ in page_url_names()} >= PUBLIC_PAGES


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_the_public_pages_answer_under_the_policy(client, name):
    world = PublicWorld()
    values = {"identifier": world.event.identifier}
    if name in ("public-session", "public-session-ics"):
        values["pk"] = world.talk.pk
    elif name == "public-speaker":
        values["pk"] = world.alice.pk
    response = client.get(reverse(name, kwargs=values if name != "home" else {}))
    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]
    assert directives(response)["style-src"] == ["'self'"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle\s*=", html), "an inline style attribute"
