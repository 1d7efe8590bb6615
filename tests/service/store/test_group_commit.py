"""Group commit: concurrent units share a commit, a failing unit is undone alone, and nothing is acknowledged early."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from service.store import audit
from service.store.applications import create_application, get_application
from service.store.group_commit import GroupCommit
from service.store.tables import applications
from tests.service.store.conftest import COORDINATOR, OFFICER
from tests.service.store.helpers import audit_count, audit_rows, new_application

Work = Callable[[Connection], Any]


def run_together(engine: Engine, works: list[Work], *, max_group: int = 64) -> list[Any]:
    """Start every unit before the loop runs any, so they form groups; results (or exceptions) in order."""

    async def main() -> list[Any]:
        committer = GroupCommit(engine, max_group=max_group)
        results = await asyncio.gather(*(committer.run(work) for work in works), return_exceptions=True)
        await committer.close()
        return results

    return asyncio.run(main())


def commits_counted(engine: Engine) -> list[int]:
    counter = [0]
    sa.event.listen(engine, "commit", lambda _conn: counter.__setitem__(0, counter[0] + 1))
    return counter


def stored_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.select(applications.c.id)).scalars())


def creating(identifier: str) -> Work:
    return lambda conn: create_application(conn, OFFICER, new_application(identifier)).id


def test_concurrent_units_share_commits_and_each_gets_its_own_result(engine: Engine) -> None:
    commits = commits_counted(engine)
    identifiers = [f"G-{number:03d}" for number in range(40)]
    results = run_together(engine, [creating(identifier) for identifier in identifiers], max_group=16)
    assert results == identifiers
    assert commits[0] == 3  # 40 units in groups of at most 16
    assert stored_ids(engine) == set(identifiers)
    with engine.connect() as conn:
        assert audit.verify_chain(conn).ok
        assert audit_count(conn) == 40


def test_a_failing_unit_is_undone_alone_and_the_chain_stays_whole(engine: Engine) -> None:
    def create_then_fail(conn: Connection) -> None:
        create_application(conn, OFFICER, new_application("G-FAIL"))  # a row and an audit link, then an error
        raise InvalidInputError([Problem("/x", "test", "bewust afgekeurd")])

    results = run_together(engine, [creating("G-1"), create_then_fail, creating("G-2")])
    assert results[0] == "G-1" and results[2] == "G-2"
    assert isinstance(results[1], InvalidInputError)
    assert stored_ids(engine) == {"G-1", "G-2"}
    with engine.connect() as conn:
        assert audit.verify_chain(conn).ok
        assert [row[3] for row in audit_rows(conn)] == ["G-1", "G-2"]


def test_an_audited_read_is_visible_to_other_connections_when_its_caller_hears_of_it(engine: Engine) -> None:
    run_together(engine, [creating("G-R")])

    async def main() -> int:
        committer = GroupCommit(engine)
        await committer.run(lambda conn: get_application(conn, COORDINATOR, "G-R", "controle"))
        with engine.connect() as other:  # another connection sees the read's audit row: it is committed
            count = audit_count(other)
        await committer.close()
        return count

    assert asyncio.run(main()) == 2


def test_a_failed_commit_reaches_every_unit_of_the_group_and_keeps_nothing(engine: Engine) -> None:
    class DiskFull(Exception):
        pass

    def refuse(_conn: Connection) -> None:
        raise DiskFull("database or disk is full")

    sa.event.listen(engine, "commit", refuse)
    results = run_together(engine, [creating("G-A"), creating("G-B")])
    assert [type(result) for result in results] == [DiskFull, DiskFull]
    sa.event.remove(engine, "commit", refuse)
    assert stored_ids(engine) == set()
    with engine.connect() as conn:
        assert audit_count(conn) == 0


def test_a_group_of_only_failures_commits_nothing(engine: Engine) -> None:
    commits = commits_counted(engine)
    unknown = [lambda conn: get_application(conn, OFFICER, "G-NONE") for _ in range(3)]
    results = run_together(engine, unknown)
    assert all(isinstance(result, NotFoundError) for result in results)
    assert commits[0] == 0


def test_a_caller_that_left_before_its_turn_has_no_effect(engine: Engine) -> None:
    async def main() -> None:
        committer = GroupCommit(engine)
        first = asyncio.ensure_future(committer.run(creating("G-STAYS")))
        left = asyncio.ensure_future(committer.run(creating("G-LEFT")))
        await asyncio.sleep(0)  # both queued, the group not yet run
        left.cancel()
        assert await first == "G-STAYS"
        with pytest.raises(asyncio.CancelledError):
            await left
        await committer.close()

    asyncio.run(main())
    assert stored_ids(engine) == {"G-STAYS"}


def test_rows_of_earlier_units_survive_a_failing_unit_that_read_the_log(engine: Engine) -> None:
    def verify_then_fail(conn: Connection) -> None:
        assert audit.verify_chain(conn).ok  # reading the log inserts the rows the group deferred so far
        raise InvalidInputError([Problem("/x", "test", "bewust afgekeurd")])

    results = run_together(engine, [creating("G-1"), verify_then_fail, creating("G-2")])
    assert results[0] == "G-1" and results[2] == "G-2" and isinstance(results[1], InvalidInputError)
    with engine.connect() as conn:
        assert audit.verify_chain(conn).ok
        assert [row[3] for row in audit_rows(conn)] == ["G-1", "G-2"]


def test_audit_rows_of_a_group_are_inserted_in_one_statement(engine: Engine) -> None:
    run_together(engine, [creating("G-0")])
    inserts: list[int] = []

    def count_audit_inserts(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            inserts.append(len(parameters) if isinstance(parameters, list) else 1)

    sa.event.listen(engine, "before_cursor_execute", count_audit_inserts)
    reads = [lambda conn: get_application(conn, COORDINATOR, "G-0").id for _ in range(10)]
    assert run_together(engine, reads) == ["G-0"] * 10
    assert inserts == [10]


def test_a_unit_failing_inside_the_database_does_not_poison_the_group(engine: Engine) -> None:
    run_together(engine, [creating("G-0")])

    def duplicate(conn: Connection) -> None:
        audit.append(conn, COORDINATOR, "test.duplicate", "application", "G-0")
        row = dict(conn.execute(sa.select(applications).where(applications.c.id == "G-0")).mappings().one())
        conn.execute(applications.insert(), row)  # the primary key refuses it: PostgreSQL aborts the transaction

    results = run_together(engine, [creating("G-1"), duplicate, creating("G-2")])
    assert results[0] == "G-1" and results[2] == "G-2"
    assert isinstance(results[1], sa.exc.IntegrityError)
    assert stored_ids(engine) == {"G-0", "G-1", "G-2"}
    with engine.connect() as conn:
        assert audit.verify_chain(conn).ok
        assert [row[3] for row in audit_rows(conn)] == ["G-0", "G-1", "G-2"]


class _FirstConnectFails:
    """An engine whose first `connect()` fails, as when the database is briefly unreachable."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.failed = engine, False

    def connect(self) -> Connection:
        if not self.failed:
            self.failed = True
            raise sa.exc.OperationalError("connect", {}, Exception("could not connect to server"))
        return self.engine.connect()


