"""Query patterns every repository shares: one visible row, one page of rows, the optimistic-concurrency update."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
    by_identifier = kept((table,), lambda: by_id(table)) if query is None else query
    found = kept((by_identifier, visible), lambda: by_identifier.where(visible))
    row = conn.execute(found, {"identifier": identifier}).first()
    if row is None:
        raise NotFoundError(kind, identifier)
    return row._mapping


def by_id(table: sa.Table, *columns: ColumnElement[Any]) -> sa.Select[Any]:
    """SELECT `columns` (default: all of the table's) WHERE id = :identifier; build it once, at import."""
    return sa.select(*(columns or table.c)).where(table.c.id == sa.bindparam("identifier"))


S = TypeVar("S")
_KEPT: dict[tuple[object, ...], tuple[tuple[object, ...], Any]] = {}
KEPT_STATEMENTS = 4096


def kept(parts: tuple[object, ...], build: Callable[[], S]) -> S:
    """`build()`, made once per combination of `parts` and reused: building a statement costs more than running it.

    SQL elements among the parts are told apart by identity (comparing them builds an expression); access
    conditions are cached per principal and rule (`access.condition`), so a principal's queries reuse statements.
    Strings among the parts compare by value.
    """
    key = tuple(part if isinstance(part, str) else id(part) for part in parts)
    known = _KEPT.get(key)
    if known is not None and all(a is b or isinstance(a, str) for a, b in zip(known[0], parts, strict=True)):
        statement: S = known[1]
        return statement
    if len(_KEPT) >= KEPT_STATEMENTS:
        _KEPT.clear()
    statement = build()
    _KEPT[key] = (parts, statement)  # holding the parts keeps their ids from being reused
    return statement


def require_visible(
    conn: Connection, table: sa.Table, kind: str, identifier: str, visible: ColumnElement[bool]
) -> None:
    """`NotFoundError` unless the row exists and is visible (reads only its id; the statement is `kept`)."""
    query = kept(("require_visible", table, visible), lambda: by_id(table, table.c.id).where(visible))
    if conn.execute(query, {"identifier": identifier}).first() is None:
        raise NotFoundError(kind, identifier)


def page_rows(conn: Connection, query: sa.Select[Any], limit: int, offset: int) -> Sequence[RowMapping]:
    """The rows of `query` from `offset`, at most `limit` and never more than `MAX_PAGE`; negatives count as 0."""
    return conn.execute(query.limit(min(max(limit, 0), MAX_PAGE)).offset(max(offset, 0))).mappings().all()


def versions_by_status(
    conn: Connection, table: sa.Table, states: Sequence[str], visible: ColumnElement[bool], page: int = MAX_PAGE
) -> tuple[tuple[str, int], ...]:
    """(id, version) of every row in `states` that `visible` lets through, read in pages by key: no OFFSET, no COUNT.

    The key is (status, id), so each page starts in the status index where the last one ended (a row-value
    comparison, on both databases) and the planner never walks the whole table in id order.
    """
    found: list[tuple[str, int]] = []
    key = sa.tuple_(table.c.status, table.c.id)
    query = sa.select(table.c.status, table.c.id, table.c.version).where(visible, table.c.status.in_(states))
    query = query.order_by(table.c.status, table.c.id).limit(page)
    last: tuple[str, str] | None = None
    while True:
        rows = conn.execute(query if last is None else query.where(key > sa.tuple_(*map(sa.literal, last)))).all()
        found.extend((str(row[1]), int(row[2])) for row in rows)
        if len(rows) < page:
            return tuple(found)
        last = (str(rows[-1][0]), str(rows[-1][1]))


def documents_of(
    conn: Connection, table: sa.Table, identifiers: Sequence[str], visible: ColumnElement[bool]
) -> dict[str, Any]:
    """The documents of the rows `identifiers` that `visible` lets through, by id (read `MAX_PAGE` ids at a time)."""
    found: dict[str, Any] = {}
    for start in range(0, len(identifiers), MAX_PAGE):
        chunk = identifiers[start : start + MAX_PAGE]
        query = sa.select(table.c.id, table.c.document).where(visible, table.c.id.in_(chunk))
        found.update((str(row[0]), row[1]) for row in conn.execute(query))
    return found


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
    values = values | _touched(table)
    names = ",".join(sorted(values))
    statement = kept((table, names, visible, *columns), lambda: _update(table, values, visible, columns))
    parameters = {f"new_{name}": value for name, value in values.items()}
    found = conn.execute(statement, parameters | {"identifier": identifier, "expected": expected_version})
    row = found.mappings().first()
    if row is not None:
        return row
    require_visible(conn, table, kind, identifier, visible)
    raise StaleVersionError(kind, identifier, expected_version)


def _update(
    table: sa.Table, values: dict[str, Any], visible: ColumnElement[bool], columns: Sequence[ColumnElement[Any]]
) -> sa.Update:
    """UPDATE … SET the named columns (as parameters: documents baked into a statement slow its building)."""
    setting: dict[str, Any] = {name: sa.bindparam(f"new_{name}", type_=table.c[name].type) for name in values}
    return (
        table.update()
        .where(table.c.id == sa.bindparam("identifier"), table.c.version == sa.bindparam("expected"), visible)
        .values(setting | {"version": table.c.version + 1})
        .returning(*(columns or table.c))
    )


def _touched(table: sa.Table) -> dict[str, Any]:
    return {"updated_at": utcnow()} if "updated_at" in table.c else {}
