"""The coordinator's investigation file and the mayor's signature: facts of the own investigation with source and
date, the proportionality record (art. 3 lid 5), the decision proposal, and signing it through `decide`.

The file is append-only (`investigations`): every change stores the whole file anew, the newest is the current one.
A permit officer has no rule for it (404, as for a dossier they may not see): it names closed sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.applications import ApplicationState, check_event
from bibob.exceptions import InvalidInputError, Problem
from bibob.questionnaires import Catalogue
from bibob.screening import request_from_json
from service.integrations import Integrations
from service.store import applications
from service.store.access import Action, Resource, require
from service.store.applications import StoredApplication
from service.store.assessments import Record, add_investigation, latest_investigations, list_investigations
from service.usecases.decisions import Decided, decide
from service.usecases.notifications import decision_waiting
from service.usecases.session import Session
from service.views.application_requests import decision_event

#: The considerations of the proportionality record the law asks (art. 3 lid 5 Wet Bibob), by wire name.
PROPORTIONALITY_FIELDS: dict[str, str] = {
    "seriousness": "de ernst van de feiten",
    "numberAndRecency": "het aantal feiten en hoe lang geleden",
    "linkToActivity": "de samenhang met de activiteit waarvoor de vergunning is",
    "relationCurrent": "of de relatie met de betrokkene nog actueel is",
    "applicantInterests": "de belangen van de aanvrager",
    "lesserMeansConsidered": "welke lichtere middelen (voorschriften) zijn overwogen",
}
OPTIONAL_PROPORTIONALITY = {"comparableCases": "vergelijkbare gevallen"}
PROPOSAL_FIELDS = ("outcome", "grounds", "levels", "conditions", "motivation", "deviationMotivation", "theme")
MAX_TEXT = 4000
#: States in which the coordinator works on an application (own investigation, LBB, intention and zienswijze).
UNDER_INVESTIGATION = frozenset({
    ApplicationState.OWN_INVESTIGATION, ApplicationState.OWN_INVESTIGATION_CONCLUDED, ApplicationState.LBB_REQUESTED,
    ApplicationState.LBB_ADDITIONAL_QUESTIONS, ApplicationState.LBB_EXTENDED, ApplicationState.LBB_ADVICE_RECEIVED,
    ApplicationState.COOPERATION_REFUSED, ApplicationState.INTENTION_SENT, ApplicationState.ZIENSWIJZE_RECEIVED,
    ApplicationState.ZIENSWIJZE_TERM_EXPIRED,
})  # fmt: skip
DECIDED = frozenset({
    ApplicationState.DECIDED, ApplicationState.ANNOUNCED, ApplicationState.OBJECTION_RECEIVED,
    ApplicationState.OBJECTION_DECIDED, ApplicationState.NOT_PROCESSED, ApplicationState.WITHDRAWN_BY_APPLICANT,
    ApplicationState.CLOSED_WITHOUT_MEASURE,
})  # fmt: skip


@attrs.frozen
class InvestigationFile:
    """The current file of an application: its facts, proportionality record and proposal (each may be absent)."""

    application: StoredApplication
    facts: tuple[Mapping[str, Any], ...] = ()
    proportionality: Mapping[str, Any] | None = None
    proposal: Mapping[str, Any] | None = None
    recorded: Record | None = None  # the stored row (who wrote the current file, when)

    def document(self) -> dict[str, Any]:
        """The file as stored."""
        return {
            "facts": [dict(fact) for fact in self.facts],
            "proportionality": dict(self.proportionality) if self.proportionality is not None else None,
            "proposal": dict(self.proposal) if self.proposal is not None else None,
        }

    def assessment_body(self) -> dict[str, Any]:
        """What the assessment is asked with: the facts and, when written, the proportionality record."""
        body: dict[str, Any] = {"facts": [dict(fact) for fact in self.facts]}
        return body | ({"proportionality": dict(self.proportionality)} if self.proportionality else {})


@attrs.frozen
class Pending:
    """A proposal waiting for the mayor's signature, and whether the lifecycle would take it now."""

    file: InvestigationFile
    reasons: tuple[str, ...]  # every unmet legal precondition, in Dutch; empty when it may be signed


def read_investigation(session: Session, application_id: str) -> InvestigationFile:
    """The application and its current investigation file, for the coordinator and the mayor (others: 404)."""
    require(session.principal, Resource.INVESTIGATION, Action.READ, application_id)
    stored = applications.get_application(session.conn, session.principal, application_id, session.reason)
    records = list_investigations(session.conn, session.principal, application_id, session.reason)
    return _file(stored, records[-1] if records else None)


