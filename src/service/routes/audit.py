"""The audit log for the privacy officer: who read or changed which dossier (ids, actions), and its check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, QueryParameter

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.errors import read_json_body
from service.http import in_transaction, page_window, paginated
from service.openapi import INTEGER, STRING, request_body
from service.routes.inputs import READ_ERRORS, json_object
from service.store import audit
from service.store.access import Action, Resource, require

MAX_SEQ = 2**63 - 1  # the largest sequence number a database integer holds
ANCHOR: dict[str, Any] = {  # an exported chain head, as the OpenAPI document shows it
    "type": "object",
    "properties": {"seq": INTEGER | {"minimum": 0, "maximum": MAX_SEQ}, "hash": STRING},
    "required": ["seq", "hash"],
    "additionalProperties": False,
}
AUDIT_FIELDS = ("seq", "at", "user", "role", "action", "objectType", "objectId", "reason")


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
    entries, count = await in_transaction(
        request.app.state,
        lambda conn: audit.read_log(
            conn, principal, object_type=object_type, object_id=object_id, user=user, limit=limit, offset=offset
        ),
    )
    results = [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "user": e.user,
            "role": e.role,
            "action": e.action,
            "objectType": e.object_type,
            "objectId": e.object_id,
            "reason": e.reason,
        }
        for e in entries
    ]
    return paginated(request, results, count, page, page_size)


@post(
    "/audit-log/_verify",
    opt=request_body("{} or an exported chain head.", {"anchor": ANCHOR}),
    summary="Check the hash chain of the audit log (privacy officer)",
    description=(
        "Body: {} or {anchor: {seq, hash}} (an exported chain head, which also detects a shortened log). "
        "Answers ok, how many rows were checked, and the first broken link with a Dutch message."
    ),
    tags=["audit"],
    status_code=200,
    raises=READ_ERRORS,
)
async def verify_audit_log(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    body = await read_json_body(request)
    anchor = _anchor(json_object(body, ("anchor",)))
    result = await in_transaction(request.app.state, lambda conn: audit.verify_for(conn, principal, anchor))
    return {
        "ok": result.ok,
        "checked": result.checked,
        "firstBrokenSeq": result.first_broken_seq,
        "code": result.code or None,
        "message": result.message or "De keten van het auditlogboek is intact.",
    }


def _anchor(fields: dict[str, Any]) -> audit.ChainHead | None:
    if "anchor" not in fields:
        return None
    raw = json_object(fields["anchor"], ("seq", "hash"), ("seq", "hash"))
    seq, digest = raw["seq"], raw["hash"]
    problems = []
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq <= MAX_SEQ:
        problems.append(Problem("/anchor/seq", "schema.type", f"verwacht: geheel getal van 0 tot {MAX_SEQ}"))
    if not isinstance(digest, str) or len(digest) != 64:
        problems.append(Problem("/anchor/hash", "schema.format", "verwacht: sha256 in hex (64 tekens)"))
    if problems:
        raise InvalidInputError(problems)
    return audit.ChainHead(seq, digest)


AUDIT_HANDLERS: list[HTTPRouteHandler | type] = [read_audit_log, verify_audit_log]
