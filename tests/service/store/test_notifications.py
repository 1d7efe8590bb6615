"""Notifications in the store, on both databases: one row per recipient, each reads and marks only their own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from service.auth import Role
from service.store import notifications, tokens
from service.store.notifications import NEW_SIGNAL, mark_read, notifications_of, notify, unread_count

AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_each_recipient_once_and_only_their_own_is_read_or_marked(conn: Connection) -> None:
    assert notify(conn, ["a", "b", "a"], NEW_SIGNAL, "signal", "s-1", "Nieuwe melding s-1.", AT) == 2
    notify(conn, ["a"], NEW_SIGNAL, "signal", "s-2", "Nieuwe melding s-2.", AT + dt.timedelta(minutes=1))
    mine, count = notifications_of(conn, "a")
    assert count == 2 and [n.object_id for n in mine] == ["s-2", "s-1"]  # newest first
    (theirs,), _ = notifications_of(conn, "b")
    assert mark_read(conn, "a", [theirs.id], AT) == 0  # another user's id changes nothing
    assert unread_count(conn, "b") == 1
    assert mark_read(conn, "a", [mine[0].id], AT) == 1 and unread_count(conn, "a") == 1
    assert notifications_of(conn, "a", unread_only=True)[1] == 1
    assert mark_read(conn, "a", None, AT) == 1 and unread_count(conn, "a") == 0
    assert notify(conn, [], NEW_SIGNAL, "signal", "s-3", "x", AT) == 0


def test_a_roles_recipients_are_its_enabled_accounts_and_active_token_holders(conn: Connection) -> None:
    tokens.create_token(conn, "koppeling", Role.SAFETY_ADVISOR)
    revoked = tokens.create_token(conn, "oud", Role.SAFETY_ADVISOR)
    tokens.revoke_token(conn, tokens.token_hash(revoked))
    tokens.create_token(conn, "burgemeester", Role.MAYOR)
    assert notifications.accounts_in_role(conn, Role.SAFETY_ADVISOR) == ("koppeling",)
