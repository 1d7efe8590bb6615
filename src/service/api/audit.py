"""The audit log for the privacy officer: who read or changed which dossier (ids, actions), and its check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, QueryParameter

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.http import in_session, page_window, paginated, read_json_body
from service.openapi import INTEGER, OBJECT, READ_ERRORS, STRING, field_shapes, request_body
from service.store.access import Action, Resource, require
from service.store.anchor import ChainChecks
from service.store.audit import MAX_EXPORT, AuditEntry
from service.usecases.audit import export_audit_log as export_log
from service.usecases.audit import read_audit_log as read_log
from service.usecases.audit import record_audit_check as record_check
from service.usecases.audit import subject_access_report
from service.views.audit import (
    MAX_SEQ,
    anchor,
    as_csv,
    as_json_lines,
    audit_filter,
    entry_view,
    subject_access_view,
    verify_view,
)
from service.views.nen7513 import as_nen7513
from service.views.subjects import SEARCH_FIELDS, search_body

ANCHOR: dict[str, Any] = {  # an exported chain head, as the OpenAPI document shows it
    "type": "object",
    "properties": {"seq": INTEGER | {"minimum": 0, "maximum": MAX_SEQ}, "hash": STRING},
    "required": ["seq", "hash"],
    "additionalProperties": False,
}


FilterUser = Annotated[str | None, QueryParameter(max_length=128, description="Who acted (exact).")]
FilterRole = Annotated[str | None, QueryParameter(max_length=64, description="The role they acted in.")]
FilterType = Annotated[str | None, QueryParameter(name="objectType", max_length=64, description="Dossier kind.")]
FilterId = Annotated[str | None, QueryParameter(name="objectId", max_length=36, description="Dossier id.")]
FilterAction = Annotated[str | None, QueryParameter(max_length=64, description="The action (exact).")]
FilterFrom = Annotated[str | None, QueryParameter(name="from", max_length=10, description="First day, JJJJ-MM-DD.")]
FilterTo = Annotated[str | None, QueryParameter(name="to", max_length=10, description="Last day, JJJJ-MM-DD.")]
FilterDenied = Annotated[bool, QueryParameter(description="Only refused accesses (access.denied).")]
FilterUpTo = Annotated[
    str | None, QueryParameter(name="upToSeq", max_length=19, description="Only rows up to this seq (a fixed view).")
]
FILTERS = "filter by user, role, objectType, objectId, action, from/to (days), denied and upToSeq"


@get(
    "/audit-log",
    summary="Read the audit log (privacy officer)",
    description=(
        f"In chain order; {FILTERS}. Ids, actions and reasons only. The answer's `upToSeq` fixes the view "
        "(pass it on to page on, or to export the same rows). Reading the log is itself audited."
    ),
    tags=["audit"],
    raises=READ_ERRORS,
)
async def read_audit_log(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    user: FilterUser = None,
    role: FilterRole = None,
    object_type: FilterType = None,
    object_id: FilterId = None,
    action: FilterAction = None,
    since: FilterFrom = None,
    until: FilterTo = None,
    denied: FilterDenied = False,
    up_to_seq: FilterUpTo = None,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 100,
) -> Response[dict[str, Any]]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    problems: list[Problem] = []
    try:
        offset, limit = page_window(page, page_size)
    except InvalidInputError as error:
        problems.extend(error.problems)
    try:
        wanted = audit_filter(user=user, role=role, object_type=object_type, object_id=object_id, action=action,
                              since=since, until=until, denied=denied, up_to_seq=up_to_seq)  # fmt: skip
    except InvalidInputError as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidInputError(problems)
    entries, count, up_to = await in_session(
        request, principal, lambda s: read_log(s, wanted, limit=limit, offset=offset)
    )
    response = paginated(request, [entry_view(entry) for entry in entries], count, page, page_size)
    response.content["upToSeq"] = up_to
    if up_to_seq is None:  # the links page on through the same fixed view
        for link in ("next", "previous"):
            if response.content[link]:
                response.content[link] += f"&upToSeq={up_to}"
        links = [f'<{response.content[k]}>; rel="{rel}"' for k, rel in (("next", "next"), ("previous", "prev"))
                 if response.content[k]]  # fmt: skip
        if links:
            response.headers["Link"] = ", ".join(links)
    return response


@get(
    "/audit-log/export",
    summary="Export a filtered view of the audit log as CSV, JSON Lines or NEN 7513 records (privacy officer)",
    description=(
        "`format` is csv, jsonl (rows as `GET /audit-log` shows them) or nen7513 (JSON Lines of NEN 7513-style "
        "records: who, what, when, which dossier, on whose behalf, why, with seq and hash; see the README); "
        f"{FILTERS}, as for reading. Every row of the view in chain order (at most "
        f"{MAX_EXPORT}; a larger view is refused with 400: narrow it). The export is itself audited."
    ),
    tags=["audit"],
    raises=READ_ERRORS,
    media_type="text/csv",
)
async def export_audit_log(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    export_format: Annotated[
        str, QueryParameter(name="format", max_length=8, description="csv, jsonl or nen7513")
    ] = "csv",
    user: FilterUser = None,
    role: FilterRole = None,
    object_type: FilterType = None,
    object_id: FilterId = None,
    action: FilterAction = None,
    since: FilterFrom = None,
    until: FilterTo = None,
    denied: FilterDenied = False,
    up_to_seq: FilterUpTo = None,
) -> Response[str]:
    require(principal, Resource.AUDIT_LOG, Action.READ)
    problems: list[Problem] = []
    if export_format not in EXPORT_TYPES:
        problems.append(Problem("format", "unknownFormat", "kies csv, jsonl of nen7513"))
    try:
        wanted = audit_filter(user=user, role=role, object_type=object_type, object_id=object_id, action=action,
                              since=since, until=until, denied=denied, up_to_seq=up_to_seq)  # fmt: skip
    except InvalidInputError as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidInputError(problems)
    entries = await in_session(request, principal, lambda s: export_log(s, wanted))
    if entries is None:
        raise InvalidInputError([Problem("", "export.tooLarge", f"meer dan {MAX_EXPORT} regels: verfijn het filter")])
    return export_response(entries, export_format)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "nen7513": "application/jsonl; charset=utf-8",
}
WRITERS = {"csv": as_csv, "jsonl": as_json_lines, "nen7513": as_nen7513}


def export_response(entries: tuple[AuditEntry, ...], export_format: str) -> Response[str]:
    """The export as a download named after its kind (no personal data in the file name)."""
    body = WRITERS[export_format](entries)
    name = "auditlogboek.nen7513.jsonl" if export_format == "nen7513" else f"auditlogboek.{export_format}"
    disposition = f'attachment; filename="{name}"'
    return Response(body, media_type=EXPORT_TYPES[export_format], headers={"content-disposition": disposition})


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
    subject, _, _ = search_body(await read_json_body(request))
    found = await in_session(request, principal, lambda s: subject_access_report(s, subject))
    return subject_access_view(found)


AUDIT_HANDLERS: list[HTTPRouteHandler | type] = [read_audit_log, export_audit_log, verify_audit_log, subject_access]
