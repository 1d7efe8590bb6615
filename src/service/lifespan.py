"""The lifespan: builds what the handlers share once, at start-up, and hands it to them by dependency injection.

Resources live on `app.state` (engine, group commit, catalogue, policy, calendar, clock, HTTP client, integrations);
`DEPENDENCIES` provides them to any handler that names one as a parameter.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any, TypeAlias, TypeVar

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker
from sqlalchemy.engine import Engine

from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue, load_catalogue
from bibob.terms import AtwCalendar, load_calendar
from service.integrations import Integrations, mirror_due_cases
from service.letter_documents import send_due_letters
from service.oidc import Provider
from service.settings import Settings
from service.store import idempotency, limits
from service.store.common import utcnow
from service.store.engine import checkpoint, create_engine_for, is_sqlite
from service.store.group_commit import GroupCommit
from service.usecases import Clock

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 0.5  # seconds between checkpoints of the SQLite write-ahead log
PURGE_EVERY = 3600.0  # seconds between purges of expired idempotency keys (they expire after 24 hours)
Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]
T = TypeVar("T")

#: A handler parameter naming a resource of `DEPENDENCIES`, e.g. `catalogue: Provided[Catalogue]` (ours: not validated).
Provided: TypeAlias = Annotated[T, Dependency(kind="named"), SkipValidationMarker()]


def lifespan(settings: Settings, clock: Clock, transport: httpx.AsyncBaseTransport | None = None) -> Lifespan:
    """The app's lifespan: questionnaires, policy and calendar are loaded once (invalid ones stop the start)."""

    @asynccontextmanager
    async def run(app: Litestar) -> AsyncIterator[None]:
        state = app.state
        state.catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
        state.policy, state.calendar, state.clock = load_policy(), load_calendar(), clock
        state.engine = create_engine_for(settings.database_url, background_checkpoints=True)
        state.committer = GroupCommit(state.engine)  # every request's store work goes through it
        state.integrations = settings.integrations
        state.rate_limits, state.token_days = settings.rate_limits, settings.token_days
        state.reason_required_from = settings.reason_required_from
        state.intake_dir = settings.intake_dir  # the Open Formulieren mapping files
        state.principals = {}  # token hash → (valid until, principal); see service.http.PRINCIPAL_TTL
        async with httpx.AsyncClient(timeout=10.0, transport=transport) as client:
            state.http = client
            state.oidc = Provider(settings.oidc, client) if settings.oidc else None
            tasks = await _start_background(app, settings)
            # What start-up loaded lives as long as the app: keep the cycle collector from walking it again and
            # again (on one worker, reading an application: p99 90 → 28 ms, +18 % requests/s; bench/http.py).
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()
                for task in tasks:
                    task.cancel()
                await state.committer.close()
                state.engine.dispose()

    return run


async def _start_background(app: Litestar, settings: Settings) -> list[asyncio.Task[None]]:
    """The zaaksysteem mirror (when configured), SQLite checkpoints, and the hourly purge (after one now)."""
    state = app.state
    tasks = [asyncio.create_task(_mirror_loop(app))] if settings.integrations.zgw else []
    tasks += [asyncio.create_task(_checkpoint_loop(state.engine))] if is_sqlite(state.engine) else []
    await _purge(state.committer)  # at start-up, then every hour
    return [*tasks, asyncio.create_task(_purge_loop(state.committer))]


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
        await committer.run(lambda conn: limits.purge(conn, utcnow()))  # counters of windows long past
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
        await send_due_letters(app.state.engine, app.state.http, app.state.integrations)
        await asyncio.sleep(every)


def _catalogue(state: State) -> Catalogue:
    catalogue: Catalogue = state.catalogue
    return catalogue


def _policy(state: State) -> Policy:
    policy: Policy = state.policy
    return policy


def _calendar(state: State) -> AtwCalendar:
    calendar: AtwCalendar = state.calendar
    return calendar


def _clock(state: State) -> Clock:
    clock: Clock = state.clock
    return clock


def _http(state: State) -> httpx.AsyncClient:
    client: httpx.AsyncClient = state.http
    return client


def _integrations(state: State) -> Integrations:
    integrations: Integrations = state.integrations
    return integrations


#: A handler gets a resource by naming it: `catalogue: Provided[Catalogue]`.
DEPENDENCIES: dict[str, Any] = {
    name: Provide(provider, sync_to_thread=False)
    for name, provider in {
        "catalogue": _catalogue,
        "policy": _policy,
        "calendar": _calendar,
        "clock": _clock,
        "http": _http,
        "integrations": _integrations,
    }.items()
}
