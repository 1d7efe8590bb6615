"""Encryption at rest: the database file and its write-ahead log hold no BSN, name or signal text; the same on
PostgreSQL; a changed ciphertext is refused (409, never 500); key rotation over 10,000 rows while requests run."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store import crypto
from service.store.engine import create_engine_for
from service.store.keys import keyring_for_url
from service.store.migrate import migrate
from service.store.tables import signals
from service.store.tokens import create_token
from tests.service.conftest import DATA, Client, bearer

SOLE_TRADER = json.loads((DATA / "answers" / "valid-eenmanszaak-horeca.json").read_text("utf-8"))  # BSN 111222333
SIGNAL_TEXT = "Kanarietekst: hennepgeur en afgeplakte ramen aan de Zandvoortlaan"
REPORTER = "Kanarie Melder"
PERSON = {"surname": "Kanariesurname", "firstNames": "Piet", "dateOfBirth": "1980-02-03"}
CANARIES = ("111222333", "Verbeek", "Kanarietekst", "Zandvoortlaan", "Kanarie Melder", "Kanariesurname")


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture
def tokens(database: str) -> dict[str, str]:
    engine = create_engine_for(database)
    with engine.begin() as conn:
        made = {role: create_token(conn, f"{role.value}-1", role) for role in Role}
    engine.dispose()
    return {role.value: token for role, token in made.items()}


@pytest.fixture
def client(database: str) -> Iterator[Client]:
    with TestClient(create_app(Settings(database_url=database, audit_checkpoint_every=0))) as test_client:
        yield test_client


def _seed(client: Client, tokens: dict[str, str]) -> tuple[str, str]:
    officer, advisor = tokens["permitOfficer"], tokens["safetyAdvisor"]
    body = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    created = client.post("/api/v1/applications", json=body, headers=bearer(officer)).json()
    answers = client.put(
        f"/api/v1/applications/{created['id']}/answers",
        json=SOLE_TRADER,
        headers=bearer(officer) | {"If-Match": '"1"'},
    )
    assert answers.status_code == 200, answers.text
    signal = {
        "source": "resident",
        "channel": "phone",
        "received": "2026-03-02T09:00:00+01:00",
        "text": SIGNAL_TEXT,
        "theme": "drugs",
        "subjects": {"persons": [PERSON]},
        "reporter": {"name": REPORTER, "phone": "033-0000002"},
    }
    registered = client.post("/api/v1/signals", json=signal, headers=bearer(advisor) | {"Idempotency-Key": "seed-0001"})
    assert registered.status_code == 201, registered.text
    return created["id"], registered.json()["id"]


def _raw(database: str) -> dict[str, bytes]:
    path = Path(database.removeprefix("sqlite:///"))
    return {name.name: name.read_bytes() for name in (path, Path(f"{path}-wal")) if name.exists()}


def test_the_database_file_and_its_wal_hold_no_bsn_name_or_signal_text(
    client: Client, tokens: dict[str, str], database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    application_id, signal_id = _seed(client, tokens)
    # what the service answers still holds the values: they are stored, only sealed
    shown = client.get(f"/api/v1/applications/{application_id}/answers", headers=bearer(tokens["permitOfficer"]))
    assert "111222333" in shown.text and "Verbeek" in shown.text
    signal = client.get(f"/api/v1/signals/{signal_id}", headers=bearer(tokens["safetyAdvisor"])).json()
    assert (signal["text"], signal["reporter"]["name"]) == (SIGNAL_TEXT, REPORTER)
    inbox = client.get("/api/v1/signals", params={"theme": "drugs"}, headers=bearer(tokens["safetyAdvisor"]))
    assert [item["id"] for item in inbox.json()["results"]] == [signal_id]  # the theme filter works on sealed documents
    raw = _raw(database)
    assert "bibob.sqlite3-wal" in raw  # the write-ahead log is checked too, while the service runs
    hits = {f"{file}: {canary}": raw[file].count(canary.encode()) for file in raw for canary in CANARIES}
    with capsys.disabled():
        print(f"\n  canaries found in the raw bytes of {', '.join(raw)}: {sum(hits.values())}")
    assert sum(hits.values()) == 0, {k: v for k, v in hits.items() if v}


def test_the_database_files_are_readable_by_their_owner_only(
    client: Client, tokens: dict[str, str], database: str
) -> None:
    _seed(client, tokens)
    path = Path(database.removeprefix("sqlite:///"))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.keys.json")):
        assert oct(name.stat().st_mode & 0o777) == "0o600", name


def test_a_changed_ciphertext_is_refused_with_409_not_a_500(
    client: Client, tokens: dict[str, str], database: str
) -> None:
    _, signal_id = _seed(client, tokens)
    engine = create_engine_for(database)
    with engine.begin() as conn:
        stored = conn.execute(sa.select(sa.cast(signals.c.document, sa.Text)).where(signals.c.id == signal_id)).scalar()
        flipped = stored[:-5] + ("A" if stored[-5] != "A" else "B") + stored[-4:]
        conn.execute(sa.text("UPDATE signals SET document = :d WHERE id = :i"), {"d": flipped, "i": signal_id})
    engine.dispose()
    response = client.get(f"/api/v1/signals/{signal_id}", headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 409 and response.json()["code"] == "documentUnreadable"


def test_key_rotation_over_ten_thousand_rows_while_requests_run_loses_nothing(
    client: Client, tokens: dict[str, str], database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine_for(database)
    received = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    rows: list[dict[str, Any]] = [
        {
            "id": f"rot-{n:05d}",
            "source": "police",
            "status": "received",
            "received": received,
            "destroy_on": None,
            "registered_by": "partner",
            "document": {"text": f"melding {n}", "theme": "drugs"},
            "version": 1,
            "created_at": received,
            "updated_at": received,
            "theme": "drugs",
        }
        for n in range(10_000)
    ]
    with engine.begin() as conn:
        conn.execute(signals.insert(), rows)
    old_key = keyring_for_url(engine.url).current
    outcome: dict[str, Any] = {}

    def rotate() -> None:
        outcome["key"], outcome["count"] = crypto.rotate(engine, batch=200)

    rotation = threading.Thread(target=rotate)
    rotation.start()
    advisor, statuses, created = bearer(tokens["safetyAdvisor"]), [], []
    while rotation.is_alive() or len(statuses) < 20:
        identifier = f"rot-{random.randrange(10_000):05d}"
        read = client.get(f"/api/v1/signals/{identifier}", headers=advisor)
        statuses.append(read.status_code)
        assert read.status_code == 200, read.text  # the answer says why, should a read ever fail here
        assert read.json()["text"] == f"melding {int(identifier[4:])}"
        body = {"source": "resident", "channel": "phone", "text": f"nieuw {len(created)}", "theme": "drugs"}
        made = client.post("/api/v1/signals", json=body | {"received": "2026-03-02T09:00:00+01:00"}, headers=advisor)
        statuses.append(made.status_code)
        assert made.status_code == 201, made.text
        created.append((made.json()["id"], body["text"]))
    rotation.join()
    crypto.rewrap(engine)  # what the service wrote under the old key in the second before it reloaded the keys
    with engine.connect() as conn:
        documents = dict(conn.execute(sa.select(signals.c.id, signals.c.document)).all())
        old = conn.execute(
            sa.select(sa.func.count()).where(sa.cast(signals.c.document, sa.Text).like(f'"{crypto.PREFIX}{old_key}:%'))
        ).scalar()
    engine.dispose()
    with capsys.disabled():
        print(
            f"\n  rotation: {outcome['count']} values re-sealed under {outcome['key']} while {len(statuses)} "
            f"requests ran; {len(documents)} signals readable, {old} left under the old key"
        )
    assert set(statuses) <= {200, 201}
    assert outcome["key"] != old_key and outcome["count"] >= 10_000
    assert old == 0
    assert len(documents) == 10_000 + len(created)
    assert all(documents[f"rot-{n:05d}"]["text"] == f"melding {n}" for n in range(10_000))
    assert all(documents[identifier]["text"] == text for identifier, text in created)
