"""The audit log, for the privacy officer: read who read or changed which dossier (filtered), export a filtered
view, and check the hash chain. Reading and exporting the log are themselves audited."""

from __future__ import annotations

from bibob.matching import Subject
from bibob.parties import Address, Organisation, Person
from service.store import audit, subject_access
from service.store.audit import AuditEntry, AuditFilter, ChainHead, VerifyResult
from service.store.subject_access import Holding
from service.store.subjects import keys_of
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


def record_audit_check(session: Session) -> None:
    """Record that the privacy officer checks the chain (the check itself runs off the request path:
    `service.store.anchor.Verifier`); anyone else gets `NotFoundError`."""
    audit.record_check(session.conn, session.principal)


def subject_access_report(session: Session, subject: Subject) -> tuple[Holding, ...]:
    """What is stored about a person (AVG art. 15) and what art. 28 or a restriction withholds, for the privacy
    officer; names dossiers and categories, never their content."""
    keys = keys_of([subject])
    return subject_access.holdings(session.conn, session.principal, keys, _needles(subject), session.reason)


def _needles(subject: Subject) -> tuple[str, ...]:
    """What an application's answers must contain to hold the subject: a person's BSN, else surname and birth
    date; an organisation's KvK number, else its name; an address's postcode and house number."""
    if isinstance(subject, Person):
        if subject.bsn:
            return (subject.bsn,)
        born = subject.date_of_birth.isoformat() if subject.date_of_birth else ""
        return tuple(part for part in (subject.surname, born) if part) if born else ()
    if isinstance(subject, Organisation):
        return (subject.kvk_number,) if subject.kvk_number else ((subject.name,) if subject.name else ())
    if isinstance(subject, Address) and subject.postcode and subject.house_number is not None:
        return (subject.postcode, str(subject.house_number))
    return ()
