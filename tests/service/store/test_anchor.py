"""The anchored audit chain: keyed hashes, signed checkpoints outside the database, incremental checks in batches,
a corrupt row named by its position, and the start-up check of the blocking triggers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from service.store import audit
from service.store.anchor import (
    Checkpoint,
    GuardMissingError,
    Verifier,
    append_checkpoint,
    check_guards,
    checkpoint_file_for,
    is_signed,
    read_checkpoints,
    sign,
)
from service.store.audit import GENESIS, ChainHead, chain_key, checkpoint_key, row_hash
from service.store.engine import create_engine_for
from service.store.keys import keyring_for
from service.store.migrate import migrate
from service.store.tables import audit_log
from tests.service.store.conftest import EVERYONE, OFFICER
from tests.service.store.helpers import allow_tampering

ROWS = 12
ANCHORED = 10  # the checkpoint is taken after this many rows; the rest come after it


@pytest.fixture
def verifier(engine: Engine, tmp_path: Path) -> Iterator[Verifier]:
    """A chain of ROWS rows with a signed checkpoint after ANCHORED of them, and a verifier reading in small batches."""
    reader = create_engine_for(engine.url, reader=True)
    checking = Verifier(reader, tmp_path / "checkpoints.jsonl", batch=3)
    _append(engine, 1, ANCHORED)
    assert checking.checkpoint().ok
    _append(engine, ANCHORED + 1, ROWS)
    yield checking
    reader.dispose()


def _append(engine: Engine, first: int, last: int) -> None:
    with engine.begin() as conn:
        for seq in range(first, last + 1):
            audit.append(conn, EVERYONE[seq % len(EVERYONE)], "application.read", "application", f"obj-{seq}")


def _rows(conn: Connection) -> list[dict[str, object]]:
    return [dict(row) for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).mappings()]


def _move(conn: Connection, old: int, new: int) -> None:
    conn.execute(sa.update(audit_log).where(audit_log.c.seq == old).values(seq=new))


def _change(conn: Connection) -> None:
    conn.execute(sa.update(audit_log).where(audit_log.c.seq == 3).values(object_id="other-dossier"))


def _delete(conn: Connection) -> None:
    conn.execute(sa.delete(audit_log).where(audit_log.c.seq == 4))


def _swap(conn: Connection) -> None:
    _move(conn, 3, -3)
    _move(conn, 4, 3)
    _move(conn, -3, 4)


def _rewrite(conn: Connection) -> None:
    """Change row 3 and recompute every hash after it, as anyone with the database (but not the key) can."""
    rows = _rows(conn)
    previous = rows[1]["hash"]
    for row in rows[2:]:
        changed = row | {"prev_hash": previous} | ({"object_id": "other-dossier"} if row["seq"] == 3 else {})
        changed["hash"] = previous = row_hash(changed, None)
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == row["seq"]).values(changed))


def _forge_appended(conn: Connection) -> None:
    last = _rows(conn)[-1]
    row = last | {"seq": ROWS + 1, "object_id": "planted", "prev_hash": last["hash"]}
    conn.execute(sa.insert(audit_log).values(row | {"hash": row_hash(row, None)}))


def _truncate(conn: Connection) -> None:
    conn.execute(sa.delete(audit_log).where(audit_log.c.seq > ANCHORED - 3))


TAMPERINGS: dict[str, tuple[Callable[[Connection], None], int, str]] = {
    "changed": (_change, 3, "hashMismatch"),
    "deleted": (_delete, 4, "missingRow"),
    "swapped": (_swap, 3, "prevHashMismatch"),
    "rewritten with recomputed hashes": (_rewrite, 3, "hashMismatch"),
    "forged appended row": (_forge_appended, ROWS + 1, "hashMismatch"),
    "truncated": (_truncate, ANCHORED - 2, "truncated"),
}


def test_an_untouched_anchored_chain_verifies_incrementally_and_in_full(verifier: Verifier) -> None:
    assert verifier.verify() == audit.VerifyResult(ok=True, checked=ROWS)
    assert verifier.verify(full=True) == audit.VerifyResult(ok=True, checked=ROWS)


def test_each_of_six_kinds_of_tampering_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On SQLite files (PostgreSQL: `test_tampering_on_postgresql_is_caught_too` and the single-kind tests)."""
    caught = []
    for number, (kind, (tamper, seq, code)) in enumerate(TAMPERINGS.items()):
        url = f"sqlite:///{tmp_path / f'tamper-{number}.db'}"
        migrate(url)
        fresh = create_engine_for(url)
        reader = create_engine_for(url, reader=True)
        checking = Verifier(reader, tmp_path / f"tamper-{number}.jsonl", batch=4)
        _append(fresh, 1, ANCHORED)
        assert checking.checkpoint().ok
        _append(fresh, ANCHORED + 1, ROWS)
        with fresh.begin() as conn:
            allow_tampering(conn)
            tamper(conn)
        full, incremental = checking.verify(full=True), checking.verify()
        fresh.dispose()
        reader.dispose()
        assert (full.ok, full.first_broken_seq, full.code) == (False, seq, code), kind
        # the periodic check reads only what came after the last checkpoint and holds that checkpoint's row: a row
        # changed, deleted or swapped before it keeps the checkpoint's hash, so only the full check finds it
        assert incremental.ok == (kind in ("changed", "deleted", "swapped")), kind
        caught.append(kind)
        with capsys.disabled():
            print(f"\n  tampering '{kind}': caught ({full.code} at row {full.first_broken_seq}: {full.message})")
    assert caught == list(TAMPERINGS)


