"""Group commit: the store work of concurrent requests shares one transaction and one durable commit.

Every read of a dossier writes an audit row that must be durable before the data leaves (R-LOG-2), so each
request needs a commit, and a commit waits for the disk. One `GroupCommit` per process queues the requests' units
of work, runs all that are waiting in one transaction and commits them together. A unit that raises is undone
alone: the group runs again without it (savepoints, a round trip each on PostgreSQL, are used only when several
units of one group fail). The group's statements and its commit run on a worker thread; meanwhile the event loop
takes in the next requests, which form the next group, so no request's database work blocks the loop. On
PostgreSQL a few groups are in flight at once, each on its own connection (`POSTGRES_GROUPS`). A unit's caller
hears of its result only after the commit that made it durable; when that commit fails, every unit of the group
gets the error.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError

from service.store import audit, replays

T = TypeVar("T")
Unit = tuple[Callable[[Connection], Any], "asyncio.Future[Any]"]
Outcome = tuple["asyncio.Future[Any]", bool, Any]

_SAVEPOINT = "bibob_unit"
MAX_GROUP = 64  # units per transaction: bounds how long one group holds the writer lock
#: Groups in flight at once per process on PostgreSQL, each on its own connection: while one waits for the database
#: (a round trip, its commit), the next runs its statements. SQLite has one writer, so one group at a time there.
POSTGRES_GROUPS = 4


class GroupCommit:
    """Runs units of store work (`Connection -> T`) in shared transactions; see the module's description."""

    def __init__(self, engine: Engine, *, max_group: int = MAX_GROUP, groups: int | None = None) -> None:
        self._engine = engine
        self._max_group = max_group
        self._groups = groups if groups is not None else (1 if engine.dialect.name == "sqlite" else POSTGRES_GROUPS)
        self._waiting: deque[Unit] = deque()
        self._runners: set[asyncio.Task[None]] = set()

    async def run(self, work: Callable[[Connection], T]) -> T:
        """`work(conn)` inside a transaction; its result once committed, or the exception it raised."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((work, future))
        self._runners = {runner for runner in self._runners if not runner.done()}
        if len(self._runners) < self._groups:  # a runner that finds the queue empty when it starts simply ends
            self._runners.add(asyncio.create_task(self._drain()))
        return await future

    async def close(self) -> None:
        """Wait for the work already queued."""
        while self._runners:
            runners, self._runners = self._runners, set()
            await asyncio.shield(asyncio.gather(*runners, return_exceptions=True))

    async def _drain(self) -> None:
        while self._waiting:
            group = [self._waiting.popleft() for _ in range(min(len(self._waiting), self._max_group))]
            try:
                await self._commit_group(group)
            except Exception as error:  # no connection to be had: nothing of this group ran; the next may
                _fail(group, error)
            finally:
                for _, future in group:  # only reached undone when this task itself is cancelled
                    if not future.done():
                        future.cancel()

    async def _commit_group(self, group: list[Unit]) -> None:
        """Run the group on a worker thread (its statements never hold up the event loop), then tell the callers."""
        ran = asyncio.get_running_loop().run_in_executor(None, self._run_group, group)
        cancelled = False
        while not ran.done():  # the connection is the group's until its thread is done
            try:
                await asyncio.shield(ran)
            except asyncio.CancelledError:
                cancelled = True
        for future, ok, value in ran.result():
            if future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        if cancelled:  # told after the callers: what was committed is theirs
            raise asyncio.CancelledError

    def _run_group(self, group: list[Unit]) -> list[Outcome]:
        """One transaction for the group, on the calling (worker) thread; what each unit's caller is to hear.

        The units run without savepoints first: on PostgreSQL each savepoint is a round trip of its own, two per
        unit, as many as a read's own statements. When every unit succeeds, that was all. When one raises, the
        transaction is rolled back, that unit keeps its error (it changed nothing that stays), and the others run
        again in a new transaction; after `RETRIES_WITHOUT_SAVEPOINTS` failures in one group the rest run each in
        its own savepoint, so a group full of failing units costs at most a few extra passes.
        """
        outcomes: list[Outcome] = []
        live, retries = list(group), 0
        with self._engine.connect() as conn:
            try:
                while True:
                    live = [(work, future) for work, future in live if not future.cancelled()]  # left: not promised
                    savepoints = len(outcomes) >= RETRIES_WITHOUT_SAVEPOINTS
                    passed, failed = _pass(conn, live, savepoints=savepoints)
                    if failed is None:
                        return outcomes + passed
                    if _transient(failed[2]) and retries < TRANSIENT_RETRIES:
                        retries += 1  # a deadlock with another worker's group: this unit is not at fault
                        continue
                    outcomes.append(failed)
                    live = [unit for unit in live if unit[1] is not failed[0]]
                    if not live:
                        return outcomes
            except Exception as error:  # begin or commit failed: nothing of this group is durable
                conn.invalidate()  # closing the database connection drops whatever it still holds open
                told = {id(outcome[0]) for outcome in outcomes}
                return outcomes + [(future, False, error) for _, future in group if id(future) not in told]


#: Failing units in one group that each cost a pass without savepoints before the rest run with savepoints.
RETRIES_WITHOUT_SAVEPOINTS = 2
#: Passes a group gets again when PostgreSQL ended it for a deadlock or a serialization failure (several workers).
TRANSIENT_RETRIES = 2
_TRANSIENT_STATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def _transient(error: object) -> bool:
    """Whether a unit failed because its transaction met another one (it may well succeed when run again)."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in _TRANSIENT_STATES


