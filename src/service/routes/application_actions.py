"""What the application resource does beyond reading and writing: assess, decide, link, compute deadlines."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
from litestar.datastructures import State
from sqlalchemy.engine import Connection

from bibob.applications import DecisionRecorded, application_deadlines, apply_event
from bibob.clients import BasicProfile
from bibob.exceptions import InvalidInputError, Problem
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import Fact, assess, declaration_from_answers, for_permit_officer
from bibob.terms import AtwCalendar, Deadline, Term, load_calendar
from bibob.undermining import RecordedDecision, Theme, recorded_decision
from service.auth import Principal
from service.http import in_transaction
from service.integrations import Integrations, register_profiles
from service.routes.application_views import (
    assessment_request,
    decision_event,
    decision_view,
    event_document,
    questionnaire_reference,
)
from service.store import applications as store
from service.store.assessments import list_assessments, record_decision
from service.store.errors import StaleVersionError
from service.store.evidence_link import known_subject_facts_for, link_decision_to_undermining
from service.views import assessment_view


@functools.cache
def calendar() -> AtwCalendar:
    return load_calendar()


def catalogue_of(state: State) -> Catalogue:
    catalogue: Catalogue = state.catalogue
    return catalogue


def policy_of(state: State) -> Policy:
    policy: Policy = state.policy
    return policy


def check_current(stored: store.StoredApplication, version: int) -> None:
    """412 before any rule is checked: a client with an old ETag must first see what changed."""
    if stored.version != version:
        raise StaleVersionError(store.KIND, stored.id, version)


def deadlines_of(stored: store.StoredApplication, on: dt.date, term: Term, basis: str) -> tuple[Deadline, ...]:
    try:
        return application_deadlines(stored.application, on, calendar(), term, basis)
    except OverflowError:  # a reference date near the end of the calendar
        raise InvalidInputError(
            [Problem("referenceDate", "dateOutOfRange", "de termijnen lopen voorbij 9999")]
        ) from None


async def register_check(
    state: State, principal: Principal, application_id: str, reason: str
) -> tuple[dict[str, BasicProfile | None], str]:
    """The KvK profiles of the declared organisations, fetched outside any transaction; never blocks."""
    integrations: Integrations = state.integrations
    if integrations.kvk is None:
        return {}, "KvK-controle niet ingesteld"
    stored = await in_transaction(state, lambda conn: store.get_application(conn, principal, application_id, reason))
    questionnaire = catalogue_of(state).get(questionnaire_reference(stored))
    if questionnaire is None:
        return {}, "geen vragenformulier bij deze aanvraag"
    declaration = declaration_from_answers(questionnaire, stored.answers)
    return await register_profiles(state.http, integrations.kvk, declaration)


def known_facts(
    conn: Connection, principal: Principal, stored: store.StoredApplication, state: State, reason: str
) -> tuple[Fact, ...]:
    """Facts for subjects known to the safety advisor (the indicator knownInUnderminingCase), naming no case."""
    questionnaire = catalogue_of(state).get(questionnaire_reference(stored))
    if questionnaire is None:
        return ()
    declaration = declaration_from_answers(questionnaire, stored.answers)
    return known_subject_facts_for(conn, principal, stored.id, declaration, dt.date.today(), reason)


def assessed(
    body: object, stored: store.StoredApplication, state: State,
    register: tuple[dict[str, BasicProfile | None], str] = ({}, ""),
    known: tuple[Fact, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    """The assessment document to store: the input, the full view and the permit officer's view."""
    request = assessment_request(body, stored, catalogue_of(state), dt.date.today())
    request = attrs.evolve(request, register=register[0], facts=(*request.facts, *known))
    policy = policy_of(state)
    assessment = assess(request, policy)
    redacted = for_permit_officer(assessment, request, policy)
    given = {key: value for key, value in body.items() if key != "referenceDate"} if isinstance(body, dict) else {}
    return {
        "referenceDate": request.reference_date.isoformat(),
        "input": given,
        "full": assessment_view(assessment),
        "permitOfficer": assessment_view(redacted),
        "registerCheck": register[1],
    }


def decide(
    conn: Connection, principal: Principal, state: State, application_id: str, version: int, body: object, reason: str
) -> dict[str, Any]:
    """Record the decision through the lifecycle, store it, and link a Bibob measure for the advisor."""
    stored = store.get_application(conn, principal, application_id, reason)
    check_current(stored, version)
    event, theme = decision_event(body, stored)
    application = apply_event(stored.application, event)
    updated = store.update_application(conn, principal, application_id, version, application=application, reason=reason)
    document = event_document(event) | {"theme": theme.value}
    record = record_decision(conn, principal, application_id, event.outcome.value, document, reason)
    decision = recorded(conn, principal, catalogue_of(state), stored, event, theme, reason)
    mirror = state.integrations.zgw is not None
    link = link_decision_to_undermining(
        conn, principal, application_id, decision, decision_ref=record.id, reason=reason, mirror=mirror
    )
    return decision_view(record, updated, link)


def recorded(
    conn: Connection,
    principal: Principal,
    catalogue: Catalogue,
    stored: store.StoredApplication,
    event: DecisionRecorded,
    theme: Theme,
    reason: str,
) -> RecordedDecision:
    """The decision with the application's subjects and the findings of its latest assessment as the permit
    officer sees them, so the explanation that travels to a case names no closed source."""
    declaration = declaration_from_answers(catalogue[questionnaire_reference(stored)], dict(stored.answers))
    records = list_assessments(conn, principal, stored.id, reason) if event.outcome.is_bibob_measure else ()
    findings = records[-1].document.get("permitOfficer", {}).get("findings", []) if records else []
    made = recorded_decision(stored.id, event.outcome, event.on, event.grounds, declaration, (), theme)
    return attrs.evolve(made, findings=tuple((str(f["code"]), str(f["explanation"])) for f in findings))
