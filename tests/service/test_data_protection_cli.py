"""The data-protection commands: `bibob audit verify`, `bibob retention run/hold/release`, key rotation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.cli import main
from service.store import audit
from service.store.engine import create_engine_for
from service.store.tables import audit_log
from tests.service.store.helpers import allow_tampering


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("BIBOB_DATABASE_URL", url)
    monkeypatch.delenv("BIBOB_KEY_FILE", raising=False)
    monkeypatch.delenv("BIBOB_KEYS", raising=False)
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def test_migrate_makes_the_key_file_once_and_says_where(database: str, tmp_path: Path) -> None:
    status, said = _run("migrate")
    assert status == 0 and f"Sleutelbestand gemaakt: {tmp_path / 'cli.sqlite3'}.keys.json" in said
    status, said = _run("migrate")
    assert status == 0 and "Sleutelbestand" not in said


def test_audit_verify_says_intact_then_exits_1_on_a_changed_row(database: str) -> None:
    _run("migrate")
    engine = create_engine_for(database)
    with engine.begin() as conn:
        audit.append_system(conn, "test.row", "test", ["a", "b", "c"], "")
    status, said = _run("audit", "verify", "--checkpoint")
    assert (status, said.splitlines()[0]) == (
        0,
        "Het auditlogboek is intact: 3 regels, gecontroleerd vanaf het laatste controlepunt.",
    )
    with engine.begin() as conn:
        allow_tampering(conn)
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == 2).values(reason="anders"))
    engine.dispose()
    status, said = _run("audit", "verify", "--full")
    assert status == 1 and "Auditregel 2 is gewijzigd" in said


def test_retention_run_reports_counts_and_refuses_a_moved_clock_without_dry_run(database: str) -> None:
    _run("migrate")
    status, said = _run("retention", "run")
    assert status == 0 and said.startswith("Vernietigd: 0 signalen, 0 Bibob-dossiers, 0 casussen")
    status, said = _run("retention", "run", "--now", "2040-01-01T00:00")
    assert status == 2 and "--dry-run" in said
    status, said = _run("retention", "run", "--dry-run", "--now", "2040-01-01T00:00")
    assert status == 0 and said.startswith("Zou vernietigen:")


def test_a_hold_on_an_unknown_dossier_or_without_reason_is_refused(database: str) -> None:
    _run("migrate")
    status, said = _run("retention", "hold", "application", "bestaat-niet", "--reason", "beroep")
    assert status == 2 and "geen dossier met dit kenmerk" in said
    status, said = _run("retention", "release", "case", "bestaat-niet", "--reason", "   ")
    assert status == 2 and "reden" in said


def test_keys_rotate_makes_a_new_current_key_and_refuses_a_batch_of_zero(database: str, tmp_path: Path) -> None:
    _run("migrate")
    before = json.loads((tmp_path / "cli.sqlite3.keys.json").read_text())
    assert _run("keys", "rotate", "--batch", "0")[0] == 2
    status, said = _run("keys", "rotate")
    after = json.loads((tmp_path / "cli.sqlite3.keys.json").read_text())
    assert status == 0 and f"Nieuwe datasleutel {after['current']}" in said
    assert after["current"] != before["current"] and set(before["data"]) < set(after["data"])
    assert oct((tmp_path / "cli.sqlite3.keys.json").stat().st_mode & 0o777) == "0o600"
