"""The Litestar application factory: the routers, the one exception map, the middleware; the lifespan owns the rest."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.api import API_HANDLERS
from service.errors import EXCEPTION_HANDLERS
from service.http import current_principal
from service.lifespan import lifespan
from service.logs import install_record_factory, request_id_middleware
from service.openapi import SameDocument
from service.settings import Settings
from service.store.common import utcnow
from service.usecases import Clock
from service.web import WebPlugin

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def create_app(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None, clock: Clock = utcnow
) -> Litestar:
    """Build the service; questionnaires are loaded once, at start-up, and invalid ones stop it.

    `transport` replaces the network for the external registers (tests use httpx.MockTransport); `clock` is what
    "now" means to every use case (tests give a fixed one).
    """
    settings = settings or Settings.from_env()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs full URLs, and KvK numbers travel in paths
    install_record_factory()  # every log line names its request (service.logs)
    api = Router(
        path="/api/v1",
        route_handlers=API_HANDLERS,
        dependencies={"principal": Provide(current_principal)},  # the one dependency; see service.resources
    )
    return Litestar(
        route_handlers=[api],
        lifespan=[lifespan(settings, clock, transport)],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[_security_headers(settings.api_version, settings.hsts_seconds)],
        middleware=[request_id_middleware, no_trailing_slash],  # X-Request-ID in, on every log line, and out
        logging_config=None,  # ours (service.logs): JSON lines; Litestar's would replace the root logger's handlers
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="bibob",
            version=settings.api_version,
            path="/schema",
            render_plugins=[SameDocument(path="/openapi.json")],
        ),
        debug=False,
        plugins=[WebPlugin()],  # the pages under /, beside the API
    )


def _security_headers(api_version: str, hsts_seconds: int = 0) -> Callable[[Message, Scope], Awaitable[None]]:
    """Middleware adding the security headers and `API-Version` to every response; `Strict-Transport-Security`
    when `hsts_seconds` is set (browsers heed it only over HTTPS), and CORS on the OpenAPI document only."""
    headers = {**SECURITY_HEADERS, "API-Version": api_version}
    if hsts_seconds:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    raw_headers = _raw(headers)
    cors = _raw(CORS_HEADERS)

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":  # no handler sets these itself: appending is enough
            extra = cors if scope.get("path") in OPENAPI_PATHS else []
            message["headers"] = [*message.get("headers", ()), *raw_headers, *extra]

    return add_headers


# The OpenAPI document is public and read by tools in other origins (an API portal); nothing else is shared.
OPENAPI_PATHS = frozenset({"/api/v1/openapi.json", "/schema/openapi.json"})
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Max-Age": "86400",
}


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def no_trailing_slash(app: ASGIApp) -> ASGIApp:
    """A path ending in `/` (other than the start page) answers 404, as for the API as for the pages: one address
    per resource (the router would otherwise serve `/api/v1/me/` as `/api/v1/me`)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8")  # the router has normalised `path`
        if scope["type"] == ScopeType.HTTP and len(raw) > 1 and raw.endswith(b"/"):
            raise NotFoundException()
        await app(scope, receive, send)

    return middleware
