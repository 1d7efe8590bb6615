"""The network picture of a case: what the principal may see of who and what hangs together in it."""

from __future__ import annotations

from bibob.exceptions import NotFoundError
from bibob.questionnaires import Catalogue
from bibob.screening import declaration_from_answers
from bibob.undermining import ApplicationSubject, EvidenceKind, Network, application_subjects, case_network
from service.store import applications, signals
from service.store.access import Action, Resource, scope
from service.usecases.cases import read_case
from service.usecases.session import Session
from service.views.applications import questionnaire_reference


def network(session: Session, case_id: str, catalogue: Catalogue | None = None) -> Network:
    """The network picture of the case, if the principal has need-to-know: its subjects, what the linked signals the
    principal may read reported, and the Bibob decisions that arrived as evidence (art. 28 fields only). A principal
    who may read a decision's application (the Bibob coordinator, given the `catalogue`) sees all its subjects."""
    conn, principal, reason = session.conn, session.principal, session.reason
    stored = read_case(session, case_id)
    linked = []
    for signal_id in stored.case.signal_ids:
        try:
            linked.append(signals.get_signal(conn, principal, signal_id, reason).signal)
        except NotFoundError:
            continue  # a signal the principal may not read (the mayor) or one destroyed: its subjects are the case's
    visible: dict[str, tuple[ApplicationSubject, ...]] = {}
    readers = scope(principal, Resource.APPLICATION, Action.READ)
    decided = {i.reference for i in stored.case.evidence if i.kind is EvidenceKind.PERMIT_DECISION}
    for application_id in sorted(decided) if catalogue is not None and readers is not None else ():
        try:
            application = applications.get_application(conn, principal, application_id, reason)
            questionnaire = catalogue[questionnaire_reference(application)]  # type: ignore[index]
        except (NotFoundError, KeyError):
            continue  # not the principal's to read, or its questionnaire is no longer served
        declaration = declaration_from_answers(questionnaire, dict(application.answers))
        visible[application_id] = application_subjects(declaration)
    return case_network(stored.case, linked, visible)
