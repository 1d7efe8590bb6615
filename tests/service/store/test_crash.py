"""Crash consistency (R-REL-2): a writer process is SIGKILLed at random moments; nothing acknowledged is lost."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from service.store.applications import create_application, update_application
from service.store.audit import verify_chain
from service.store.engine import create_engine_for, integrity_problems
from service.store.group_commit import GroupCommit
from service.store.idempotency import StoredResponse, remember, replay, request_hash
from service.store.migrate import migrate
from service.store.signals import create_signal
from service.store.subjects import SubjectKey, set_subject_keys
from service.store.tables import applications, audit_log, idempotency_keys, signals
from tests.figures import report
from tests.service.store.conftest import OFFICER, PARTNER
from tests.service.store.helpers import RECEIVED, new_application

KILLS = int(os.environ.get("BIBOB_CRASH_KILLS", "120"))
LONGEST_RUN = 0.06  # seconds a writer lives after its first acknowledged write before it is killed, at most


@attrs.define
class Tally:
    kills: int = 0
    acknowledged: int = 0
    lost_writes: int = 0
    integrity_failures: int = 0
    chain_failures: int = 0
    invariant_violations: int = 0
    unexpected_exits: int = 0


def _write_forever(url: str, out: int, grouped: bool) -> None:
    """The writer: dossier change, subject keys, idempotency record and audit rows per transaction; ack after commit.

    `grouped`: eight concurrent writers share transactions through the service's group commit.
    """
    engine, rng, mine = create_engine_for(url), random.Random(os.getpid()), {}
    if grouped:
        asyncio.run(_write_grouped(engine, rng, mine, out))
    for number in range(1_000_000):
        with engine.begin() as conn:
            line = _one_write(conn, rng, mine, f"{os.getpid()}-{number}")
        os.write(out, line.encode() + b"\n")  # acknowledged only once the commit returned


async def _write_grouped(engine: Engine, rng: random.Random, mine: dict[str, int], out: int) -> None:
    committer = GroupCommit(engine)

    async def writer(lane: int) -> None:
        for number in range(1_000_000):
            tag = f"{os.getpid()}-{lane}-{number}"
            line = await committer.run(lambda conn: _one_write(conn, rng, mine, tag))  # noqa: B023 (awaited here)
            os.write(out, line.encode() + b"\n")  # acknowledged only once the group's commit returned

    await asyncio.gather(*(writer(lane) for lane in range(8)))


def _one_write(conn: Connection, rng: random.Random, mine: dict[str, int], tag: str) -> str:
    choice = rng.random()
    if mine and choice < 0.3:
        identifier = rng.choice(sorted(mine))
        mine[identifier] = update_application(conn, OFFICER, identifier, mine[identifier], answers={"n": tag}).version
        return f"U {identifier} {mine[identifier]}"
    if choice < 0.5:
        created = create_signal(conn, PARTNER, source="police", status="new", received=RECEIVED, document={"t": tag})
        return f"S {created.id}"
    identifier, key = f"c-{tag}", f"key-{tag}"
    fingerprint = request_hash("POST", "/api/v1/applications", {"id": identifier})
    assert replay(conn, OFFICER, "POST /applications", key, fingerprint) is None
    create_application(conn, OFFICER, new_application(identifier), answers={"n": tag})
    set_subject_keys(conn, OFFICER, "application", identifier, [SubjectKey("address", f"3831AB|{tag}|")])
    remember(conn, OFFICER, "POST /applications", key, fingerprint, StoredResponse(201, {"id": identifier}))
    mine[identifier] = 1
    return f"A {identifier} 1"


def _run_and_kill(url: str, rng: random.Random, grouped: bool) -> tuple[list[str], bool]:
    """Fork a writer, SIGKILL it after a random moment, and return its acknowledged lines."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no connection is open in the parent at this point
        os.close(read)
        try:
            _write_forever(url, write, grouped)
        finally:
            os._exit(70)
    os.close(write)
    first = _first_line(read)  # the kill is timed from the first acknowledged write: start-up is not the test
    time.sleep(rng.uniform(0.0, LONGEST_RUN))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    output = first + b"".join(iter(lambda: os.read(read, 65536), b""))
    os.close(read)
    complete = output.decode().split("\n")[:-1]  # a torn last line was never acknowledged
    return complete, os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _first_line(read: int) -> bytes:
    """What the writer wrote up to and including its first line (all of it, if it died before one)."""
    seen = b""
    while b"\n" not in seen:
        chunk = os.read(read, 4096)
        if not chunk:
            break
        seen += chunk
    return seen


