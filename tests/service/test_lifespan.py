"""The lifespan: the background checkpoints of the SQLite write-ahead log keep going after a failed one."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy.engine import Engine

from service import lifespan


def test_a_failing_checkpoint_is_logged_and_the_next_one_still_runs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[Engine] = []

    def checkpoint(engine: Engine) -> None:
        calls.append(engine)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(lifespan, "checkpoint", checkpoint)
    engine = object()

    async def run_a_while() -> None:
        task = asyncio.create_task(lifespan._checkpoint_loop(engine, every=0.001))  # type: ignore[arg-type]
        while len(calls) < 3:
            await asyncio.sleep(0.005)
        task.cancel()

    asyncio.run(asyncio.wait_for(run_a_while(), timeout=5))
    assert len(calls) >= 3 and all(call is engine for call in calls)
    assert "checkpoint van het SQLite-logboek mislukt" in caplog.text
    assert "locked" not in caplog.text  # the message says what failed, not the driver's text
