"""The evidence link in the store: what matching reads across dossiers, and the links and signals it writes.

The principal who records a permit decision (a permit officer, a Bibob coordinator) may not read cases.
This module acts for them under one rule only: they may update the application the decision belongs to
(or, for the known-subject check of an assessment, read it). It then reads what matching needs — the ids,
states and subjects of open cases and live signals, and the match reviews — and writes the links (a case
event, an evidence item) or a signal with source Bibob screening, in the caller's transaction, with one audit
row for the comparison and one per case linked. Candidates come from the subject-key index
(`service.store.subjects.candidate_owners`), so the work does not grow with the register. The use case
(`service.usecases.decisions`) tells the caller only whether the advisor was informed, never which case or
anything in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob._json import object_to_json
from bibob.exceptions import BibobError
from bibob.matching import ReviewDecision, ReviewLedger, Subject, subject_key
from bibob.undermining import (
    Case,
    CaseState,
    DecisionLinks,
    EvidenceItem,
    Signal,
    SignalState,
    case_from_json,
    case_to_json,
    signal_from_json,
    signal_to_json,
)
from service.auth import Principal
from service.store import audit, jobs, replays
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.rows import documents_of, require_visible, versioned_update
from service.store.subjects import add_keys_of_new_owner, candidate_owners, keys_of, lookups_of
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
class OpenCase:
    """An open case as matching sees it, with the version its link is written at."""

    case: Case
    version: int


NO_REVIEWS = ReviewLedger(())


@attrs.frozen
class Dossiers:
    """What matching a decision or an application's subjects needs: open cases, live signals, the match reviews.

    `ledgers` holds each open case's own verdicts: a review counts only in the case it was made in, so a signal (in
    no case) is matched without any.
    """

    cases: tuple[OpenCase, ...]
    signals: tuple[Signal, ...]
    ledgers: Mapping[str, ReviewLedger]

    def ledger_of(self, case_id: str) -> ReviewLedger:
        """The verdicts made in the case (none for a case nobody reviewed in)."""
        return self.ledgers.get(case_id, NO_REVIEWS)


def dossiers_for_decision(
    conn: Connection, principal: Principal, application_id: str, wanted: Iterable[Subject], reason: str = ""
) -> Dossiers:
    """The dossiers a Bibob measure on the application is compared with, for who may record its decision.

    Only the candidates for the decision's subjects (`wanted`) are read, through the subject-key index; the
    comparison is audited once, on the application; nothing of the dossiers goes back to the caller but what the
    use case makes of it (`LinkOutcome`). The cases that get a link are audited by `store_decision_links`.
    """
    visible = condition(principal, Resource.DECISION, Action.CREATE, application_id)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    found = _candidates(conn, tuple(wanted))
    audit.append(conn, principal, "subject.comparedForDecision", "application", application_id, reason)
    return found


def store_decision_links(
    conn: Connection,
    principal: Principal,
    dossiers: Dossiers,
    links: DecisionLinks,
    failed: Sequence[str],
    *,
    decision_ref: str,
    reason: str = "",
    mirror: bool = False,
) -> str | None:
    """Write the links of a decision (case events, evidence rows) or its signal; the new signal's id, if one was made.

    `dossiers` is what `dossiers_for_decision` read for this principal (who may record the decision), at the
    versions the links are written at. `decision_ref` names the stored decision (`decision:<id>` becomes the
    evidence item's source); `failed` are the cases that could not take the link, audited for the advisor.
    """
    _write_links(conn, links, {c.case.id: c.version for c in dossiers.cases}, decision_ref)
    for changed in links.cases if mirror else ():
        jobs.request_job(conn, jobs.ZGW_MIRROR, changed.id)  # the zaaksysteem shows the new evidence too
    audit.append_many(conn, principal, "case.evidence.linkedFromDecision", "case", [i for i, _ in links.items], reason)
    audit.append_many(conn, principal, "case.evidence.linkFailed", "case", failed, reason)
    return None if links.signal is None else _store_signal(conn, principal, links.signal, reason)


def _write_links(conn: Connection, links: DecisionLinks, versions: dict[str, int], decision_ref: str) -> None:
    """The changed case documents (event and journal) and one evidence row per new item."""
    for changed in links.cases:
        _store_case(conn, changed, versions[changed.id])
    for case_id, item in links.items:
        _store_evidence(conn, case_id, item, decision_ref)


def dossiers_for_known_check(
    conn: Connection, principal: Principal, application_id: str, wanted: Iterable[Subject], reason: str = ""
) -> Dossiers:
    """The dossiers an application's subjects (`wanted`) are looked up in, for who may read it (one audit row).

    Like the decision link it reads only what matching needs, and only the candidates the subject-key index names;
    the caller makes consultations of it, which nothing in the assessment reflects (`service.usecases.assessments`).
    """
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    found = _candidates(conn, tuple(wanted))
    audit.append(conn, principal, "subject.knownCheckForAssessment", "application", application_id, reason)
    return found


def _candidates(conn: Connection, wanted: tuple[Subject, ...]) -> Dossiers:
    """The open cases and live signals the subject-key index names for `wanted`, and the reviews of `wanted`.

    Only these few documents are read and replayed; the register's size does not change the work.
    """
    candidates = candidate_owners(conn, ("case", "signal"), lookups_of(wanted))
    open_cases, live_signals = (
        tuple(_open_cases(conn, candidates["case"])),
        tuple(_live_signals(conn, candidates["signal"])),
    )
    keys = [subject_key(subject) for subject in wanted]
    return Dossiers(open_cases, live_signals, _ledgers(conn, [c.case.id for c in open_cases], keys))


def _open_cases(conn: Connection, ids: Sequence[str]) -> Iterator[OpenCase]:
    """The cases of `ids` not closed, as the lifecycle replays them; a document that does not replay is left out.

    A version replayed before is not read again (`service.store.replays`)."""
    if not ids:
        return
    versions = [(str(row[0]), int(row[1])) for row in conn.execute(_OPEN_CASES, {"ids": list(ids)})]
    found = replays.at_versions(
        conn, "case.link", versions, lambda missing: _documents(conn, cases, missing), _open_case
    )
    by_id = dict(versions)
    for identifier, case in found.items():
        if isinstance(case, Case):
            yield OpenCase(attrs.evolve(case, id=identifier), by_id[identifier])


def _live_signals(conn: Connection, ids: Sequence[str]) -> Iterator[Signal]:
    """The signals of `ids` not weighed as 'no undermining' (destruction dates are checked by the library).

    A version replayed before is not read again (`service.store.replays`)."""
    if not ids:
        return
    versions = [(str(row[0]), int(row[1])) for row in conn.execute(_LIVE_SIGNALS, {"ids": list(ids)})]
    found = replays.at_versions(
        conn, "signal.link", versions, lambda missing: _documents(conn, signals, missing), _signal
    )
    for identifier, signal in found.items():
        if isinstance(signal, Signal):
            yield attrs.evolve(signal, id=identifier)


def _by_ids(table: sa.Table, passes: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """(id, version) of the rows of `table` among `:ids` that `passes`, by id: built once, bound per lookup."""
    query = sa.select(table.c.id, table.c.version).where(table.c.id.in_(sa.bindparam("ids", expanding=True)), passes)
    return query.order_by(table.c.id)


_OPEN_CASES = _by_ids(cases, cases.c.status != CLOSED_CASE)
_LIVE_SIGNALS = _by_ids(signals, signals.c.status != DISMISSED_SIGNAL)


def _documents(conn: Connection, table: sa.Table, ids: Sequence[str]) -> dict[str, Any]:
    return documents_of(conn, table, ids, sa.true())


def _open_case(document: object) -> Case | None:
    case = _replayed(case_from_json, document)
    return case if isinstance(case, Case) and case.state.is_open else None


def _signal(document: object) -> Signal | None:
    signal = _replayed(signal_from_json, document)
    return signal if isinstance(signal, Signal) else None


def _replayed(reader: Callable[[object], object], document: object) -> object:
    try:
        return reader(document)
    except (BibobError, TypeError, ValueError, KeyError):
        return None


def _ledgers(conn: Connection, case_ids: Sequence[str], keys: Sequence[str]) -> dict[str, ReviewLedger]:
    """The match reviews made in each of the cases about a pair with one of `keys` on either side, oldest first (the
    latest on a pair wins): a verdict counts only in the case it was made in."""
    if not case_ids or not keys:
        return {}
    involved = sa.or_(match_reviews.c.left_key.in_(keys), match_reviews.c.right_key.in_(keys))
    query = sa.select(match_reviews).where(match_reviews.c.case_id.in_(case_ids), involved)
    made: dict[str, list[ReviewDecision]] = {}
    for r in conn.execute(query.order_by(match_reviews.c.id)).mappings():
        decision = ReviewDecision(r["left_key"], r["right_key"], r["confirmed"], r["reviewer"], r["reason"])
        made.setdefault(r["case_id"], []).append(decision)
    return {case_id: ReviewLedger(tuple(decisions)) for case_id, decisions in made.items()}


def _store_case(conn: Connection, case: Case, version: int) -> None:
    values = {"status": case.state.value, "document": case_to_json(case)}
    versioned_update(conn, cases, Resource.CASE.value, case.id, version, sa.true(), values)


def _store_evidence(conn: Connection, case_id: str, item: EvidenceItem, decision_ref: str) -> None:
    values: dict[str, Any] = {"id": new_id(), "case_id": case_id, "kind": EVIDENCE_KIND, "status": item.status.value}
    values |= {"source_ref": f"decision:{decision_ref}", "document": object_to_json(item), "version": 1}
    conn.execute(evidence.insert().values(**values, created_at=utcnow()))


def _store_signal(conn: Connection, principal: Principal, signal: Signal, reason: str) -> str:
    """Register the Bibob signal for the advisor to weigh; the id is a fresh UUID like every signal's."""
    identifier, now = new_id(), utcnow()
    signal = attrs.evolve(signal, id=identifier)
    values: dict[str, Any] = {"id": identifier, "source": signal.source.value, "status": signal.state.value}
    values |= {"received": signal.received, "destroy_on": signal.destroy_on, "registered_by": principal.user}
    values |= {"document": signal_to_json(signal), "version": 1, "created_at": now, "updated_at": now}
    values["theme"] = values["document"].get("theme") if isinstance(values["document"], dict) else None
    conn.execute(signals.insert().values(**values))
    add_keys_of_new_owner(conn, "signal", identifier, keys_of(signal.subjects.matchable))
    audit.append(conn, principal, "signal.createdFromDecision", "signal", identifier, reason)
    return identifier
