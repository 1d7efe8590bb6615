"""The Litestar application factory; the lifespan owns what the handlers share."""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar, Request, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.types import Message, Scope
from sqlalchemy.engine import Engine

from bibob.exceptions import NotFoundError
from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal
from service.errors import EXCEPTION_HANDLERS
from service.http import current_principal, not_found
from service.integrations import mirror_due_cases
from service.openapi import openapi_document
from service.routes.applications import APPLICATION_HANDLERS
from service.routes.audit import AUDIT_HANDLERS
from service.routes.cases import CASE_HANDLERS
from service.routes.mirrors import MIRROR_HANDLERS
from service.routes.questionnaires import QuestionnaireController
from service.routes.signals import SIGNAL_HANDLERS
from service.routes.subjects import SUBJECT_HANDLERS
from service.settings import Settings
from service.store import idempotency
from service.store.engine import checkpoint, create_engine_for, is_sqlite
from service.store.group_commit import GroupCommit
from service.web import WebPlugin

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 0.5  # seconds between checkpoints of the SQLite write-ahead log
PURGE_EVERY = 3600.0  # seconds between purges of expired idempotency keys (they expire after 24 hours)

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


@get("/health", summary="Liveness: the process answers", tags=["health"])
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", summary="Readiness: questionnaires are loaded", tags=["health"])
async def ready(state: State) -> dict[str, Any]:
    return {"status": "ok", "questionnaires": len(state.catalogue)}


@get("/me", summary="Who the bearer token stands for", tags=["auth"])
async def me(principal: NamedDependency[Principal]) -> dict[str, str]:
    return {"user": principal.user, "role": principal.role.value, "roleLabel": principal.role.label}


@get("/openapi.json", summary="The OpenAPI 3.1 document of this API", tags=["health"], include_in_schema=False)
async def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return openapi_document(request.app)


async def _checkpoint_loop(engine: Engine, every: float = CHECKPOINT_EVERY) -> None:
    """Checkpoint the SQLite write-ahead log on a worker thread, so that no request's commit has to."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.get_running_loop().run_in_executor(None, checkpoint, engine)
        except (sa.exc.SQLAlchemyError, sqlite3.Error):  # busy or failing: the commits' fallback checkpoint works
            log.warning("checkpoint van het SQLite-logboek mislukt; volgende poging later")


async def _purge(committer: GroupCommit) -> None:
    """Forget expired idempotency keys and the answers stored with them, which hold dossier data."""
    try:
        await committer.run(idempotency.purge_expired)
    except sa.exc.SQLAlchemyError:  # the database is busy or away: the next round tries again
        log.warning("verlopen Idempotency-Keys opruimen mislukt; volgende poging later")


async def _purge_loop(committer: GroupCommit, every: float = PURGE_EVERY) -> None:
    while True:
        await asyncio.sleep(every)
        await _purge(committer)


async def _mirror_loop(app: Litestar, every: float = 30.0) -> None:
    """Mirror due cases to the zaaksysteem until the app stops; a failure waits for the next round."""
    while True:
        await mirror_due_cases(app.state.engine, app.state.http, app.state.integrations)
        await asyncio.sleep(every)


def create_app(settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> Litestar:
    """Build the service; questionnaires are loaded once, at start-up, and invalid ones stop it.

    `transport` replaces the network for the external registers (tests use httpx.MockTransport).
    """
    settings = settings or Settings.from_env()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs full URLs, and KvK numbers travel in paths

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
        app.state.policy = load_policy()
        app.state.engine = create_engine_for(settings.database_url, background_checkpoints=True)
        app.state.committer = GroupCommit(app.state.engine)  # every request's store work goes through it
        app.state.integrations = settings.integrations
        app.state.principals = {}  # token hash → (valid until, principal); see service.http.PRINCIPAL_TTL
        async with httpx.AsyncClient(timeout=10.0, transport=transport) as client:
            app.state.http = client
            worker = asyncio.create_task(_mirror_loop(app)) if settings.integrations.zgw else None
            checkpoints = (
                asyncio.create_task(_checkpoint_loop(app.state.engine)) if is_sqlite(app.state.engine) else None
            )
            await _purge(app.state.committer)  # at start-up, then every hour
            purges = asyncio.create_task(_purge_loop(app.state.committer))
            # What start-up loaded lives as long as the app: keep the cycle collector from walking it again and
            # again (on one worker, reading an application: p99 90 → 28 ms, +18 % requests/s; bench/http.py).
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()
                for task in (worker, checkpoints, purges):
                    if task is not None:
                        task.cancel()
                await app.state.committer.close()
                app.state.engine.dispose()

    headers = {**SECURITY_HEADERS, "API-Version": settings.api_version}
    raw_headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":  # no handler sets these itself: appending is enough
            message["headers"] = [*message.get("headers", ()), *raw_headers]

    api = Router(
        path="/api/v1",
        route_handlers=[
            QuestionnaireController,
            health,
            ready,
            openapi_json,
            me,
            *APPLICATION_HANDLERS,
            *SIGNAL_HANDLERS,
            *CASE_HANDLERS,
            *MIRROR_HANDLERS,
            *SUBJECT_HANDLERS,
            *AUDIT_HANDLERS,
        ],
        dependencies={"principal": Provide(current_principal)},
    )
    return Litestar(
        route_handlers=[api],
        lifespan=[lifespan],
        exception_handlers={**EXCEPTION_HANDLERS, NotFoundError: not_found},
        before_send=[add_headers],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="bibob",
            version=settings.api_version,
            path="/schema",
            render_plugins=[JsonRenderPlugin(path="/openapi.json")],
        ),
        debug=False,
        plugins=[WebPlugin()],  # the pages under /, beside the API
    )
