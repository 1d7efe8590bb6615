"""The Litestar application factory: the routers, the one exception map, the middleware; the lifespan owns the rest."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.types import Message, Scope

from service.api import API_HANDLERS
from service.errors import EXCEPTION_HANDLERS
from service.http import current_principal
from service.lifespan import DEPENDENCIES, lifespan
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
        dependencies={"principal": Provide(current_principal), **DEPENDENCIES},
    )
    return Litestar(
        route_handlers=[api],
        lifespan=[lifespan(settings, clock, transport)],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[_security_headers(settings.api_version)],
        middleware=[request_id_middleware],  # X-Request-ID in, on every log line, and out
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


def _security_headers(api_version: str) -> Callable[[Message, Scope], Awaitable[None]]:
    """Middleware adding the security headers and `API-Version` to every response."""
    headers = {**SECURITY_HEADERS, "API-Version": api_version}
    raw_headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":  # no handler sets these itself: appending is enough
            message["headers"] = [*message.get("headers", ()), *raw_headers]

    return add_headers
