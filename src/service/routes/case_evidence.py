"""The evidence of a case: listed, linked by hand with a reason, confirmed and detached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.engine import Connection

from bibob._json import object_to_json
from bibob.undermining import Case, case_to_json, confirm, detach, link_by_hand
from service.auth import Principal
from service.errors import read_json_body
from service.http import audit_reason, expected_version, idempotent, in_transaction, page_window, paginated
from service.openapi import STRING, field_shapes, request_body
from service.routes.case_views import FINDING, LINK_FIELDS, case_view, hand_link, stored_case
from service.routes.inputs import READ_ERRORS, UPDATE_ERRORS, json_object, text, with_etag
from service.store import cases as store
from service.store import jobs
from service.store.access import Action, Resource, require
from service.store.common import utcnow
from service.store.errors import StaleVersionError

EVIDENCE = "/cases/{case_id:str}/evidence"
ITEM = EVIDENCE + "/{evidence_id:str}"


@get(
    EVIDENCE,
    summary="The evidence of a case with its status",
    description="The ETag is the case's: confirm, detach and link with it as If-Match.",
    tags=["cases"],
    raises=READ_ERRORS,
)
async def list_evidence(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[str],
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 100,
) -> Response[dict[str, Any]]:
    offset, limit = page_window(page, page_size)
    stored = await read_case(request, principal, case_id)
    items = stored_case(stored).evidence
    response = paginated(
        request, [object_to_json(i) for i in items[offset : offset + limit]], len(items), page, page_size
    )
    response.headers["ETag"] = f'"{stored.version}"'
    return response


@post(
    EVIDENCE,
    opt=request_body(
        "A finding linked by hand.",
        field_shapes(LINK_FIELDS, finding=FINDING),
        ("applicationId", "finding", "reason"),
        idempotent=True,
    ),
    summary="Link a finding to the case by hand, with the reason",
    description="Body: applicationId, finding {code, title, explanation}, reason, optional confidentiality. If-Match.",
    tags=["cases"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def link_evidence(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> Response[Any]:
    expected_version(request)
    body = await read_json_body(request)

    def change(_conn: Connection, case: Case) -> Case:
        application_id, finding, reason, level = hand_link(body)
        return link_by_hand(
            case,
            finding,
            application_id=application_id,
            reason=reason,
            actor=principal.user,
            at=utcnow(),
            confidentiality=level,
        )

    return await change_case(request, principal, case_id, change)


@post(
    ITEM + "/confirmations",
    opt=request_body("Empty: the token's user confirms.", {}, idempotent=True),
    summary="Confirm an evidence link",
    description="Body: {} (a JSON object). If-Match with the case's ETag.",
    tags=["cases"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def confirm_evidence(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[str],
    evidence_id: FromPath[str],
) -> Response[Any]:
    expected_version(request)
    body = await read_json_body(request)

    def change(_conn: Connection, case: Case) -> Case:
        json_object(body, ())
        return confirm(case, evidence_id, principal.user, at=utcnow())

    return await change_case(request, principal, case_id, change)


@post(
    ITEM + "/detachments",
    opt=request_body("Why the evidence is detached.", {"reason": STRING}, ("reason",), idempotent=True),
    summary="Detach an evidence link, with the reason",
    description="Body: {reason}. If-Match with the case's ETag.",
    tags=["cases"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def detach_evidence(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[str],
    evidence_id: FromPath[str],
) -> Response[Any]:
    expected_version(request)
    body = await read_json_body(request)

    def change(_conn: Connection, case: Case) -> Case:
        reason = text(json_object(body, ("reason",), ("reason",)), "reason", required=True)
        return detach(case, evidence_id, principal.user, reason, at=utcnow())

    return await change_case(request, principal, case_id, change)


async def read_case(request: Request[Any, Any, Any], principal: Principal, case_id: str) -> store.StoredCase:
    """The case, if the principal may see it (an audited read)."""
    reason = audit_reason(request)
    return await in_transaction(request.app.state, lambda conn: store.get_case(conn, principal, case_id, reason))


async def change_case(
    request: Request[Any, Any, Any],
    principal: Principal,
    case_id: str,
    change: Callable[[Connection, Case], Case],
) -> Response[Any]:
    """Apply `change` to the case at the If-Match version in one transaction, honouring Idempotency-Key."""
    require(principal, Resource.CASE, Action.UPDATE, case_id)  # a role without any update rule: 404 at once
    expected = expected_version(request)
    reason = audit_reason(request)

    def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
        stored = store.get_case(conn, principal, case_id, reason)
        if stored.version != expected:
            raise StaleVersionError(store.KIND, case_id, expected)
        case = change(conn, stored_case(stored))
        updated = store.update_case(
            conn,
            principal,
            case_id,
            expected,
            status=case.state.value,
            confidentiality=case.confidentiality.value,
            document=case_to_json(case),
            reason=reason,
        )
        if request.app.state.integrations.zgw is not None:
            jobs.request_job(conn, jobs.ZGW_MIRROR, case_id)  # the zaaksysteem follows every evidence change
        return 201, case_view(updated)

    return with_etag(await idempotent(request, principal, produce))


EVIDENCE_HANDLERS: list[HTTPRouteHandler | type] = [list_evidence, link_evidence, confirm_evidence, detach_evidence]
