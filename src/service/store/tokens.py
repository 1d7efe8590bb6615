"""Opaque API tokens (embedded mode): made once, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal, Role
from service.store.common import utcnow
from service.store.tables import api_tokens

PREFIX = "bibob_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def key_of(token: str) -> str:
    """The key a token is stored and listed under (its SHA-256 in hex)."""
    return _hash(token)


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


@attrs.frozen
class TokenInfo:
    """An API token as the functional admin sees it: its key (the hash, never the token), whose, since, revoked."""

    key: str
    user: str
    role: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def list_tokens(conn: Connection) -> tuple[TokenInfo, ...]:
    """Every token, newest first; the plain token is not stored, so it cannot be shown again."""
    c = api_tokens.c
    query = sa.select(c.token_hash.label("key"), c.user, c.role, c.created_at, c.revoked_at)
    return tuple(TokenInfo(**row) for row in conn.execute(query.order_by(c.created_at.desc(), c.user)).mappings())


def revoke_token(conn: Connection, key: str) -> bool:
    """Revoke the one token with this key (its hash); False when there is no such active token."""
    active = (api_tokens.c.token_hash == key) & api_tokens.c.revoked_at.is_(None)
    return conn.execute(api_tokens.update().where(active).values(revoked_at=utcnow())).rowcount > 0


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
