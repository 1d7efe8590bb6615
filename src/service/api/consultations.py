"""Consultations of the safety advisor (a case match is a question, not a finding) and the disclosures record."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.http import expected_version, idempotent, in_session, page_window, paginated, read_json_body, with_etag
from service.openapi import BOOLEAN, OBJECT, READ_ERRORS, STRING, UPDATE_ERRORS, request_body
from service.store.access import Action, Resource, require
from service.usecases import Session, consultations, disclosures
from service.views.consultations import STATUSES, consultation_view, disclosure_view, pending_view

ITEM = "/consultations/{consultation_id:str}"


def _status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise InvalidInputError([Problem("/status", "enum", "kies uit: " + ", ".join(STATUSES))])


@get(
    "/consultations",
    summary="Consultations of the safety advisor (coordinator: all; advisor: asked ones about their cases)",
    description="A subject of an application matches a case or signal: no finding (art. 3 lid 2 en 3 Wet Bibob), "
    "a question for the advisor. Filters applicationId and status (open, asked, answered).",
    tags=["consultations"],
    raises=READ_ERRORS,
)
async def list_consultations(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    application_id: Annotated[str | None, QueryParameter(name="applicationId", max_length=36)] = None,
    status: Annotated[str | None, QueryParameter(max_length=16)] = None,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 100,
) -> Response[dict[str, Any]]:
    require(principal, Resource.CONSULTATION, Action.READ)
    _status(status)
    offset, limit = page_window(page, page_size)
    found, count = await in_session(
        request,
        principal,
        lambda s: consultations.list_consultations(
            s, application_id=application_id, status=status, limit=limit, offset=offset
        ),
    )
    return paginated(request, [consultation_view(c, principal) for c in found], count, page, page_size)


@get(ITEM, summary="One consultation", tags=["consultations"], raises=READ_ERRORS)
async def show_consultation(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], consultation_id: FromPath[str]
) -> Response[dict[str, Any]]:
    found = await in_session(request, principal, lambda s: consultations.read_consultation(s, consultation_id))
    return with_etag(Response(consultation_view(found, principal)))


@post(
    ITEM + "/questions",
    opt=request_body("The coordinator's question (optional).", {"question": STRING}, idempotent=True),
    summary="Ask the safety advisor (coordinator)",
    description="Body: {question?}. If-Match. The advisor of the case is notified; 409 when already asked.",
    tags=["consultations"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def ask_consultation(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], consultation_id: FromPath[str]
) -> Response[Any]:
    version = expected_version(request)
    body = await read_json_body(request)
    require(principal, Resource.CONSULTATION_QUESTION, Action.UPDATE, consultation_id)

    def produce(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, consultation_view(consultations.ask(session, consultation_id, version, body), principal)

    return with_etag(await idempotent(request, principal, produce))


@post(
    ITEM + "/answers",
    opt=request_body(
        "A fact with its source (as an assessment's fact), or nothingToShare: true.",
        {"nothingToShare": BOOLEAN, "fact": OBJECT},
        idempotent=True,
    ),
    summary="Answer a consultation (safety advisor of the case)",
    description="Body: {fact} or {nothingToShare: true}. If-Match. Only a shared fact enters the assessment, "
    "with its source; the sharing is recorded as a disclosure. 409 when not asked or already answered.",
    tags=["consultations"],
    status_code=201,
    raises=UPDATE_ERRORS,
)
async def answer_consultation(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], consultation_id: FromPath[str]
) -> Response[Any]:
    version = expected_version(request)
    body = await read_json_body(request)
    require(principal, Resource.CONSULTATION_ANSWER, Action.UPDATE, consultation_id)

    def produce(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, consultation_view(consultations.answer(session, consultation_id, version, body), principal)

    return with_etag(await idempotent(request, principal, produce))


@get(
    "/applications/{application_id:str}/consultation-status",
    summary="Whether a consultation of the safety advisor is pending",
    description="For who may read the application: 'consultatie loopt' once the coordinator asked, until the "
    "advisor answered — never which case, nor how many.",
    tags=["applications"],
    raises=READ_ERRORS,
)
async def consultation_status(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
) -> dict[str, Any]:
    return pending_view(await in_session(request, principal, lambda s: consultations.pending(s, application_id)))


@get(
    "/disclosures",
    summary="Disclosures outside the Bibob dossier (privacy officer)",
    description="Art. 28 Wet Bibob: recipient, legal basis, purpose, what went, by whom, when; newest first. "
    "Filter dossierId (an application id).",
    tags=["audit"],
    raises=READ_ERRORS,
)
async def list_disclosures(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    dossier_id: Annotated[str | None, QueryParameter(name="dossierId", max_length=36)] = None,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 100,
) -> Response[dict[str, Any]]:
    require(principal, Resource.DISCLOSURE, Action.READ)
    offset, limit = page_window(page, page_size)
    found, count = await in_session(
        request, principal, lambda s: disclosures.list_disclosures(s, dossier_id=dossier_id, limit=limit, offset=offset)
    )
    return paginated(request, [disclosure_view(d) for d in found], count, page, page_size)


CONSULTATION_HANDLERS: list[HTTPRouteHandler | type] = [
    list_consultations,
    show_consultation,
    ask_consultation,
    answer_consultation,
    consultation_status,
    list_disclosures,
]
