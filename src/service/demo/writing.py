"""Every write of the demo, in one module: through the store today, through `service.usecases` once they exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob import undermining as um
from bibob._json import object_to_json
from bibob.applications import Application, DecisionRecorded, event_to_json
from bibob.matching import ReviewLedger
from bibob.policy import load_policy
from bibob.screening import AssessmentRequest, assess
from service.auth import Principal, Role
from service.store import applications, assessments, cases, evidence, signals, subjects, tables, tokens
from service.views import assessment_view

REASON = "demo: synthetische gemeente Leusden laden"
OFFICER = Principal("demo-vergunningverlener", Role.PERMIT_OFFICER)
COORDINATOR = Principal("demo-bibob-coordinator", Role.BIBOB_COORDINATOR)
ADVISOR = Principal("demo-adviseur-veiligheid", Role.SAFETY_ADVISOR)
#: One demo user per role, in the order of `Role`; each gets a fresh token on every run.
TOKEN_USERS = (OFFICER, COORDINATOR, ADVISOR, Principal("demo-burgemeester", Role.MAYOR),
               Principal("demo-melder-politie", Role.SIGNAL_INTAKE_PARTNER),
               Principal("demo-privacyfunctionaris", Role.PRIVACY_OFFICER),
               Principal("demo-functioneel-beheerder", Role.FUNCTIONAL_ADMIN))  # fmt: skip
HOUSING = Principal("demo-melder-woningcorporatie", Role.SIGNAL_INTAKE_PARTNER)  # registers a signal, has no token
REGISTRARS = {user.user: user for user in (*TOKEN_USERS, HOUSING)}  # `registeredBy` in leusden.json


def _new(conn: Connection, table: sa.Table, identifier: str) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == identifier)).first() is None


def write_application(conn: Connection, application: Application, answers: dict[str, Any]) -> bool:
    """Register the application, its answers and the decision its history records; False when it exists."""
    if not _new(conn, tables.applications, application.id):
        return False
    applications.create_application(conn, OFFICER, application, answers=answers,
                                    attachments=answers.get("attachments", []), reason=REASON)  # fmt: skip
    for event in application.history:
        if isinstance(event, DecisionRecorded):
            document = {"applicationId": application.id, **event_to_json(event)}
            assessments.record_decision(conn, COORDINATOR, application.id, event.outcome.value, document, REASON)
    return True


def write_signal(conn: Connection, registrar: Principal, received: um.Signal, weighed: um.Signal | None = None) -> bool:
    """Register the signal as received, then the advisor's weighing (its events); False when it exists."""
    if not _new(conn, tables.signals, received.id):
        return False
    version = signals.create_signal(conn, registrar, source=received.source.value, status=received.state.value,
                                    received=received.received, document=um.signal_to_json(received),
                                    destroy_on=received.destroy_on, signal_id=received.id, reason=REASON,
                                    keys=subjects.keys_of(received.subjects.matchable)).version  # fmt: skip
    if weighed is not None and weighed.history:
        signals.update_signal(conn, ADVISOR, weighed.id, version, status=weighed.state.value, reason=REASON,
                              document=um.signal_to_json(weighed), destroy_on=weighed.destroy_on)  # fmt: skip
    return True


def write_case(conn: Connection, case: um.Case) -> bool:
    """Open the case with its subjects and its evidence; False when it exists."""
    if not _new(conn, tables.cases, case.id):
        return False
    cases.create_case(conn, ADVISOR, status=case.state.value, confidentiality=case.confidentiality.value,
                      document=um.case_to_json(case), members=case.members, case_id=case.id, reason=REASON)  # fmt: skip
    subjects.set_subject_keys(conn, ADVISOR, "case", case.id, subjects.keys_of(case.subjects.matchable), REASON)
    for item in case.evidence:
        _add_evidence(conn, case.id, item, f"{item.kind.value}:{item.reference}")
    return True


def link_refusal(conn: Connection, application_id: str, decision: DecisionRecorded, request: AssessmentRequest,
                 theme: um.Theme, at: dt.datetime) -> str:  # fmt: skip
    """Store the assessment and link the decision into the cases about its subjects; the ids of those cases."""
    assessment = assess(request, load_policy())
    assessments.add_assessment(conn, COORDINATOR, application_id, assessment_view(assessment), REASON)
    recorded = um.recorded_decision(application_id, decision.outcome, decision.on, decision.grounds,
                                    assessment.declaration, request.permit_type, theme)  # fmt: skip
    open_cases = [um.case_from_json(stored.document) for stored in cases.list_cases(conn, ADVISOR, reason=REASON)]
    known = [um.signal_from_json(s.document) for s in signals.list_signals(conn, ADVISOR, limit=500, reason=REASON)]
    links = um.link_decision(recorded, open_cases, known, ReviewLedger(), at)
    for case in links.cases:
        version = cases.get_case(conn, ADVISOR, case.id, reason=REASON).version
        cases.update_case(conn, ADVISOR, case.id, version, status=case.state.value,
                          document=um.case_to_json(case), reason=REASON)  # fmt: skip
    (stored,) = assessments.list_decisions(conn, COORDINATOR, application_id, reason=REASON)
    for case_id, item in links.items:
        _add_evidence(conn, case_id, item, f"decision:{stored.id}")
    if links.signal is not None:  # no case matched: the decision becomes a signal for the advisor
        write_signal(conn, ADVISOR, links.signal)
    return ", ".join(case_id for case_id, _ in links.items)


def renew_token(conn: Connection, user: Principal) -> str:
    tokens.revoke_tokens(conn, user.user)
    return tokens.create_token(conn, user.user, user.role)


def _add_evidence(conn: Connection, case_id: str, item: um.EvidenceItem, source_ref: str) -> None:
    evidence.add_evidence(conn, ADVISOR, case_id, kind=item.kind.value, source_ref=source_ref,
                          document=object_to_json(item), status=item.status.value, reason=REASON)  # fmt: skip
