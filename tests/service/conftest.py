"""A migrated database and a running app per test module, with a token per role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from litestar.testing import TestClient

from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tokens import create_token

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'bibob.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture(scope="module")
def tokens(database_url: str) -> dict[str, str]:
    """One token per role, users named after their role ('permitOfficer-1')."""
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        made = {role.value: create_token(conn, f"{role.value}-1", role) for role in Role}
        made["permitOfficer-2"] = create_token(conn, "permitOfficer-2", Role.PERMIT_OFFICER)
        made["safetyAdvisor-2"] = create_token(conn, "safetyAdvisor-2", Role.SAFETY_ADVISOR)
    engine.dispose()
    return made


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[Client]:
    with TestClient(create_app(Settings(database_url=database_url, max_body_bytes=262_144))) as test_client:
        test_client.event_hooks["response"].append(conforms_to_document(test_client))
        yield test_client


class UndeclaredResponseError(AssertionError):
    """An API answer that the published OpenAPI document does not describe."""


def conforms_to_document(client: Client) -> Callable[[httpx.Response], None]:
    """A response hook: every success of the API must have the body and headers its operation declares."""
    document = client.get("/api/v1/openapi.json").json()
    base = document["servers"][0]["url"]
    operations = [
        (
            re.compile("^" + re.escape(base) + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"),
            path.count("{"),
            item,
        )
        for path, item in document["paths"].items()
    ]

    def check(response: httpx.Response) -> None:
        if not 200 <= response.status_code < 400 or not response.request.url.path.startswith(base + "/"):
            return
        path, method = response.request.url.path, response.request.method.lower()
        found = sorted(
            ((params, item) for pattern, params, item in operations if pattern.match(path) and method in item),
            key=lambda f: f[0],
        )
        if not found:
            return  # no such operation: Litestar answers it (405/404 are no successes)
        declared: dict[str, Any] = found[0][1][method]["responses"].get(str(response.status_code))
        if declared is None:
            raise UndeclaredResponseError(f"{method.upper()} {path}: status {response.status_code} niet beschreven")
        headers = {name.lower() for name in declared.get("headers", {})}
        for name in ("etag", "link", "location", "api-version"):
            if name in response.headers and name not in headers:
                raise UndeclaredResponseError(f"{method.upper()} {path}: header {name} niet beschreven")
        schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None and response.headers.get("content-type", "").startswith("application/json"):
            response.read()
            validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
            problems = [
                f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.json())
            ]
            if problems:
                raise UndeclaredResponseError(f"{method.upper()} {path}: " + "; ".join(problems[:5]))

    return check


def bearer(token: str, reason: str = "") -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    return headers | ({"X-Audit-Reason": reason} if reason else {})


DATA = Path(__file__).parents[1] / "data"
