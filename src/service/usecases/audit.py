"""The audit log, for the privacy officer: read who read or changed which dossier (filtered), export a filtered
view, and check the hash chain. Reading and exporting the log are themselves audited."""

from __future__ import annotations

from service.store import audit
from service.store.audit import AuditEntry, AuditFilter, ChainHead, VerifyResult
from service.usecases.session import Session


def read_audit_log(
    session: Session, wanted: AuditFilter, *, limit: int, offset: int
) -> tuple[tuple[AuditEntry, ...], int, int]:
    """One page of the filtered log in chain order, the total, and the chain head the view stands at (pass it as
    `up_to_seq` to page on or export the same view)."""
    return audit.read_log(session.conn, session.principal, wanted, limit=limit, offset=offset, reason=session.reason)


def export_audit_log(session: Session, wanted: AuditFilter) -> tuple[AuditEntry, ...] | None:
    """Every row of the filtered view (None when it is too large to export at once)."""
    return audit.export_log(session.conn, session.principal, wanted, reason=session.reason)


def logged_actions(session: Session) -> tuple[str, ...]:
    """The actions the log holds, for the action filter."""
    return audit.logged_actions(session.conn, session.principal)


def verify_audit_log(session: Session, anchor: ChainHead | None) -> VerifyResult:
    """Check the hash chain, from an exported head when given (which also detects a shortened log)."""
    return audit.verify_for(session.conn, session.principal, anchor)
