"""Cases: open one from signals, read and list, record a step, and the agenda of the local meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from bibob.undermining import (
    Agenda,
    Case,
    CaseState,
    Confidentiality,
    MembersChanged,
    Signal,
    SignalState,
    apply_case_event,
    case_from_json,
    case_to_json,
    meeting_agenda,
    register_case,
    signal_from_json,
)
from service.auth import Principal, Role
from service.integrations import Integrations
from service.store import cases, jobs, replays, signals
from service.store.access import Action, Resource, require
from service.store.cases import StoredCase
from service.store.common import new_id
from service.store.subjects import keys_of, set_subject_keys
from service.usecases.permit_watch import prompt_for
from service.usecases.session import Session
from service.views.cases import case_event, registration, subjects_changed, with_signal_subjects
from service.views.inputs import LOCAL

#: A change of a case: the case as it is → the case as it becomes (side effects through the session).
Change = Callable[[Session, Case], Case]
AWAITING_WEIGHING = tuple(state.value for state in SignalState if state.awaiting_weighing)
OPEN_CASES = tuple(state.value for state in CaseState if state.is_open)
#: The steps a mayor records on a case (a member, in the driehoek step: `service.store.access`): the approval, their
#: own act. Not the plan, the members, partners, confidentiality or evidence: those are the case team's.
MAYOR_STEPS = frozenset({"triangleApproved"})


def mayor_may(principal: Principal, step: object) -> None:
    """Refuse (400 `event.notForMayor`) a mayor's step other than those of `MAYOR_STEPS`; others pass."""
    if principal.role is Role.MAYOR and step not in MAYOR_STEPS:
        message = "de burgemeester legt in de driehoek alleen de goedkeuring vast (triangleApproved)"
        raise InvalidInputError([Problem("/type", "event.notForMayor", message)])


def open_case(session: Session, body: object, case_id: str = "") -> StoredCase:
    """Open a case led by the principal; the signals named in `signalIds` are linked and their subjects join it.

    `case_id` is for data loaded with its own ids (the demo); the API leaves it empty and gets a new id.
    """
    conn, principal = session.conn, session.principal
    require(principal, Resource.CASE, Action.CREATE)  # who may not open cases hears nothing about the body
    case_id = case_id or new_id()
    registered = registration(body, case_id, principal, session.now)
    registered = with_signal_subjects(registered, _signal_documents(session, registered.signal_ids))
    case = register_case(case_id, registered)
    stored = cases.create_case(
        conn,
        principal,
        status=case.state.value,
        confidentiality=case.confidentiality.value,
        document=case_to_json(case),
        members=case.members,
        case_id=case_id,
        signal_ids=case.signal_ids,
        keys=keys_of(case.subjects.matchable),
        reason=session.reason,
    )
    prompt_for(session, "caseSubjects", ("case", case_id), case.subjects.matchable)
    return stored


def _signal_documents(session: Session, signal_ids: tuple[str, ...]) -> tuple[Any, ...]:
    documents, problems = [], []
    for index, signal_id in enumerate(signal_ids):
        try:
            documents.append(signals.get_for_weighing(session.conn, session.principal, signal_id, "casus aanmaken"))
        except NotFoundError:
            problems.append(Problem(f"/signalIds/{index}", "signal.unknown", "onbekend signaal"))
    if problems:
        raise InvalidInputError(problems)
    return tuple(stored.document for stored in documents)


def read_case(session: Session, case_id: str) -> StoredCase:
    """The case, if the principal has need-to-know (an audited read); a case of the confidentiality the settings
    name (`BIBOB_REASON_REQUIRED_FROM`) or higher is read only with a reason (400 `reason.required` otherwise)."""
    stored = cases.get_case(session.conn, session.principal, case_id, session.reason)
    required, level = session.reason_required_from, Confidentiality.parse(stored.confidentiality)
    if required is not None and not session.reason and level is not None and level.rank >= required.rank:
        message = f"geef een reden (X-Audit-Reason) om een dossier van niveau {level.label} of hoger te lezen"
        raise InvalidInputError([Problem("X-Audit-Reason", "reason.required", message)])
    return stored


def list_cases(session: Session, *, limit: int, offset: int) -> tuple[tuple[StoredCase, ...], int]:
    """One page of the cases the principal is a member of, most recently changed first, and how many in all."""
    return cases.page_of_cases(session.conn, session.principal, limit=limit, offset=offset, reason=session.reason)


def change_case(session: Session, integrations: Integrations, case_id: str, version: int, change: Change) -> StoredCase:
    """Apply `change` to the case at the version the client saw; the zaaksysteem follows when one is configured."""
    stored = cases.load(session.conn, session.principal, case_id, version, session.reason)
    updated = cases.save(session.conn, session.principal, change(session, stored.case), version, session.reason)
    if integrations.zgw is not None:
        jobs.request_job(session.conn, jobs.ZGW_MIRROR, case_id)  # the zaaksysteem follows every change
    return updated


def record_case_event(
    session: Session, integrations: Integrations, case_id: str, version: int, body: object
) -> StoredCase:
    """Record one step of the case (case.schema.json without `by`, which is the principal; `at` defaults to now)."""

    def step(session: Session, case: Case) -> Case:
        kind = body.get("type") if isinstance(body, dict) else None
        if kind != MembersChanged.TYPE:  # members are the lead's (`CASE_MEMBERSHIP`): anyone else gets its 404
            mayor_may(session.principal, kind)
        event = case_event(body, case, session.principal, session.now)
        changed = apply_case_event(case, event)
        if isinstance(event, MembersChanged):
            cases.replace_members(session.conn, session.principal, case_id, changed.members, session.reason)
        if subjects_changed(event) is not None:
            keys = keys_of(changed.subjects.matchable)
            set_subject_keys(session.conn, session.principal, "case", case_id, keys, session.reason)
            prompt_for(session, "caseSubjects", ("case", case_id), changed.subjects.matchable)
        return changed

    return change_case(session, integrations, case_id, version, step)


def agenda(session: Session, day: dt.date | None) -> Agenda:
    """The agenda of the meeting on `day` (default: today in Dutch time): signals awaiting a weighing, cases due
    for discussion, overdue interventions."""
    waiting, open_cases = agenda_sources(session)
    today = day or session.now.astimezone(LOCAL).date()
    return meeting_agenda(waiting, open_cases, today)


def agenda_sources(session: Session) -> tuple[list[Signal], list[Case]]:
    """What an agenda is made of: the signals awaiting a weighing and the open cases the principal sees (audited).

    Only those are listed (by key, no count); of those, only the documents changed since the last agenda are read
    and replayed (`service.store.replays`), so a meeting costs what changed.
    """
    conn, principal, reason = session.conn, session.principal, session.reason
    awaiting = signals.awaiting(conn, principal, AWAITING_WEIGHING, reason)
    open_cases = cases.in_states(conn, principal, OPEN_CASES, reason)
    waiting = replays.at_versions(
        conn, "signal", awaiting, lambda ids: signals.documents(conn, principal, ids), signal_from_json
    ).values()
    found = replays.at_versions(
        conn, "case", open_cases, lambda ids: cases.documents(conn, principal, ids), case_from_json
    ).values()
    return [s for s in waiting if isinstance(s, Signal)], [c for c in found if isinstance(c, Case)]
