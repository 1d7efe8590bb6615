"""External work kept in the database: requested, retried with backoff, resumed from what was made."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Connection

from service.store.common import utcnow
from service.store.jobs import BACKOFF, due_jobs, fail_job, finish_job, job, request_job

KIND = "zgwMirror"


def test_a_requested_job_is_due_at_once(conn: Connection) -> None:
    request_job(conn, KIND, "case-1")
    assert [j.object_id for j in due_jobs(conn, KIND)] == ["case-1"]


def test_a_failed_attempt_keeps_what_was_made_and_waits_before_the_next(conn: Connection) -> None:
    request_job(conn, KIND, "case-1")
    failed = fail_job(conn, KIND, "case-1", {"zaak": "https://zaken/1"}, "zaaksysteem antwoordt niet (HTTP 503)")
    assert failed.attempts == 1
    assert failed.state == {"zaak": "https://zaken/1"}
    assert failed.next_attempt_at > utcnow() + BACKOFF[0] / 2
    assert due_jobs(conn, KIND) == ()


def test_requesting_again_resumes_from_the_state_already_made(conn: Connection) -> None:
    request_job(conn, KIND, "case-1")
    fail_job(conn, KIND, "case-1", {"zaak": "https://zaken/1"}, "time-out")
    again = request_job(conn, KIND, "case-1")
    assert again.state == {"zaak": "https://zaken/1"}
    assert [j.object_id for j in due_jobs(conn, KIND)] == ["case-1"]


def test_a_finished_job_is_no_longer_due(conn: Connection) -> None:
    request_job(conn, KIND, "case-1")
    finish_job(conn, KIND, "case-1", {"zaak": "https://zaken/1"})
    assert job(conn, KIND, "case-1").status == "done"
    assert due_jobs(conn, KIND) == ()


def test_an_unknown_job_is_a_lookup_error(conn: Connection) -> None:
    with pytest.raises(LookupError):
        job(conn, KIND, "bestaat-niet")
