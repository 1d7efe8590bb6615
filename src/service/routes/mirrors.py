"""The zaaksysteem mirror of a case: ask for it, and see how far it got (the work runs in the background)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.http import audit_reason, in_transaction
from service.integrations import MIRROR, Integrations
from service.store import jobs
from service.store.access import Action, Resource, require
from service.store.cases import get_case


def _view(job: jobs.Job) -> dict[str, Any]:
    return {
        "status": job.status,
        "attempts": job.attempts,
        "lastError": job.last_error,
        "nextAttemptAt": job.next_attempt_at.isoformat(),
        "zaak": job.state.get("zaak", ""),
    }


@post(
    "/cases/{case_id:str}/zgw-mirrors",
    summary="Ask for the case to be mirrored to the zaaksysteem",
    description="Accepted at once; the mirror runs in the background and resumes after failures.",
    status_code=202,
    tags=["cases"],
)
async def request_mirror(
    state: State, request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> dict[str, Any]:
    integrations: Integrations = state.integrations
    if integrations.zgw is None:
        raise InvalidInputError([Problem("", "notConfigured", "er is geen zaaksysteem ingesteld")])
    require(principal, Resource.CASE, Action.UPDATE, case_id)
    reason = audit_reason(request)

    def request_job(conn: Connection) -> jobs.Job:
        get_case(conn, principal, case_id, reason)
        return jobs.request_job(conn, MIRROR, case_id)

    return _view(await in_transaction(state, request_job))


@get("/cases/{case_id:str}/zgw-mirrors", summary="How far the zaaksysteem mirror of the case got", tags=["cases"])
async def show_mirror(
    state: State, request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> dict[str, Any]:
    reason = audit_reason(request)

    def job(conn: Connection) -> jobs.Job | None:
        get_case(conn, principal, case_id, reason)
        try:
            return jobs.job(conn, MIRROR, case_id)
        except LookupError:
            return None

    found = await in_transaction(state, job)
    if found is None:
        return {"status": "none", "attempts": 0, "lastError": "", "nextAttemptAt": None, "zaak": ""}
    return _view(found)


MIRROR_HANDLERS = [request_mirror, show_mirror]
