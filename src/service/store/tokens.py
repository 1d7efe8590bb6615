"""Opaque API tokens (embedded mode): made once, shown once, stored only as a SHA-256 hash; each ends.

Every token has an expiry (`expires_at`; tokens made before migration 0010 have none until rotated), can be
rotated (a new token for the same user and role, the old one revoked at once) and revoked. Creation, rotation
and revocation are rows of the audit chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal, Role
from service.store import audit
from service.store.common import utcnow
from service.store.tables import api_tokens

PREFIX = "bibob_"
DEFAULT_DAYS = 90
MAX_DAYS = 3660


@attrs.frozen
class IssuedToken:
    """A token just made: the plain token (shown once), whom it stands for and when it ends."""

    token: str = attrs.field(repr=False)
    principal: Principal
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    """The stored form of a token (and the key of the service's short-lived cache)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_ref(token_hash_: str) -> str:
    """How the audit log names a token: the start of its hash (enough to find it, useless to use it)."""
    return "token:" + token_hash_[:16]


def create_token(
    conn: Connection,
    user: str,
    role: Role,
    *,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    actor: Principal | None = None,
) -> str:
    """A new token for `user` in `role`, ending after `days`; the plain token is returned once and never stored."""
    return issue_token(conn, user, role, days=days, now=now, actor=actor).token


def issue_token(
    conn: Connection,
    user: str,
    role: Role,
    *,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    actor: Principal | None = None,
) -> IssuedToken:
    """`create_token`, returning the expiry too; `actor` is who made it (None: the command line)."""
    problems = []
    if not user or len(user) > 128 or not user.isprintable():
        problems.append(Problem("/user", "invalidUser", "geef een gebruikersnaam van 1 tot 128 tekens"))
    if not 1 <= days <= MAX_DAYS:
        problems.append(Problem("/days", "invalidDays", f"een token geldt 1 tot {MAX_DAYS} dagen"))
    if problems:
        raise InvalidInputError(problems)
    now = now or utcnow()
    token, expires = PREFIX + secrets.token_urlsafe(32), now + dt.timedelta(days=days)
    hashed = token_hash(token)
    values = {"token_hash": hashed, "user": user, "role": role.value, "created_at": now, "expires_at": expires}
    conn.execute(api_tokens.insert().values(**values))
    audit.append_identity(
        conn,
        actor,
        audit.TOKEN_CREATED,
        user,
        object_type="apiToken",
        object_id=token_ref(hashed),
        reason=f"rol {role.value}, geldig tot {expires.date().isoformat()}",
    )
    return IssuedToken(token, Principal(user, role), expires)


def rotate_token(
    conn: Connection, token: str, *, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
) -> IssuedToken | None:
    """A new token for the user and role of an active `token`, which is revoked at once; None when it is not
    active (unknown, revoked or expired)."""
    now = now or utcnow()
    principal = principal_for_token(conn, token, now)
    if principal is None:
        return None
    issued = issue_token(conn, principal.user, principal.role, days=days, now=now, actor=principal)
    old = token_hash(token)
    conn.execute(api_tokens.update().where(api_tokens.c.token_hash == old).values(revoked_at=now))
    audit.append_identity(
        conn, principal, audit.TOKEN_ROTATED, principal.user, object_type="apiToken", object_id=token_ref(old)
    )
    return issued


def revoke_tokens(conn: Connection, user: str, actor: Principal | None = None) -> int:
    """Revoke every token of `user`; returns how many were still active (the revocation is audited)."""
    active = (api_tokens.c.user == user) & api_tokens.c.revoked_at.is_(None)
    count = conn.execute(api_tokens.update().where(active).values(revoked_at=utcnow())).rowcount
    if count:
        audit.append_identity(conn, actor, audit.TOKEN_REVOKED, user, reason=f"{count} token(s)")
    return count


@attrs.frozen
class TokenInfo:
    """An API token as the functional admin sees it: its key (the hash, never the token), whose, since, revoked."""

    key: str
    user: str
    role: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


def list_tokens(conn: Connection) -> tuple[TokenInfo, ...]:
    """Every token, newest first; the plain token is not stored, so it cannot be shown again."""
    c = api_tokens.c
    query = sa.select(c.token_hash.label("key"), c.user, c.role, c.created_at, c.expires_at, c.revoked_at)
    return tuple(TokenInfo(**row) for row in conn.execute(query.order_by(c.created_at.desc(), c.user)).mappings())


def revoke_token(conn: Connection, key: str, actor: Principal | None = None) -> bool:
    """Revoke the one token with this key (its hash); False when there is no such active token (audited)."""
    active = (api_tokens.c.token_hash == key) & api_tokens.c.revoked_at.is_(None)
    user = conn.execute(sa.select(api_tokens.c.user).where(active)).scalar()
    if user is None:
        return False
    conn.execute(api_tokens.update().where(active).values(revoked_at=utcnow()))
    audit.append_identity(conn, actor, audit.TOKEN_REVOKED, user, object_type="apiToken", object_id=token_ref(key))
    return True


def principal_for_token(conn: Connection, token: str, now: dt.datetime | None = None) -> Principal | None:
    """The principal an active token stands for, or None (unknown, revoked, expired or malformed)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    now = now or utcnow()
    row = conn.execute(
        sa.select(api_tokens.c.user, api_tokens.c.role).where(
            api_tokens.c.token_hash == token_hash(token),
            api_tokens.c.revoked_at.is_(None),
            sa.or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
        )
    ).first()
    role = Role.parse(row.role) if row else None
    return Principal(row.user, role) if row and role else None
