"""Idempotency keys: one effect per key, the stored answer on retry, no replay across principals."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError
from service.auth import Principal, Role
from service.store.errors import IdempotencyConflictError, IdempotencyMismatchError
from service.store.idempotency import StoredResponse, purge_expired, remember, replay, request_hash
from service.store.tables import idempotency_keys
from tests.service.store.conftest import OFFICER, OTHER_OFFICER

KEY = "6f1c2a9e-3b7d-4c1e-9a55-0d2f8e7b1c44"
SCOPE = "POST /applications"
CREATED = StoredResponse(201, {"id": "2026-0001"})


def test_a_retry_with_the_same_key_and_request_gets_the_stored_answer(conn: Connection) -> None:
    fingerprint = request_hash("post", "/api/v1/applications", {"permitType": "alcoholwet"})
    assert replay(conn, OFFICER, SCOPE, KEY, fingerprint) is None
    remember(conn, OFFICER, SCOPE, KEY, fingerprint, CREATED)
    assert replay(conn, OFFICER, SCOPE, KEY, fingerprint) == CREATED


def test_reusing_a_key_for_another_request_is_refused(conn: Connection) -> None:
    remember(conn, OFFICER, SCOPE, KEY, request_hash("POST", "/a", {"x": 1}), CREATED)
    with pytest.raises(IdempotencyMismatchError, match="ander verzoek"):
        replay(conn, OFFICER, SCOPE, KEY, request_hash("POST", "/a", {"x": 2}))


def test_a_key_never_replays_another_principals_answer(conn: Connection) -> None:
    fingerprint = request_hash("POST", "/a", {})
    remember(conn, OFFICER, SCOPE, KEY, fingerprint, CREATED)
    assert replay(conn, OTHER_OFFICER, SCOPE, KEY, fingerprint) is None
    assert replay(conn, OFFICER, "POST /signals", KEY, fingerprint) is None


def test_a_key_never_replays_the_same_users_answer_in_another_role(conn: Connection) -> None:
    fingerprint = request_hash("POST", "/api/v1/signals", {"text": "melding"})
    as_advisor, as_partner = Principal("jan", Role.SAFETY_ADVISOR), Principal("jan", Role.SIGNAL_INTAKE_PARTNER)
    remember(conn, as_advisor, "POST /signals", KEY, fingerprint, StoredResponse(201, {"id": "s-1", "text": "…"}))
    assert replay(conn, as_partner, "POST /signals", KEY, fingerprint) is None  # the partner reads nothing back
    assert replay(conn, as_advisor, "POST /signals", KEY, fingerprint) is not None


def test_a_twin_request_that_finishes_second_rolls_back_with_a_conflict(engine: Engine) -> None:
    fingerprint = request_hash("POST", "/a", {})
    with engine.begin() as conn:
        remember(conn, OFFICER, SCOPE, KEY, fingerprint, CREATED)
    with engine.begin() as conn, pytest.raises(IdempotencyConflictError):
        remember(conn, OFFICER, SCOPE, KEY, fingerprint, StoredResponse(201, {"id": "2026-0002"}))
    with engine.begin() as conn:
        assert replay(conn, OFFICER, SCOPE, KEY, fingerprint) == CREATED


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "spatie in sleutel", "ü" * 10])
def test_malformed_keys_are_refused_in_dutch(conn: Connection, key: str) -> None:
    with pytest.raises(InvalidInputError, match="Idempotency-Key"):
        replay(conn, OFFICER, SCOPE, key, "0" * 64)


def test_expired_keys_are_forgotten(conn: Connection) -> None:
    fingerprint = request_hash("POST", "/a", {})
    remember(conn, OFFICER, SCOPE, KEY, fingerprint, CREATED)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    conn.execute(sa.update(idempotency_keys).values(created_at=old))
    assert replay(conn, OFFICER, SCOPE, KEY, fingerprint) is None
    remember(conn, OFFICER, SCOPE, KEY, fingerprint, StoredResponse(200, {"again": True}))
    conn.execute(sa.update(idempotency_keys).values(created_at=old))
    assert purge_expired(conn) == 1