def _check(url: str, acked: dict[str, tuple[str, int]], tally: Tally) -> None:
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            tally.integrity_failures += bool(integrity_problems(conn))
            tally.integrity_failures += bool(conn.exec_driver_sql("PRAGMA foreign_key_check").first())
            tally.lost_writes += sum(1 for lost in _lost(conn, acked))
            tally.chain_failures += not verify_chain(conn).ok
            tally.invariant_violations += _violations(conn)
    finally:
        engine.dispose()


def _lost(conn: Connection, acked: dict[str, tuple[str, int]]) -> Iterator[str]:
    versions = dict(conn.execute(sa.select(applications.c.id, applications.c.version)).all())
    signal_ids = set(conn.execute(sa.select(signals.c.id)).scalars())
    for identifier, (kind, version) in acked.items():
        present = identifier in signal_ids if kind == "S" else versions.get(identifier, 0) >= version
        if not present:
            yield identifier


def _violations(conn: Connection) -> int:
    """Effects without their audit row or idempotency record, and the other way round."""
    created = set(conn.execute(sa.select(applications.c.id)).scalars())
    audited = sa.select(audit_log.c.object_id).where(audit_log.c.action == "application.create")
    keys = sa.select(idempotency_keys.c.response_body)
    remembered = {body["id"] for body in conn.execute(keys).scalars()}
    updates = conn.execute(sa.select(sa.func.count()).where(audit_log.c.action == "application.update")).scalar_one()
    bumps = conn.execute(sa.select(sa.func.sum(applications.c.version - 1))).scalar_one() or 0
    return (created != set(conn.execute(audited).scalars())) + (created != remembered) + (updates != bumps)


@pytest.mark.slow
@pytest.mark.parametrize("grouped", [False, True], ids=["transaction-per-write", "group-commit"])
def test_sigkilled_writers_lose_no_acknowledged_write_and_leave_a_sound_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], grouped: bool
) -> None:
    url, rng, tally = f"sqlite:///{tmp_path / 'crash.db'}", random.Random(20261101), Tally()
    migrate(url)
    acked: dict[str, tuple[str, int]] = {}
    started = time.monotonic()
    for _ in range(KILLS):
        lines, killed = _run_and_kill(url, rng, grouped)
        tally.kills += killed
        tally.unexpected_exits += not killed
        for line in lines:
            kind, identifier, *version = line.split()
            acked[identifier] = (kind, int(version[0]) if version else 1)
        tally.acknowledged += len(lines)
        _check(url, acked, tally)
    with capsys.disabled():
        mode = "group commit" if grouped else "a transaction per write"
        print(f"\ncrash test ({mode}): {attrs.asdict(tally)} in {time.monotonic() - started:.1f} s")
        report(f"crash test (SQLite, SIGKILL, {mode})", f"{attrs.asdict(tally)} in {time.monotonic() - started:.1f} s")
    assert tally.kills >= 100 and tally.unexpected_exits == 0
    assert attrs.evolve(tally, kills=0, acknowledged=0) == Tally()
    assert tally.acknowledged > tally.kills  # the writers did get work done between kills


def test_the_crash_check_itself_notices_a_lost_write(tmp_path: Path) -> None:
    url, tally = f"sqlite:///{tmp_path / 'check.db'}", Tally()
    migrate(url)
    _check(url, {"c-never-written": ("A", 1)}, tally)
    assert (tally.lost_writes, tally.integrity_failures, tally.chain_failures) == (1, 0, 0)


def test_writes_carry_a_utc_timestamp(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'utc.db'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        _one_write(conn, random.Random(1), {}, "t-1")
        at = conn.execute(sa.select(audit_log.c.at)).scalars().first()
    engine.dispose()
    assert at is not None and at.utcoffset() == dt.timedelta(0)
