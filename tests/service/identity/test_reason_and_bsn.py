"""X-Audit-Reason: kept as the user wrote it (UTF-8, no loss), refused rather than cut when too long, and required
for reads of cases of the confidentiality the settings name; BSNs on signals checked like everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from bibob.exceptions import InvalidInputError
from bibob.undermining import Confidentiality
from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tables import applications, audit_log, signals
from service.store.tokens import create_token
from tests.service.api.flow import open_case, police_signal, register, resident_signal
from tests.service.identity.conftest import Client, bearer, live_service

NEW = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}


def _count(database_url: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())
    engine.dispose()
    return count


def test_a_reason_in_utf8_is_stored_without_loss(client: Client, database_url: str, tokens: dict[str, str]) -> None:
    reason = "Controle café ‘De Eenhoorn’ — één vergunning, 3833 GP ✓"
    headers = bearer(tokens["permitOfficer"]) | {"X-Audit-Reason": reason.encode("utf-8")}  # type: ignore[dict-item]
    made = client.post("/api/v1/applications", json=NEW, headers=headers)
    assert made.status_code == 201, made.text
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(audit_log.c.reason).where(audit_log.c.object_id == made.json()["id"])).scalars()
        assert set(stored) == {reason}
    engine.dispose()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("x" * 501, "reason.tooLong"), ("é" * 501, "reason.tooLong"), ("regel\u0085twee", "reason.controlCharacter")],
)  # fmt: skip
def test_a_reason_that_cannot_be_kept_is_refused_and_nothing_is_written(
    client: Client, database_url: str, tokens: dict[str, str], raw: str | bytes, code: str
) -> None:
    value = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    before = _count(database_url)
    headers = bearer(tokens["permitOfficer"]) | {"X-Audit-Reason": value}  # type: ignore[dict-item]
    refused = client.post("/api/v1/applications", json=NEW, headers=headers)
    assert refused.status_code == 400
    assert [(p["name"], p["code"]) for p in refused.json()["invalidParams"]] == [("X-Audit-Reason", code)]
    assert _count(database_url) == before


def test_a_reason_of_exactly_the_documented_length_is_kept(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["permitOfficer"]) | {"X-Audit-Reason": ("é" * 500).encode("utf-8")}  # type: ignore[dict-item]
    assert client.post("/api/v1/applications", json=NEW, headers=headers).status_code == 201
    document = client.get("/api/v1/openapi.json").json()
    assert "500 tekens" in document["paths"]["/applications"]["post"]["parameters"][0]["description"]


@pytest.fixture
def strict(database_url: str) -> Iterator[Client]:
    settings = Settings(database_url=database_url, reason_required_from=Confidentiality.CASE_CONFIDENTIAL)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_reading_a_case_of_the_named_confidentiality_needs_a_reason(strict: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    signal = register(strict, advisor, resident_signal())["id"]
    case = open_case(strict, advisor, [signal], confidentiality="confidential")
    url = f"/api/v1/cases/{case['id']}"
    refused = strict.get(url, headers=bearer(advisor))
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["code"] == "reason.required"
    assert strict.get(url, headers=bearer(advisor) | {"X-Audit-Reason": "casusoverleg"}).status_code == 200
    hidden = strict.get(url, headers={"Authorization": f"Bearer {tokens['mayor']}"})
    assert hidden.status_code == 404  # need-to-know comes first: a hidden case is not revealed by the rule


def test_the_reason_rule_names_a_known_level() -> None:
    assert Settings.from_env({"BIBOB_REASON_REQUIRED_FROM": "secret"}).reason_required_from is Confidentiality.SECRET
    with pytest.raises(InvalidInputError) as refused:
        Settings.from_env({"BIBOB_REASON_REQUIRED_FROM": "heel-geheim"})
    assert [p.pointer for p in refused.value.problems] == ["BIBOB_REASON_REQUIRED_FROM"]


def test_over_a_real_socket_a_reason_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        token = create_token(conn, "vv-echt", Role.PERMIT_OFFICER)
    engine.dispose()
    with live_service(url) as base:
        headers = {"Authorization": f"Bearer {token}", "X-Audit-Reason": b"caf\xe9"}  # latin-1, not UTF-8
        refused = httpx.post(f"{base}/api/v1/applications", json=NEW, headers=headers)  # type: ignore[arg-type]
        assert refused.status_code == 400
        assert refused.json()["invalidParams"][0]["code"] == "reason.encoding"
        kept = httpx.post(
            f"{base}/api/v1/applications", json=NEW, headers=headers | {"X-Audit-Reason": "café".encode()}
        )
        assert kept.status_code == 201
    assert _count(url) == 1


def test_a_bsn_on_a_signal_is_checked_like_everywhere_else_with_every_problem_at_once(
    client: Client, database_url: str, tokens: dict[str, str]
) -> None:
    signal = police_signal()
    signal["subjects"]["persons"] = [
        {"surname": "Jansen", "bsn": "123456789"},  # fails the elfproef
        {"surname": "De Vries", "bsn": "111222333"},
        {"surname": "Bakker", "bsn": "12345"},
    ]
    signal["theme"] = "onbekend-thema"
    refused = client.post("/api/v1/signals", json=signal, headers=bearer(tokens["signalIntakePartner"]))
    assert refused.status_code == 400
    names = {problem["name"] for problem in refused.json()["invalidParams"]}
    assert {"/subjects/persons/0/bsn", "/subjects/persons/2/bsn", "/theme"} <= names
    assert "/subjects/persons/1/bsn" not in names
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(signals)).scalar_one() == 0
    engine.dispose()