def add_fact(session: Session, catalogue: Catalogue, application_id: str, fact: Mapping[str, Any]) -> InvestigationFile:
    """Add one own-investigation fact (assessment-request.schema.json's fact without its id, which is given here)."""
    current = _for_update(session, application_id)
    numbered: dict[str, Any] = {**fact, "id": f"F{len(current.facts) + 1}"}
    index = len(current.facts)
    document: dict[str, Any] = {"permitType": current.application.permit_type, "track": current.application.track}
    document |= {"referenceDate": session.today.isoformat(), "answers": dict(current.application.answers)}
    try:
        request_from_json({**document, "facts": [*current.facts, numbered]}, catalogue)
    except InvalidInputError as error:
        prefix = f"/facts/{index}"
        problems = [
            Problem(p.pointer.removeprefix(prefix), p.code, p.message)
            for p in error.problems
            if p.pointer.startswith(prefix)
        ]
        raise InvalidInputError(problems or list(error.problems)) from None
    on = dt.date.fromisoformat(str(numbered["on"]))
    if on > session.today:
        raise InvalidInputError([Problem("/on", "date.future", "de datum van een feit mag niet in de toekomst liggen")])
    return _store(session, attrs.evolve(current, facts=(*current.facts, numbered)))


def record_proportionality(session: Session, application_id: str, fields: Mapping[str, str]) -> InvestigationFile:
    """Record the proportionality record, by the acting account on the session's day; every missing field named."""
    current = _for_update(session, application_id)
    problems = [
        Problem(f"/{name}", "required", f"vul in: {label}")
        for name, label in PROPORTIONALITY_FIELDS.items()
        if not str(fields.get(name, "")).strip()
    ]
    problems += [
        Problem(f"/{name}", "maxLength", f"hoogstens {MAX_TEXT} tekens")
        for name in (*PROPORTIONALITY_FIELDS, *OPTIONAL_PROPORTIONALITY)
        if len(str(fields.get(name, ""))) > MAX_TEXT
    ]
    if problems:
        raise InvalidInputError(problems)
    record: dict[str, Any] = {
        name: str(fields.get(name, "")).strip() for name in (*PROPORTIONALITY_FIELDS, *OPTIONAL_PROPORTIONALITY)
    }
    record |= {"recordedBy": session.principal.user, "recordedOn": session.today.isoformat()}
    return _store(session, attrs.evolve(current, proportionality=record))


def write_proposal(session: Session, application_id: str, proposal: Mapping[str, Any]) -> InvestigationFile:
    """The decision proposal for the mayor (outcome, grounds, levels, conditions, motivation), checked as the
    decision would be (its shape; the legal preconditions are shown to the mayor before signing)."""
    current = _for_update(session, application_id)
    kept = {key: value for key, value in proposal.items() if key in PROPOSAL_FIELDS and value not in (None, "", [])}
    decision_event(_decision_body(current, kept, session.today), current.application, session.principal.user)
    stored = _store(session, attrs.evolve(current, proposal=kept))
    decision_waiting(session, application_id)
    return stored


def check_proposal(session: Session, application_id: str) -> Pending:
    """The proposal and every legal precondition the decision would not meet now (what the mayor sees first)."""
    file = read_investigation(session, application_id)
    return Pending(file, _reasons(file, session))


def pending_decisions(session: Session) -> tuple[Pending, ...]:
    """Every proposal not yet decided that the principal may read (the mayor's desk), oldest proposal first."""
    found = latest_investigations(session.conn, session.principal, session.reason)
    pending = []
    for stored, record in found:
        state = ApplicationState.parse(stored.state)
        file = _file(stored, record)
        if file.proposal and state not in DECIDED:
            pending.append(Pending(file, _reasons(file, session)))
    return tuple(pending)


def sign_decision(
    session: Session, catalogue: Catalogue, integrations: Integrations, application_id: str, version: int
) -> Decided:
    """Record the proposal as the decision, in the name of the acting account (the mayor), through `decide`."""
    file = read_investigation(session, application_id)
    if not file.proposal:
        raise InvalidInputError([Problem("/proposal", "required", "er is nog geen besluitvoorstel")])
    body = _decision_body(file, file.proposal, session.today)
    return decide(session, catalogue, integrations, application_id, version, body)


def _reasons(file: InvestigationFile, session: Session) -> tuple[str, ...]:
    if not file.proposal:
        return ("er is nog geen besluitvoorstel",)
    try:
        event, _ = decision_event(
            _decision_body(file, file.proposal, session.today), file.application, session.principal.user
        )
    except InvalidInputError as error:
        return tuple(problem.message for problem in error.problems)
    return check_event(file.application.application, event).reasons


def _decision_body(file: InvestigationFile, proposal: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    body: dict[str, Any] = {**proposal, "on": today.isoformat()}
    return body | ({"proportionality": dict(file.proportionality)} if file.proportionality else {})


def _for_update(session: Session, application_id: str) -> InvestigationFile:
    require(session.principal, Resource.INVESTIGATION, Action.UPDATE, application_id)
    return read_investigation(session, application_id)


def _store(session: Session, file: InvestigationFile) -> InvestigationFile:
    record = add_investigation(session.conn, session.principal, file.application.id, file.document(), session.reason)
    return attrs.evolve(file, recorded=record)


def _file(stored: StoredApplication, record: Record | None) -> InvestigationFile:
    if record is None:
        return InvestigationFile(stored)
    document = record.document
    return InvestigationFile(
        stored,
        tuple(document.get("facts") or ()),
        document.get("proportionality"),
        document.get("proposal"),
        record,
    )
