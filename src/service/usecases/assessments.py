"""Assessing an application: the register check before, the consultations and shared facts, and the assessment.

A match of a subject with an undermining case or signal is no fact (art. 3(2)/(3) Wet Bibob): it opens a
consultation for the coordinator and changes nothing in the assessment, so an assessment tells no role whether
anyone is known to the safety advisor. Only facts the advisor shared, with their source, enter it.
"""

from __future__ import annotations

from typing import Any

import attrs
import httpx

from bibob.clients import BasicProfile, KvkSettings
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import Fact, assess, declaration_from_answers, for_permit_officer, shared_fact_from_json
from bibob.undermining import application_subjects, consultations_for
from service.integrations import register_profiles
from service.store import applications, permit_watch
from service.store import consultations as stored_consultations
from service.store.applications import StoredApplication
from service.store.assessments import Record, add_assessment
from service.store.assessments import list_assessments as stored_assessments
from service.store.evidence_link import NO_REVIEWS, dossiers_for_known_check
from service.usecases.session import Runner, Session
from service.views.application_requests import assessment_request
from service.views.applications import assessment_view, questionnaire_reference

#: The prefix of a fact shared by the safety advisor: s-<consultation id>.
SHARED_PREFIX = "s-"  # fact ids are at most 40 characters


@attrs.frozen
class RegisterCheck:
    """The KvK profiles of the declared organisations, and a Dutch line saying how the check went."""

    profiles: dict[str, BasicProfile | None] = attrs.field(factory=dict)
    status: str = ""


async def check_registers(
    run: Runner, catalogue: Catalogue, http: httpx.AsyncClient, kvk: KvkSettings | None, application_id: str
) -> RegisterCheck:
    """The register check of an assessment, fetched outside any transaction (`run` reads the answers); never blocks."""
    if kvk is None:
        return RegisterCheck({}, "KvK-controle niet ingesteld")
    stored = await run(lambda session: read_for_assessment(session, application_id))
    questionnaire = catalogue.get(questionnaire_reference(stored))
    if questionnaire is None:
        return RegisterCheck({}, "geen vragenformulier bij deze aanvraag")
    declaration = declaration_from_answers(questionnaire, stored.answers)
    return RegisterCheck(*await register_profiles(http, kvk, declaration))


def read_for_assessment(session: Session, application_id: str) -> StoredApplication:
    """The application whose answers are assessed (an audited read)."""
    return applications.get_application(session.conn, session.principal, application_id, session.reason)


def assess_application(
    session: Session,
    catalogue: Catalogue,
    policy: Policy,
    application_id: str,
    body: object,
    register: RegisterCheck,
) -> Record:
    """Assess the stored answers with the body's facts and records, and store the assessment.

    The software recommends; a person decides. `referenceDate` defaults to the session's day. Subjects known in a
    case or signal open consultations (nothing of them reaches the caller); facts the advisor shared are added.
    """
    stored = read_for_assessment(session, application_id)
    open_consultations(session, catalogue, stored)
    shared = shared_facts(session, stored.id)
    document = _assessed(session, catalogue, policy, stored, body, register, shared)
    return add_assessment(session.conn, session.principal, application_id, document, session.reason)


def list_assessments(session: Session, application_id: str) -> tuple[Record, ...]:
    """The assessments of an application the principal may see, oldest first."""
    return stored_assessments(session.conn, session.principal, application_id, session.reason)


def open_consultations(session: Session, catalogue: Catalogue, stored: StoredApplication) -> None:
    """Open a consultation per subject and case or signal it matches (idempotent); the caller learns nothing."""
    questionnaire = catalogue.get(questionnaire_reference(stored))
    if questionnaire is None:
        return
    declaration = declaration_from_answers(questionnaire, stored.answers)
    wanted = [item.subject for item in application_subjects(declaration)]
    found = dossiers_for_known_check(session.conn, session.principal, stored.id, wanted, session.reason)
    permit_watch.offer_lbb_reuse(session.conn, session.principal, stored.id, wanted, session.today, session.reason)
    today = session.today
    # each case with the verdicts made in it; the signals, in no case, with none
    touched = [
        *(
            c
            for e in found.cases
            for c in consultations_for(stored.id, declaration, [e.case], [], found.ledger_of(e.case.id), today)
        ),
        *consultations_for(stored.id, declaration, [], found.signals, NO_REVIEWS, today),
    ]
    stored_consultations.open_consultations(session.conn, session.principal, stored.id, touched, session.reason)


def shared_facts(session: Session, application_id: str) -> dict[str, tuple[Fact, str]]:
    """The facts the safety advisor shared for this application: fact id → (fact, the case or signal it came from)."""
    found = stored_consultations.shared(session.conn, session.principal, application_id)
    shared = {}
    for consultation in found:
        assert consultation.answer is not None
        fact = shared_fact_from_json(consultation.answer["fact"], SHARED_PREFIX + consultation.id)
        shared[fact.id] = (fact, consultation.owner_id)
    return shared


def _assessed(
    session: Session,
    catalogue: Catalogue,
    policy: Policy,
    stored: StoredApplication,
    body: object,
    register: RegisterCheck,
    shared: dict[str, tuple[Fact, str]],
) -> dict[str, Any]:
    """The assessment document to store: the input, the full view, the permit officer's view, the shared facts."""
    request = assessment_request(body, stored, catalogue, session.today)
    facts = (*request.facts, *(fact for fact, _ in shared.values()))
    request = attrs.evolve(request, register=register.profiles, facts=facts)
    assessment = assess(request, policy)
    redacted = for_permit_officer(assessment, request, policy)
    given = {key: value for key, value in body.items() if key != "referenceDate"} if isinstance(body, dict) else {}
    return {
        "referenceDate": request.reference_date.isoformat(),
        "input": given,
        "full": assessment_view(assessment),
        "permitOfficer": assessment_view(redacted),
        "registerCheck": register.status,
        "sharedFacts": {fact_id: owner for fact_id, (_, owner) in shared.items()},  # for no echo at the decision
    }
