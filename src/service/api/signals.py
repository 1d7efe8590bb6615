"""The signals: intake, weighing decisions, the inbox."""

from __future__ import annotations

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
    BOOLEAN,
    DATE_TIME,
    OBJECT,
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    field_shapes,
    request_body,
)
from service.resources import app_resources
from service.store.access import Action, Resource, require
from service.store.signals import require_weigher
from service.usecases import signals
from service.views.signals import INTAKE_FIELDS, WEIGHING_FIELDS, inbox_filter, intake, intake_view, signal_view

COLLECTION = "/api/v1/signals"


@post(
    "/signals",
    opt=request_body(
        "A signal (signal.schema.json); the service sets its id and state.",
        field_shapes(INTAKE_FIELDS, received=DATE_TIME, subjects=OBJECT, reporter=OBJECT),
        ("source", "channel", "text"),
        idempotent=True,
    )
    | {"rateLimit": "signalIntake"},
    summary="Register a signal (intake)",
    description=(
        "Police, the housing corporation, residents (via the advisor) or colleagues report possible undermining. "
        "The signal intake partner gets only an acknowledgement id back; the advisor gets the signal. "
        "An anonymous source (anonymous, meldMisdaadAnoniem) carries no reporter."
    ),
    tags=["signals"],
    status_code=201,
    raises=WRITE_ERRORS,
)
async def register_signal(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[Any]:
    clock = app_resources(request).clock
    require(principal, Resource.SIGNAL, Action.CREATE)
    signal = intake(await read_json_body(request), clock())
    created = await idempotent(request, principal, lambda s: (201, intake_view(signals.take_in(s, signal), principal)))
    return created_at(COLLECTION, with_etag(created))


@get(
    "/signals",
    summary="The advisor's inbox of signals",
    description="Newest first; filters: state, source, theme, received period (dates are days in Dutch time).",
    tags=["signals"],
    raises=READ_ERRORS,
)
async def list_signals(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    signal_state: Annotated[str | None, QueryParameter(name="state")] = None,
    source: FromQuery[str | None] = None,
    theme: FromQuery[str | None] = None,
    received_from: Annotated[str | None, QueryParameter(name="receivedFrom")] = None,
    received_to: Annotated[str | None, QueryParameter(name="receivedTo")] = None,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 50,
) -> Response[dict[str, Any]]:
    require_weigher(principal)
    offset, limit = page_window(page, page_size)
    where = inbox_filter(signal_state, source, theme, received_from, received_to)
    found, count = await in_session(request, principal, lambda s: signals.inbox(s, where, limit=limit, offset=offset))
    return paginated(request, [signal_view(stored) for stored in found], count, page, page_size)


@get("/signals/{signal_id:str}", summary="Show one signal", tags=["signals"], raises=READ_ERRORS)
async def show_signal(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], signal_id: FromPath[str]
) -> Response[dict[str, Any]]:
    stored = await in_session(request, principal, lambda s: signals.read_signal(s, signal_id))
    return with_etag(Response(signal_view(stored)))


@post(
    "/signals/{signal_id:str}/weighings",
    opt=request_body(
        "A weighing decision, a sourceChecked event, or an assigned event.",
        field_shapes(WEIGHING_FIELDS, at=DATE_TIME, hit=BOOLEAN),
        idempotent=True,
    ),
    summary="Record a weighing decision, a source consulted in the source research, or an assignment",
    description=(
        "The body is a `weighed` event (decision, reason, and partner, department or reference where needed), a "
        "`sourceChecked` event (type, source, hit, approvedBy) or an `assigned` event (type, assignee: the user name "
        "of a safety advisor, who is notified; another name answers 422 at /assignee, nothing changed; only while a "
        "weighing is due); `by` is the token's user, `at` defaults to now. "
        "Requires If-Match; a step the weighing table refuses answers 409 with the reason in Dutch."
    ),
    tags=["signals"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def weigh_signal(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], signal_id: FromPath[str]
) -> Response[Any]:
    version = expected_version(request)
    body = await read_json_body(request)
    weighed = await idempotent(
        request, principal, lambda s: (201, signal_view(signals.weigh(s, signal_id, version, body)))
    )
    return with_etag(weighed)


SIGNAL_HANDLERS: list[HTTPRouteHandler | type] = [register_signal, list_signals, show_signal, weigh_signal]
