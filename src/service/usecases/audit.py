"""The audit log, for the privacy officer: read who read or changed which dossier, and check the hash chain."""

from __future__ import annotations

from service.store import audit
from service.store.audit import AuditEntry, ChainHead, VerifyResult
from service.usecases.session import Session


def read_audit_log(
    session: Session, *, object_type: str | None, object_id: str | None, user: str | None, limit: int, offset: int
) -> tuple[tuple[AuditEntry, ...], int]:
    """One page of the log in chain order, filtered by object and user, and the total."""
    return audit.read_log(
        session.conn,
        session.principal,
        object_type=object_type,
        object_id=object_id,
        user=user,
        limit=limit,
        offset=offset,
    )


def verify_audit_log(session: Session, anchor: ChainHead | None) -> VerifyResult:
    """Check the hash chain, from an exported head when given (which also detects a shortened log)."""
    return audit.verify_for(session.conn, session.principal, anchor)


def record_audit_check(session: Session) -> None:
    """Record that the privacy officer checks the chain (the check itself runs off the request path:
    `service.store.anchor.Verifier`); anyone else gets `NotFoundError`."""
    audit.record_check(session.conn, session.principal)
