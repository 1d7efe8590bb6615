"""One OpenAPI document (Litestar's /schema place answers the same), and the browsable reference beside it."""

from __future__ import annotations

from pathlib import Path

from tests.service.conftest import Client

STATIC = Path(__file__).parents[3] / "src" / "service" / "web" / "static"


def test_the_schema_path_serves_the_same_document_as_the_api(client: Client) -> None:
    api = client.get("/api/v1/openapi.json").json()
    assert client.get("/schema/openapi.json").json() == api
    assert "Problem" in api["components"]["schemas"]  # the full document, not Litestar's thinner one


def test_the_api_reference_is_a_public_page_loading_vendored_swagger_ui(client: Client) -> None:
    client.cookies.clear()
    response = client.get("/api-referentie")
    assert response.status_code == 200
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>' in response.text
    assert 'href="/api/v1/openapi.json"' in response.text  # readable without JavaScript: the document itself
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/static/api-reference.js").status_code == 200
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_swagger_ui_is_vendored_with_its_licence() -> None:
    folder = STATIC / "vendor" / "swagger-ui"
    assert "Apache License" in (folder / "LICENSE").read_text("utf-8")
    assert "swagger-ui-dist" in (STATIC / "vendor" / "README.md").read_text("utf-8")
