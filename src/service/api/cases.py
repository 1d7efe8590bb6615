"""The cases: opened from signals, changed by their events, with their journal and the meeting agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter

from service.auth import Principal
from service.http import (
    created_at,
    expected_version,
    idempotent,
    in_session,
    page_window,
    paginated,
    read_json_body,
    with_etag,
)
from service.openapi import (
    DATE_TIME,
    OBJECT,
    READ_ERRORS,
    STRING,
    STRINGS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    field_shapes,
    request_body,
)
from service.resources import app_resources
from service.store.access import Action, Resource, require
from service.store.cases import StoredCase
from service.store.signals import require_weigher
from service.usecases import Session, cases
from service.usecases.network import network
from service.views.cases import CREATE_FIELDS, agenda_day, agenda_view, case_summary, case_view, journal_page
from service.views.network import CaseNetwork, network_view

COLLECTION = "/api/v1/cases"
PageSize = Annotated[int, QueryParameter(name="pageSize")]
#: A change of the case at the version the client saw: (session, version, body) → the stored case.
CaseChange = Callable[[Session, int, object], StoredCase]


@post(
    "/cases",
    opt=request_body(
        "A new case, from signals.",
        field_shapes(CREATE_FIELDS, signalIds=STRINGS, members=STRINGS, partners=STRINGS, subjects=OBJECT),
        ("title",),
        idempotent=True,
    ),
    summary="Open a case from signals",
    description=(
        "The advisor opens a case and leads it; the signals named in signalIds are linked and their subjects "
        "join the case. Members (user ids) get need-to-know."
    ),
    tags=["cases"],
    status_code=201,
    raises=WRITE_ERRORS,
)
async def create_case(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[Any]:
    require(principal, Resource.CASE, Action.CREATE)
    body = await read_json_body(request)
    created = await idempotent(request, principal, lambda s: (201, case_view(cases.open_case(s, body))))
    return created_at(COLLECTION, with_etag(created))


@get("/cases", summary="The cases the principal is a member of", tags=["cases"], raises=READ_ERRORS)
async def list_cases(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    page: FromQuery[int] = 1,
    page_size: PageSize = 50,
) -> Response[dict[str, Any]]:
    offset, limit = page_window(page, page_size)
    found, count = await in_session(request, principal, lambda s: cases.list_cases(s, limit=limit, offset=offset))
    return paginated(request, [case_summary(c) for c in found], count, page, page_size)


@get("/cases/{case_id:str}", summary="Show one case", tags=["cases"], raises=READ_ERRORS)
async def show_case(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> Response[dict[str, Any]]:
    stored = await in_session(request, principal, lambda s: cases.read_case(s, case_id))
    return with_etag(Response(case_view(stored)))


@post(
    "/cases/{case_id:str}/events",
    opt=request_body(
        "One case event (case.schema.json) without `by`.",
        {"type": STRING, "at": DATE_TIME},
        ("type",),
        closed=False,
        idempotent=True,
    ),
    summary="Record a step of the case",
    description=(
        "One case event in its JSON form (case.schema.json) without `by` (the token's user); `at` defaults to now. "
        "Types: investigationStarted, informationRequested, informationAnswered, meetingScheduled, meetingHeld, "
        "planDrafted, planAdopted, triangleAlignmentRequested, triangleApproved (the mayor, in the driehoek), "
        "interventionUpdated, reviewScheduled, caseClosed, caseReopened, subjectsAdded, partnersSelected, "
        "membersChanged (the lead only), confidentialityChanged. Requires If-Match; a step the lifecycle refuses "
        "answers 409 naming every unmet condition in Dutch."
    ),
    tags=["cases"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def record_case_event(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str],
) -> Response[Any]:  # fmt: skip
    integrations = app_resources(request).integrations
    return await changed(
        request, principal, case_id, lambda s, v, b: cases.record_case_event(s, integrations, case_id, v, b)
    )


async def changed(
    request: Request[Any, Any, Any], principal: Principal, case_id: str, change: CaseChange
) -> Response[Any]:
    """Apply `change` to the case at the If-Match version in one transaction, honouring Idempotency-Key."""
    version = expected_version(request)  # 428 comes before anything about the body
    body = await read_json_body(request)
    require(principal, Resource.CASE, Action.UPDATE, case_id)  # a role without any update rule: 404 at once
    return with_etag(await idempotent(request, principal, lambda s: (201, case_view(change(s, version, body)))))


@get("/cases/{case_id:str}/journal", summary="The case journal: when, who, what", tags=["cases"], raises=READ_ERRORS)
async def case_journal(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[str],
    page: FromQuery[int] = 1,
    page_size: PageSize = 100,
) -> Response[dict[str, Any]]:
    offset, limit = page_window(page, page_size)
    stored = await in_session(request, principal, lambda s: cases.read_case(s, case_id))
    return paginated(request, *journal_page(stored, offset, limit), page, page_size)


@get(
    "/cases/{case_id:str}/network",
    summary="The network picture of a case",
    description=(
        "Nodes (person, organisation, address, vehicle, permit, decision) and labelled edges (director, owner, "
        "financier, lessor, tenant, applicant, reportedAt, establishedAt, livesAt, decisionOn, involved), each with "
        "its origin (signal, case, application, register). Need-to-know as for the case (404 otherwise). A decision "
        "carries only outcome, date, grounds, permit type, the matched subject and the reference (art. 28 Wet Bibob); "
        "only a principal who may read the decision's application (the Bibob coordinator) sees all its subjects."
    ),
    tags=["cases"],
    raises=READ_ERRORS,
)
async def case_network(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str],
) -> CaseNetwork:  # fmt: skip
    catalogue = app_resources(request).catalogue
    found = await in_session(request, principal, lambda s: network(s, case_id, catalogue))
    return network_view(case_id, found)


@get(
    "/meeting-agenda",
    summary="The agenda of the next local undermining meeting",
    description="Signals awaiting a weighing, cases due for discussion, overdue interventions; `on` defaults to today.",
    tags=["cases"],
    raises=READ_ERRORS,
)
async def agenda(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], on: FromQuery[str | None] = None
) -> dict[str, Any]:
    require_weigher(principal)
    day = agenda_day(on)
    return agenda_view(await in_session(request, principal, lambda s: cases.agenda(s, day)))


CASE_HANDLERS: list[HTTPRouteHandler | type] = [
    create_case,
    list_cases,
    show_case,
    record_case_event,
    case_journal,
    case_network,
    agenda,
]
