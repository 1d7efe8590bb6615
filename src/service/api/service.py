"""The service itself: liveness, readiness, who the token stands for (and its rotation), the OpenAPI document."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import HTTPRouteHandler

from service.auth import Principal
from service.errors import problem_response
from service.http import in_transaction
from service.openapi import openapi_document
from service.resources import app_resources
from service.store import tokens
from service.store.migrate import current_revision, head_revision


@get("/health", summary="Liveness: the process answers", tags=["health"])
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/ready",
    summary="Readiness: the database answers, its migrations are at head, the questionnaires are loaded",
    description="200 when this instance can take requests; 503 (problem details) while the database cannot be "
    "reached or is not migrated to the schema this version needs (`bibob migrate`).",
    tags=["health"],
)
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    catalogue = app_resources(request).catalogue
    revision = await in_transaction(request.app.state, current_revision)  # unreachable: 503 storageUnavailable
    expected = head_revision()
    if revision != expected:
        detail = (
            f"De database staat op migratie {revision or 'geen'}, deze versie vraagt {expected}: draai bibob migrate."
        )
        return problem_response(request, 503, "migrationsBehind", detail)
    return Response({"status": "ok", "questionnaires": len(catalogue), "database": "ok", "migration": revision})


@get("/me", summary="Who the bearer token stands for", tags=["auth"])
async def me(principal: NamedDependency[Principal]) -> dict[str, str]:
    return {"user": principal.user, "role": principal.role.value, "roleLabel": principal.role.label}


@post(
    "/me/token/_rotate",
    summary="Rotate the bearer token",
    description=(
        "A new token for the same user and role, valid for the configured number of days (BIBOB_TOKEN_DAYS); "
        "the token that asked is revoked at once. The new token is shown only in this answer."
    ),
    tags=["auth"],
    status_code=201,
)
async def rotate_token(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, str]:
    _, _, token = request.headers.get("authorization", "").partition(" ")
    state = request.app.state
    days: int = state.token_days
    now = app_resources(request).clock()
    issued = await in_transaction(state, lambda conn: tokens.rotate_token(conn, token.strip(), days=days, now=now))
    if issued is None:  # revoked by someone else between the check and now
        raise NotAuthorizedException(headers={"WWW-Authenticate": 'Bearer realm="bibob"'})
    state.principals.pop(tokens.token_hash(token.strip()), None)  # this worker forgets it now, others within seconds
    return {
        "token": issued.token,
        "user": issued.principal.user,
        "role": issued.principal.role.value,
        "expiresAt": issued.expires_at.isoformat(),
    }


@get("/openapi.json", summary="The OpenAPI 3.1 document of this API", tags=["health"], include_in_schema=False)
async def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return openapi_document(request.app)


SERVICE_HANDLERS: list[HTTPRouteHandler] = [health, ready, openapi_json, me, rotate_token]
