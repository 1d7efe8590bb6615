"""The evidence link in the store: a Bibob measure into every matching open case, or a new signal for the advisor.

The principal who records a permit decision (a permit officer, a Bibob coordinator) may not read cases.
This module acts for them under one rule only: they may update the application the decision belongs to.
It then reads what matching needs — the ids, states and subjects of open cases and live signals, and the
match reviews — and writes the links (a case event, an evidence item) or a signal with source Bibob
screening, in the caller's transaction, with an audit row per case and signal touched. The caller learns
only how many cases were linked and whether a signal was made, never which case or anything in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob._json import object_to_json
from bibob.exceptions import BibobError
from bibob.matching import ReviewDecision, ReviewLedger
from bibob.screening import Declaration, Fact, KnownInCase
from bibob.undermining import (
    Case,
    CaseState,
    DecisionLinks,
    EvidenceItem,
    EvidenceStatus,
    RecordedDecision,
    Signal,
    SignalState,
    case_from_json,
    case_to_json,
    known_subject_facts,
    link_decision,
    signal_from_json,
    signal_to_json,
)
from service.auth import Principal
from service.store import audit, jobs
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.rows import require_visible, versioned_update
from service.store.subjects import add_keys_of_new_owner, keys_of
from service.store.tables import applications, cases, evidence, match_reviews, signals

EVIDENCE_KIND = "permitDecision"
CLOSED_CASE = CaseState.CLOSED.value
DISMISSED_SIGNAL = SignalState.NOT_UNDERMINING.value


@attrs.frozen
class LinkOutcome:
    """What the link did, told to the one who recorded the decision: counts only, no case id or content."""

    cases_linked: int = 0
    to_review: int = 0  # of `cases_linked`: linked on a possible match, for the advisor to review
    signal_created: bool = False

    @property
    def advisor_informed(self) -> bool:
        """Whether the safety advisor got something to look at."""
        return self.cases_linked > 0 or self.signal_created


@attrs.frozen
class _OpenCase:
    case: Case
    version: int


def link_decision_to_undermining(
    conn: Connection,
    principal: Principal,
    application_id: str,
    decision: RecordedDecision,
    *,
    decision_ref: str,
    reason: str = "",
    mirror: bool = False,
) -> LinkOutcome:
    """Link a recorded Bibob measure to the open cases about the same subjects, or make a signal.

    `decision_ref` names the stored decision (`decision:<id>` becomes the evidence item's source).
    Outcomes that are no Bibob measure link nothing and read no case.
    """
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    if decision.application_id != application_id or not decision.outcome.is_bibob_measure:
        return LinkOutcome()
    open_cases, live_signals = tuple(_open_cases(conn)), tuple(_live_signals(conn))
    case_ids, signal_ids = [c.case.id for c in open_cases], [signal.id for signal in live_signals]
    audit.append_many(conn, principal, "case.subjects.comparedForDecision", "case", case_ids, reason)
    audit.append_many(conn, principal, "signal.subjects.comparedForDecision", "signal", signal_ids, reason)
    links, failed = _links(decision, open_cases, live_signals, _ledger(conn), utcnow())
    _write_links(conn, links, {c.case.id: c.version for c in open_cases}, decision_ref)
    for changed in links.cases if mirror else ():
        jobs.request_job(conn, jobs.ZGW_MIRROR, changed.id)  # the zaaksysteem shows the new evidence too
    audit.append_many(conn, principal, "case.evidence.linkedFromDecision", "case", [i for i, _ in links.items], reason)
    audit.append_many(conn, principal, "case.evidence.linkFailed", "case", failed, reason)
    signal_created = links.signal is not None and _store_signal(conn, principal, links.signal, reason)
    to_review = sum(1 for _, item in links.items if item.status is EvidenceStatus.TO_REVIEW)
    return LinkOutcome(len(links.items), to_review, signal_created)


def _write_links(conn: Connection, links: DecisionLinks, versions: dict[str, int], decision_ref: str) -> None:
    """The changed case documents (event and journal) and one evidence row per new item."""
    for changed in links.cases:
        _store_case(conn, changed, versions[changed.id])
    for case_id, item in links.items:
        _store_evidence(conn, case_id, item, decision_ref)


def _links(
    decision: RecordedDecision,
    open_cases: tuple[_OpenCase, ...],
    live_signals: tuple[Signal, ...],
    ledger: ReviewLedger,
    at: dt.datetime,
) -> tuple[DecisionLinks, list[str]]:
    """Link case by case, so one case the lifecycle refuses (e.g. an event dated later) blocks no other.

    A case that could not take the link is audited for the advisor to follow up; without any other
    match the decision then also becomes a signal, so the advisor is informed either way.
    """
    changed: list[Case] = []
    items: list[tuple[str, EvidenceItem]] = []
    failed: list[str] = []
    matched = False
    for entry in open_cases:
        try:
            part = link_decision(decision, (entry.case,), (), ledger, at)
        except (BibobError, TypeError, ValueError):
            failed.append(entry.case.id)
            continue
        matched = matched or part.signal is None
        changed += part.cases
        items += part.items
    unmatched = link_decision(decision, (), live_signals, ledger, at)
    signal = None if matched else unmatched.signal
    return DecisionLinks(tuple(changed), tuple(items), signal, unmatched.related_signals), failed


KNOWN_REFERENCE = "een casus of melding bij de adviseur veiligheid"


def known_subject_facts_for(
    conn: Connection, principal: Principal, application_id: str, declaration: Declaration, on: dt.date, reason: str = ""
) -> tuple[Fact, ...]:
    """Whether the application's subjects are known in an open case or a live signal, as facts for the assessment.

    Like the decision link it reads only what matching needs, for someone who may read the application. The facts
    name no case or signal, and there is at most one per party of the application, however many cases and
    signals hold it: the permit officer and the coordinator learn a yes or no and are told to consult the safety
    advisor, never how much the advisor has.
    """
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    open_cases, live_signals = tuple(_open_cases(conn)), tuple(_live_signals(conn))
    facts = known_subject_facts(declaration, [c.case for c in open_cases], live_signals, _ledger(conn), on)
    audit.append(conn, principal, "subject.knownCheckForAssessment", "application", application_id, reason)
    first_per_party: dict[object, tuple[Fact, KnownInCase]] = {}
    for fact in facts:
        if isinstance(fact.content, KnownInCase):
            first_per_party.setdefault(fact.subject, (fact, fact.content))
    return tuple(
        attrs.evolve(fact, id=f"known-{number}", content=attrs.evolve(content, reference=KNOWN_REFERENCE))
        for number, (fact, content) in enumerate(first_per_party.values(), start=1)
    )


def _open_cases(conn: Connection) -> Iterator[_OpenCase]:
    """Every case not closed, as the lifecycle replays it; a document that does not replay is left out."""
    query = sa.select(cases.c.id, cases.c.version, cases.c.document).where(cases.c.status != CLOSED_CASE)
    for row in conn.execute(query.order_by(cases.c.id)):
        case = _replayed(case_from_json, row.document)
        if isinstance(case, Case) and case.state.is_open:
            yield _OpenCase(attrs.evolve(case, id=row.id), row.version)


def _live_signals(conn: Connection) -> Iterator[Signal]:
    """Signals not weighed as 'no undermining' (destruction dates are checked by the library)."""
    query = sa.select(signals.c.id, signals.c.document).where(signals.c.status != DISMISSED_SIGNAL)
    for row in conn.execute(query.order_by(signals.c.id)):
        signal = _replayed(signal_from_json, row.document)
        if isinstance(signal, Signal):
            yield attrs.evolve(signal, id=row.id)


def _replayed(reader: Callable[[object], object], document: object) -> object:
    try:
        return reader(document)
    except (BibobError, TypeError, ValueError, KeyError):
        return None


def _ledger(conn: Connection) -> ReviewLedger:
    """The match reviews so far, oldest first (the latest on a pair wins)."""
    query = sa.select(match_reviews).order_by(match_reviews.c.id)
    rows = conn.execute(query).mappings()
    return ReviewLedger(
        tuple(ReviewDecision(r["left_key"], r["right_key"], r["confirmed"], r["reviewer"], r["reason"]) for r in rows)
    )


def _store_case(conn: Connection, case: Case, version: int) -> None:
    values = {"status": case.state.value, "document": case_to_json(case)}
    versioned_update(conn, cases, Resource.CASE.value, case.id, version, sa.true(), values)


def _store_evidence(conn: Connection, case_id: str, item: EvidenceItem, decision_ref: str) -> None:
    values: dict[str, Any] = {"id": new_id(), "case_id": case_id, "kind": EVIDENCE_KIND, "status": item.status.value}
    values |= {"source_ref": f"decision:{decision_ref}", "document": object_to_json(item), "version": 1}
    conn.execute(evidence.insert().values(**values, created_at=utcnow()))


def _store_signal(conn: Connection, principal: Principal, signal: Signal, reason: str) -> bool:
    """Register the Bibob signal for the advisor to weigh; the id is a fresh UUID like every signal's."""
    identifier, now = new_id(), utcnow()
    signal = attrs.evolve(signal, id=identifier)
    values: dict[str, Any] = {"id": identifier, "source": signal.source.value, "status": signal.state.value}
    values |= {"received": signal.received, "destroy_on": signal.destroy_on, "registered_by": principal.user}
    values |= {"document": signal_to_json(signal), "version": 1, "created_at": now, "updated_at": now}
    conn.execute(signals.insert().values(**values))
    add_keys_of_new_owner(conn, "signal", identifier, keys_of(signal.subjects.matchable))
    audit.append(conn, principal, "signal.createdFromDecision", "signal", identifier, reason)
    return True