def _pass(conn: Connection, units: list[Unit], *, savepoints: bool) -> tuple[list[Outcome], Outcome | None]:
    """Run `units` in one transaction and commit: (their outcomes, None), or, without `savepoints`, stop at the first
    that raises, roll back, and return ([], its outcome). With savepoints every unit gets its own outcome."""
    outcomes: list[Outcome] = []
    transaction = conn.begin()
    with audit.deferred(conn):  # the group's audit rows are inserted together, before the commit
        for work, future in units:
            ok, value = _attempt(conn, work, savepoint=savepoints)
            if not ok and not savepoints:
                _roll_back(conn, transaction)
                return [], (future, False, value)
            outcomes.append((future, ok, value))
        if any(ok for _, ok, _ in outcomes):
            audit.flush(conn)
    if any(ok for _, ok, _ in outcomes):
        transaction.commit()
    else:
        _roll_back(conn, transaction)
    return outcomes, None


def _fail(group: list[Unit], error: Exception) -> None:
    for _, future in group:
        if not future.done():
            future.set_exception(error)


def _roll_back(conn: Connection, transaction: RootTransaction) -> None:
    """Undo the transaction; if even that fails, the units still get their own errors (and a new connection)."""
    try:
        transaction.rollback()
    except Exception:
        conn.invalidate()


def _attempt(conn: Connection, work: Callable[[Connection], Any], *, savepoint: bool = True) -> tuple[bool, Any]:
    """Run one unit in a savepoint: (True, result), or (False, exception) with its changes undone.

    Without `savepoint` a failed unit's changes are undone by rolling back the whole transaction (`_pass`).
    """
    if not savepoint:
        try:
            return True, work(conn)
        except Exception as error:
            return False, error
    driver = conn.connection.driver_connection  # savepoints in plain SQL on the driver: a fraction of the cost
    assert driver is not None
    driver.execute(f"SAVEPOINT {_SAVEPOINT}")
    before = audit.mark(conn)
    try:
        result = work(conn)
    except Exception as error:
        driver.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        driver.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
        audit.rewind(conn, before)  # the chain head and deferred rows as they were before this unit
        replays.forget(conn)  # it may have replayed its own undone version (the engine sees no savepoint here)
        return False, error
    driver.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
    return True, result
