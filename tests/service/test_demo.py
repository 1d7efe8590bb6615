"""The demo municipality: loads through the store, twice without duplicates, with a working token per role."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from sqlalchemy.engine import Engine

from bibob.applications import ApplicationState
from bibob.exceptions import DefinitionError
from bibob.undermining import EvidenceKind, SignalSource, case_from_json
from service.app import create_app
from service.auth import Role
from service.cli import main
from service.demo import CASE_CAFE, DATA, REFUSAL, TOKEN_USERS, DemoResult, describe, load_demo
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tables import api_tokens, applications, cases, decisions, evidence, signals


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'bibob.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def runs(engine: Engine) -> tuple[DemoResult, DemoResult]:
    """The demo loaded twice into the same fresh database."""
    return load_demo(engine), load_demo(engine)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_the_first_run_loads_everything_and_the_second_adds_nothing(
    engine: Engine, runs: tuple[DemoResult, DemoResult]
) -> None:
    first, second = runs
    assert (first.applications, first.signals, first.cases, first.evidence) == (25, 13, 2, 4)
    assert (second.applications, second.signals, second.cases, second.evidence) == (0, 0, 0, 0)
    counts = {table.name: _count(engine, table) for table in (applications, signals, cases, evidence, decisions)}
    assert counts == {"applications": 25, "signals": 13, "cases": 2, "evidence": 4, "decisions": 4}


def test_there_is_an_application_in_every_lifecycle_state(engine: Engine, runs: object) -> None:
    with engine.connect() as conn:
        states = list(conn.execute(sa.select(applications.c.state)).scalars())
    assert sorted(states) == sorted(state.value for state in ApplicationState)


def test_signals_come_from_police_housing_corporation_residents_colleagues_and_anonymous_reporters(
    engine: Engine, runs: object
) -> None:
    with engine.connect() as conn:
        sources = set(conn.execute(sa.select(signals.c.source)).scalars())
    wanted = {
        SignalSource.POLICE, SignalSource.HOUSING_CORPORATION, SignalSource.RESIDENT, SignalSource.ENFORCEMENT,
        SignalSource.BUILDING_INSPECTION, SignalSource.ANONYMOUS, SignalSource.MELD_MISDAAD_ANONIEM,
        SignalSource.RIEC, SignalSource.PUBLIC_PROSECUTOR,
    }  # fmt: skip
    assert {source.value for source in wanted} <= sources


def test_two_cases_hold_evidence_and_the_refusal_is_linked_into_the_cafe_case(
    engine: Engine, runs: tuple[DemoResult, DemoResult]
) -> None:
    assert runs[0].linked_refusal == CASE_CAFE
    with engine.connect() as conn:
        per_case = dict(conn.execute(sa.select(evidence.c.case_id, sa.func.count()).group_by(evidence.c.case_id)).all())
        refusal = conn.execute(sa.select(evidence).where(evidence.c.kind == "permitDecision")).mappings().one()
        document = conn.execute(sa.select(cases.c.document).where(cases.c.id == CASE_CAFE)).scalar_one()
        decision = conn.execute(sa.select(decisions.c.id).where(decisions.c.application_id == REFUSAL)).scalar_one()
    assert len(per_case) == 2 and all(count >= 1 for count in per_case.values())
    assert refusal["case_id"] == CASE_CAFE and refusal["source_ref"] == f"decision:{decision}"
    case = case_from_json(document)  # the stored document replays through the case lifecycle
    item = next(item for item in case.evidence if item.kind is EvidenceKind.PERMIT_DECISION)
    assert item.reference == REFUSAL and "geweigerd op grond van de Wet Bibob" in item.summary


def test_every_file_is_written_as_it_reads_by_replaying_it_through_the_use_cases(engine: Engine, runs: object) -> None:
    def file(folder: str, identifier: str) -> dict[str, Any]:
        return dict(json.loads((DATA / folder / f"{identifier}.json").read_text("utf-8")))

    with engine.connect() as conn:
        stored_signals = conn.execute(sa.select(signals.c.id, signals.c.document)).all()
        stored_applications = conn.execute(sa.select(applications.c.id, applications.c.state, applications.c.history))
        stored_cases = conn.execute(sa.select(cases.c.id, cases.c.document)).all()
        assert all(document == file("signals", identifier) for identifier, document in stored_signals)
        assert all([state, history] == [file("applications", identifier)[key] for key in ("state", "events")]
                   for identifier, state, history in stored_applications)  # fmt: skip
    for identifier, document in stored_cases:  # the café case has one event more: the refusal, dated as the data says
        events = file("cases", identifier)["events"]
        linked = [event["at"] for event in document["events"][len(events) :]]
        assert document["events"][: len(events)] == events
        assert linked == (["2026-07-10T16:00:00+02:00"] if identifier == CASE_CAFE else [])


@pytest.mark.parametrize("role", [Role.BIBOB_COORDINATOR, Role.PERMIT_OFFICER])
def test_the_refusal_s_assessment_reads_back_through_the_api_with_its_findings(
    database_url: str, runs: tuple[DemoResult, DemoResult], role: Role
) -> None:
    token = next(token for user, token in runs[1].tokens if user.role is role)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.get(
            f"/api/v1/applications/{REFUSAL}/assessments", headers={"Authorization": f"Bearer {token}"}
        )
    (assessment,) = response.json()["results"]
    codes = {finding["code"] for finding in assessment["findings"]}
    assert {"taxDebts", "criminalAntecedents"} <= codes
    assert "knownInUnderminingCase" not in codes  # a case match is a consultation, never a finding (art. 3(2)/(3))
    assert assessment["redacted"] is (role is Role.PERMIT_OFFICER) and assessment["referenceDate"] == "2026-11-01"


def test_every_run_leaves_one_active_token_per_demo_user(engine: Engine, runs: object) -> None:
    with engine.connect() as conn:
        active = conn.execute(sa.select(api_tokens.c.user).where(api_tokens.c.revoked_at.is_(None))).scalars()
        assert sorted(active) == sorted(user.user for user in TOKEN_USERS)
    assert {user.role for user in TOKEN_USERS} == set(Role)


def test_the_printed_tokens_authenticate_as_their_role(database_url: str, runs: tuple[DemoResult, DemoResult]) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        for user, token in runs[1].tokens:
            response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert response.json() == {"user": user.user, "role": user.role.value, "roleLabel": user.role.label}
        stale = runs[0].tokens[0][1]  # revoked by the second run
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {stale}"}).status_code == 401


def test_the_summary_prints_a_token_per_role_and_three_curl_lines(runs: tuple[DemoResult, DemoResult]) -> None:
    text = describe(runs[0], "http://127.0.0.1:8000")
    assert all(token in text for _, token in runs[0].tokens)
    curls = [line.strip() for line in text.splitlines() if line.strip().startswith("curl ")]
    assert [line.rsplit("/", 1)[1] for line in curls] == ["applications", "cases", "me"]
    assert "niets dubbel" in describe(runs[1], "http://127.0.0.1:8000")


def test_the_demo_command_loads_the_configured_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("BIBOB_DATABASE_URL", url)
    out = io.StringIO()
    assert main(["migrate"], io.StringIO()) == 0
    assert main(["demo", "--port", "8123"], out) == 0
    assert "25 aanvragen" in out.getvalue() and "http://127.0.0.1:8123/api/v1/cases" in out.getvalue()


WEIGHED = json.loads((DATA / "signals/LEU-S-09.json").read_text("utf-8"))["events"][0]


def _corrupted(tmp_path: Path, name: str, change: str | dict[str, object]) -> Path:
    """A copy of the demo data with one file replaced by `change` (text) or changed by it (top-level fields)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / name
    text = change if isinstance(change, str) else json.dumps(json.loads(path.read_text("utf-8")) | change)
    path.write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "change", "pointer"),
    [
        ("signals/LEU-S-05.json", {"source": "martian"}, "/source"),  # the schema refuses it
        ("cases/LEU-C-02.json", {"state": "closed"}, "/state"),  # the replayed events say otherwise
        ("applications/LEU-2026-D03.json", '{"id": "LEU-2026-D03",', ""),  # no JSON at all
        ("leusden.json", {"signals": [{"id": "LEU-S-01", "registeredBy": "onbekend"}]}, ""),
        ("signals/LEU-S-09.json", {"events": [dict(WEIGHED, by="adviseur")]}, "/events/0/by"),  # no demo user
    ],
)
def test_a_bad_demo_file_is_named_and_nothing_is_written(
    tmp_path: Path, name: str, change: str | dict[str, object], pointer: str
) -> None:
    url = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    try:
        with pytest.raises(DefinitionError) as raised:
            load_demo(engine, _corrupted(tmp_path, name, change))
        tables = (applications, signals, cases, evidence, decisions, api_tokens)
        assert {table.name: _count(engine, table) for table in tables} == {table.name: 0 for table in tables}
    finally:
        engine.dispose()
    assert raised.value.source == name and {problem.source for problem in raised.value.problems} == {name}
    assert pointer in {problem.pointer for problem in raised.value.problems}


def test_the_demo_command_names_a_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setattr("service.demo.DATA", _corrupted(tmp_path, "signals/LEU-S-05.json", {"source": "martian"}))
    out = io.StringIO()
    assert main(["migrate"], io.StringIO()) == 0
    assert main(["demo"], out) == 2
    assert out.getvalue().startswith("signals/LEU-S-05.json: /source")
