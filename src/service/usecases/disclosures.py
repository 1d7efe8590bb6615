"""The disclosures record for the privacy officer: what left the Bibob dossier (or entered it), art. 28 Wet Bibob."""

from __future__ import annotations

from service.store import disclosures
from service.store.disclosures import StoredDisclosure
from service.usecases.session import Session


def list_disclosures(
    session: Session, *, dossier_id: str | None, limit: int, offset: int
) -> tuple[tuple[StoredDisclosure, ...], int]:
    """One page of disclosures, newest first, optionally of one Bibob dossier (an application id)."""
    return disclosures.list_disclosures(
        session.conn, session.principal, dossier_id=dossier_id, limit=limit, offset=offset
    )
