"""Registering an application from an Open Formulieren submission, once per submission reference."""

from __future__ import annotations

import attrs

from bibob import check_completeness
from bibob.exceptions import NotFoundError
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from service.store import applications
from service.usecases.applications import read_application, register_application
from service.usecases.session import Session
from service.views.application_requests import new_application
from service.views.intake import Intake


@attrs.frozen
class Registered:
    """The application a submission made (or had made before), its version and completeness status."""

    application_id: str
    version: int
    created: bool
    completeness: str


def register_submission(session: Session, catalogue: Catalogue, policy: Policy, intake: Intake) -> Registered:
    """Register the application with its answers and attachments in one transaction; a second delivery of the
    same submission (its reference) finds the application and changes nothing."""
    try:
        existing = read_application(session, intake.application_id)
    except NotFoundError:
        existing = None
    if existing is not None:
        return Registered(existing.id, existing.version, False, _completeness(session, catalogue, existing))
    application, reference = new_application(intake.fields, catalogue, policy)
    stored = register_application(session, application, reference)
    document = {"questionnaire": reference, **intake.answers}
    conn, principal, reason = session.conn, session.principal, session.reason
    stored = applications.update_application(
        conn, principal, stored.id, stored.version, answers=document, reason=reason
    )
    if intake.attachments:
        stored = applications.update_application(
            conn, principal, stored.id, stored.version, attachments=intake.attachments, reason=reason
        )
    return Registered(stored.id, stored.version, True, _completeness(session, catalogue, stored))


def _completeness(session: Session, catalogue: Catalogue, stored: applications.StoredApplication) -> str:
    questionnaire = catalogue[str(stored.questionnaire_id)]
    result = check_completeness(questionnaire, dict(stored.answers), today=session.today, registered=stored.attachments)
    return str(result.status.value)
