"""The zaaksysteem mirror of a case: ask for it, and see how far it got (the work runs in the background)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from service.auth import Principal
from service.http import in_session
from service.resources import app_resources
from service.usecases import mirrors
from service.views.mirrors import mirror_view


@post(
    "/cases/{case_id:str}/zgw-mirrors",
    summary="Ask for the case to be mirrored to the zaaksysteem",
    description="Accepted at once; the mirror runs in the background and resumes after failures.",
    status_code=202,
    tags=["cases"],
)
async def request_mirror(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> dict[str, Any]:
    integrations = app_resources(request).integrations
    return mirror_view(await in_session(request, principal, lambda s: mirrors.request_mirror(s, integrations, case_id)))


@get("/cases/{case_id:str}/zgw-mirrors", summary="How far the zaaksysteem mirror of the case got", tags=["cases"])
async def show_mirror(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], case_id: FromPath[str]
) -> dict[str, Any]:
    return mirror_view(await in_session(request, principal, lambda s: mirrors.mirror_status(s, case_id)))


MIRROR_HANDLERS: list[HTTPRouteHandler | type] = [request_mirror, show_mirror]
