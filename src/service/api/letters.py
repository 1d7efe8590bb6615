"""The letters of an application: which apply, make one (.docx and PDF, stored), list them, download a file."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from bibob.exceptions import NotFoundError
from service.auth import Principal
from service.http import idempotent, in_session, read_json_body
from service.letters import municipality
from service.openapi import (
    ARRAY,
    BOOLEAN,
    DATE,
    OBJECT,
    READ_ERRORS,
    STRING,
    WRITE_ERRORS,
    field_shapes,
    request_body,
)
from service.resources import app_resources
from service.usecases import Session
from service.usecases.dossier import RECIPIENTS
from service.usecases.dossier import export_dossier as export
from service.usecases.letters import LETTER_FIELDS, Resources, applicable, letter_file, list_letters, make_letter
from service.usecases.permit_zaak import record_permit_zaak
from service.views.letters import MEDIA_TYPES, letter_view

BASE = "/applications/{application_id:str}/letters"


@get(BASE, summary="The letters of an application", tags=["letters"], raises=READ_ERRORS,
     description="The stored letters (name, kind, SHA-256 of each file, who made it, when) and the kinds that apply "
     "in the application's current state.")  # fmt: skip
async def read_letters(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
) -> dict[str, Any]:
    def work(session: Session) -> dict[str, Any]:
        found = list_letters(session, application_id)
        kinds = applicable(session, application_id)
        results = [letter_view(letter) for letter in found]
        return {"count": len(results), "next": None, "previous": None, "results": results,
                "applicable": [kind.value for kind in kinds]}  # fmt: skip

    return await in_session(request, principal, work)


@post(
    BASE,
    opt=request_body(
        "The letter to make, and the officer's choices for it.",
        field_shapes(
            LETTER_FIELDS,
            kind=STRING,
            date=DATE,
            adviceEnclosed=BOOLEAN,
            lbbQuestions=ARRAY,
            termEnd=DATE,
            objectionFounded=BOOLEAN,
            questions=ARRAY,
            reason=STRING,
            art26Message=BOOLEAN,
            riecAdvice=BOOLEAN,
            otherFiles=ARRAY,
        ),
        ("kind",),
        idempotent=True,
    ),
    summary="Make a letter (.docx and PDF) and store it with the application",
    description="kind: repairRequest, lbbNotice, lbbInformationRequest (with lbbQuestions), intention, decisionGrant, "
    "decisionGrantWithConditions, decisionRefusal, decisionWithdrawal, decisionNotProcessed, objectionDecision, "
    "lbbRequest (coordinator: the request to the LBB with questions, reason, art26Message, riecAdvice, otherFiles; "
    "its JSON package in document.package, in the structure of the formulier bevindingen eigen onderzoek). "
    "adviceEnclosed adds the copy of the LBB advice and the secrecy warning (art. 28(3) Wet Bibob). Honours "
    "Idempotency-Key.",
    status_code=201,
    tags=["letters"],
    raises=WRITE_ERRORS,
)
async def create_letter(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
) -> Response[dict[str, Any]]:  # fmt: skip
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    body = await read_json_body(request)
    resources = Resources(catalogue, policy, calendar, municipality())

    def produce(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, letter_view(make_letter(session, resources, application_id, body))

    return await idempotent(request, principal, produce)


@get(BASE + "/{letter_id:str}/{file_format:str}", summary="Download a letter as .docx or PDF", tags=["letters"],
     raises=READ_ERRORS, description="file_format: docx or pdf. Only for those who may read the application.",
     media_type="application/octet-stream")  # fmt: skip
async def download_letter(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    letter_id: FromPath[str], file_format: FromPath[str],
) -> Response[bytes]:  # fmt: skip
    if file_format not in MEDIA_TYPES:
        raise NotFoundError("letter file", file_format)
    stored, content = await in_session(
        request, principal, lambda s: letter_file(s, application_id, letter_id, file_format)
    )
    disposition = f'attachment; filename="{stored.name}.{file_format}"'
    return Response(content, media_type=MEDIA_TYPES[file_format], headers={"Content-Disposition": disposition})


@post(
    "/applications/{application_id:str}/dossier-exports",
    opt=request_body(
        "For whom the dossier is, and which documents (by the code in its index) are left out, each with its reason.",
        {"recipient": STRING | {"enum": list(RECIPIENTS)}, "omit": OBJECT, "reason": STRING},
        ("recipient",),
    ),
    summary="Export the dossier for objection or court (zip with a numbered index)",
    description="The coordinator or the mayor: every document with its date, the letters, the assessment as the "
    "permit officer and as the coordinator see it, the timeline, the decision and who read the file; omit leaves "
    "documents out (art. 28 Wet Bibob, Awb 8:29) and the archive records it. The export is audited and recorded "
    "as a disclosure.",
    status_code=200,
    tags=["letters"],
    raises=WRITE_ERRORS,
    media_type="application/zip",
)
async def export_dossier(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
) -> Response[bytes]:  # fmt: skip
    shared = app_resources(request)
    policy, calendar = shared.policy, shared.calendar
    body = await read_json_body(request)
    dossier, content = await in_session(request, principal, lambda s: export(s, policy, calendar, application_id, body))
    filename = f"dossier-{dossier.application_id}-{dossier.made_at:%Y%m%d}.zip"
    return Response(
        content, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@put(
    "/applications/{application_id:str}/permit-zaak",
    opt=request_body("The URL of the permit's zaak in the zaaksysteem (Zaken API).", {"url": STRING}, ("url",))
    | {"unversioned": True},  # a replacement without a version: If-Match is not read, so not asked for
    summary="Record the zaak of the permit in the zaaksysteem",
    description="Where the application's letters go as documents (zaakinformatieobject) when the Documenten API is "
    "set up (BIBOB_ZGW_DOCUMENTEN_URL); recording it again sends every letter there. The zaak of an undermining "
    "case is refused (art. 28 Wet Bibob). For those who may change the application.",
    status_code=200,
    tags=["letters"],
    raises=WRITE_ERRORS,
)
async def put_permit_zaak(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal],
    application_id: FromPath[str],
) -> dict[str, Any]:  # fmt: skip
    integrations = app_resources(request).integrations
    body = await read_json_body(request)
    recorded = await in_session(request, principal, lambda s: record_permit_zaak(s, integrations, application_id, body))
    return {"applicationId": recorded.application_id, "url": recorded.url, "recordedBy": recorded.recorded_by}


LETTER_HANDLERS: list[HTTPRouteHandler] = [read_letters, create_letter, download_letter, export_dossier,
                                           put_permit_zaak]  # fmt: skip
