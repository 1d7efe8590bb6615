"""Subject search across signals and cases (POST, so no BSN or KvK number travels in a URL) and match review."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from service.auth import Principal
from service.http import idempotent, in_session, read_json_body
from service.openapi import OBJECT, READ_ERRORS, WRITE_ERRORS, field_shapes, request_body
from service.store.access import Action, Resource, require
from service.store.subjects import searchable
from service.usecases import subjects
from service.views.subjects import REVIEW_FIELDS, SEARCH_FIELDS, review_view, search_body, search_view


@post(
    "/subjects/_search",
    opt=request_body(
        "Exactly one of person, organisation, address; optionally the lowest level to report.",
        field_shapes(SEARCH_FIELDS, person=OBJECT, organisation=OBJECT, address=OBJECT),
    ),
    summary="Search a person, organisation or address in the signals and cases you may see",
    description=(
        "Body: exactly one of person, organisation or address (fields as in signal.schema.json), and optionally "
        "minimumLevel (possible, probable, certain) and caseId: the case the search is made for (you must be a "
        "member; 404 otherwise), whose match reviews then count. Each result names the signal or case, the score, "
        "the level and the Dutch explanation; leftKey and rightKey identify the pair for a match review. "
        "Identifiers are never part of the URL and never shown in an explanation."
    ),
    tags=["subjects"],
    status_code=200,
    raises=READ_ERRORS,
)
async def search_subjects(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    searchable(principal)
    subject, minimum, case_id = search_body(await read_json_body(request))
    found = await in_session(request, principal, lambda s: subjects.search_subjects(s, subject, minimum, case_id))
    return search_view(found)


@post(
    "/match-reviews",
    opt=request_body("A reviewer's verdict on a pair.", field_shapes(REVIEW_FIELDS), REVIEW_FIELDS, idempotent=True),
    summary="Confirm or dismiss a proposed match",
    description=(
        "Body: caseId (a case you are a member of; 404 otherwise), leftKey and rightKey (from a search result), "
        "decision (confirm or dismiss) and reason. The latest verdict on a pair counts in every later search made "
        "for that case and every evidence link into it: confirmed becomes certain, dismissed drops out. It never "
        "counts in another case."
    ),
    tags=["subjects"],
    status_code=201,
    raises=WRITE_ERRORS,
)
async def review_match(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[Any]:
    require(principal, Resource.MATCH_REVIEW, Action.CREATE)
    body = await read_json_body(request)
    return await idempotent(request, principal, lambda s: (201, review_view(subjects.review_match(s, body))))


SUBJECT_HANDLERS: list[HTTPRouteHandler | type] = [search_subjects, review_match]
