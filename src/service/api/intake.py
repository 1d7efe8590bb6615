"""Intake from Open Formulieren: a submission of its Generic JSON registration becomes an application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from service.auth import Principal
from service.http import in_session, read_json_body
from service.openapi import OBJECT, WRITE_ERRORS, request_body
from service.resources import app_resources
from service.store.access import Action, Resource, require
from service.usecases.intake import register_submission
from service.views.intake import intake_of, intake_view, load_mapping

COLLECTION = "/api/v1/applications"


@post(
    "/intake/open-formulieren/{mapping_id:str}",
    opt=request_body(
        "A submission as Open Formulieren's Generic JSON registration sends it: values, values_schema, metadata "
        "(with public_reference), metadata_schema; files in values as {file_name, content (base64)}.",
        {"values": OBJECT, "values_schema": OBJECT, "metadata": OBJECT, "metadata_schema": OBJECT},
        ("values", "metadata"),
    )
    | {"also_answers": {"200": "Deze inzending was al geregistreerd: dezelfde aanvraag, niets gewijzigd"}},
    summary="Register an application from an Open Formulieren submission",
    description="The mapping file `mapping_id` (BIBOB_INTAKE_DIR, one per form; a municipality edits it) puts the "
    "submission's values onto a questionnaire's answers. Idempotent on the submission's public_reference: the "
    "application is `of-<reference>`; a second delivery answers 200 with the same application and changes "
    "nothing. Files are registered as attachments (name, type, size, SHA-256); their content is not stored.",
    tags=["applications"],
    status_code=201,
    raises=WRITE_ERRORS,
)
async def register_from_open_formulieren(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], mapping_id: FromPath[str],
) -> Response[dict[str, Any]]:  # fmt: skip
    shared = app_resources(request)
    catalogue, policy = shared.catalogue, shared.policy
    require(principal, Resource.APPLICATION, Action.CREATE)  # no create rule: 404 whatever the body
    folder: Path = request.app.state.intake_dir
    try:
        mapping = load_mapping(folder, mapping_id)
    except LookupError:
        raise NotFoundException() from None
    body = await read_json_body(request)
    today = app_resources(request).clock().date()
    intake = intake_of(mapping, body, today)
    done = await in_session(request, principal, lambda s: register_submission(s, catalogue, policy, intake))
    view = intake_view(done.application_id, done.version, done.created, done.completeness)
    response = Response(view, status_code=201 if done.created else 200)
    if done.created:
        response.headers["Location"] = f"{COLLECTION}/{done.application_id}"
    return response


INTAKE_HANDLERS: list[HTTPRouteHandler | type] = [register_from_open_formulieren]
