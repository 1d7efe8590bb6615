"""The read-only questionnaire resource over HTTP: NL API conventions, problem details, no 500s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from service.app import create_app
from service.settings import Settings
from service.store.migrate import head_revision, migrate
from tests.conftest import answers

BASE = "/api/v1/questionnaires"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:  # type: ignore[type-arg]
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'bibob.sqlite3'}"
    migrate(url)  # readiness asks for a migrated database
    with TestClient(create_app(Settings(database_url=url, max_body_bytes=65_536))) as test_client:
        yield test_client


def test_the_list_follows_the_pagination_envelope(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    assert body["results"][0]["id"] == "bibob-omgevingsvergunning-bouw"


def test_every_response_carries_the_api_version_and_security_headers(client: TestClient) -> None:  # type: ignore[type-arg]
    for path in (BASE, f"{BASE}/bestaat-niet", "/api/v1/bestaat-niet"):
        headers = client.get(path).headers
        assert headers["api-version"] == "1.0.0"
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["content-security-policy"] == "frame-ancestors 'none'"


def test_show_returns_the_definition_with_official_ids(client: TestClient) -> None:  # type: ignore[type-arg]
    body = client.get(f"{BASE}/bibob-overige-beschikkingen").json()
    question = body["sections"][0]["questions"][2]
    assert (question["id"], question["officialId"], question["role"]) == ("1B.persoon", "1B", "owner")


def test_the_answer_schema_is_served_as_json_schema(client: TestClient) -> None:  # type: ignore[type-arg]
    body = client.get(f"{BASE}/bibob-subsidie/answer-schema").json()
    assert body["$id"] == "answers/bibob-subsidie/1.0.0.schema.json"


def test_an_unknown_questionnaire_is_a_404_problem(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get(f"{BASE}/bestaat-niet/answer-schema")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "notFound"


def test_a_completeness_check_lists_every_problem(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post(
        f"{BASE}/bibob-overige-beschikkingen/completeness-checks", json=answers("broken-missing-answers.json")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "incomplete"
    assert [p["name"] for p in body["missing"]] == ["/answers/1B.persoon/dateOfBirth", "/answers/2H", "/answers/6A"]


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [(b"{ kapot", 400, "invalid"), (b"\xff\xfe\x00", 400, "invalid"), (b"[" * 100_000, 413, "http413")],
)
def test_bad_bodies_get_a_clear_4xx_problem(
    client: TestClient,
    content: bytes,
    status: int,
    code: str,  # type: ignore[type-arg]
) -> None:
    response = client.post(f"{BASE}/bibob-subsidie/completeness-checks", content=content, headers=JSON)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert "Traceback" not in response.text


def test_deeply_nested_json_is_refused_not_a_500(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post(
        f"{BASE}/bibob-subsidie/completeness-checks", content=b"[" * 5000 + b"]" * 5000, headers=JSON
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "json.tooDeep"


def test_wrong_methods_and_unknown_routes_are_problems_too(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.delete(BASE).json()["status"] == 405
    assert client.get("/api/v1/onbekend").json()["status"] == 404


def test_health_readiness_and_openapi_need_no_token(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    assert client.get("/api/v1/ready").json() == {
        "status": "ok",
        "questionnaires": 5,
        "database": "ok",
        "migration": head_revision(),
    }
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert all(op.get("summary") for path in document["paths"].values() for op in path.values() if isinstance(op, dict))
