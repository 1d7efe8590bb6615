"""The counters of `service.store.limits` on both databases: one statement counting several, as `hit` one by one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Connection

from service.store import limits
from service.store.limits import Limit, RateLimitedError

NOW = dt.datetime(2026, 12, 3, 12, 0, 30, tzinfo=dt.UTC)
MINUTE, DAY = dt.timedelta(minutes=1), dt.timedelta(days=1)


def test_hit_all_counts_each_counter_once_in_its_own_window(conn: Connection) -> None:
    hits = [("writeUser", "u1", Limit(5, MINUTE)), ("signalIntake", "u1", Limit(5, DAY))]
    limits.hit_all(conn, hits, NOW)
    limits.hit_all(conn, hits, NOW)
    assert limits.current(conn, "writeUser", "u1", Limit(5, MINUTE), NOW) == 2
    assert limits.current(conn, "signalIntake", "u1", Limit(5, DAY), NOW) == 2
    later = NOW + MINUTE  # a new minute: the per-minute counter starts again, the daily one goes on
    limits.hit_all(conn, hits, later)
    assert limits.current(conn, "writeUser", "u1", Limit(5, MINUTE), later) == 1
    assert limits.current(conn, "signalIntake", "u1", Limit(5, DAY), later) == 3


def test_hit_all_refuses_with_the_first_counter_over_its_limit_as_hit_would(conn: Connection) -> None:
    hits = [("writeUser", "u2", Limit(3, MINUTE)), ("writeAddress", "10.0.0.1", Limit(1, MINUTE))]
    limits.hit_all(conn, hits, NOW)
    with pytest.raises(RateLimitedError) as refused:
        limits.hit_all(conn, hits, NOW)
    assert refused.value.kind == "writeAddress" and refused.value.retry_after == 30


def test_hit_all_counts_nothing_for_a_limit_switched_off(conn: Connection) -> None:
    limits.hit_all(conn, [("writeUser", "u3", Limit(0, MINUTE))], NOW)
    limits.hit_all(conn, [], NOW)
    assert limits.current(conn, "writeUser", "u3", Limit(5, MINUTE), NOW) == 0


def test_count_adds_one_per_call_and_starts_again_in_a_new_window(conn: Connection) -> None:
    limit = Limit(10, MINUTE)
    assert [limits.count(conn, "assessment", "u4", limit, NOW) for _ in range(3)] == [1, 2, 3]
    assert limits.count(conn, "assessment", "u4", limit, NOW + MINUTE) == 1
