"""Notifications inside the product (the bell): written where an event happens, one row per recipient; each user
reads and marks only their own. The text holds ids and labels only, what the recipient may already see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from service.auth import Role
from service.store.common import new_id
from service.store.tables import api_tokens, notifications, users

NEW_EVIDENCE = "newEvidence"
NEW_SIGNAL = "newSignal"
SIGNAL_ASSIGNED = "signalAssigned"
DECISION_WAITING = "decisionWaiting"
TERM_ENDING = "termEnding"  # computed when read, never stored


@attrs.frozen
class Notification:
    """One notification of one user: what kind, about which object, the Dutch text, when, and whether read."""

    id: str
    kind: str
    object_type: str
    object_id: str
    text: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None


def notify(
    conn: Connection, recipients: Iterable[str], kind: str, object_type: str, object_id: str, text: str, at: dt.datetime
) -> int:
    """One unread notification per recipient (each named once); returns how many were written."""
    rows = [
        {"id": new_id(), "user": user, "kind": kind, "object_type": object_type, "object_id": object_id,
         "text": text, "created_at": at}
        for user in dict.fromkeys(recipients)
    ]  # fmt: skip
    if rows:
        conn.execute(notifications.insert(), rows)
    return len(rows)


def accounts_in_role(conn: Connection, role: Role) -> tuple[str, ...]:
    """The users of a role, by name: enabled accounts and holders of an active API token (the recipients of what a
    role's shared desk should know)."""
    found = conn.execute(_IN_ROLE, {"role": role.value}).scalars()
    return tuple(sorted(set(found)))


# built once: building the two selects cost more than running them (every signal's intake asks)
_IN_ROLE = sa.union_all(
    sa.select(users.c.name).where(users.c.role == sa.bindparam("role"), users.c.disabled_at.is_(None)),
    sa.select(api_tokens.c.user).where(api_tokens.c.role == sa.bindparam("role"), api_tokens.c.revoked_at.is_(None)),
)


def notifications_of(
    conn: Connection, user: str, *, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> tuple[tuple[Notification, ...], int]:
    """The user's own notifications, newest first, and their total."""
    where = [notifications.c.user == user] + ([notifications.c.read_at.is_(None)] if unread_only else [])
    count = conn.execute(sa.select(sa.func.count()).select_from(notifications).where(*where)).scalar_one()
    columns = [notifications.c[field.name] for field in attrs.fields(Notification)]
    query = sa.select(*columns).where(*where).order_by(notifications.c.created_at.desc(), notifications.c.id)
    found = conn.execute(query.limit(limit).offset(offset)).mappings()
    return tuple(Notification(**row) for row in found), int(count)


def unread_count(conn: Connection, user: str) -> int:
    """How many of the user's notifications are unread (the number on the bell)."""
    where = (notifications.c.user == user) & notifications.c.read_at.is_(None)
    return int(conn.execute(sa.select(sa.func.count()).select_from(notifications).where(where)).scalar_one())


def mark_read(conn: Connection, user: str, ids: Iterable[str] | None, at: dt.datetime) -> int:
    """Mark the user's own notifications read (`ids`, or all when None); another user's id changes nothing."""
    where = (notifications.c.user == user) & notifications.c.read_at.is_(None)
    if ids is not None:
        where &= notifications.c.id.in_(list(ids))
    return conn.execute(notifications.update().where(where).values(read_at=at)).rowcount
