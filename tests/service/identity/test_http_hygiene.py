"""HTTP hygiene over real HTTP: HSTS on every answer, CORS for the OpenAPI document only, no trailing slashes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from service.store.migrate import migrate
from tests.service.conftest import Client, bearer
from tests.service.identity.conftest import live_service


def test_every_answer_carries_strict_transport_security(client: Client, tokens: dict[str, str]) -> None:
    for path in ("/api/v1/health", "/api/v1/me", "/aanmelden", "/api/v1/bestaat-niet"):
        response = client.get(path, headers=bearer(tokens["mayor"]))
        assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains", path


def test_the_openapi_document_may_be_read_from_another_origin(client: Client) -> None:
    for path in ("/api/v1/openapi.json", "/schema/openapi.json"):
        response = client.get(path, headers={"Origin": "https://portaal.example"})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/api/v1/openapi.json", headers={"Origin": "https://portaal.example"})
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_nothing_else_is_shared_with_other_origins(client: Client, tokens: dict[str, str]) -> None:
    origin = {"Origin": "https://kwaadwillend.example"}
    for path in ("/api/v1/me", "/api/v1/applications", "/", "/aanmelden", "/api/v1/health"):
        response = client.get(path, headers=bearer(tokens["permitOfficer"]) | origin)
        assert "access-control-allow-origin" not in response.headers, path
    preflight = client.options("/api/v1/applications", headers=origin | {"Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/applications/", "/api/v1/health/", "/aanmelden/"])
def test_a_trailing_slash_answers_404(client: Client, tokens: dict[str, str], path: str) -> None:
    response = client.get(path, headers=bearer(tokens["permitOfficer"]))
    assert response.status_code == 404
    expected = "text/html" if path == "/aanmelden/" else "application/problem+json"
    assert response.headers["content-type"].startswith(expected)
    assert client.get(path.rstrip("/"), headers=bearer(tokens["permitOfficer"])).status_code == 200


def test_a_write_to_a_path_with_a_trailing_slash_changes_nothing(client: Client, tokens: dict[str, str]) -> None:
    officer = bearer(tokens["permitOfficer"])
    before = client.get("/api/v1/applications", headers=officer).json()["count"]
    new = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    assert client.post("/api/v1/applications/", json=new, headers=officer).status_code == 404
    assert client.get("/api/v1/applications", headers=officer).json()["count"] == before


def test_the_start_page_keeps_its_slash(client: Client) -> None:
    assert client.get("/", follow_redirects=False).status_code in (200, 303)


def test_over_a_real_socket_the_slash_the_cors_and_the_hsts_hold(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    with live_service(url) as base, httpx.Client(base_url=base) as http:
        assert http.get("/api/v1/health/").status_code == 404
        assert http.get("/aanmelden/").status_code == 404
        health = http.get("/api/v1/health")
        assert health.status_code == 200 and "strict-transport-security" in health.headers
        assert "access-control-allow-origin" not in health.headers
        assert http.get("/api/v1/openapi.json").headers["access-control-allow-origin"] == "*"
