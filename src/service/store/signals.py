"""Signals (meldingen) of possible undermining: the JSON document with indexed source, status and retention."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.undermining import Signal, signal_from_json, signal_to_json
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition, require
from service.store.common import new_id, utcnow
from service.store.errors import StaleVersionError
from service.store.rows import documents_of, one_visible, page_rows, versioned_update, versions_by_status
from service.store.subjects import SubjectKey, add_keys_of_new_owner
from service.store.tables import signals, subjects

KIND = Resource.SIGNAL.value
AUDIT_TYPE = "signal"


class Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


@attrs.frozen
class StoredSignal:
    """A signal as stored; `registered_by` is the user who entered it (never the reporter of an anonymous one)."""

    id: str
    source: str
    status: str
    received: dt.datetime
    destroy_on: dt.date | None
    registered_by: str
    document: Mapping[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def signal(self) -> Signal:
        """The domain signal, by replaying the stored events."""
        return signal_from_json(self.document)


def create_signal(
    conn: Connection,
    principal: Principal,
    *,
    source: str,
    status: str,
    received: dt.datetime,
    document: Mapping[str, Any],
    destroy_on: dt.date | None = None,
    signal_id: str | None = None,
    keys: Iterable[SubjectKey] = (),
    reason: str = "",
) -> StoredSignal:
    """Register a signal (version 1) with the subject keys of its subjects; its id is a new UUID unless given."""
    condition(principal, Resource.SIGNAL, Action.CREATE)
    audit.lock_chain(conn)
    now, identifier = utcnow(), signal_id or new_id()
    values: dict[str, Any] = {
        "id": identifier,
        "source": source,
        "status": status,
        "received": received,
        "destroy_on": destroy_on,
    }
    values |= {"registered_by": principal.user, "document": dict(document), "version": 1}
    values |= {"created_at": now, "updated_at": now}
    # one prebuilt statement with parameters: intake is the busy path; the theme beside the sealed document (filter)
    conn.execute(signals.insert(), values | {"theme": _theme(document)})
    add_keys_of_new_owner(conn, AUDIT_TYPE, identifier, keys)
    audit.append(conn, principal, "signal.create", AUDIT_TYPE, identifier, reason)
    return StoredSignal(**values | {"received": received.astimezone(dt.UTC)})  # as a read returns it


def get_signal(conn: Connection, principal: Principal, signal_id: str, reason: str = "") -> StoredSignal:
    """The signal, if the principal may see it; the read is audited."""
    visible = condition(principal, Resource.SIGNAL, Action.READ, signal_id)
    audit.lock_chain(conn)
    row = one_visible(conn, signals, KIND, signal_id, visible)
    audit.append(conn, principal, "signal.read", AUDIT_TYPE, signal_id, reason)
    return _stored(row)


def list_signals(
    conn: Connection,
    principal: Principal,
    *,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    reason: str = "",
) -> tuple[StoredSignal, ...]:
    """The signals the principal may see, most recently received first; one audit row per signal."""
    visible = condition(principal, Resource.SIGNAL, Action.READ)
    audit.lock_chain(conn)
    query = sa.select(signals).where(visible).order_by(signals.c.received.desc(), signals.c.id)
    if status is not None:
        query = query.where(signals.c.status == status)
    rows = page_rows(conn, query, limit, offset)
    audit.append_many(conn, principal, "signal.list", AUDIT_TYPE, [row["id"] for row in rows], reason)
    return tuple(_stored(row) for row in rows)


@attrs.frozen
class InboxFilter:
    """What the advisor narrows the inbox to; None means any."""

    states: tuple[str, ...] | None = None
    source: str | None = None
    theme: str | None = None
    received_from: dt.datetime | None = None
    received_to: dt.datetime | None = None


def inbox(
    conn: Connection, principal: Principal, where: InboxFilter, *, limit: int = 50, offset: int = 0, reason: str = ""
) -> tuple[tuple[StoredSignal, ...], int]:
    """One page of the signals the principal may read *and* weigh, most recently received first, and the total.

    The intake partner may read its own signals in the store, but the inbox is the weigher's: it
    gets `NotFoundError` and reads nothing back (issue 5). One audit row per signal on the page.
    """
    visible = _weighable(principal)
    audit.lock_chain(conn)
    conditions = [visible, *_filters(where)]
    count = conn.execute(sa.select(sa.func.count()).select_from(signals).where(*conditions)).scalar_one()
    query = sa.select(signals).where(*conditions).order_by(signals.c.received.desc(), signals.c.id)
    rows = page_rows(conn, query, limit, offset)
    audit.append_many(conn, principal, "signal.list", AUDIT_TYPE, [row["id"] for row in rows], reason)
    return tuple(_stored(row) for row in rows), int(count)


def awaiting(
    conn: Connection, principal: Principal, states: Iterable[str], reason: str = ""
) -> tuple[tuple[str, int], ...]:
    """(id, version) of every signal in `states` the principal may weigh, by key; audited like an inbox page.

    For the meeting agenda: read with `documents` only what changed since the last read (`service.usecases.cases`).
    """
    visible = _weighable(principal)
    found = versions_by_status(conn, signals, tuple(states), visible)
    audit.append_many(conn, principal, "signal.list", AUDIT_TYPE, [identifier for identifier, _ in found], reason)
    return found


def documents(conn: Connection, principal: Principal, identifiers: Sequence[str]) -> dict[str, Any]:
    """The documents of the signals `identifiers` the principal may weigh (listed, and audited, by `awaiting`)."""
    return documents_of(conn, signals, identifiers, _weighable(principal))


def get_for_weighing(conn: Connection, principal: Principal, signal_id: str, reason: str = "") -> StoredSignal:
    """The signal, for who may read and weigh it (not the intake partner); the read is audited."""
    visible = _weighable(principal, signal_id)
    audit.lock_chain(conn)
    row = one_visible(conn, signals, KIND, signal_id, visible)
    audit.append(conn, principal, "signal.read", AUDIT_TYPE, signal_id, reason)
    return _stored(row)


def require_weigher(principal: Principal, signal_id: str = "") -> None:
    """`NotFoundError` unless the principal may weigh signals (ask this before reading a request's input)."""
    require(principal, Resource.SIGNAL, Action.UPDATE, signal_id)


def _weighable(principal: Principal, signal_id: str = "") -> sa.ColumnElement[bool]:
    require_weigher(principal, signal_id)
    return condition(principal, Resource.SIGNAL, Action.READ, signal_id)


def _filters(where: InboxFilter) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if where.states is not None:
        found.append(signals.c.status.in_(where.states))
    if where.source is not None:
        found.append(signals.c.source == where.source)
    if where.theme is not None:
        found.append(signals.c.theme == where.theme)
    if where.received_from is not None:
        found.append(signals.c.received >= where.received_from)
    if where.received_to is not None:
        found.append(signals.c.received < where.received_to)
    return found


def update_signal(
    conn: Connection,
    principal: Principal,
    signal_id: str,
    expected_version: int,
    *,
    status: str | None = None,
    document: Mapping[str, Any] | None = None,
    destroy_on: dt.date | Unchanged | None = UNCHANGED,
    reason: str = "",
) -> StoredSignal:
    """Change status, document and/or destruction date (e.g. after weighing), if `expected_version` is current."""
    visible = condition(principal, Resource.SIGNAL, Action.UPDATE, signal_id)
    audit.lock_chain(conn)
    values: dict[str, Any] = {"status": status} if status is not None else {}
    values |= {"document": dict(document), "theme": _theme(document)} if document is not None else {}
    values |= {} if isinstance(destroy_on, Unchanged) else {"destroy_on": destroy_on}
    row = versioned_update(conn, signals, KIND, signal_id, expected_version, visible, values)
    audit.append(conn, principal, "signal.update", AUDIT_TYPE, signal_id, reason)
    return _stored(row)


def load(
    conn: Connection, principal: Principal, signal_id: str, expected_version: int, reason: str = ""
) -> StoredSignal:
    """The signal to weigh, for who may weigh it, if `expected_version` is current (an audited read)."""
    stored = get_for_weighing(conn, principal, signal_id, reason)
    if stored.version != expected_version:
        raise StaleVersionError(KIND, signal_id, expected_version)
    return stored


def save(
    conn: Connection, principal: Principal, signal: Signal, expected_version: int, reason: str = ""
) -> StoredSignal:
    """Store the weighed signal (status, document, destruction date), if `expected_version` is still current."""
    return update_signal(
        conn,
        principal,
        signal.id,
        expected_version,
        status=signal.state.value,
        document=signal_to_json(signal),
        destroy_on=signal.destroy_on,
        reason=reason,
    )


def destroy_due_signals(conn: Connection, principal: Principal, today: dt.date, reason: str = "") -> tuple[str, ...]:
    """Destroy the signals whose destruction date has come (and their subject keys); the audit rows remain."""
    visible = condition(principal, Resource.SIGNAL, Action.UPDATE)
    audit.lock_chain(conn)
    due = sa.select(signals.c.id).where(visible, signals.c.destroy_on <= today).order_by(signals.c.id)
    identifiers = tuple(conn.execute(due).scalars())
    if identifiers:
        owned = sa.and_(subjects.c.owner_type == AUDIT_TYPE, subjects.c.owner_id.in_(identifiers))
        conn.execute(subjects.delete().where(owned))
        conn.execute(signals.delete().where(signals.c.id.in_(identifiers)))
    audit.append_many(conn, principal, "signal.destroy", AUDIT_TYPE, identifiers, reason)
    return identifiers


def _theme(document: Mapping[str, Any]) -> str | None:
    """The signal's theme (a category, no personal data), kept beside the sealed document for the inbox filter."""
    theme = document.get("theme")
    return theme[:64] if isinstance(theme, str) else None


def _stored(row: RowMapping) -> StoredSignal:
    return StoredSignal(**{field.name: row[field.name] for field in attrs.fields(StoredSignal)})
