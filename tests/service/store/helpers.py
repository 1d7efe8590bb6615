"""Values and queries the storage tests share."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.applications import Application, application_from_json
from bibob.legal import LegalAct, PermitType
from service.store.tables import audit_log
from tests.conftest import DATA

RECEIVED = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)


def new_application(identifier: str = "2026-0001") -> Application:
    return Application(identifier, PermitType.EXPLOITATIE_HORECA, LegalAct.VERGUNNING, dt.date(2026, 10, 1))


def decided_application() -> Application:
    """A full application with a history of events (from tests/data)."""
    document = json.loads((DATA / "applications" / "horeca-refused-after-lbb-advice.json").read_text("utf-8"))
    return application_from_json(document)


def audit_rows(conn: Connection) -> list[tuple[str, str, str, str]]:
    """(user, action, object_type, object_id) of every audit row, in chain order."""
    columns = (audit_log.c.user, audit_log.c.action, audit_log.c.object_type, audit_log.c.object_id)
    return [tuple(row) for row in conn.execute(sa.select(*columns).order_by(audit_log.c.seq))]  # type: ignore[misc]


def audit_count(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one())


def allow_tampering(conn: Connection) -> None:
    """What a database administrator could do: switch off the append-only guard."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))


@contextmanager
def statements_run(engine: Engine, containing: str) -> Iterator[list[tuple[str, Any]]]:
    """The statements run on `engine` within the block whose SQL contains `containing`, with their parameters."""
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if containing in statement:
            caught.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", catch)
    try:
        yield caught
    finally:
        sa.event.remove(engine, "before_cursor_execute", catch)
