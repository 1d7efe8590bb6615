"""Opaque API tokens (embedded mode): made once, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal, Role
from service.store.common import utcnow
from service.store.tables import api_tokens

PREFIX = "bibob_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(conn: Connection, user: str, role: Role) -> str:
    """A new token for `user` in `role`; the plain token is returned once and never stored."""
    if not user or len(user) > 128 or not user.isprintable():
        raise InvalidInputError([Problem("/user", "invalidUser", "geef een gebruikersnaam van 1 tot 128 tekens")])
    token = PREFIX + secrets.token_urlsafe(32)
    values = {"token_hash": _hash(token), "user": user, "role": role.value, "created_at": utcnow()}
    conn.execute(api_tokens.insert().values(**values))
    return token


def revoke_tokens(conn: Connection, user: str) -> int:
    """Revoke every token of `user`; returns how many were still active."""
    active = (api_tokens.c.user == user) & api_tokens.c.revoked_at.is_(None)
    return conn.execute(api_tokens.update().where(active).values(revoked_at=utcnow())).rowcount


def principal_for_token(conn: Connection, token: str) -> Principal | None:
    """The principal an active token stands for, or None (unknown, revoked or malformed)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = conn.execute(
        sa.select(api_tokens.c.user, api_tokens.c.role).where(
            api_tokens.c.token_hash == _hash(token), api_tokens.c.revoked_at.is_(None)
        )
    ).first()
    role = Role.parse(row.role) if row else None
    return Principal(row.user, role) if row and role else None
