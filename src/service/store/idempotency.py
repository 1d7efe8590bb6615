"""Idempotency keys: a retried request with the same key has one effect and gets the stored answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store import audit
from service.store.common import utcnow
from service.store.errors import IdempotencyConflictError, IdempotencyMismatchError
from service.store.tables import idempotency_keys

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
EXPIRY = dt.timedelta(hours=24)


@attrs.frozen
class StoredResponse:
    """The answer given to the first request with a key."""

    status: int
    body: Any


def request_hash(method: str, path: str, body: object) -> str:
    """A fingerprint of the request: method, path and canonical JSON body."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def replay(conn: Connection, principal: Principal, scope: str, key: str, fingerprint: str) -> StoredResponse | None:
    """The stored answer for this principal's key, None for a new key; `IdempotencyMismatchError` for another request.

    It takes the writer lock first, so a twin request running concurrently finishes before this one looks.
    """
    _check_key(key)
    audit.lock_chain(conn)
    row = conn.execute(sa.select(idempotency_keys).where(*_identity(principal, scope, key))).mappings().first()
    if row is None or row["created_at"] < utcnow() - EXPIRY:
        return None
    if row["request_hash"] != fingerprint:
        raise IdempotencyMismatchError()
    return StoredResponse(row["response_status"], row["response_body"])


def remember(
    conn: Connection, principal: Principal, scope: str, key: str, fingerprint: str, response: StoredResponse
) -> None:
    """Store the answer in the same transaction as the effect; a concurrent twin makes this one roll back (409)."""
    _check_key(key)
    conn.execute(idempotency_keys.delete().where(*_identity(principal, scope, key), _expired()))
    values: dict[str, Any] = {"principal": principal.user, "scope": _scoped(principal, scope), "key": key}
    values["request_hash"] = fingerprint
    values |= {"response_status": response.status, "response_body": response.body, "created_at": utcnow()}
    try:
        with conn.begin_nested():
            conn.execute(idempotency_keys.insert().values(**values))
    except sa.exc.IntegrityError:
        raise IdempotencyConflictError() from None


def purge_expired(conn: Connection) -> int:
    """Forget keys older than `EXPIRY`; returns how many."""
    return conn.execute(idempotency_keys.delete().where(_expired())).rowcount


def _identity(principal: Principal, scope: str, key: str) -> tuple[sa.ColumnElement[bool], ...]:
    """Keys are scoped to the principal (user and role) and the operation: one user's key never replays another's
    answer, nor one role's answer to the same user in another role (an intake partner reads nothing back)."""
    table = idempotency_keys.c
    return table.principal == principal.user, table.scope == _scoped(principal, scope), table.key == key


def _scoped(principal: Principal, scope: str) -> str:
    return hashlib.sha256(f"{principal.role.value}\n{scope}".encode()).hexdigest()  # fits the 64-character column


def _expired() -> sa.ColumnElement[bool]:
    return idempotency_keys.c.created_at < utcnow() - EXPIRY


def _check_key(key: str) -> None:
    if not KEY_PATTERN.fullmatch(key):
        message = "de Idempotency-Key moet 8 tot 64 tekens zijn: letters, cijfers, '-' of '_'"
        raise InvalidInputError([Problem("Idempotency-Key", "idempotencyKey.invalid", message)])
