"""The audit log, for the privacy officer: read who read or changed which dossier, and check the hash chain."""

from __future__ import annotations

from bibob.matching import Subject
from bibob.parties import Address, Organisation, Person
from service.store import audit, subject_access
from service.store.audit import AuditEntry, ChainHead, VerifyResult
from service.store.subject_access import Holding
from service.store.subjects import keys_of
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
