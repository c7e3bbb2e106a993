"""/v1/docs/ (Swagger UI) and /v1/redoc/ (ReDoc) load nothing from the internet: every script,
stylesheet and font they reference is one of our static files. (In a real browser, under the
site's Content-Security-Policy: sessions_app/tests/test_browser_csp.py.)"""
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def references(text):
    return [a or b for a, b in REFERENCE.findall(text)]


def static_path(url):
    assert url.startswith("/static/"), url
    return url.removeprefix("/static/").split("?")[0]


@pytest.mark.parametrize("url", ["/v1/docs/", "/v1/redoc/"])
def test_the_docs_reference_no_external_host(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = references(html)
    assert found, html
    assert [ref for ref in found if EXTERNAL.match(ref)] == []
    assert "googleapis" not in html
    assert "gstatic" not in html
    for ref in found:
        if ref.startswith("/static/"):
            assert finders.find(static_path(ref)), ref


def test_redocs_fonts_are_our_static_files(client):
    html = client.get("/v1/redoc/").content.decode()
    (stylesheet,) = [ref for ref in references(html) if ref.endswith("redoc-fonts.css")]
    css_path = finders.find(static_path(stylesheet))
    css = Path(css_path).read_text()
    fonts = references(css)
    assert {"Roboto", "Montserrat"} <= set(re.findall(r'font-family:\s*"([^"]+)"', css))
    assert len(fonts) == 4
    for font in fonts:
        assert not EXTERNAL.match(font)
        # Relative to the stylesheet: /static/css/../fonts/… is /static/fonts/…
        assert font.startswith("../fonts/"), font
        assert finders.find(font.removeprefix("../")), font
        served = client.get(f"/static/{font.removeprefix('../')}")
        assert served.status_code == 200, font
        served.close()
