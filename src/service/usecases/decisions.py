"""Deciding on an application and informing the safety advisor: a Bibob measure reaches the matching open cases.

The permit officer or coordinator who records the decision may not read cases. The store reads what matching
needs for them (`service.store.evidence_link`), the library links, and the caller learns only whether the
advisor was informed — never which case, nor whether the decision became a new signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.applications import DecisionRecorded, apply_event
from bibob.exceptions import BibobError
from bibob.legal import DecisionOutcome, PermitType
from bibob.questionnaires import Catalogue
from bibob.screening import declaration_from_answers
from bibob.undermining import (
    Case,
    DecisionLinks,
    EvidenceItem,
    EvidenceStatus,
    RecordedDecision,
    Theme,
    decision_into_case,
    decision_into_signal,
    link_decision,
    recorded_decision,
    sole_source,
)
from service.integrations import Integrations
from service.store import applications, disclosures
from service.store.access import Action, Resource, require
from service.store.applications import StoredApplication
from service.store.assessments import Record, list_assessments, record_decision
from service.store.evidence_link import (
    NO_REVIEWS,
    Dossiers,
    LinkOutcome,
    dossiers_for_decision,
    store_decision_links,
)
from service.store.permit_watch import keep_granted_permit
from service.usecases.notifications import evidence_arrived, signal_arrived
from service.usecases.permit_watch import prompt_for
from service.usecases.session import Session
from service.views.application_requests import decision_event
from service.views.applications import event_document, questionnaire_reference

#: Outcomes that grant the permit: its subjects are then watched (`service.store.permit_watch`).
GRANTED = frozenset({DecisionOutcome.GRANTED, DecisionOutcome.GRANTED_WITH_CONDITIONS})


@attrs.frozen
class Decided:
    """The recorded decision, the application after it, and what the advisor was told (counts only)."""

    record: Record
    application: StoredApplication
    link: LinkOutcome


def decide(
    session: Session, catalogue: Catalogue, integrations: Integrations, application_id: str, version: int, body: object
) -> Decided:
    """Record the decision through the lifecycle, in the name of the acting principal, store it, and link a Bibob
    measure for the advisor. The mayor, who decides on permits, may record it as well as the file's officers."""
    conn, principal, reason = session.conn, session.principal, session.reason
    require(principal, Resource.DECISION, Action.CREATE, application_id)
    stored = applications.load(conn, principal, application_id, version, reason)
    event, theme = decision_event(body, stored, principal.user)
    updated = applications.save(conn, principal, apply_event(stored.application, event), version, reason, decision=True)
    document = event_document(event) | {"theme": theme.value}
    record = record_decision(conn, principal, application_id, event.outcome.value, document, reason)
    decision = _recorded(session, catalogue, stored, event, theme)
    if event.outcome in GRANTED:  # the watch keeps the permit's subjects as long as it stands
        keep_granted_permit(conn, principal, application_id, decision.subjects, event.on, reason)
    link = inform_advisor(session, decision, record.id, mirror=integrations.zgw is not None)
    return Decided(record, updated, link)


def inform_advisor(session: Session, decision: RecordedDecision, decision_ref: str, *, mirror: bool) -> LinkOutcome:
    """Link a recorded Bibob measure to the open cases about the same subjects, or make a signal of it.

    `decision_ref` names the stored decision; outcomes that are no Bibob measure link nothing and read no case.
    `mirror`: the zaaksysteem is to follow every case that got evidence.
    """
    if not decision.outcome.is_bibob_measure:
        return LinkOutcome()
    conn, principal, reason = session.conn, session.principal, session.reason
    wanted = [item.subject for item in decision.subjects]
    dossiers = dossiers_for_decision(conn, principal, decision.application_id, wanted, reason)
    links, failed = _links(decision, dossiers, session.now)
    signal_id = store_decision_links(
        conn, principal, dossiers, links, failed, decision_ref=decision_ref, reason=reason, mirror=mirror
    )
    _record_disclosures(session, decision, links, signal_id)
    evidence_arrived(session, links.cases)
    if signal_id is not None:
        signal_arrived(session, signal_id)
    prompt_for(session, "bibobDecision", ("application", decision.application_id), wanted)
    to_review = sum(1 for _, item in links.items if item.status is EvidenceStatus.TO_REVIEW)
    return LinkOutcome(len(links.items), to_review, signal_id is not None)


def _record_disclosures(
    session: Session, decision: RecordedDecision, links: DecisionLinks, signal_id: str | None
) -> None:
    """Art. 28 Wet Bibob: each case the decision reached, and the signal it became, is a disclosure on record."""
    for case_id, item in links.items:
        made = decision_into_case(decision, case_id, derived=item.status is EvidenceStatus.DERIVED)
        disclosures.record(session.conn, session.principal.user, made)
    if signal_id is not None:
        disclosures.record(session.conn, session.principal.user, decision_into_signal(decision, signal_id))


def _links(decision: RecordedDecision, dossiers: Dossiers, at: dt.datetime) -> tuple[DecisionLinks, list[str]]:
    """Link case by case, so one case the lifecycle refuses (e.g. an event dated later) blocks no other.

    Each case is matched with the verdicts made in it; the signals, in no case, with none.

    A case that could not take the link is audited for the advisor to follow up; without any other
    match the decision then also becomes a signal, so the advisor is informed either way.
    """
    changed: list[Case] = []
    items: list[tuple[str, EvidenceItem]] = []
    failed: list[str] = []
    matched = False
    for entry in dossiers.cases:
        try:
            part = link_decision(decision, (entry.case,), (), dossiers.ledger_of(entry.case.id), at)
        except (BibobError, TypeError, ValueError):
            failed.append(entry.case.id)
            continue
        matched = matched or part.signal is None
        changed += part.cases
        items += part.items
    unmatched = link_decision(decision, (), dossiers.signals, NO_REVIEWS, at)
    signal = None if matched else unmatched.signal
    return DecisionLinks(tuple(changed), tuple(items), signal, unmatched.related_signals), failed


def _recorded(
    session: Session, catalogue: Catalogue, stored: StoredApplication, event: DecisionRecorded, theme: Theme
) -> RecordedDecision:
    """The decision with the application's subjects and permit type, never its findings (art. 28 Wet Bibob).

    No echo: when every finding of the latest assessment rests on facts one case or signal shared, the decision is
    marked as derived from it.
    """
    declaration = declaration_from_answers(catalogue[questionnaire_reference(stored)], dict(stored.answers))
    records = (
        list_assessments(session.conn, session.principal, stored.id, session.reason)
        if event.outcome.is_bibob_measure
        else ()
    )
    source = _sole_source(records[-1].document) if records else None
    return recorded_decision(
        stored.id, event.outcome, event.on, event.grounds, declaration, PermitType.parse(stored.permit_type), theme,
        derived_from=() if source is None else (source,),
    )  # fmt: skip


def _sole_source(document: Mapping[str, Any]) -> str | None:
    """The case or signal whose shared facts are the only evidence of the assessment's findings, if one is."""
    findings = document.get("full", {}).get("findings", [])
    evidence = [(str(e["kind"]), str(e["ref"])) for f in findings for e in f.get("evidence", [])]
    return sole_source(evidence, document.get("sharedFacts", {}))
