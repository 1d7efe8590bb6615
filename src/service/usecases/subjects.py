"""Subjects: search a person, organisation or address across the signals and cases one may see; review a match."""

from __future__ import annotations

from bibob.matching import (
    Match,
    MatchLevel,
    ReviewDecision,
    ReviewLedger,
    Subject,
    SubjectIndex,
    match_against,
    subject_key,
)
from bibob.undermining import Subjects, known_key, stored_subjects
from service.store import reviews
from service.store.access import Action, Resource, require
from service.store.reviews import MatchReview
from service.store.subjects import OwnerDocument, lookups_of, search_documents
from service.usecases.session import Session
from service.views.subjects import review_body

SubjectMatch = tuple[Match, OwnerDocument]


def search_subjects(
    session: Session, subject: Subject, minimum: MatchLevel, case_id: str | None = None
) -> list[SubjectMatch]:
    """Every match of `subject` in the dossiers the principal may see, best first, once per dossier holding it.

    A search made for a case (`case_id`, of which the searcher is a member; 404 otherwise) counts the verdicts made
    in that case: confirmed becomes certain, dismissed drops out. A verdict made in another case, or a search made
    for no case, never hides (or confirms) a match.
    """
    conn, principal = session.conn, session.principal
    documents = search_documents(conn, principal, lookups_of([subject]), session.reason)
    key = subject_key(subject)
    verdicts = () if case_id is None else reviews.reviews_in_case(conn, principal, case_id, [key])
    ledger = ReviewLedger(
        tuple(ReviewDecision(v.left_key, v.right_key, v.confirmed, v.reviewer, v.reason) for v in verdicts)
    )
    return _matches(subject, documents, ledger, minimum)


def review_match(session: Session, body: object) -> MatchReview:
    """Record a reviewer's verdict on a pair in a case they are a member of (`caseId`, `leftKey`, `rightKey`,
    `decision`: confirm or dismiss, `reason`)."""
    require(session.principal, Resource.MATCH_REVIEW, Action.CREATE)  # before anything about the body
    case_id, left, right, confirmed, reason = review_body(body)
    conn, principal = session.conn, session.principal
    return reviews.record_review(conn, principal, case_id, left, right, confirmed=confirmed, reason=reason)


def _matches(
    subject: Subject, documents: tuple[OwnerDocument, ...], ledger: ReviewLedger, minimum: MatchLevel
) -> list[SubjectMatch]:
    entries: dict[str, Subject] = {}
    owners: dict[str, list[OwnerDocument]] = {}
    for document in documents:
        for found in _subjects(document).matchable:
            key = known_key(found)
            entries[key] = found
            owners.setdefault(key, []).append(document)
    index = SubjectIndex.build(entries.items())
    found_matches = match_against(index, subject, ledger, key=subject_key(subject), minimum=minimum)
    return [(match, owner) for match in found_matches for owner in owners[match.right_key]]


def _subjects(document: OwnerDocument) -> Subjects:
    """The subjects the stored document names: read, not validated and replayed (a lookup)."""
    return stored_subjects(document.document, case=document.owner_type == "case")
