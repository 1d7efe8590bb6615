"""The lifespan: builds what the handlers share once, at start-up, and keeps it on `app.state`.

The engine and the group commit live there as they are; catalogue, policy, calendar, clock, HTTP client and
integrations as one `service.resources.AppResources`, which a handler reads with `app_resources(request)`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.datastructures import State
from sqlalchemy.engine import Engine

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from bibob.terms import load_calendar
from service.integrations import mirror_due_cases
from service.letter_documents import send_due_letters
from service.oidc import Provider
from service.resources import AppResources, app_resources_in
from service.settings import Settings
from service.store import idempotency, limits, retention
from service.store.anchor import ChainChecks, GuardMissingError, check_guards, checkpoint_file_for
from service.store.common import utcnow
from service.store.engine import checkpoint, create_engine_for, gather_statistics, is_sqlite
from service.store.group_commit import GroupCommit
from service.store.keys import KeyringError, check_keys, keyring_for
from service.store.retention import retention_active
from service.usecases import Clock
from service.zgw_notifications import register_notified_zaken

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 0.5  # seconds between checkpoints of the SQLite write-ahead log
PURGE_EVERY = 3600.0  # seconds between purges of expired idempotency keys (they expire after 24 hours)
Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


def lifespan(settings: Settings, clock: Clock, transport: httpx.AsyncBaseTransport | None = None) -> Lifespan:
    """The app's lifespan: questionnaires, policy and calendar are loaded once (invalid ones stop the start)."""

    @asynccontextmanager
    async def run(app: Litestar) -> AsyncIterator[None]:
        state = app.state
        catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
        policy, calendar = load_policy(), load_calendar()
        state.engine = create_engine_for(settings.database_url, background_checkpoints=True)
        check_at_start_up(state.engine)  # the keys fit the database, the audit log's triggers are there
        state.chain_checks = _chain_checks(settings)
        state.committer = GroupCommit(state.engine)  # every request's store work goes through it
        state.retention_active = retention_active(settings)  # pages tell a destruction date as it will happen
        state.rate_limits, state.token_days = settings.rate_limits, settings.token_days
        state.reason_required_from = settings.reason_required_from
        state.intake_dir = settings.intake_dir  # the Open Formulieren mapping files
        state.zgw_notifications = settings.zgw_notifications  # new permit zaken from the Notificaties API
        state.principals = {}  # token hash → (valid until, principal); see service.http.PRINCIPAL_TTL
        async with httpx.AsyncClient(timeout=10.0, transport=transport) as client:
            state.resources = AppResources(
                catalogue=catalogue,
                policy=policy,
                calendar=calendar,
                clock=clock,
                http=client,
                integrations=settings.integrations,
            )
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
                state.chain_checks.close()

    return run


async def _start_background(app: Litestar, settings: Settings) -> list[asyncio.Task[None]]:
    """The zaaksysteem mirror (when configured), SQLite checkpoints, and the hourly purge (after one now)."""
    state = app.state
    tasks = [asyncio.create_task(_mirror_loop(app))] if settings.integrations.zgw else []
    tasks += [asyncio.create_task(_checkpoint_loop(state.engine))] if is_sqlite(state.engine) else []
    await _purge(state.committer)  # at start-up, then every hour
    if retention_active(settings):
        tasks.append(asyncio.create_task(_retention_loop(state, settings.retention_every)))
    if settings.audit_checkpoint_every > 0:
        tasks.append(asyncio.create_task(_anchor_loop(state.chain_checks, settings.audit_checkpoint_every)))
    return [*tasks, asyncio.create_task(_purge_loop(state.committer))]


def check_at_start_up(engine: Engine) -> None:
    """Refuse to start, with a Dutch message saying what to do, when the keys are missing or are not the ones the
    database was written with, or when the audit log's blocking triggers were removed. A database that was never
    migrated has nothing to protect yet (its requests fail with 503 until `bibob migrate`)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("audit_log"):
            log.warning("database niet gemigreerd; draai 'bibob migrate'", extra={"event": "startup.notMigrated"})
            return
        try:
            keyring = keyring_for(conn)
            if sa.inspect(conn).has_table("key_checks"):
                check_keys(conn, keyring)
            check_guards(conn)
        except (KeyringError, GuardMissingError) as error:
            log.critical(str(error), extra={"event": "startup.refused", "cause": type(error).__name__})
            raise


def _chain_checks(settings: Settings) -> ChainChecks:
    """The audit chain's checks: a worker process reading without the write lock, the checkpoint file, syslog."""
    checkpoints = settings.audit_checkpoint_file or checkpoint_file_for(settings.database_url)
    if checkpoints is None:
        log.warning(
            "geen bestand voor controlepunten van het auditlogboek; zet BIBOB_AUDIT_CHECKPOINT_FILE",
            extra={"event": "audit.noCheckpointFile"},
        )
    return ChainChecks(settings.database_url, checkpoints, settings.audit_syslog)


async def _retention_loop(state: State, every: float) -> None:
    """Destroy what passed its retention term (service.store.retention), every `every` seconds, by the app's clock."""
    held = app_resources_in(state)
    while True:
        await asyncio.sleep(every)  # the first after `every`: not at start-up (a test's clock may be set far ahead)
        try:
            destroyed = await state.committer.run(lambda conn: retention.run(conn, held.policy, held.clock()))
        except sa.exc.SQLAlchemyError as error:
            log.warning(
                "bewaartermijnen toepassen mislukt; volgende poging later",
                extra={"event": "retention.failed", "cause": type(error).__name__},
            )
        else:
            log.info(
                "bewaartermijnen toegepast",
                extra={
                    "event": "retention.run",
                    "signals": len(destroyed.signals),
                    "applications": len(destroyed.applications),
                    "cases": len(destroyed.cases),
                    "sessions": destroyed.sessions,
                    "idempotencyRecords": destroyed.idempotency_records,
                    "held": len(destroyed.held),
                },
            )


async def _anchor_loop(checks: ChainChecks, every: float) -> None:
    """Check the audit chain from its last checkpoint and sign a new one (worker process), every `every` seconds."""
    while True:
        await asyncio.sleep(every)  # the first after `every`: a start (and every test's app) spawns no worker
        try:
            result = await checks.checkpoint()
        except Exception as error:
            log.warning(
                "controle van het auditlogboek mislukt; volgende poging later",
                extra={"event": "audit.checkFailed", "cause": type(error).__name__},
            )
        else:
            if not result.ok:
                log.error(
                    "het auditlogboek is aangetast: " + result.message,
                    extra={"event": "audit.chainBroken", "code": result.code, "seq": result.first_broken_seq},
                )


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
        await _statistics(committer)


async def _statistics(committer: GroupCommit) -> None:
    """Refresh the planner's statistics (hourly), so subject lookups keep using their index as the register grows."""
    try:
        await committer.run(gather_statistics)
    except sa.exc.SQLAlchemyError:  # busy or away: the next round tries again
        log.warning("statistieken van de database bijwerken mislukt; volgende poging later")


async def _mirror_loop(app: Litestar, every: float = 30.0) -> None:
    """Mirror due cases to the zaaksysteem until the app stops; a failure waits for the next round."""
    state, held = app.state, app_resources_in(app.state)
    while True:
        await mirror_due_cases(state.engine, held.http, held.integrations)
        await register_notified_zaken(state.engine, held.http, held.integrations.zgw, state.zgw_notifications,
                                      held.catalogue, held.policy)  # fmt: skip
        await send_due_letters(state.engine, held.http, held.integrations)
        await asyncio.sleep(every)
