"""Assessing an application: the register check before, the known-subject facts and the assessment itself."""

from __future__ import annotations

from typing import Any

import attrs
import httpx

from bibob.clients import BasicProfile, KvkSettings
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import Fact, KnownInCase, assess, declaration_from_answers, for_permit_officer
from bibob.undermining import known_subject_facts
from service.integrations import register_profiles
from service.store import applications
from service.store.applications import StoredApplication
from service.store.assessments import Record, add_assessment
from service.store.assessments import list_assessments as stored_assessments
from service.store.evidence_link import dossiers_for_known_check
from service.usecases.session import Runner, Session
from service.views.application_requests import assessment_request
from service.views.applications import assessment_view, questionnaire_reference

#: What the facts about a subject known to the safety advisor name instead of a case or signal.
KNOWN_REFERENCE = "een casus of melding bij de adviseur veiligheid"


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

    The software recommends; a person decides. `referenceDate` defaults to the session's day.
    """
    stored = read_for_assessment(session, application_id)
    known = known_facts(session, catalogue, stored)
    document = _assessed(session, catalogue, policy, stored, body, register, known)
    return add_assessment(session.conn, session.principal, application_id, document, session.reason)


def list_assessments(session: Session, application_id: str) -> tuple[Record, ...]:
    """The assessments of an application the principal may see, oldest first."""
    return stored_assessments(session.conn, session.principal, application_id, session.reason)


def known_facts(session: Session, catalogue: Catalogue, stored: StoredApplication) -> tuple[Fact, ...]:
    """Facts for the subjects known to the safety advisor (the indicator knownInUnderminingCase), naming no case.

    At most one per party of the application, however many cases and signals hold it: the permit officer and the
    coordinator learn a yes or no and are told to consult the safety advisor, never how much the advisor has.
    """
    questionnaire = catalogue.get(questionnaire_reference(stored))
    if questionnaire is None:
        return ()
    declaration = declaration_from_answers(questionnaire, stored.answers)
    found = dossiers_for_known_check(session.conn, session.principal, stored.id, session.reason)
    cases = [entry.case for entry in found.cases]
    facts = known_subject_facts(declaration, cases, found.signals, found.ledger, session.today)
    return _one_per_party(facts)


def _one_per_party(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    first_per_party: dict[object, tuple[Fact, KnownInCase]] = {}
    for fact in facts:
        if isinstance(fact.content, KnownInCase):
            first_per_party.setdefault(fact.subject, (fact, fact.content))
    return tuple(
        attrs.evolve(fact, id=f"known-{number}", content=attrs.evolve(content, reference=KNOWN_REFERENCE))
        for number, (fact, content) in enumerate(first_per_party.values(), start=1)
    )


def _assessed(
    session: Session,
    catalogue: Catalogue,
    policy: Policy,
    stored: StoredApplication,
    body: object,
    register: RegisterCheck,
    known: tuple[Fact, ...],
) -> dict[str, Any]:
    """The assessment document to store: the input, the full view and the permit officer's view."""
    request = assessment_request(body, stored, catalogue, session.today)
    request = attrs.evolve(request, register=register.profiles, facts=(*request.facts, *known))
    assessment = assess(request, policy)
    redacted = for_permit_officer(assessment, request, policy)
    given = {key: value for key, value in body.items() if key != "referenceDate"} if isinstance(body, dict) else {}
    return {
        "referenceDate": request.reference_date.isoformat(),
        "input": given,
        "full": assessment_view(assessment),
        "permitOfficer": assessment_view(redacted),
        "registerCheck": register.status,
    }
