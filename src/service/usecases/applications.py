"""Applications: register, read and list, store answers and attachments, record a lifecycle event, the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from bibob.applications import EVENTS_BY_TYPE, Application, TipSent, application_deadlines, apply_event
from bibob.exceptions import InvalidInputError, Problem
from bibob.policy import Policy
from bibob.questionnaires import Catalogue, Completeness, Questionnaire, check_completeness
from bibob.screening import declaration_from_answers
from bibob.terms import AtwCalendar, Deadline
from bibob.undermining import application_subjects, tip_to_body
from service.store import applications, disclosures, permit_watch
from service.store.applications import StoredApplication
from service.usecases.permit_watch import prompt_after_answers, prompt_after_step
from service.usecases.session import Session
from service.usecases.worklist import Lateness, decision_term, lateness
from service.views.application_requests import answer_document, lifecycle_event

LBB_ADVICE = EVENTS_BY_TYPE["lbbAdviceReceived"]  # the LBB advice arrived (art. 9 Wet Bibob)


@attrs.frozen
class StoredAnswers:
    """Answers just stored, with the questionnaire they answer and the document as given."""

    application: StoredApplication
    questionnaire: Questionnaire
    document: Mapping[str, Any]


@attrs.frozen
class AnswersState:
    """An application's answer document (stored, or about to be) with its questionnaire and its completeness, in
    which the attachments registered with the application count (PUT …/attachments)."""

    application: StoredApplication
    questionnaire: Questionnaire
    document: Mapping[str, Any]
    completeness: Completeness


@attrs.frozen
class Timeline:
    """The deadlines of an application on a day, and the legal basis of its decision term."""

    application: StoredApplication
    deadlines: tuple[Deadline, ...]
    on: dt.date
    basis: str
    lateness: Lateness | None = None  # the decision term passed: undecided ("beslistermijn overschreden") or late


def register_application(
    session: Session, application: Application, questionnaire: Mapping[str, str]
) -> StoredApplication:
    """Store a new application, owned by the principal, with its questionnaire reference (`{"id", "version"}`)."""
    answers = {"questionnaire": questionnaire}
    return applications.create_application(
        session.conn, session.principal, application, answers=answers, reason=session.reason
    )


def read_application(session: Session, application_id: str) -> StoredApplication:
    """The application, if the principal may see it (an audited read)."""
    return applications.get_application(session.conn, session.principal, application_id, session.reason)


def list_applications(
    session: Session, *, state: str | None, permit_type: str | None, limit: int, offset: int
) -> tuple[tuple[StoredApplication, ...], int]:
    """One page of the applications the principal may see, newest first, and how many there are."""
    return applications.page_of_applications(
        session.conn,
        session.principal,
        state=state,
        permit_type=permit_type,
        limit=limit,
        offset=offset,
        reason=session.reason,
    )


def store_answers(
    session: Session, catalogue: Catalogue, application_id: str, version: int, body: object
) -> StoredAnswers:
    """Store any answer document to the application's own questionnaire, at the version the client saw.

    A Bibob-register hit recorded before the answers named anyone prompts the watch now (`prompt_after_answers`).
    """
    conn, principal = session.conn, session.principal
    questionnaire = catalogue[applications.questionnaire_of(conn, principal, application_id)]
    document = answer_document(body, questionnaire.id)
    updated = applications.update_application(
        conn, principal, application_id, version, answers=document, reason=session.reason
    )
    declared = application_subjects(declaration_from_answers(questionnaire, document))
    subjects = [item.subject for item in declared]
    permit_watch.keep_application_subjects(conn, principal, application_id, subjects, session.reason)
    prompt_after_answers(session, updated, declared)
    return StoredAnswers(updated, questionnaire, document)


def read_answers(session: Session, catalogue: Catalogue, application_id: str) -> AnswersState:
    """The stored answers of the application (an audited read) with their completeness on the session's day."""
    stored = read_application(session, application_id)
    return _state(session, catalogue, stored, dict(stored.answers))


def check_answers(session: Session, catalogue: Catalogue, application_id: str, document: object) -> AnswersState:
    """The completeness `document` would have as the application's answers; nothing is stored (an audited read)."""
    stored = read_application(session, application_id)
    return _state(session, catalogue, stored, document if isinstance(document, dict) else {})


def _state(session: Session, catalogue: Catalogue, stored: StoredApplication, document: dict[str, Any]) -> AnswersState:
    questionnaire = catalogue["" if stored.questionnaire_id is None else str(stored.questionnaire_id)]
    completeness = check_completeness(questionnaire, document, today=session.today, registered=stored.attachments)
    return AnswersState(stored, questionnaire, document, completeness)


def replace_attachments(
    session: Session, application_id: str, version: int, attachments: Sequence[Mapping[str, Any]]
) -> StoredApplication:
    """Replace the attachments metadata, at the version the client saw."""
    return applications.update_application(
        session.conn, session.principal, application_id, version, attachments=attachments, reason=session.reason
    )


def record_event(
    session: Session, catalogue: Catalogue, application_id: str, version: int, body: object
) -> StoredApplication:
    """Record one lifecycle event (not a decision); the lifecycle refuses a step whose precondition is unmet.

    An outbound tip leaves the Bibob dossier: its disclosure is recorded in the same transaction (art. 28). A step
    that tells about the application's subjects (a register hit, a danger conclusion or withdrawal registered, an
    LBB advice) prompts the coordinator about their other granted permits (`catalogue` reads the declared subjects
    from the answers); the answer is the same whether it did or not.
    """
    stored = applications.load(session.conn, session.principal, application_id, version, session.reason)
    event = lifecycle_event(body, stored)
    application = apply_event(stored.application, event)
    saved = applications.save(session.conn, session.principal, application, version, session.reason)
    if isinstance(event, TipSent):
        disclosures.record(
            session.conn, session.principal.user, tip_to_body(application.id, event.recipient, event.purpose)
        )
    if isinstance(event, LBB_ADVICE):  # kept per subject: offered when a new application names one of them
        permit_watch.record_lbb_advice(session.conn, session.principal, application_id, event.on, session.reason)
    prompt_after_step(session, catalogue, stored, event)
    return saved


def timeline(
    session: Session, policy: Policy, calendar: AtwCalendar, application_id: str, on: dt.date | None
) -> Timeline:
    """Every running and passed deadline on `on` (default: today), with the decision term the policy sets."""
    stored = read_application(session, application_id)
    day = on or session.today
    term, basis = decision_term(policy, stored.permit_type)
    application = stored.application
    try:
        deadlines = application_deadlines(application, day, calendar, term, basis, policy.register_working_days)
    except OverflowError:  # a reference date near the end of the calendar
        problem = Problem("referenceDate", "dateOutOfRange", "de termijnen lopen voorbij 9999")
        raise InvalidInputError([problem]) from None
    return Timeline(stored, deadlines, day, basis, lateness(application, deadlines))
