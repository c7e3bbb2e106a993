"""The OpenAPI document and the browsable docs are generated from the code and self-contained."""
import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_covering_the_resources():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/v1/events", "/v1/events/{id}", "/v1/role-invites", "/v1/users", "/v1/sessions", "/v1/auth/login"):
        assert path in paths, path
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values() if isinstance(op, dict)]
    assert len(operation_ids) == len(set(operation_ids))
    assert "jwtAuth" in schema["components"]["securitySchemes"]


def test_schema_and_docs_are_served(client):
    response = client.get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert b"/v1/events" in response.content
    docs = client.get("/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    # Every asset from our own static files: the docs work on a closed network.
    assert "cdn." not in html
    assert "unpkg" not in html
    assert "jsdelivr" not in html
    assert client.get("/v1/redoc/").status_code == 200
