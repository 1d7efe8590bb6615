"""Work for external systems, kept in the database: local work never waits for them and nothing is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from service.store.common import utcnow
from service.store.tables import external_jobs

ZGW_MIRROR = "zgwMirror"  # mirror a case to the zaaksysteem
ZGW_INTAKE = "zgwIntake"  # register the application a new permit zaak announced (service.zgw_notifications)
ZGW_LETTER = "zgwLetter"  # a letter as a document of its permit zaak (service.letter_documents)
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))


@attrs.frozen
class Job:
    """One piece of external work: its kind, the object it concerns, its progress and its last error."""

    kind: str
    object_id: str
    status: str
    state: dict[str, Any]
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime


def _key(kind: str, object_id: str) -> sa.ColumnElement[bool]:
    return (external_jobs.c.kind == kind) & (external_jobs.c.object_id == object_id)


def request_job(conn: Connection, kind: str, object_id: str, state: dict[str, Any] | None = None) -> Job:
    """Ask for the work to be (re)done soon; keeps what the external system already has (`state`: a new job's)."""
    now = utcnow()
    found = conn.execute(sa.select(external_jobs).where(_key(kind, object_id))).mappings().first()
    if found is None:
        values = {"kind": kind, "object_id": object_id, "state": state or {}, "attempts": 0, "last_error": ""}
        conn.execute(external_jobs.insert().values(**values, status="pending", next_attempt_at=now, updated_at=now))
    else:
        conn.execute(
            external_jobs.update()
            .where(_key(kind, object_id))
            .values(status="pending", next_attempt_at=now, updated_at=now)
        )
    return job(conn, kind, object_id)


def job(conn: Connection, kind: str, object_id: str) -> Job:
    """The job for this object (raises LookupError when there is none)."""
    row = conn.execute(sa.select(external_jobs).where(_key(kind, object_id))).mappings().first()
    if row is None:
        raise LookupError(f"{kind}/{object_id}")
    return _job(row)


def due_jobs(conn: Connection, kind: str, now: dt.datetime | None = None, limit: int = 20) -> tuple[Job, ...]:
    """Pending jobs whose next attempt is due, oldest first."""
    due = (external_jobs.c.kind == kind) & (external_jobs.c.status == "pending")
    due &= external_jobs.c.next_attempt_at <= (now or utcnow())
    query = sa.select(external_jobs).where(due).order_by(external_jobs.c.next_attempt_at).limit(limit)
    return tuple(_job(row) for row in conn.execute(query).mappings())


def finish_job(conn: Connection, kind: str, object_id: str, state: dict[str, Any]) -> None:
    """The external system has everything: keep its state, mark the job done."""
    values = {"status": "done", "state": state, "last_error": "", "updated_at": utcnow()}
    conn.execute(external_jobs.update().where(_key(kind, object_id)).values(**values))


def fail_job(
    conn: Connection, kind: str, object_id: str, state: dict[str, Any], error: str, *, permanent: bool = False
) -> Job:
    """The attempt failed: keep what was made, say why, and schedule the next attempt with backoff.

    `permanent`: the other side refused the request itself, so trying again changes nothing; the job stops as
    `failed` (no next attempt is due) until someone asks for it again (`request_job`).
    """
    current = job(conn, kind, object_id)
    attempts = current.attempts + 1
    delay = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    status = "failed" if permanent else "pending"
    values = {"status": status, "state": state, "attempts": attempts, "last_error": error[:500]}
    values |= {"next_attempt_at": utcnow() + delay, "updated_at": utcnow()}
    conn.execute(external_jobs.update().where(_key(kind, object_id)).values(**values))
    return job(conn, kind, object_id)


def _job(row: RowMapping) -> Job:
    return Job(
        row["kind"], row["object_id"], row["status"], dict(row["state"]), row["attempts"], row["last_error"],
        row["next_attempt_at"],
    )  # fmt: skip
