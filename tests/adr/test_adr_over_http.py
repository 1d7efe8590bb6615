"""The NL API Design Rules that only show over HTTP, checked on the real service (uvicorn on a free port)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.store.migrate import migrate
from tests.browser.conftest import _free_port as free_port
from tests.browser.conftest import _wait_until_ready as wait_until_ready
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service in its own process (as the browser tests start it) on a migrated SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('adr') / 'bibob.sqlite3'}"
    migrate(url)
    port = free_port()
    env = {**os.environ, "BIBOB_DATABASE_URL": url, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app", "--port", str(port),
               "--host", "127.0.0.1", "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(address, process)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_answer_carries_the_full_api_version_as_documented(base: str) -> None:
    """/core/version-header."""
    document = httpx.get(f"{base}/api/v1/openapi.json").json()
    version = document["info"]["version"]
    for path in ("/api/v1/questionnaires", "/api/v1/health", "/api/v1/ready", "/api/v1/onbekend", "/api/v1/me"):
        response = httpx.get(base + path)
        assert response.headers["API-Version"] == version, path
    assert document["servers"] == [{"url": "/api/v1", "description": "Deze bibob-installatie"}]  # /core/uri-version


def test_errors_are_problem_details_with_status_title_and_detail(base: str) -> None:
    """/core/error-handling/problem-details: unknown resource, no token, a malformed body."""
    answers = [
        httpx.get(f"{base}/api/v1/onbekend"),
        httpx.get(f"{base}/api/v1/applications"),
        httpx.post(
            f"{base}/api/v1/questionnaires/bibob-subsidie/completeness-checks",
            content=b"{kapot",
            headers={"Content-Type": "application/json"},
        ),
    ]
    assert [response.status_code for response in answers] == [404, 401, 400]
    for response in answers:
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == response.status_code and body["title"] and body["detail"]


def test_the_openapi_document_is_published_at_openapi_json(base: str) -> None:
    """/core/publish-openapi: GET /api/v1/openapi.json, JSON, OpenAPI 3."""
    response = httpx.get(f"{base}/api/v1/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json()["openapi"].startswith("3.")


def test_the_openapi_document_may_be_read_from_any_origin(base: str) -> None:
    """/core/publish-openapi: CORS on the document."""
    response = httpx.get(f"{base}/api/v1/openapi.json", headers={"Origin": "https://developer.overheid.nl"})
    assert response.headers.get("Access-Control-Allow-Origin") == "*"


def test_a_trailing_slash_is_not_found(base: str) -> None:
    """/core/no-trailing-slash."""
    assert httpx.get(f"{base}/api/v1/questionnaires/").status_code == 404


def test_answers_carry_hsts(base: str) -> None:
    """/core/transport/tls (HSTS)."""
    assert "max-age=" in httpx.get(f"{base}/api/v1/health").headers.get("Strict-Transport-Security", "")


def test_the_linters_inputs_are_where_the_readme_says() -> None:
    here = Path(__file__).parent
    assert (here / "package-lock.json").is_file() and (here / "ruleset-2.2.0-rc.1.yaml").is_file()
