"""The service itself: liveness, readiness, who the token stands for, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from bibob.questionnaires import Catalogue
from service.auth import Principal
from service.lifespan import Provided
from service.openapi import openapi_document


@get("/health", summary="Liveness: the process answers", tags=["health"])
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", summary="Readiness: questionnaires are loaded", tags=["health"])
async def ready(catalogue: Provided[Catalogue]) -> dict[str, Any]:
    return {"status": "ok", "questionnaires": len(catalogue)}


@get("/me", summary="Who the bearer token stands for", tags=["auth"])
async def me(principal: NamedDependency[Principal]) -> dict[str, str]:
    return {"user": principal.user, "role": principal.role.value, "roleLabel": principal.role.label}


@get("/openapi.json", summary="The OpenAPI 3.1 document of this API", tags=["health"], include_in_schema=False)
async def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return openapi_document(request.app)


SERVICE_HANDLERS: list[HTTPRouteHandler] = [health, ready, openapi_json, me]
