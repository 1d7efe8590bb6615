"""The signals: intake, weighing decisions, the inbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.engine import Connection

from bibob._json import object_from_json
from bibob.exceptions import InvalidInputError, Problem
from bibob.undermining import (
    SIGNAL_EVENT_TYPES,
    Signal,
    SignalEvent,
    SignalSource,
    SignalState,
    Theme,
    apply_signal_event,
    signal_from_json,
    signal_to_json,
)
from service.auth import Principal, Role
from service.errors import read_json_body
from service.http import audit_reason, expected_version, idempotent, in_transaction, page_window, paginated
from service.openapi import BOOLEAN, DATE_TIME, OBJECT, field_shapes, request_body
from service.routes.inputs import (
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    converted,
    created_at,
    happened,
    json_object,
    moment,
    validated,
)
from service.routes.inputs import with_etag as with_etag
from service.store import signals as store
from service.store.access import Action, Resource, require
from service.store.common import new_id, utcnow
from service.store.errors import StaleVersionError
from service.store.subjects import keys_of

SCHEMA = "signal.schema.json"
INTAKE_FIELDS = ("source", "channel", "received", "text", "theme", "subjects", "reporter")
WEIGHING_FIELDS = (
    "type",
    "at",
    "decision",
    "reason",
    "partner",
    "department",
    "reference",
    "source",
    "hit",
    "approvedBy",
)


def signal_view(stored: store.StoredSignal) -> dict[str, Any]:
    """A signal for the advisor: its JSON document (signal.schema.json), its version and who registered it."""
    return {**stored.document, "version": stored.version, "registeredBy": stored.registered_by}


@post(
    "/signals",
    opt=request_body(
        "A signal (signal.schema.json); the service sets its id and state.",
        field_shapes(INTAKE_FIELDS, received=DATE_TIME, subjects=OBJECT, reporter=OBJECT),
        ("source", "channel", "text"),
        idempotent=True,
    ),
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
    require(principal, Resource.SIGNAL, Action.CREATE)
    signal, reason = intake(await read_json_body(request)), audit_reason(request)
    document, keys = signal_to_json(signal), keys_of(signal.subjects.matchable)

    def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
        stored = store.create_signal(
            conn,
            principal,
            source=signal.source.value,
            status=signal.state.value,
            received=signal.received,
            document=document,
            signal_id=signal.id,
            keys=keys,
            reason=reason,
        )
        if principal.role is Role.SIGNAL_INTAKE_PARTNER:
            return 201, {"id": stored.id}  # an acknowledgement: the partner reads nothing back
        return 201, signal_view(stored)

    return created_at("/api/v1/signals", with_etag(await idempotent(request, principal, produce)))


def intake(body: object) -> Signal:
    """The signal a submitted body describes; the id is ours, `received` defaults to now."""
    fields, now = json_object(body, INTAKE_FIELDS, ("source", "channel", "text")), utcnow()
    document = {**fields, "id": new_id(), "received": fields.get("received", now.isoformat())}
    signal = converted(lambda: signal_from_json(document), "/received")
    happened(signal.received, now, "/received")
    return signal


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
    store.require_weigher(principal)
    offset, limit = page_window(page, page_size)
    where = store.InboxFilter(
        states=(_wire(SignalState, signal_state, "state"),) if signal_state is not None else None,
        source=_wire(SignalSource, source, "source") if source is not None else None,
        theme=_wire(Theme, theme, "theme") if theme is not None else None,
        received_from=moment(received_from, "receivedFrom"),
        received_to=moment(received_to, "receivedTo", end=True),
    )
    reason = audit_reason(request)
    found, count = await in_transaction(
        request.app.state, lambda conn: store.inbox(conn, principal, where, limit=limit, offset=offset, reason=reason)
    )
    return paginated(request, [signal_view(s) for s in found], count, page, page_size)


def _wire(kind: Any, value: str, name: str) -> str:
    member = kind.parse(value)
    if member is None:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInputError([Problem(name, "schema.enum", f"onbekende waarde, toegestaan: {allowed}")])
    return str(member.value)


@get("/signals/{signal_id:str}", summary="Show one signal", tags=["signals"], raises=READ_ERRORS)
async def show_signal(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], signal_id: FromPath[str]
) -> Response[dict[str, Any]]:
    reason = audit_reason(request)
    stored = await in_transaction(
        request.app.state, lambda conn: store.get_for_weighing(conn, principal, signal_id, reason)
    )
    return with_etag(Response(signal_view(stored)))


@post(
    "/signals/{signal_id:str}/weighings",
    opt=request_body(
        "A weighing decision, or a sourceChecked event.",
        field_shapes(WEIGHING_FIELDS, at=DATE_TIME, hit=BOOLEAN),
        idempotent=True,
    ),
    summary="Record a weighing decision (or a source consulted in the source research)",
    description=(
        "The body is a `weighed` event (decision, reason, and partner, department or reference where needed) or a "
        "`sourceChecked` event (type, source, hit, approvedBy); `by` is the token's user, `at` defaults to now. "
        "Requires If-Match; a step the weighing table refuses answers 409 with the reason in Dutch."
    ),
    tags=["signals"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def weigh_signal(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], signal_id: FromPath[str]
) -> Response[Any]:
    expected = expected_version(request)
    body = await read_json_body(request)
    reason = audit_reason(request)

    def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
        stored = store.get_for_weighing(conn, principal, signal_id, reason)
        if stored.version != expected:
            raise StaleVersionError(store.KIND, signal_id, expected)
        signal = signal_from_json(stored.document)
        weighed = apply_signal_event(signal, weighing(body, stored.document, principal))
        updated = store.update_signal(
            conn,
            principal,
            signal_id,
            expected,
            status=weighed.state.value,
            document=signal_to_json(weighed),
            destroy_on=weighed.destroy_on,
            reason=reason,
        )
        return 201, signal_view(updated)

    return with_etag(await idempotent(request, principal, produce))


def weighing(body: object, document: Mapping[str, Any], principal: Principal) -> SignalEvent:
    """The weighing event a body describes, validated by the signal schema; `by` is the principal."""
    fields, now = json_object(body, WEIGHING_FIELDS), utcnow()
    event = {"type": "weighed", **fields, "by": principal.user, "at": fields.get("at", now.isoformat())}
    wrapper = {name: value for name, value in document.items() if name not in ("events", "state", "destroyOn")}
    validated(SCHEMA, {**wrapper, "events": [event]}, {"/events/0": ""})
    kind = SIGNAL_EVENT_TYPES[event["type"]]
    weighed: SignalEvent = converted(lambda: object_from_json(kind, event), "/at")
    happened(weighed.at, now, "/at")
    return weighed


SIGNAL_HANDLERS: list[HTTPRouteHandler | type] = [register_signal, list_signals, show_signal, weigh_signal]