def test_tampering_on_postgresql_is_caught_too(verifier: Verifier) -> None:
    with verifier.engine.begin() as conn:
        allow_tampering(conn)
        _rewrite(conn)
    result = verifier.verify(full=True)
    assert (result.ok, result.first_broken_seq, result.code) == (False, 3, "hashMismatch")


def test_a_truncated_log_is_caught_by_the_incremental_check_from_the_last_checkpoint(verifier: Verifier) -> None:
    with verifier.engine.begin() as conn:
        allow_tampering(conn)
        _truncate(conn)
    result = verifier.verify()
    assert (result.ok, result.code) == (False, "truncated")


def test_a_row_with_a_corrupt_timestamp_is_reported_with_its_position(verifier: Verifier) -> None:
    if verifier.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses a timestamp that is not one")
    with verifier.engine.begin() as conn:
        allow_tampering(conn)
        conn.execute(sa.text("UPDATE audit_log SET at = 'gisteren ergens' WHERE seq = 5"))
    result = verifier.verify(full=True)
    assert (result.ok, result.first_broken_seq, result.code) == (False, 5, "corruptRow")
    assert result.message == "Auditregel 5 is beschadigd (tijdstip of veld onleesbaar)."


def test_a_forged_checkpoint_line_is_reported(verifier: Verifier) -> None:
    assert verifier.checkpoints is not None
    forged = Checkpoint(ROWS, "a" * 64, ROWS, "2026-12-01T00:00:00+00:00", sig="b" * 64)
    append_checkpoint(verifier.checkpoints, forged)
    result = verifier.verify()
    assert (result.ok, result.code) == (False, "checkpointForged")


def test_a_checkpoint_is_signed_and_appended_only_when_the_chain_grew(verifier: Verifier) -> None:
    assert verifier.checkpoints is not None
    with verifier.engine.connect() as conn:
        key = checkpoint_key(keyring_for(conn).audit)
    assert [c.seq for c in read_checkpoints(verifier.checkpoints, key).valid] == [ANCHORED]
    verifier.checkpoint(dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    verifier.checkpoint()
    stored = read_checkpoints(verifier.checkpoints, key)
    assert [c.seq for c in stored.valid] == [ANCHORED, ROWS] and stored.forged == ()
    assert stored.valid[-1].at == "2026-12-03T00:00:00+00:00"
    assert oct(verifier.checkpoints.stat().st_mode & 0o777) == "0o600"
    assert not read_checkpoints(verifier.checkpoints, b"another key" * 3).valid  # signed with our key only


def test_a_signature_covers_every_field_of_a_checkpoint() -> None:
    key = b"k" * 32
    signed = sign(Checkpoint(5, "c" * 64, 5, "2026-12-03T00:00:00+00:00"), key)
    for changed in ({"seq": 6}, {"hash": "d" * 64}, {"count": 4}, {"at": "2026-12-04T00:00:00+00:00"}):
        other = Checkpoint(
            **{**{"seq": 5, "hash": "c" * 64, "count": 5, "at": signed.at, "sig": signed.sig}, **changed}
        )
        assert other.sig == signed.sig

        assert not is_signed(other, key)


def test_the_start_up_check_names_a_dropped_blocking_trigger(engine: Engine) -> None:
    with engine.begin() as conn:
        check_guards(conn)  # all present after migrating
        allow_tampering(conn)
        with pytest.raises(GuardMissingError, match="audit_log_no_"):
            check_guards(conn)


def test_rows_hashed_without_the_key_do_not_verify(engine: Engine) -> None:
    with engine.begin() as conn:
        audit.append(conn, OFFICER, "application.read", "application", "a")
        row = _rows(conn)[0]
        assert row["hash"] == row_hash(row, chain_key(conn)) != row_hash(row, None)


def test_a_log_from_before_the_keyed_epoch_stays_verifiable_and_its_rewriting_is_caught(db_url: str) -> None:
    migrate(db_url, "0009")
    engine = create_engine_for(db_url)
    with engine.begin() as conn:  # rows as the service wrote them before 0010: plain sha256 links
        previous = ChainHead(0, GENESIS)
        at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        for seq in range(1, 6):
            row = {"seq": seq, "at": at, "user": "u", "role": "permitOfficer", "action": "application.read"}
            row |= {"object_type": "application", "object_id": f"o{seq}", "reason": "", "prev_hash": previous.hash}
            previous = ChainHead(seq, row_hash(row, None))
            conn.execute(audit_log.insert().values(row | {"hash": previous.hash}))
    migrate(db_url)
    with engine.begin() as conn:
        assert audit.keyed_from(conn) == 6
        assert audit.verify_chain(conn) == audit.VerifyResult(ok=True, checked=6)
        audit.append(conn, OFFICER, "application.read", "application", "after")
        assert audit.verify_chain(conn).ok
        allow_tampering(conn)
        _rewrite(conn)  # recomputes the plain hashes of the old rows (and the rest without the key)
        result = audit.verify_chain(conn)
    engine.dispose()
    assert (result.ok, result.first_broken_seq) == (False, 6)


def test_the_checkpoint_file_is_beside_the_sqlite_file_unless_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert checkpoint_file_for(url, {}) == Path(f"{tmp_path / 'b.db'}.audit-checkpoints.jsonl")
    assert checkpoint_file_for(url, {"BIBOB_AUDIT_CHECKPOINT_FILE": "/x/c.jsonl"}) == Path("/x/c.jsonl")
    assert checkpoint_file_for("postgresql+psycopg://h/db", {}) is None
