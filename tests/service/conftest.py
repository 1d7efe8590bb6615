"""A migrated database and a running app per test module, with a token per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
        yield test_client


def bearer(token: str, reason: str = "") -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    return headers | ({"X-Audit-Reason": reason} if reason else {})


DATA = Path(__file__).parents[1] / "data"
