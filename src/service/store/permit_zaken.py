"""The zaak of an application's permit in the municipality's zaaksysteem: where its letters go as documents.

Art. 28 Wet Bibob: this is the permit's own zaak; the zaak of an undermining case (the mirror's) is refused here.
"""

from __future__ import annotations

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store import audit, jobs
from service.store.access import Action, Resource, condition
from service.store.common import utcnow
from service.store.rows import require_visible
from service.store.tables import applications, external_jobs, letters, permit_zaken

KIND = Resource.APPLICATION.value
MAX_URL = 1000


@attrs.frozen
class PermitZaak:
    """The permit zaak recorded for an application."""

    application_id: str
    url: str
    recorded_by: str


def case_zaken(conn: Connection) -> frozenset[str]:
    """The zaken the case mirror made for undermining cases: never a letter's destination (art. 28)."""
    query = sa.select(external_jobs.c.state).where(external_jobs.c.kind == jobs.ZGW_MIRROR)
    return frozenset(str(state.get("zaak")) for state in conn.execute(query).scalars() if state.get("zaak"))


def record(conn: Connection, principal: Principal, application_id: str, url: str, reason: str = "") -> PermitZaak:
    """Record (or replace) the permit zaak of an application the principal may change; audited.

    `NotFoundError` when the application is not visible; InvalidInputError when `url` is the zaak of an
    undermining case.
    """
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, KIND, application_id, visible)
    if url in case_zaken(conn):
        message = "dit is de zaak van een ondermijningscasus; een brief hoort bij de zaak van de vergunning (art. 28)"
        raise InvalidInputError([Problem("/url", "caseZaak", message)])
    values = {"url": url, "recorded_by": principal.user, "recorded_at": utcnow()}
    key = permit_zaken.c.application_id == application_id
    if conn.execute(sa.select(permit_zaken.c.url).where(key)).first() is None:
        conn.execute(permit_zaken.insert().values(application_id=application_id, **values))
    else:
        conn.execute(permit_zaken.update().where(key).values(**values))
    audit.append(conn, principal, "application.permitZaak", KIND, application_id, reason)
    return PermitZaak(application_id, url, principal.user)


def url_of(conn: Connection, application_id: str) -> str:
    """The permit zaak URL for the background mirror (no principal: it reads no dossier); empty when none."""
    found = conn.execute(sa.select(permit_zaken.c.url).where(permit_zaken.c.application_id == application_id))
    return str(found.scalar() or "")


def letter_ids(conn: Connection, application_id: str) -> tuple[str, ...]:
    """The ids of the application's letters, oldest first."""
    query = sa.select(letters.c.id).where(letters.c.application_id == application_id).order_by(letters.c.created_at)
    return tuple(conn.execute(query).scalars())
