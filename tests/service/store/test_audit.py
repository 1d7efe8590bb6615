"""The hash-chained audit log: append-only, one chain under concurrent writers, and tampering detected."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError
from service.store import audit
from service.store.audit import ChainHead, chain_head, chain_key, row_hash, verify_chain
from service.store.tables import audit_log
from tests.service.store.conftest import ADVISOR, EVERYONE, OFFICER
from tests.service.store.helpers import allow_tampering, audit_count

ROWS = 8


@pytest.fixture
def chain(engine: Engine) -> Engine:
    """A log of ROWS rows, each object `obj-<seq>`, written by several principals."""
    with engine.begin() as conn:
        for seq in range(1, ROWS + 1):
            audit.append(conn, EVERYONE[seq % len(EVERYONE)], "application.read", "application", f"obj-{seq}")
    return engine


def _row(conn: Connection, seq: int) -> dict[str, object]:
    return dict(conn.execute(sa.select(audit_log).where(audit_log.c.seq == seq)).mappings().one())


def _tampered(engine: Engine, tamper: Callable[[Connection], None]) -> audit.VerifyResult:
    with engine.begin() as conn:
        allow_tampering(conn)
        tamper(conn)
    with engine.connect() as conn:
        return verify_chain(conn)


def _move(conn: Connection, old: int, new: int) -> None:
    conn.execute(sa.update(audit_log).where(audit_log.c.seq == old).values(seq=new))


def test_an_untouched_chain_verifies(chain: Engine) -> None:
    with chain.connect() as conn:
        assert verify_chain(conn) == audit.VerifyResult(ok=True, checked=ROWS)
        assert verify_chain(conn, anchor=chain_head(conn)).ok


def test_an_empty_log_verifies(engine: Engine) -> None:
    with engine.connect() as conn:
        assert verify_chain(conn) == audit.VerifyResult(ok=True, checked=0)


def test_the_database_refuses_to_update_or_delete_audit_rows(chain: Engine) -> None:
    for statement in (sa.update(audit_log).values(user="someone-else"), sa.delete(audit_log)):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), chain.begin() as conn:
            conn.execute(statement)
    with chain.connect() as conn:
        assert audit_count(conn) == ROWS and verify_chain(conn).ok


@pytest.mark.parametrize("field", ["user", "action", "object_id", "reason", "role"])
def test_a_changed_row_is_reported_as_the_first_broken_link(chain: Engine, field: str) -> None:
    result = _tampered(
        chain, lambda conn: conn.execute(sa.update(audit_log).where(audit_log.c.seq == 5).values({field: "x"}))
    )
    assert (result.ok, result.first_broken_seq, result.code) == (False, 5, "hashMismatch")
    assert result.message == "Auditregel 5 is gewijzigd (hash klopt niet)."


def test_a_changed_row_with_a_hash_recomputed_without_the_key_is_reported_as_changed(chain: Engine) -> None:
    def forge(conn: Connection) -> None:
        row = _row(conn, 3) | {"object_id": "other-dossier"}
        unkeyed = row_hash(row, None)  # what anyone with only the database can compute
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == 3).values(object_id="other-dossier", hash=unkeyed))

    result = _tampered(chain, forge)
    assert (result.first_broken_seq, result.code) == (3, "hashMismatch")


def test_a_changed_row_with_a_hash_recomputed_even_with_the_key_breaks_the_next_link(chain: Engine) -> None:
    def forge(conn: Connection) -> None:
        row = _row(conn, 3) | {"object_id": "other-dossier"}
        keyed = row_hash(row, chain_key(conn))
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == 3).values(object_id="other-dossier", hash=keyed))

    result = _tampered(chain, forge)
    assert (result.first_broken_seq, result.code) == (4, "prevHashMismatch")


def test_a_deleted_row_is_reported(chain: Engine) -> None:
    result = _tampered(chain, lambda conn: conn.execute(sa.delete(audit_log).where(audit_log.c.seq == 4)))
    assert (result.ok, result.first_broken_seq, result.code, result.checked) == (False, 4, "missingRow", 3)


def test_reordered_rows_are_reported(chain: Engine) -> None:
    def swap(conn: Connection) -> None:
        _move(conn, 3, -3)
        _move(conn, 4, 3)
        _move(conn, -3, 4)

    result = _tampered(chain, swap)
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_an_inserted_row_is_reported_even_with_a_valid_hash_of_its_own(chain: Engine) -> None:
    def insert(conn: Connection) -> None:
        for seq in range(ROWS, 4, -1):
            _move(conn, seq, seq + 1)
        row = _row(conn, 4) | {"seq": 5, "object_id": "planted", "prev_hash": _row(conn, 4)["hash"]}
        conn.execute(sa.insert(audit_log).values(row | {"hash": row_hash(row, chain_key(conn))}))

    result = _tampered(chain, insert)
    assert (result.ok, result.first_broken_seq, result.code) == (False, 6, "prevHashMismatch")


def test_an_appended_row_with_a_wrong_hash_is_reported(chain: Engine) -> None:
    def append(conn: Connection) -> None:
        conn.execute(sa.insert(audit_log).values(_row(conn, ROWS) | {"seq": ROWS + 1, "hash": "f" * 64}))

    result = _tampered(chain, append)
    assert (result.ok, result.first_broken_seq) == (False, ROWS + 1)


def test_a_truncated_tail_is_reported_against_an_exported_anchor(chain: Engine) -> None:
    with chain.connect() as conn:
        anchor = chain_head(conn)
    _tampered(chain, lambda conn: conn.execute(sa.delete(audit_log).where(audit_log.c.seq > ROWS - 2)))
    with chain.connect() as conn:
        result = verify_chain(conn, anchor=anchor)
    assert (result.ok, result.first_broken_seq, result.code) == (False, ROWS - 1, "truncated")


def test_a_chain_rebuilt_from_scratch_is_reported_against_an_exported_anchor(chain: Engine) -> None:
    with chain.connect() as conn:
        anchor = chain_head(conn)
    with chain.connect() as conn:
        result = verify_chain(conn, anchor=ChainHead(anchor.seq, "e" * 64))
    assert (result.ok, result.first_broken_seq, result.code) == (False, ROWS, "anchorMismatch")


def test_an_overlong_reason_is_refused(conn: Connection) -> None:
    with pytest.raises(InvalidInputError, match="X-Audit-Reason"):
        audit.append(conn, OFFICER, "application.read", "application", "a", reason="x" * 501)


@pytest.mark.slow
def test_concurrent_writers_extend_one_chain_without_forks_or_gaps(engine: Engine) -> None:
    writers, each, failures = 6, 20, []

    def write(number: int) -> None:
        try:
            for index in range(each):
                with engine.begin() as conn:
                    audit.append(conn, ADVISOR, "signal.read", "signal", f"w{number}-{index}")
        except Exception as error:
            failures.append(repr(error))

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engine.connect() as conn:
        assert verify_chain(conn) == audit.VerifyResult(ok=True, checked=writers * each)
