"""CORS (django-cors-headers) for the origins in ``CORS_ALLOWED_ORIGINS``: browser clients such as
the Open Event front end call /v1/ and /auth/ with credentials and their headers; nothing else is
opened to other origins."""
import pytest

pytestmark = pytest.mark.django_db

FRONT_END = "https://eventyay.example.org"


@pytest.fixture(autouse=True)
def _allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]


def preflight(client, url, origin, headers="authorization,content-type,x-csrf-token"):
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


@pytest.mark.parametrize("url", ["/v1/events", "/v1/auth/token/refresh", "/auth/session"])
def test_a_preflight_from_an_allowed_origin_gets_the_headers(client, url):
    response = preflight(client, url, FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert response["Access-Control-Allow-Credentials"] == "true"
    allowed = {name.strip().lower() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-csrf-token"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_a_simple_request_from_an_allowed_origin_may_be_read(client):
    response = client.get("/v1/events", HTTP_ORIGIN=FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert response["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://eventyay.example.org", "null"])
def test_other_origins_get_no_cors_headers(client, origin):
    response = preflight(client, "/v1/events", origin)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response
    assert "Access-Control-Allow-Origin" not in client.get("/v1/events", HTTP_ORIGIN=origin)


@pytest.mark.parametrize("url", ["/login", "/admin/login/", "/events/new"])
def test_pages_are_not_opened_to_other_origins(client, url):
    assert "Access-Control-Allow-Origin" not in client.get(url, HTTP_ORIGIN=FRONT_END)

