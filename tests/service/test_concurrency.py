"""Concurrent requests through the running app: grouped into shared commits, each answered, each audited."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from service.app import create_app
from service.settings import Settings
from service.store.audit import verify_chain
from service.store.engine import create_engine_for
from service.store.tables import audit_log, idempotency_keys
from tests.service.api.test_applications import NEW
from tests.service.conftest import DATA, bearer

READS, SIGNALS = 30, 10


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[None]:
    """The app's lifespan (start-up and shutdown) around the block, as an ASGI server runs it."""
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))  # type: ignore[arg-type]
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
        await task


def test_concurrent_reads_and_intakes_share_commits_and_each_is_audited(
    database_url: str, tokens: dict[str, str]
) -> None:
    officer, advisor = bearer(tokens["permitOfficer"]), bearer(tokens["safetyAdvisor"])
    signal = json.loads((DATA / "service" / "resident-signal.json").read_text("utf-8"))

    async def scenario() -> tuple[list[int], int]:
        app = create_app(Settings(database_url=database_url))
        transport = httpx.ASGITransport(app=app)  # requests run concurrently on this loop (the test clients queue them)
        async with running(app), httpx.AsyncClient(transport=transport, base_url="http://bibob.test") as client:
            created = await client.post("/api/v1/applications", json=NEW, headers=officer)
            assert created.status_code == 201, created.text
            identifier = created.json()["id"]
            commits = [0]
            sa.event.listen(app.state.engine, "commit", lambda _conn: commits.__setitem__(0, commits[0] + 1))
            requests: list[Any] = [
                client.get(f"/api/v1/applications/{identifier}", headers=officer) for _ in range(READS)
            ]
            requests += [client.post("/api/v1/signals", json=signal, headers=advisor) for _ in range(SIGNALS)]
            responses = await asyncio.gather(*requests)
            return [response.status_code for response in responses], commits[0]

    statuses, commits = asyncio.run(scenario())
    assert statuses == [200] * READS + [201] * SIGNALS
    assert commits < (READS + SIGNALS) // 4, commits  # they were grouped: far fewer commits than requests
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        actions = [row.action for row in conn.execute(sa.select(audit_log.c.action))]
        assert verify_chain(conn).ok
    engine.dispose()
    assert (actions.count("application.read"), actions.count("signal.create")) == (READS, SIGNALS)


def test_the_service_purges_expired_idempotency_keys_while_it_runs(database_url: str) -> None:
    engine = create_engine_for(database_url)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    with engine.begin() as conn:
        conn.execute(
            idempotency_keys.insert().values(
                principal="safetyAdvisor-1", scope="0" * 64, key="verlopen-sleutel", request_hash="0" * 64,
                response_status=201, response_body={"id": "s-oud"}, created_at=old,
            )
        )  # fmt: skip
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert client.get("/api/v1/health").status_code == 200  # the purge ran at start-up; it runs hourly
    with engine.connect() as conn:
        left = conn.execute(sa.select(idempotency_keys.c.key).where(idempotency_keys.c.key == "verlopen-sleutel"))
        assert left.first() is None
    engine.dispose()
