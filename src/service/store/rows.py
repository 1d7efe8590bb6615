"""Query patterns every repository shares: one visible row, one page of rows, the optimistic-concurrency update."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from bibob.exceptions import NotFoundError
from service.store.common import utcnow
from service.store.errors import StaleVersionError

MAX_PAGE = 500  # rows one list call returns at most, whatever the caller asks


def one_visible(
    conn: Connection,
    table: sa.Table,
    kind: str,
    identifier: str,
    visible: ColumnElement[bool],
    query: sa.Select[Any] | None = None,
) -> RowMapping:
    """The row with `identifier` that the `visible` condition lets through, else `NotFoundError`.

    `query` selects by `:identifier` (default: all columns); built once, so that a read only adds `visible`.
    """
    found = _visible_by_id(_all_by_id(table) if query is None else query, visible)
    row = conn.execute(found, {"identifier": identifier}).mappings().first()
    if row is None:
        raise NotFoundError(kind, identifier)
    return row


def by_id(table: sa.Table, *columns: ColumnElement[Any]) -> sa.Select[Any]:
    """SELECT `columns` (default: all of the table's) WHERE id = :identifier; build it once, at import."""
    return sa.select(*(columns or table.c)).where(table.c.id == sa.bindparam("identifier"))


@functools.cache  # keyed by the table object (tables compare by identity)
def _all_by_id(table: sa.Table) -> sa.Select[Any]:
    return by_id(table)


_VISIBLE_BY_ID: dict[tuple[int, int], tuple[sa.Select[Any], ColumnElement[bool], sa.Select[Any]]] = {}


def _visible_by_id(query: sa.Select[Any], visible: ColumnElement[bool]) -> sa.Select[Any]:
    """`query.where(visible)`, kept per (query, condition) object: access conditions are cached per principal, so
    a principal's reads reuse one statement (SQL elements compare by building expressions, hence the ids)."""
    key = (id(query), id(visible))
    known = _VISIBLE_BY_ID.get(key)
    if known is not None and known[0] is query and known[1] is visible:
        return known[2]
    if len(_VISIBLE_BY_ID) >= 4096:
        _VISIBLE_BY_ID.clear()
    statement = query.where(visible)
    _VISIBLE_BY_ID[key] = (query, visible, statement)  # holding both keeps their ids from being reused
    return statement


def require_visible(
    conn: Connection, table: sa.Table, kind: str, identifier: str, visible: ColumnElement[bool]
) -> None:
    """`NotFoundError` unless the row exists and is visible (reads only its id)."""
    if conn.execute(sa.select(table.c.id).where(table.c.id == identifier, visible)).first() is None:
        raise NotFoundError(kind, identifier)


def page_rows(conn: Connection, query: sa.Select[Any], limit: int, offset: int) -> Sequence[RowMapping]:
    """The rows of `query` from `offset`, at most `limit` and never more than `MAX_PAGE`; negatives count as 0."""
    return conn.execute(query.limit(min(max(limit, 0), MAX_PAGE)).offset(max(offset, 0))).mappings().all()


def versioned_update(
    conn: Connection,
    table: sa.Table,
    kind: str,
    identifier: str,
    expected_version: int,
    visible: ColumnElement[bool],
    values: dict[str, Any],
    columns: Sequence[ColumnElement[Any]] = (),
) -> RowMapping:
    """Update in one statement when the version still matches (no read-then-write gap), bumping it.

    `StaleVersionError` when the row is visible but at another version; `NotFoundError` when it is not.
    """
    statement = (
        table.update()
        .where(table.c.id == identifier, table.c.version == expected_version, visible)
        .values(**values, version=table.c.version + 1, **_touched(table))
        .returning(*(columns or table.c))
    )
    row = conn.execute(statement).mappings().first()
    if row is not None:
        return row
    require_visible(conn, table, kind, identifier, visible)
    raise StaleVersionError(kind, identifier, expected_version)


def _touched(table: sa.Table) -> dict[str, Any]:
    return {"updated_at": utcnow()} if "updated_at" in table.c else {}
