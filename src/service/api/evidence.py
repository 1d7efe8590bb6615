"""The evidence of a case: listed, linked by hand with a reason, confirmed and detached."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter

from service.api.cases import changed
from service.auth import Principal
from service.http import in_session, page_window, paginated, with_etag
from service.openapi import READ_ERRORS, STRING, UPDATE_ERRORS, field_shapes, request_body
from service.resources import app_resources
from service.usecases import evidence
from service.usecases.cases import read_case
from service.views.cases import FINDING_FIELDS, LINK_FIELDS, evidence_page

EVIDENCE = "/cases/{case_id:str}/evidence"
ITEM = EVIDENCE + "/{evidence_id:str}"
FINDING: dict[str, Any] = {  # the OpenAPI document's picture of a finding linked by hand
    "type": "object",
    "properties": dict.fromkeys(FINDING_FIELDS, STRING),
    "required": list(FINDING_FIELDS),
    "additionalProperties": False,
}


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
    stored = await in_session(request, principal, lambda s: read_case(s, case_id))
    return with_etag(paginated(request, *evidence_page(stored, offset, limit), page, page_size), stored.version)


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
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str],
) -> Response[Any]:  # fmt: skip
    integrations = app_resources(request).integrations
    return await changed(
        request, principal, case_id, lambda s, v, b: evidence.link_evidence(s, integrations, case_id, v, b)
    )


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
    integrations = app_resources(request).integrations
    return await changed(
        request,
        principal,
        case_id,
        lambda s, v, b: evidence.confirm_evidence(s, integrations, case_id, evidence_id, v, b),
    )


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
    integrations = app_resources(request).integrations
    return await changed(
        request,
        principal,
        case_id,
        lambda s, v, b: evidence.detach_evidence(s, integrations, case_id, evidence_id, v, b),
    )


EVIDENCE_HANDLERS: list[HTTPRouteHandler | type] = [list_evidence, link_evidence, confirm_evidence, detach_evidence]
