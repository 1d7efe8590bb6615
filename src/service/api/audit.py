"""The audit log for the privacy officer: who read or changed which dossier (ids, actions), and its check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, QueryParameter

from service.auth import Principal
from service.http import in_session, page_window, paginated, read_json_body
from service.openapi import INTEGER, OBJECT, READ_ERRORS, STRING, field_shapes, request_body
from service.store.access import Action, Resource, require
from service.store.anchor import ChainChecks
from service.usecases.audit import read_audit_log as read_log
from service.usecases.audit import record_audit_check as record_check
from service.usecases.audit import subject_access_report
from service.views.audit import MAX_SEQ, anchor, entry_view, subject_access_view, verify_view
from service.views.subjects import SEARCH_FIELDS, search_body

ANCHOR: dict[str, Any] = {  # an exported chain head, as the OpenAPI document shows it
    "type": "object",
    "properties": {"seq": INTEGER | {"minimum": 0, "maximum": MAX_SEQ}, "hash": STRING},
    "required": ["seq", "hash"],
    "additionalProperties": False,
}


@get(
    "/audit-log",
    summary="Read the audit log (privacy officer)",
    description="In chain order; filter by objectType, objectId and user. Ids, actions and reasons only.",
    tags=["audit"],
    raises=READ_ERRORS,
)
async def read_audit_log(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    object_type: Annotated[str | None, QueryParameter(name="objectType", max_length=64)] = None,
    object_id: Annotated[str | None, QueryParameter(name="objectId", max_length=36)] = None,
    user: Annotated[str | None, QueryParameter(max_length=128)] = None,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 100,
) -> Response[dict[str, Any]]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    offset, limit = page_window(page, page_size)
    entries, count = await in_session(
        request,
        principal,
        lambda s: read_log(s, object_type=object_type, object_id=object_id, user=user, limit=limit, offset=offset),
    )
    return paginated(request, [entry_view(entry) for entry in entries], count, page, page_size)


@post(
    "/audit-log/_verify",
    opt=request_body("{} or an exported chain head.", {"anchor": ANCHOR}),
    summary="Check the hash chain of the audit log (privacy officer)",
    description=(
        "Body: {} or {anchor: {seq, hash}} (an exported chain head, which also detects a shortened log). "
        "Checks the whole chain (keyed hashes) and against the last signed checkpoint, off the request path. "
        "Answers ok, how many rows were checked, and the first broken link with a Dutch message (a corrupt row "
        "is reported with its position: code corruptRow)."
    ),
    tags=["audit"],
    status_code=200,
    raises=READ_ERRORS,
)
async def verify_audit_log(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    head = anchor(await read_json_body(request))
    await in_session(request, principal, record_check)  # the check itself is audited, before its outcome leaves
    checks: ChainChecks = request.app.state.chain_checks
    # the whole chain, in batches in a worker process that takes no write lock: requests go on meanwhile
    return verify_view(await checks.verify(full=True, anchor=head))


@post(
    "/privacy/subject-access",
    opt=request_body(
        "Exactly one of person, organisation, address (as in a subject search).",
        field_shapes(SEARCH_FIELDS, person=OBJECT, organisation=OBJECT, address=OBJECT),
    ),
    summary="What is stored about a person (AVG art. 15), for the privacy officer",
    description=(
        "Body: exactly one of person, organisation or address (as for POST /subjects/_search). Answers every dossier "
        "holding them — kind, id, status, since, destruction date, the kinds of key that matched, the categories of "
        "data — and for each what art. 28 Wet Bibob or a restriction of the right of access withholds. No content."
    ),
    tags=["audit"],
    status_code=200,
    raises=READ_ERRORS,
)
async def subject_access(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    subject, _ = search_body(await read_json_body(request))
    found = await in_session(request, principal, lambda s: subject_access_report(s, subject))
    return subject_access_view(found)


AUDIT_HANDLERS: list[HTTPRouteHandler | type] = [read_audit_log, verify_audit_log, subject_access]
