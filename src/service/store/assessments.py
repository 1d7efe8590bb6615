"""Assessments and decisions of an application: append-only records that follow the application's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.applications import COLUMNS, StoredApplication, stored_from_row
from service.store.common import new_id, utcnow
from service.store.rows import require_visible
from service.store.tables import applications, assessments, decisions, investigations

KIND = Resource.APPLICATION.value


@attrs.frozen
class Record:
    """An assessment or a decision: its JSON document and who stored it when. `outcome` is empty for assessments."""

    id: str
    application_id: str
    document: Mapping[str, Any]
    created_by: str
    created_at: dt.datetime
    outcome: str = ""


def add_assessment(
    conn: Connection, principal: Principal, application_id: str, document: Mapping[str, Any], reason: str = ""
) -> Record:
    """Store an assessment (as the assessment JSON) of an application the principal may change."""
    return _add(conn, principal, assessments, application_id, {"document": dict(document)}, reason)


def list_assessments(
    conn: Connection, principal: Principal, application_id: str, reason: str = ""
) -> tuple[Record, ...]:
    """The assessments of an application the principal may see, oldest first."""
    return _list(conn, principal, assessments, application_id, reason)


def record_decision(
    conn: Connection,
    principal: Principal,
    application_id: str,
    outcome: str,
    document: Mapping[str, Any],
    reason: str = "",
) -> Record:
    """Store the permit decision (`outcome` is a `DecisionOutcome` wire value) of an application."""
    values = {"document": dict(document), "outcome": outcome}
    return _add(conn, principal, decisions, application_id, values, reason, (Resource.DECISION, Action.CREATE))


def list_decisions(conn: Connection, principal: Principal, application_id: str, reason: str = "") -> tuple[Record, ...]:
    """The decisions of an application the principal may see, oldest first."""
    return _list(conn, principal, decisions, application_id, reason)


def add_investigation(
    conn: Connection, principal: Principal, application_id: str, document: Mapping[str, Any], reason: str = ""
) -> Record:
    """Store the coordinator's investigation file of an application anew (facts, proportionality, proposal)."""
    values = {"document": dict(document)}
    return _add(
        conn, principal, investigations, application_id, values, reason, (Resource.INVESTIGATION, Action.UPDATE)
    )


def list_investigations(
    conn: Connection, principal: Principal, application_id: str, reason: str = ""
) -> tuple[Record, ...]:
    """The investigation files of an application, oldest first (the last is the current one); coordinator, mayor."""
    return _list(conn, principal, investigations, application_id, reason, (Resource.INVESTIGATION, Action.READ))


def latest_investigations(
    conn: Connection, principal: Principal, reason: str = ""
) -> tuple[tuple[StoredApplication, Record], ...]:
    """Every application with an investigation file, with its current file, oldest file first (one audit row each)."""
    condition(principal, Resource.INVESTIGATION, Action.READ)
    visible = condition(principal, Resource.APPLICATION, Action.READ)
    newest = (
        sa.select(investigations.c.application_id, sa.func.max(investigations.c.created_at).label("at"))
        .group_by(investigations.c.application_id)
        .subquery()
    )
    query = (
        sa.select(*COLUMNS, *(c.label(f"inv_{c.name}") for c in investigations.c))
        .select_from(
            investigations.join(
                newest,
                sa.and_(
                    newest.c.application_id == investigations.c.application_id,
                    newest.c.at == investigations.c.created_at,
                ),
            ).join(applications, applications.c.id == investigations.c.application_id)
        )
        .where(visible)
        .order_by(investigations.c.created_at, investigations.c.id)
    )
    audit.lock_chain(conn)
    rows = conn.execute(query).mappings().all()
    audit.append_many(conn, principal, "investigation.list", "application", [row["id"] for row in rows], reason)
    found = []
    for row in rows:
        record = _record({name.removeprefix("inv_"): row[name] for name in row if name.startswith("inv_")})
        found.append((stored_from_row(row), record))
    return tuple(found)


def _add(
    conn: Connection,
    principal: Principal,
    table: sa.Table,
    application_id: str,
    values: dict[str, Any],
    reason: str,
    right: tuple[Resource, Action] = (Resource.APPLICATION, Action.UPDATE),
) -> Record:
    visible = condition(principal, *right, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, KIND, application_id, visible)
    values |= {"id": new_id(), "application_id": application_id, "created_by": principal.user, "created_at": utcnow()}
    row = conn.execute(table.insert().values(**values).returning(*table.c)).mappings().one()
    audit.append(conn, principal, f"{_noun(table)}.create", "application", application_id, reason)
    return _record(row)


def _list(
    conn: Connection,
    principal: Principal,
    table: sa.Table,
    application_id: str,
    reason: str,
    right: tuple[Resource, Action] = (Resource.APPLICATION, Action.READ),
) -> tuple[Record, ...]:
    condition(principal, *right, application_id)
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, KIND, application_id, visible)
    query = sa.select(table).where(table.c.application_id == application_id).order_by(table.c.created_at, table.c.id)
    rows = conn.execute(query).mappings().all()
    audit.append(conn, principal, f"{_noun(table)}.list", "application", application_id, reason)
    return tuple(_record(row) for row in rows)


def _noun(table: sa.Table) -> str:
    return {"assessments": "assessment", "decisions": "decision", "investigations": "investigation"}[table.name]


def _record(row: Mapping[str, Any] | sa.RowMapping) -> Record:
    return Record(
        id=row["id"],
        application_id=row["application_id"],
        document=row["document"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        outcome=row.get("outcome", ""),
    )
