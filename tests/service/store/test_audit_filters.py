"""Filtering and exporting the audit log in the store, on both databases: each filter narrows, a view is fixed at
its chain head, reading and exporting append their own rows, an export too large is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import NotFoundError
from service.auth import Principal, Role
from service.store import audit
from service.store.audit import DENIED, AuditFilter, export_log, read_log
from service.store.tables import audit_log
from tests.service.store.conftest import ADVISOR, OFFICER

PRIVACY = Principal("privacyOfficer-1", Role.PRIVACY_OFFICER)


def _seed(conn: Connection) -> None:
    audit.append(conn, ADVISOR, "case.create", "case", "c-1")
    audit.append(conn, OFFICER, DENIED, "case", "c-1", "even kijken")
    audit.append(conn, ADVISOR, "case.read", "case", "c-1")
    audit.append(conn, OFFICER, "application.read", "application", "a-1")


def _actions(conn: Connection, wanted: AuditFilter) -> list[str]:
    entries, count, _ = read_log(conn, PRIVACY, wanted, limit=100)
    assert count == len(entries)
    return [entry.action for entry in entries]


def test_each_filter_narrows_the_view(conn: Connection) -> None:
    _seed(conn)
    assert _actions(conn, AuditFilter(object_type="case", object_id="c-1")) == ["case.create", DENIED, "case.read"]
    assert _actions(conn, AuditFilter(denied=True)) == [DENIED]
    assert _actions(conn, AuditFilter(role="permitOfficer", action="application.read")) == ["application.read"]
    assert _actions(conn, AuditFilter(user=ADVISOR.user, object_type="application")) == []
    future = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
    assert _actions(conn, AuditFilter(since=future)) == []
    assert len(_actions(conn, AuditFilter(until=future, object_type="case"))) == 3


def test_a_view_fixed_at_its_head_leaves_out_later_rows_and_its_own_reading(conn: Connection) -> None:
    _seed(conn)
    _, _, head = read_log(conn, PRIVACY, AuditFilter(), limit=100)
    audit.append(conn, ADVISOR, "case.read", "case", "c-1")
    fixed = export_log(conn, PRIVACY, AuditFilter(up_to_seq=head))
    assert fixed is not None and [entry.seq for entry in fixed] == list(range(1, head + 1))
    actions = list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
    assert actions[-3:] == [audit.READ, "case.read", audit.EXPORT]


def test_an_export_larger_than_the_limit_is_refused_and_not_logged_as_made(
    conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(conn)
    monkeypatch.setattr(audit, "MAX_EXPORT", 2)
    assert export_log(conn, PRIVACY, AuditFilter()) is None
    assert export_log(conn, PRIVACY, AuditFilter(denied=True)) is not None
    actions = list(conn.execute(sa.select(audit_log.c.action)).scalars())
    assert actions.count(audit.EXPORT) == 1


def test_only_the_privacy_officer_reads_or_exports(conn: Connection) -> None:
    for principal in (ADVISOR, OFFICER):
        with pytest.raises(NotFoundError):
            read_log(conn, principal, AuditFilter())
        with pytest.raises(NotFoundError):
            export_log(conn, principal, AuditFilter())


def test_the_rows_after_a_seq_come_with_their_links_and_their_pull_writes_no_row(conn: Connection) -> None:
    _seed(conn)
    after = audit.entries_after(conn, 1, limit=2)
    assert [(entry.seq, entry.action) for entry in after] == [(2, DENIED), (3, "case.read")]
    links = dict(conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash)).tuples().all())
    assert [entry.hash for entry in after] == [links[2], links[3]] and after[1].prev_hash == links[2]
    assert after[0].at.tzinfo is not None
    assert audit.entries_after(conn, 4) == ()  # the pull itself added nothing
