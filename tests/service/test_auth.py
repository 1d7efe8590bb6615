"""Bearer tokens: stored hashed, one role each, revocable; no token, no dossier."""

from __future__ import annotations

import hashlib
import time

import pytest
import sqlalchemy as sa

from service.auth import Role
from service.http import PRINCIPAL_TTL
from service.store.engine import create_engine_for
from service.store.tables import api_tokens
from service.store.tokens import create_token, principal_for_token, revoke_tokens
from tests.service.conftest import Client, bearer


def test_a_token_says_who_is_asking(client: Client, tokens: dict[str, str]) -> None:
    body = client.get("/api/v1/me", headers=bearer(tokens["mayor"])).json()
    assert body == {"user": "mayor-1", "role": "mayor", "roleLabel": "burgemeester"}


def test_without_a_token_the_answer_is_401_with_a_bearer_challenge(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="bibob"'
    assert response.headers["content-type"].startswith("application/problem+json")


def test_unknown_and_malformed_tokens_are_refused(client: Client) -> None:
    for header in ("Bearer bibob_onbekend", "Bearer", "Basic dXNlcjpwdw==", "Bearer " + "x" * 5000):
        assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401


def test_tokens_are_stored_only_as_a_hash(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        token = create_token(conn, "privacy-2", Role.PRIVACY_OFFICER)
        hashes = [row.token_hash for row in conn.execute(sa.select(api_tokens.c.token_hash))]
    engine.dispose()
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert token not in hashes


def test_a_revoked_token_no_longer_works(client: Client, database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        token = create_token(conn, "revoked-1", Role.MAYOR)
        assert principal_for_token(conn, token) is not None
        assert revoke_tokens(conn, "revoked-1") == 1
        assert principal_for_token(conn, token) is None
    engine.dispose()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_an_absurd_page_number_is_a_400_not_a_database_error(client: Client, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/audit-log", params={"page": str(10**25)}, headers=bearer(tokens["privacyOfficer"]))
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "page"


def test_a_revocation_takes_effect_within_the_principal_cache_lifetime(
    client: Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        token = create_token(conn, "cached-1", Role.MAYOR)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with engine.begin() as conn:
        revoke_tokens(conn, "cached-1")
    engine.dispose()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200  # still trusted for a moment
    later = time.monotonic() + PRINCIPAL_TTL + 1
    monkeypatch.setattr("service.http.time.monotonic", lambda: later)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
