"""The watch on granted permits: what the coordinator sees (re-screen prompts, overdue conditions) and does.

The prompts themselves are made where a subject becomes known (`prompt_for`, called by the use cases of signals,
cases and decisions, and by `prompt_after_step` for an application's steps that tell about its subjects: a hit in the
Bibob register, a danger conclusion or a withdrawal registered there, an LBB advice); who caused one learns nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from bibob.applications import (
    DangerConclusionRegistered,
    Event,
    LbbAdviceReceived,
    RegisterConsulted,
    WithdrawalRegistered,
)
from bibob.matching import Subject
from bibob.questionnaires import Catalogue
from bibob.screening import declaration_from_answers
from bibob.undermining import ApplicationSubject, application_subjects, named_in_register
from service.store import permit_watch
from service.store.access import Action, Resource, require
from service.store.applications import StoredApplication
from service.store.permit_watch import StoredCondition, StoredPrompt
from service.usecases.session import Session
from service.views.applications import questionnaire_reference
from service.views.permit_watch import check_body, condition_body

#: The steps of an application that tell the watch about its subjects, and the trigger their prompts name.
STEP_TRIGGERS: dict[type[Event], str] = {
    RegisterConsulted: "registerHit",  # only with a hit, and only the subjects the consultation names
    DangerConclusionRegistered: "dangerConclusion",
    WithdrawalRegistered: "withdrawalRegistered",
    LbbAdviceReceived: "lbbAdvice",
}


@attrs.frozen
class WatchList:
    """The coordinator's list: open re-screen prompts and conditions past their due date."""

    prompts: tuple[StoredPrompt, ...]
    overdue: tuple[StoredCondition, ...]


def prompt_for(session: Session, trigger: str, source: tuple[str, str], found: Iterable[Subject]) -> None:
    """Prompt the coordinator about the granted permits whose subjects match `found`; the caller learns nothing."""
    permit_watch.prompt(session.conn, session.principal, trigger, source, found, session.reason)


def prompt_after_step(session: Session, catalogue: Catalogue, stored: StoredApplication, event: Event) -> None:
    """Prompt the coordinator about the other granted permits of the subjects an application's step tells about.

    A consultation of the Bibob register with a hit: the declared persons and organisations it names; a danger
    conclusion or a withdrawal registered in the register, or an LBB advice: every subject the application
    declared. The application's own permit is never prompted; who records the step learns nothing of it.
    """
    trigger = STEP_TRIGGERS.get(type(event))
    if trigger is None or (isinstance(event, RegisterConsulted) and not event.hit):
        return
    questionnaire = catalogue.get(questionnaire_reference(stored))
    if questionnaire is None:  # no questionnaire, no declared subjects
        return
    declared = application_subjects(declaration_from_answers(questionnaire, dict(stored.answers)))
    _prompt_for_step(session, stored.id, trigger, event, declared)


def prompt_after_answers(session: Session, stored: StoredApplication, declared: Sequence[ApplicationSubject]) -> None:
    """Prompt for the register hits recorded before the answers declared anyone (the register is often consulted at
    intake), among the subjects the new answers declare (`declared`); a prompt made before is not made again."""
    if not any(step.get("type") == RegisterConsulted.TYPE and step.get("hit") is True for step in stored.history):
        return  # the stored history as it is, not replayed: storing answers stays cheap
    for event in stored.application.history:
        if isinstance(event, RegisterConsulted) and event.hit:
            _prompt_for_step(session, stored.id, STEP_TRIGGERS[RegisterConsulted], event, declared)


def _prompt_for_step(
    session: Session, application_id: str, trigger: str, event: Event, declared: Sequence[ApplicationSubject]
) -> None:
    """`prompt_for` the declared subjects the step is about: those a register consultation names, else all."""
    items = named_in_register(event.subjects, declared) if isinstance(event, RegisterConsulted) else declared
    prompt_for(session, trigger, ("application", application_id), (item.subject for item in items))


def watch_list(session: Session) -> WatchList:
    """The open prompts and the overdue conditions (coordinator)."""
    conn, principal, reason = session.conn, session.principal, session.reason
    prompts = permit_watch.list_prompts(conn, principal, reason)
    return WatchList(prompts, permit_watch.overdue_conditions(conn, principal, session.today, reason))


def add_condition(session: Session, application_id: str, body: object) -> StoredCondition:
    """Record a permit's condition as a task: {text, dueOn, owner} (coordinator)."""
    require(session.principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)  # before reading the body
    new = condition_body(body)
    return permit_watch.add_condition(
        session.conn, session.principal, application_id, text=new.text, due_on=new.due_on, owner=new.owner,
        reason=session.reason,
    )  # fmt: skip


def conditions(session: Session, application_id: str) -> tuple[StoredCondition, ...]:
    """A permit's conditions, by due date (coordinator)."""
    return permit_watch.list_conditions(session.conn, session.principal, application_id, session.reason)


def check_condition(session: Session, application_id: str, body: object) -> StoredCondition:
    """Record a condition's check: {conditionId, result: met|notMet, on?} (`on` defaults to today)."""
    require(session.principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)
    check = check_body(body)
    return permit_watch.check_condition(
        session.conn, session.principal, application_id, check.condition_id, result=check.result,
        on=check.on or session.today, reason=session.reason,
    )  # fmt: skip
