"""The disclosures record (art. 28 Wet Bibob): written in the caller's transaction, listed for the privacy officer."""

from __future__ import annotations

import datetime as dt

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.undermining import Disclosure
from service.auth import Principal
from service.store.access import Action, Resource, require
from service.store.common import new_id, utcnow
from service.store.rows import page_rows
from service.store.tables import disclosures

DOSSIER_TYPE = "application"  # the Bibob dossier is the application's


@attrs.frozen
class StoredDisclosure:
    """A disclosure as recorded: dossier, direction, recipient, basis, purpose, what went, by whom and when."""

    id: str
    dossier_type: str
    dossier_id: str
    direction: str
    recipient: str
    legal_basis: str
    purpose: str
    content: str
    by: str
    at: dt.datetime


def record(conn: Connection, by: str, made: Disclosure) -> None:
    """Write one disclosure in the caller's transaction (the act and its record commit together)."""
    values: dict[str, object] = {"id": new_id(), "dossier_type": DOSSIER_TYPE, "dossier_id": made.application_id}
    values |= {"direction": made.direction.value, "recipient": made.recipient, "legal_basis": made.basis.value}
    values |= {"purpose": made.purpose, "content": made.content, "by": by, "at": utcnow()}
    conn.execute(disclosures.insert().values(**values))


def list_disclosures(
    conn: Connection, principal: Principal, *, dossier_id: str | None, limit: int, offset: int
) -> tuple[tuple[StoredDisclosure, ...], int]:
    """One page of disclosures, newest first, optionally of one dossier; privacy officer only (404 otherwise)."""
    require(principal, Resource.DISCLOSURE, Action.READ)
    where = [disclosures.c.dossier_id == dossier_id] if dossier_id else []
    count = conn.execute(sa.select(sa.func.count()).select_from(disclosures).where(*where)).scalar_one()
    query = sa.select(disclosures).where(*where).order_by(disclosures.c.at.desc(), disclosures.c.id)
    rows = page_rows(conn, query, limit, offset)
    return tuple(
        StoredDisclosure(**{f.name: row[f.name] for f in attrs.fields(StoredDisclosure)}) for row in rows
    ), count
