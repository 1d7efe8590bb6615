"""Evidence items of a case (finding, partner answer, document, permit decision), under the case's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.rows import one_visible, require_visible, versioned_update
from service.store.tables import cases, evidence

CASE_KIND = Resource.CASE.value
KIND = "bewijsstuk"
AUDIT_TYPE = "case"


@attrs.frozen
class StoredEvidence:
    """An evidence item: `source_ref` names where it came from (e.g. `decision:<id>`), `document` holds the rest."""

    id: str
    case_id: str
    kind: str
    status: str
    source_ref: str
    document: Mapping[str, Any]
    version: int
    created_at: dt.datetime


def add_evidence(
    conn: Connection,
    principal: Principal,
    case_id: str,
    *,
    kind: str,
    source_ref: str,
    document: Mapping[str, Any],
    status: str = "proposed",
    reason: str = "",
) -> StoredEvidence:
    """Add an evidence item to a case the principal may change."""
    visible = condition(principal, Resource.CASE, Action.UPDATE, case_id)
    audit.lock_chain(conn)
    require_visible(conn, cases, CASE_KIND, case_id, visible)
    values: dict[str, Any] = {
        "id": new_id(),
        "case_id": case_id,
        "kind": kind,
        "status": status,
        "source_ref": source_ref,
    }
    values |= {"document": dict(document), "version": 1, "created_at": utcnow()}
    row = conn.execute(evidence.insert().values(**values).returning(*evidence.c)).mappings().one()
    audit.append(conn, principal, "evidence.create", AUDIT_TYPE, case_id, reason)
    return _stored(row)


def list_evidence(conn: Connection, principal: Principal, case_id: str, reason: str = "") -> tuple[StoredEvidence, ...]:
    """The evidence of a case the principal may see, oldest first."""
    visible = condition(principal, Resource.CASE, Action.READ, case_id)
    audit.lock_chain(conn)
    require_visible(conn, cases, CASE_KIND, case_id, visible)
    query = sa.select(evidence).where(evidence.c.case_id == case_id).order_by(evidence.c.created_at, evidence.c.id)
    rows = conn.execute(query).mappings().all()
    audit.append(conn, principal, "evidence.list", AUDIT_TYPE, case_id, reason)
    return tuple(_stored(row) for row in rows)


def set_evidence_status(
    conn: Connection, principal: Principal, evidence_id: str, expected_version: int, status: str, reason: str = ""
) -> StoredEvidence:
    """Confirm or detach an evidence item (any status wire value), if `expected_version` is current."""
    visible = _in_visible_case(principal, Action.UPDATE, evidence_id)
    audit.lock_chain(conn)
    row = versioned_update(conn, evidence, KIND, evidence_id, expected_version, visible, {"status": status})
    audit.append(conn, principal, "evidence.update", AUDIT_TYPE, row["case_id"], reason)
    return _stored(row)


def get_evidence(conn: Connection, principal: Principal, evidence_id: str, reason: str = "") -> StoredEvidence:
    """One evidence item, if the principal may see its case."""
    visible = _in_visible_case(principal, Action.READ, evidence_id)
    audit.lock_chain(conn)
    row = one_visible(conn, evidence, KIND, evidence_id, visible)
    audit.append(conn, principal, "evidence.read", AUDIT_TYPE, row["case_id"], reason)
    return _stored(row)


def _in_visible_case(principal: Principal, action: Action, evidence_id: str) -> ColumnElement[bool]:
    case_visible = condition(principal, Resource.CASE, action, evidence_id)
    return evidence.c.case_id.in_(sa.select(cases.c.id).where(case_visible))


def _stored(row: RowMapping) -> StoredEvidence:
    return StoredEvidence(**{field.name: row[field.name] for field in attrs.fields(StoredEvidence)})
