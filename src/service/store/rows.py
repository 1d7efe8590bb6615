"""Query patterns every repository shares: one visible row, one page of rows, the optimistic-concurrency update."""

from __future__ import annotations

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
    conn: Connection, table: sa.Table, kind: str, identifier: str, visible: ColumnElement[bool]
) -> RowMapping:
    """The row with `identifier` that the `visible` condition lets through, else `NotFoundError`."""
    row = conn.execute(sa.select(table).where(table.c.id == identifier, visible)).mappings().first()
    if row is None:
        raise NotFoundError(kind, identifier)
    return row


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
) -> RowMapping:
    """Update in one statement when the version still matches (no read-then-write gap), bumping it.

    `StaleVersionError` when the row is visible but at another version; `NotFoundError` when it is not.
    """
    statement = (
        table.update()
        .where(table.c.id == identifier, table.c.version == expected_version, visible)
        .values(**values, version=table.c.version + 1, **_touched(table))
        .returning(*table.c)
    )
    row = conn.execute(statement).mappings().first()
    if row is not None:
        return row
    require_visible(conn, table, kind, identifier, visible)
    raise StaleVersionError(kind, identifier, expected_version)


def _touched(table: sa.Table) -> dict[str, Any]:
    return {"updated_at": utcnow()} if "updated_at" in table.c else {}
