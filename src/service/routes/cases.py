"""The cases: created from signals, changed by their events, with evidence, journal and the meeting agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.engine import Connection

from bibob._json import object_to_json
from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from bibob.undermining import (
    Case,
    MembersChanged,
    SignalState,
    apply_case_event,
    case_to_json,
    meeting_agenda,
    register_case,
    signal_from_json,
)
from service.auth import Principal
from service.errors import read_json_body
from service.http import audit_reason, expected_version, idempotent, in_transaction, page_window, paginated
from service.openapi import DATE_TIME, OBJECT, STRING, STRINGS, field_shapes, request_body
from service.routes.case_evidence import EVIDENCE_HANDLERS, change_case, read_case
from service.routes.case_views import (
    CREATE_FIELDS,
    case_event,
    case_summary,
    case_view,
    registration,
    stored_case,
    subjects_changed,
    with_signal_subjects,
)
from service.routes.inputs import LOCAL, READ_ERRORS, UPDATE_ERRORS, WRITE_ERRORS, created_at, moment, with_etag
from service.store import cases as store
from service.store import signals as signal_store
from service.store.access import Action, Resource, require
from service.store.common import new_id, utcnow
from service.store.subjects import keys_of, set_subject_keys

PageSize = Annotated[int, QueryParameter(name="pageSize")]


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
    reason = audit_reason(request)

    def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
        case_id = new_id()
        registered = registration(body, case_id, principal, utcnow())
        registered = with_signal_subjects(registered, _signal_documents(conn, principal, registered.signal_ids))
        case = register_case(case_id, registered)
        stored = store.create_case(
            conn,
            principal,
            status=case.state.value,
            confidentiality=case.confidentiality.value,
            document=case_to_json(case),
            members=case.members,
            case_id=case_id,
            reason=reason,
        )
        set_subject_keys(conn, principal, "case", case_id, keys_of(case.subjects.matchable), reason)
        return 201, case_view(stored)

    return created_at("/api/v1/cases", with_etag(await idempotent(request, principal, produce)))


def _signal_documents(conn: Connection, principal: Principal, signal_ids: tuple[str, ...]) -> tuple[Any, ...]:
    documents, problems = [], []
    for index, signal_id in enumerate(signal_ids):
        try:
            documents.append(signal_store.get_for_weighing(conn, principal, signal_id, "casus aanmaken").document)
        except NotFoundError:
            problems.append(Problem(f"/signalIds/{index}", "signal.unknown", "onbekend signaal"))
    if problems:
        raise InvalidInputError(problems)
    return tuple(documents)


@get("/cases", summary="The cases the principal is a member of", tags=["cases"], raises=READ_ERRORS)
async def list_cases(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    page: FromQuery[int] = 1,
    page_size: PageSize = 50,
) -> Response[dict[str, Any]]:
    offset, limit = page_window(page, page_size)
    reason = audit_reason(request)
    found, count = await in_transaction(
        request.app.state, lambda conn: store.page_of_cases(conn, principal, limit=limit, offset=offset, reason=reason)
    )
    return paginated(request, [case_summary(c) for c in found], count, page, page_size)


@get("/cases/{case_id:str}", summary="Show one case", tags=["cases"], raises=READ_ERRORS)
async def show_case(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> Response[dict[str, Any]]:
    stored = await read_case(request, principal, case_id)
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
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> Response[Any]:
    expected_version(request)  # 428 comes before anything about the body
    body = await read_json_body(request)

    def change(conn: Connection, case: Case) -> Case:
        event = case_event(body, case, principal, utcnow())
        changed = apply_case_event(case, event)
        if isinstance(event, MembersChanged):
            store.replace_members(conn, principal, case_id, changed.members, audit_reason(request))
        if subjects_changed(event) is not None:
            keys = keys_of(changed.subjects.matchable)
            set_subject_keys(conn, principal, "case", case_id, keys, audit_reason(request))
        return changed

    return await change_case(request, principal, case_id, change)


@get("/cases/{case_id:str}/journal", summary="The case journal: when, who, what", tags=["cases"], raises=READ_ERRORS)
async def case_journal(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[str],
    page: FromQuery[int] = 1,
    page_size: PageSize = 100,
) -> Response[dict[str, Any]]:
    offset, limit = page_window(page, page_size)
    stored = await read_case(request, principal, case_id)
    journal = stored_case(stored).journal
    results = [object_to_json(entry) for entry in journal[offset : offset + limit]]
    return paginated(request, results, len(journal), page, page_size)


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
    signal_store.require_weigher(principal)
    day = moment(on, "on") if on is not None else None
    today = day.date() if day is not None else dt.datetime.now(LOCAL).date()
    reason = audit_reason(request)
    awaiting = signal_store.InboxFilter(states=tuple(s.value for s in SignalState if s.awaiting_weighing))

    def everything(conn: Connection) -> tuple[list[Any], list[Any]]:
        signals = _all(
            lambda offset: signal_store.inbox(conn, principal, awaiting, limit=500, offset=offset, reason=reason)
        )
        cases = _all(lambda offset: store.page_of_cases(conn, principal, limit=500, offset=offset, reason=reason))
        return signals, cases

    signals, cases = await in_transaction(request.app.state, everything)
    found = meeting_agenda(
        (signal_from_json(s.document) for s in signals), (stored_case(c) for c in cases if c.status != "closed"), today
    )
    items = [{**object_to_json(item), "kindLabel": item.kind.label} for item in found.items]
    return {"date": today.isoformat(), "count": len(items), "items": items}


def _all(page: Callable[[int], tuple[tuple[Any, ...], int]]) -> list[Any]:
    found: list[Any] = []
    while True:
        rows, count = page(len(found))
        found.extend(rows)
        if not rows or len(found) >= count:
            return found


CASE_HANDLERS: list[HTTPRouteHandler | type] = [
    create_case,
    list_cases,
    show_case,
    record_case_event,
    case_journal,
    agenda,
    *EVIDENCE_HANDLERS,
]
