"""Start-up refuses, with a clear Dutch message, when the keys are missing or wrong or the audit triggers are gone;
the chain check over HTTP reports a corrupt row by its position (200, never 500)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from service import lifespan
from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store import audit
from service.store.anchor import ChainChecks, GuardMissingError
from service.store.engine import create_engine_for
from service.store.keys import KeyringError, forget_cached, new_keyring, to_json
from service.store.migrate import migrate
from service.store.tokens import create_token
from tests.service.conftest import bearer
from tests.service.store.helpers import allow_tampering


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    made = migrate(url)
    assert made == Path(f"{tmp_path / 'bibob.sqlite3'}.keys.json")
    return url


def _start(url: str) -> None:
    with TestClient(create_app(Settings(database_url=url, audit_checkpoint_every=0))) as client:
        assert client.get("/api/v1/health").status_code == 200


def _refusal(url: str) -> BaseException:
    """What stopped the start (the lifespan's error, out of the exception group the test client wraps it in)."""
    try:
        _start(url)
    except BaseException as error:
        while isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
        return error
    raise AssertionError("the service started")


def test_a_migrated_database_starts_with_the_key_file_migrate_made_beside_it(database: str, tmp_path: Path) -> None:
    _start(database)
    key_file = tmp_path / "bibob.sqlite3.keys.json"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "bibob.sqlite3").stat().st_mode & 0o777) == "0o600"


def test_the_service_refuses_to_start_without_its_key_file(database: str, tmp_path: Path) -> None:
    (tmp_path / "bibob.sqlite3.keys.json").unlink()
    forget_cached()
    refusal = _refusal(database)
    assert isinstance(refusal, KeyringError) and re.search("sleutelbestand .* ontbreekt", str(refusal))


def test_the_service_refuses_to_start_with_another_key_file(database: str, tmp_path: Path) -> None:
    key_file = tmp_path / "bibob.sqlite3.keys.json"
    key_file.unlink()
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(descriptor, to_json(new_keyring()).encode())
    os.close(descriptor)
    forget_cached()
    refusal = _refusal(database)
    assert isinstance(refusal, KeyringError) and re.search(
        "niet de sleutel waarmee deze database is beschreven", str(refusal)
    )


def test_the_service_refuses_a_key_file_others_can_read(database: str, tmp_path: Path) -> None:
    (tmp_path / "bibob.sqlite3.keys.json").chmod(0o644)
    forget_cached()
    refusal = _refusal(database)
    assert isinstance(refusal, KeyringError) and re.search("chmod 600", str(refusal))


def test_the_service_refuses_a_key_file_that_is_not_one(database: str, tmp_path: Path) -> None:
    (tmp_path / "bibob.sqlite3.keys.json").write_text(json.dumps({"format": "iets anders"}))
    forget_cached()
    refusal = _refusal(database)
    assert isinstance(refusal, KeyringError) and re.search("onleesbaar", str(refusal))


def test_migrate_does_not_make_new_keys_for_a_database_written_with_others(database: str, tmp_path: Path) -> None:
    (tmp_path / "bibob.sqlite3.keys.json").unlink()
    forget_cached()
    assert migrate(database) is None
    assert not (tmp_path / "bibob.sqlite3.keys.json").exists()


def test_the_service_refuses_to_start_when_the_audit_triggers_were_dropped(database: str) -> None:
    engine = create_engine_for(database)
    with engine.begin() as conn:
        allow_tampering(conn)
    engine.dispose()
    refusal = _refusal(database)
    assert isinstance(refusal, GuardMissingError) and re.search(
        "audit_log_no_delete, audit_log_no_update", str(refusal)
    )


def test_a_corrupt_audit_row_is_reported_by_position_over_http_not_as_a_500(database: str) -> None:
    engine = create_engine_for(database)
    with engine.begin() as conn:
        privacy = create_token(conn, "fg-1", Role.PRIVACY_OFFICER)
    with TestClient(create_app(Settings(database_url=database, audit_checkpoint_every=0))) as client:
        for _ in range(3):  # each check is itself audited: three rows
            assert client.post("/api/v1/audit-log/_verify", json={}, headers=bearer(privacy)).json()["ok"]
        with engine.begin() as conn:
            allow_tampering(conn)
            conn.execute(sa.text("UPDATE audit_log SET at = 'niet-een-tijdstip' WHERE seq = 2"))
        response = client.post("/api/v1/audit-log/_verify", json={}, headers=bearer(privacy))
        reading = client.get("/api/v1/audit-log", headers=bearer(privacy))
    engine.dispose()
    assert response.status_code == 200
    body = response.json()
    assert (body["ok"], body["firstBrokenSeq"], body["code"]) == (False, 2, "corruptRow")
    assert reading.status_code == 409  # the page of rows cannot show the corrupt one: it says which, no 500
    assert reading.json()["code"] == "auditRowCorrupt" and "Auditregel 2" in reading.json()["detail"]


def test_the_periodic_check_signs_a_checkpoint_of_a_sound_chain_and_logs_a_broken_one(
    database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine_for(database)
    with engine.begin() as conn:
        for number in range(3):
            audit.append_system(conn, "test.row", "test", [f"t{number}"], "")
    checks = ChainChecks(database, tmp_path / "checkpoints.jsonl")

    async def run_until(done: Callable[[], bool]) -> None:
        task = asyncio.create_task(lifespan._anchor_loop(checks, every=0.01))
        while not done():
            await asyncio.sleep(0.05)
        task.cancel()

    try:
        asyncio.run(asyncio.wait_for(run_until((tmp_path / "checkpoints.jsonl").exists), timeout=60))
        line = json.loads((tmp_path / "checkpoints.jsonl").read_text().splitlines()[0])
        assert (line["seq"], line["count"], len(line["sig"])) == (3, 3, 64)
        with engine.begin() as conn:
            allow_tampering(conn)
            conn.execute(sa.text("DELETE FROM audit_log WHERE seq = 3"))
        with caplog.at_level(logging.ERROR):
            asyncio.run(asyncio.wait_for(run_until(lambda: "aangetast" in caplog.text), timeout=60))
    finally:
        checks.close()
        engine.dispose()
    assert "Auditregel 3 ontbreekt; het logboek is ingekort." in caplog.text
