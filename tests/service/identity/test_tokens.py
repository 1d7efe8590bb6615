"""API tokens that end: an expiry, rotation that revokes the old token at once, and every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bibob.exceptions import InvalidInputError
from service.auth import Role
from service.store import audit
from service.store.engine import create_engine_for
from service.store.tables import api_tokens, audit_log
from service.store.tokens import issue_token, principal_for_token, revoke_tokens, rotate_token
from tests.service.identity.conftest import START, Client, Clock, bearer


def test_a_token_ends_at_its_expiry(client: Client, database_url: str, clock: Clock) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        issued = issue_token(conn, "kort-1", Role.MAYOR, days=1, now=START)
    engine.dispose()
    assert issued.expires_at == START + dt.timedelta(days=1)
    assert client.get("/api/v1/me", headers=bearer(issued.token)).status_code == 200
    clock.now = START + dt.timedelta(days=1, seconds=10)
    client.app.state.principals.clear()  # past the per-process cache (a few seconds), as another worker would be
    assert client.get("/api/v1/me", headers=bearer(issued.token)).status_code == 401


def test_rotating_gives_a_new_token_and_the_old_one_stops_at_once(
    client: Client, database_url: str, tokens: dict[str, str]
) -> None:
    old = tokens["bibobCoordinator"]
    assert client.get("/api/v1/me", headers=bearer(old)).status_code == 200  # in this worker's cache now
    rotated = client.post("/api/v1/me/token/_rotate", headers=bearer(old))
    assert rotated.status_code == 201
    body = rotated.json()
    assert (body["user"], body["role"]) == ("bibobCoordinator-1", "bibobCoordinator")
    assert dt.datetime.fromisoformat(body["expiresAt"]) == START + dt.timedelta(days=90)
    assert client.get("/api/v1/me", headers=bearer(old)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(body["token"])).json()["user"] == "bibobCoordinator-1"
    assert client.post("/api/v1/me/token/_rotate", headers=bearer(old)).status_code == 401
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        actions = [row.action for row in conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.seq))]
    engine.dispose()
    assert actions[-2:] == [audit.TOKEN_CREATED, audit.TOKEN_ROTATED]


def test_creation_and_revocation_are_audited_with_a_token_reference_never_the_token(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        issued = issue_token(conn, "beheer-test", Role.PRIVACY_OFFICER, now=START)
        assert revoke_tokens(conn, "beheer-test") == 1
        assert revoke_tokens(conn, "beheer-test") == 0  # nothing left to revoke: nothing audited
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).mappings().all()
        stored = conn.execute(sa.select(api_tokens.c.token_hash)).scalars().all()
        assert audit.verify_chain(conn).ok
    engine.dispose()
    rows = [row for row in rows if row["action"].startswith("identity.token")]
    assert [row["action"] for row in rows] == [audit.TOKEN_CREATED, audit.TOKEN_REVOKED]
    assert rows[0]["object_type"] == "apiToken" and rows[0]["object_id"] == "token:" + stored[0][:16]
    assert rows[1]["object_type"] == "account" and rows[1]["object_id"] == "beheer-test"
    assert all(issued.token not in str(dict(row)) for row in rows)


def test_an_unusable_lifetime_or_user_is_refused_naming_each(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn, pytest.raises(InvalidInputError) as refused:
        issue_token(conn, "", Role.MAYOR, days=0)
    engine.dispose()
    assert {problem.pointer for problem in refused.value.problems} == {"/user", "/days"}


def test_an_expired_or_revoked_token_cannot_be_rotated(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        issued = issue_token(conn, "oud-1", Role.MAYOR, days=1, now=START)
        assert rotate_token(conn, issued.token, now=START + dt.timedelta(days=2)) is None
        assert rotate_token(conn, "bibob_onbekend", now=START) is None
        assert principal_for_token(conn, issued.token, START) is not None
    engine.dispose()


def test_rotating_without_a_token_is_401(client: Client) -> None:
    assert client.post("/api/v1/me/token/_rotate").status_code == 401
