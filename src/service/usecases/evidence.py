"""The evidence of a case: linked by hand with a reason, confirmed, detached."""

from __future__ import annotations

from bibob.undermining import Case, confirm, detach, finding_into_case, link_by_hand
from service.integrations import Integrations
from service.store import disclosures
from service.store.cases import StoredCase
from service.usecases.cases import change_case, mayor_may
from service.usecases.notifications import evidence_arrived
from service.usecases.session import Session
from service.views.cases import hand_link
from service.views.inputs import json_object, text


def link_evidence(session: Session, integrations: Integrations, case_id: str, version: int, body: object) -> StoredCase:
    """Link a finding to the case by hand (application id, finding, reason, confidentiality), as the principal.

    The finding leaves the Bibob dossier: like an automatic link, the disclosure is recorded (art. 28 Wet Bibob) in the
    same transaction, with the reason as its purpose.
    """

    def link(session: Session, case: Case) -> Case:
        mayor_may(session.principal, "evidence")
        application_id, finding, reason, level = hand_link(body)
        made = finding_into_case(application_id, case.id, finding.code, reason)
        disclosures.record(session.conn, session.principal.user, made)
        return link_by_hand(
            case,
            finding,
            application_id=application_id,
            reason=reason,
            actor=session.principal.user,
            at=session.now,
            confidentiality=level,
        )

    stored = change_case(session, integrations, case_id, version, link)
    evidence_arrived(session, [stored.case])
    return stored


def confirm_evidence(
    session: Session, integrations: Integrations, case_id: str, evidence_id: str, version: int, body: object
) -> StoredCase:
    """Confirm an evidence link (the body is an empty object): the principal vouches for it."""

    def confirmed(session: Session, case: Case) -> Case:
        mayor_may(session.principal, "evidence")
        json_object(body, ())
        return confirm(case, evidence_id, session.principal.user, at=session.now)

    return change_case(session, integrations, case_id, version, confirmed)


def detach_evidence(
    session: Session, integrations: Integrations, case_id: str, evidence_id: str, version: int, body: object
) -> StoredCase:
    """Detach an evidence link, with the reason (`{"reason": …}`)."""

    def detached(session: Session, case: Case) -> Case:
        mayor_may(session.principal, "evidence")
        reason = text(json_object(body, ("reason",), ("reason",)), "reason", required=True)
        return detach(case, evidence_id, session.principal.user, reason, at=session.now)

    return change_case(session, integrations, case_id, version, detached)
