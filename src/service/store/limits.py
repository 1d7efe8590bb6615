"""Limits on abuse, counted in the database so that every worker shares them: fixed windows per key.

A key is what is counted (`kind`) and for whom (an account, a token's user, a client address), kept only as a
SHA-256 hash: the table holds no address and no name. A counter over its limit refuses with `RateLimitedError`
(HTTP 429 with `Retry-After`, the seconds until its window ends).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from bibob.exceptions import BibobError
from service.store.rows import kept
from service.store.tables import rate_counters

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
KEEP = dt.timedelta(days=2)  # counters older than the longest window (a day) are purged after this


@attrs.frozen
class Limit:
    """At most `count` in each `window` (0: no limit)."""

    count: int
    window: dt.timedelta


class RateLimitedError(BibobError):
    """Too many requests of one kind in the current window (HTTP 429): wait `retry_after` seconds."""

    def __init__(self, kind: str, retry_after: int, detail: str) -> None:
        self.kind = kind
        self.retry_after = retry_after
        self.detail = detail
        super().__init__(detail)


# what each kind of limit says when it refuses, in Dutch (never the address or the name)
DETAILS = {
    "signInAccount": "Te veel mislukte aanmeldpogingen voor deze gebruikersnaam; aanmelden is tijdelijk geblokkeerd.",
    "signInAddress": "Te veel mislukte aanmeldpogingen vanaf dit adres; aanmelden is tijdelijk geblokkeerd.",
    "tokenAddress": "Te veel verzoeken met een onbekend of ongeldig token vanaf dit adres; tijdelijk geblokkeerd.",
    "writeUser": "Te veel wijzigingen in korte tijd door deze gebruiker.",
    "writeAddress": "Te veel wijzigingen in korte tijd vanaf dit adres.",
    "assessment": "Te veel beoordelingen in korte tijd door deze gebruiker.",
    "signalIntake": "Het quotum voor meldingen van deze ketenpartner is voor vandaag bereikt.",
    "mfa": "Te veel onjuiste codes. De tweede stap is tijdelijk geblokkeerd.",
}


def key(kind: str, subject: str) -> str:
    """The stored key of `kind` counted for `subject` (a hash: the subject itself is never stored)."""
    return hashlib.sha256(f"{kind}\x00{subject}".encode()).hexdigest()


def window_start(limit: Limit, now: dt.datetime) -> dt.datetime:
    """The start of the fixed window `now` falls in (windows are aligned to a fixed epoch)."""
    step = limit.window.total_seconds()
    return _EPOCH + dt.timedelta(seconds=math.floor((now - _EPOCH).total_seconds() / step) * step)


def retry_after(limit: Limit, now: dt.datetime) -> int:
    """Whole seconds until the current window ends (at least 1)."""
    return max(1, math.ceil((window_start(limit, now) + limit.window - now).total_seconds()))


def refused(kind: str, limit: Limit, now: dt.datetime) -> RateLimitedError:
    """The error of `kind` over `limit` at `now`."""
    return RateLimitedError(kind, retry_after(limit, now), DETAILS.get(kind, "Te veel verzoeken."))


def count(conn: Connection, kind: str, subject: str, limit: Limit, now: dt.datetime) -> int:
    """Add one to the counter of `kind` for `subject` in the current window; returns the new count."""
    values = {"key0": key(kind, subject), "start0": window_start(limit, now)}
    return int(conn.execute(_upsert(conn, 1), values).one()[1])


def current(conn: Connection, kind: str, subject: str, limit: Limit, now: dt.datetime) -> int:
    """The count of `kind` for `subject` in the current window (0 in a new window)."""
    row = conn.execute(
        sa.select(rate_counters.c.count).where(
            rate_counters.c.key == key(kind, subject), rate_counters.c.window_start == window_start(limit, now)
        )
    ).first()
    return int(row[0]) if row else 0


def hit(conn: Connection, kind: str, subject: str, limit: Limit, now: dt.datetime) -> None:
    """Count one request of `kind`; refuse it (`RateLimitedError`) when it is over the limit.

    Raised inside the caller's unit of work, the refusal rolls the unit back (the count too): nothing is written.
    """
    if limit.count and count(conn, kind, subject, limit, now) > limit.count:
        raise refused(kind, limit, now)


def hit_all(conn: Connection, hits: Sequence[tuple[str, str, Limit]], now: dt.datetime) -> None:
    """`hit` for each (kind, subject, limit), counted in one statement; the first over its limit refuses.

    The kinds must differ (each counter is counted once). Limits of count 0 are not counted, as with `hit`.
    """
    counted = [(kind, subject, limit) for kind, subject, limit in hits if limit.count]
    if not counted:
        return
    key_of = {key(kind, subject): (kind, limit) for kind, subject, limit in counted}
    statement = _upsert(conn, len(counted))
    values: dict[str, object] = {}
    for number, (kind, subject, limit) in enumerate(counted):
        values[f"key{number}"], values[f"start{number}"] = key(kind, subject), window_start(limit, now)
    found: dict[str, int] = {str(row[0]): int(row[1]) for row in conn.execute(statement, values)}
    for counter, (kind, limit) in key_of.items():
        if found[counter] > limit.count:
            raise refused(kind, limit, now)


def _upsert(conn: Connection, number: int) -> sa.Insert:
    """INSERT `number` counters at 1, or add one to each in the same window (a new window starts again at 1);
    returns (key, count) per counter. Built once per dialect and number (`kept`): building it costs more than
    running it."""
    return kept(("rateCounters", conn.dialect.name, str(number)), lambda: _build_upsert(conn.dialect.name, number))


def _build_upsert(dialect: str, number: int) -> sa.Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    start_type = rate_counters.c.window_start.type
    rows = [
        {"key": sa.bindparam(f"key{n}"), "window_start": sa.bindparam(f"start{n}", type_=start_type), "count": 1}
        for n in range(number)
    ]
    upsert = insert(rate_counters).values(rows)
    new_start = upsert.excluded.window_start
    return upsert.on_conflict_do_update(
        index_elements=[rate_counters.c.key],
        set_={"count": sa.case((rate_counters.c.window_start == new_start, rate_counters.c.count + 1), else_=1),
              "window_start": new_start},
    ).returning(rate_counters.c.key, rate_counters.c.count)  # fmt: skip


def check(conn: Connection, kind: str, subject: str, limit: Limit, now: dt.datetime) -> None:
    """Refuse (`RateLimitedError`) when `kind` for `subject` has reached its limit already; counts nothing."""
    if limit.count and current(conn, kind, subject, limit, now) >= limit.count:
        raise refused(kind, limit, now)


def clear(conn: Connection, kind: str, subject: str) -> None:
    """Forget the count of `kind` for `subject` (an account's failures after it signed in)."""
    conn.execute(rate_counters.delete().where(rate_counters.c.key == key(kind, subject)))


def purge(conn: Connection, now: dt.datetime) -> int:
    """Delete counters whose window started more than `KEEP` ago; returns how many."""
    return conn.execute(rate_counters.delete().where(rate_counters.c.window_start < now - KEEP)).rowcount


_MINUTE, _DAY = dt.timedelta(minutes=1), dt.timedelta(days=1)
_LOCKOUT = dt.timedelta(minutes=15)


@attrs.frozen
class RateLimits:
    """The limits the service applies (settings `BIBOB_*`, see the README); a count of 0 switches one off."""

    sign_in_account: Limit = Limit(10, _LOCKOUT)  # failed sign-ins (password or code) per account name: lockout
    sign_in_address: Limit = Limit(50, _LOCKOUT)  # failed sign-ins, and unknown tokens, per client address
    write_user: Limit = Limit(600, _MINUTE)  # changes per user (a token's or a session's)
    write_address: Limit = Limit(3000, _MINUTE)  # changes per client address
    assessment: Limit = Limit(60, _MINUTE)  # assessments per user (each may consult the registers)
    signal_intake: Limit = Limit(1000, _DAY)  # signals per intake partner per day
