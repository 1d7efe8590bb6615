"""The watch on granted permits (coordinator): re-screen prompts, a permit's conditions as tasks, their checks."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from service.auth import Principal
from service.http import idempotent, in_session, read_json_body
from service.openapi import READ_ERRORS, STRING, WRITE_ERRORS, request_body
from service.store.access import Action, Resource, require
from service.usecases import Session, permit_watch
from service.views.permit_watch import condition_view, prompt_view

CONDITIONS = "/applications/{application_id:str}/conditions"


@get(
    "/permit-watch",
    summary="The watch on granted permits: re-screen prompts and overdue conditions (coordinator)",
    description="A subject of a granted permit became known in a weighed signal, a case, another Bibob decision, "
    "a Bibob-register hit, a danger conclusion or withdrawal registered there, or an LBB advice on another "
    "application: a prompt to consider a new screening (art. 4 Wet Bibob), with the subject's role and which fields "
    "agreed — never the other dossier. Also every condition (voorschrift) past its due date and not checked as met.",
    tags=["permit watch"],
    raises=READ_ERRORS,
)
async def show_watch(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    require(principal, Resource.PERMIT_WATCH, Action.READ)
    found, today = await in_session(request, principal, lambda s: (permit_watch.watch_list(s), s.today))
    return {
        "prompts": [prompt_view(p) for p in found.prompts],
        "overdueConditions": [condition_view(c, today) for c in found.overdue],
    }


@get(CONDITIONS, summary="A permit's conditions as tasks (coordinator)", tags=["permit watch"], raises=READ_ERRORS)
async def list_conditions(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
) -> dict[str, Any]:
    require(principal, Resource.PERMIT_WATCH, Action.READ, application_id)
    found, today = await in_session(request, principal, lambda s: (permit_watch.conditions(s, application_id), s.today))
    return {"results": [condition_view(c, today) for c in found]}


@post(
    CONDITIONS,
    opt=request_body(
        "A condition (voorschrift) with its due date and owner.",
        {"text": STRING, "dueOn": STRING, "owner": STRING},
        idempotent=True,
    ),
    summary="Record a condition of a permit as a task (coordinator)",
    description="Body: {text, dueOn (YYYY-MM-DD), owner}. Past its due date and not checked as met, it is on the "
    "coordinator's watch list.",
    tags=["permit watch"],
    status_code=201,
    raises=WRITE_ERRORS,  # no version: If-Match is not read, so not asked for
)
async def add_condition(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
) -> Response[Any]:
    require(principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)
    body = await read_json_body(request)

    def produce(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, condition_view(permit_watch.add_condition(session, application_id, body), session.today)

    return await idempotent(request, principal, produce)


@post(
    "/applications/{application_id:str}/condition-checks",
    opt=request_body(
        "The check of a condition: met or notMet, on a day (default today).",
        {"conditionId": STRING, "result": STRING, "on": STRING},
        idempotent=True,
    ),
    summary="Record the check of a permit's condition (coordinator)",
    description="Body: {conditionId, result: met|notMet, on?}. A condition checked as met leaves the watch list.",
    tags=["permit watch"],
    status_code=201,
    raises=WRITE_ERRORS,  # no version: If-Match is not read, so not asked for
)
async def check_condition(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
) -> Response[Any]:
    require(principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)
    body = await read_json_body(request)

    def produce(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, condition_view(permit_watch.check_condition(session, application_id, body), session.today)

    return await idempotent(request, principal, produce)


PERMIT_WATCH_HANDLERS: list[HTTPRouteHandler | type] = [show_watch, list_conditions, add_condition, check_condition]