def test_a_group_without_a_connection_gets_the_database_error_and_the_next_group_still_runs(engine: Engine) -> None:
    async def main() -> list[Any]:
        committer = GroupCommit(_FirstConnectFails(engine), max_group=2, groups=1)  # type: ignore[arg-type]
        works = [creating(f"G-C{number}") for number in range(4)]
        results = await asyncio.gather(*(committer.run(work) for work in works), return_exceptions=True)
        await committer.close()  # nothing left behind, nothing raised
        return results

    results = asyncio.run(main())
    assert [type(result) for result in results[:2]] == [sa.exc.OperationalError, sa.exc.OperationalError]
    assert results[2:] == ["G-C2", "G-C3"]
    assert stored_ids(engine) == {"G-C2", "G-C3"}


def test_a_runner_cancelled_during_the_commit_lets_it_finish_and_tells_the_callers(engine: Engine) -> None:
    started = asyncio.Event()

    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()

        def slow_commit(_conn: Connection) -> None:  # on the commit's worker thread
            loop.call_soon_threadsafe(started.set)
            time.sleep(0.2)

        sa.event.listen(engine, "commit", slow_commit)
        committer = GroupCommit(engine)
        callers = [asyncio.ensure_future(committer.run(creating(f"G-K{number}"))) for number in range(3)]
        await started.wait()
        assert committer._runners
        for runner in committer._runners:
            runner.cancel()  # e.g. a forced shutdown, while the commit is on its thread
        results = await asyncio.gather(*callers, return_exceptions=True)
        sa.event.remove(engine, "commit", slow_commit)
        return results

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. SQLAlchemy's "transaction already deassociated"
        results = asyncio.run(main())
    assert results == ["G-K0", "G-K1", "G-K2"]
    assert stored_ids(engine) == {"G-K0", "G-K1", "G-K2"}


def test_when_even_the_rollback_fails_each_unit_still_gets_its_own_error(engine: Engine) -> None:
    def refuse(_conn: Connection) -> None:
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception("disk I/O error"))

    sa.event.listen(engine, "rollback", refuse)
    try:
        results = run_together(engine, [lambda conn: get_application(conn, OFFICER, "G-GONE") for _ in range(2)])
    finally:
        sa.event.remove(engine, "rollback", refuse)
    assert [type(result) for result in results] == [NotFoundError, NotFoundError]


