"""The watch on granted permits: what the coordinator sees (re-screen prompts, overdue conditions) and does.

The prompts themselves are made where a subject becomes known (`prompt_for`, called by the use cases of signals,
cases and decisions); who caused one learns nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from bibob.matching import Subject
from service.store import permit_watch
from service.store.access import Action, Resource, require
from service.store.permit_watch import StoredCondition, StoredPrompt
from service.usecases.session import Session
from service.views.permit_watch import check_body, condition_body


@attrs.frozen
class WatchList:
    """The coordinator's list: open re-screen prompts and conditions past their due date."""

    prompts: tuple[StoredPrompt, ...]
    overdue: tuple[StoredCondition, ...]


def prompt_for(session: Session, trigger: str, source: tuple[str, str], found: Iterable[Subject]) -> None:
    """Prompt the coordinator about the granted permits whose subjects match `found`; the caller learns nothing."""
    permit_watch.prompt(session.conn, session.principal, trigger, source, found, session.reason)


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