@pytest.mark.parametrize("reason", ["met\x00nul", "regel\neen", "c1\x85teken"])
def test_a_reason_with_a_control_character_fails_its_own_unit_not_the_group(engine: Engine, reason: str) -> None:
    def read_with(conn: Connection) -> Any:
        return get_application(conn, COORDINATOR, "G-Q", reason)

    run_together(engine, [creating("G-Q")])
    results = run_together(engine, [creating("G-Q1"), read_with, creating("G-Q2")])
    assert results[0] == "G-Q1" and results[2] == "G-Q2"
    assert isinstance(results[1], InvalidInputError)
    assert results[1].problems[0].code == "reason.controlCharacter"
    assert {"G-Q1", "G-Q2"} <= stored_ids(engine)


def passes_recorded(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each unit run used a savepoint, in the order the units ran."""
    from service.store import group_commit

    used: list[bool] = []
    attempt = group_commit._attempt

    def recording(conn: Connection, work: Work, *, savepoint: bool = True) -> tuple[bool, Any]:
        used.append(savepoint)
        return attempt(conn, work, savepoint=savepoint)

    monkeypatch.setattr(group_commit, "_attempt", recording)
    return used


def test_a_group_whose_units_all_succeed_runs_without_savepoints(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_together(engine, [creating("G-S")])
    used = passes_recorded(monkeypatch)
    reads = [lambda conn: get_application(conn, COORDINATOR, "G-S").id for _ in range(10)]

    assert run_together(engine, reads) == ["G-S"] * 10
    assert used == [False] * 10


def test_after_a_failing_unit_the_others_run_again_once_and_after_two_with_savepoints(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = passes_recorded(monkeypatch)
    missing: Work = lambda conn: get_application(conn, OFFICER, "G-NONE")  # noqa: E731
    results = run_together(engine, [creating("G-R1"), missing, creating("G-R2")])
    assert results[0] == "G-R1" and results[2] == "G-R2" and isinstance(results[1], NotFoundError)
    assert used == [False, False, False, False]  # the first pass stops at the failure; the second runs the others

    used.clear()
    results = run_together(engine, [creating("G-R3"), missing, missing, creating("G-R4"), missing])
    assert [type(result) for result in results] == [str, NotFoundError, NotFoundError, str, NotFoundError]
    assert used == [False, False, False, False, True, True, True]  # two failures, then each unit in a savepoint
    assert stored_ids(engine) == {"G-R1", "G-R2", "G-R3", "G-R4"}
    with engine.connect() as conn:
        assert audit.verify_chain(conn).ok


class _Deadlock(Exception):
    sqlstate = "40P01"


def test_a_unit_ended_by_a_deadlock_runs_again_with_its_group(engine: Engine) -> None:
    tries: list[int] = []

    def meets_another_worker(conn: Connection) -> str:
        tries.append(1)
        if len(tries) == 1:
            raise sa.exc.OperationalError("UPDATE rate_counters", {}, _Deadlock("deadlock detected"))
        return create_application(conn, OFFICER, new_application("G-D2")).id

    results = run_together(engine, [creating("G-D1"), meets_another_worker, creating("G-D3")])

    assert results == ["G-D1", "G-D2", "G-D3"] and len(tries) == 2
    assert stored_ids(engine) == {"G-D1", "G-D2", "G-D3"}


def test_on_postgresql_several_groups_are_in_flight_at_once(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: one group at a time")
    both_open = asyncio.Event()
    inside: list[int] = []

    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()

        def waits_for_the_other(conn: Connection) -> int:  # each on its group's worker thread
            inside.append(1)
            if len(inside) == 2:
                loop.call_soon_threadsafe(both_open.set)
            deadline = time.monotonic() + 10
            while not both_open.is_set() and time.monotonic() < deadline:
                time.sleep(0.01)
            return len(inside)

        committer = GroupCommit(engine, max_group=1)
        results = await asyncio.gather(committer.run(waits_for_the_other), committer.run(waits_for_the_other))
        await committer.close()
        return list(results)

    assert asyncio.run(main()) == [2, 2]  # each unit saw the other one running: two groups at the same time


def test_what_a_unit_undone_in_its_savepoint_replayed_is_not_kept(engine: Engine) -> None:
    """A failing unit may have replayed its own version; undone in a plain-SQL savepoint, that version is not kept."""
    from service.store import replays

    replayed: list[str] = []

    def replaying(contents: str, *, fails: bool) -> Work:
        def work(conn: Connection) -> str:
            found = replays.at_versions(
                conn, "test.group", [("R-1", 7)], lambda ids: dict.fromkeys(ids, contents), lambda d: d
            )
            replayed.append(contents)
            if fails:
                raise NotFoundError("test", "undone")
            return str(found["R-1"])

        return work

    missing: Work = lambda conn: get_application(conn, OFFICER, "G-NONE")  # noqa: E731
    # two failures first, so the replaying unit runs in a savepoint; another unit succeeds, so the group commits
    results = run_together(engine, [missing, missing, replaying("undone", fails=True), creating("G-U")])
    assert [type(result) for result in results] == [NotFoundError, NotFoundError, NotFoundError, str]
    assert run_together(engine, [replaying("committed", fails=False)]) == ["committed"]
    assert run_together(engine, [replaying("read again", fails=False)]) == ["committed"]  # kept once committed
