"""Operations: every setting checked at start-up and named when wrong, `bibob check-config`, and readiness."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from litestar.testing import TestClient

from bibob.exceptions import InvalidInputError
from service.app import create_app
from service.cli import main
from service.settings import Settings
from service.store.migrate import alembic_config, head_revision, migrate

ZGW = {
    "BIBOB_ZGW_ZAKEN_URL": "https://zaken.example/zaken/api/v1",
    "BIBOB_ZGW_BESLUITEN_URL": "https://zaken.example/besluiten/api/v1",
    "BIBOB_ZGW_CLIENT_ID": "bibob",
    "BIBOB_ZGW_SECRET": "geheim-voor-de-test",
    "BIBOB_ZGW_RSIN": "002220647",
    "BIBOB_ZGW_ZAAKTYPE": "https://zaken.example/catalogi/api/v1/zaaktypen/1",
    "BIBOB_ZGW_BESLUITTYPE": "https://zaken.example/catalogi/api/v1/besluittypen/1",
    "BIBOB_ZGW_RESULTAATTYPE": "https://zaken.example/catalogi/api/v1/resultaattypen/1",
    "BIBOB_ZGW_STATUSTYPEN": '{"signaled": "https://zaken.example/catalogi/api/v1/statustypen/1"}',
    "BIBOB_ZGW_ROLTYPEN": '{"lead": "https://zaken.example/catalogi/api/v1/roltypen/1"}',
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def problems_of(env: dict[str, str]) -> dict[str, str]:
    with pytest.raises(InvalidInputError) as raised:
        Settings.from_env(env)
    return {problem.pointer: problem.code for problem in raised.value.problems}


def test_a_complete_zgw_configuration_is_accepted() -> None:
    zgw = Settings.from_env(ZGW).integrations.zgw
    assert (
        zgw is not None and zgw.rsin == "002220647" and dict(zgw.roltypen) == {"lead": ZGW["BIBOB_ZGW_ROLTYPEN"][10:-2]}
    )


def test_a_zaken_url_without_its_companions_names_every_missing_variable_at_once_instead_of_a_key_error() -> None:
    assert problems_of({"BIBOB_ZGW_ZAKEN_URL": ZGW["BIBOB_ZGW_ZAKEN_URL"]}) == {
        name: "missingSetting" for name in ZGW if name != "BIBOB_ZGW_ZAKEN_URL"
    }


def test_an_empty_besluittype_is_refused_when_the_mirror_is_configured() -> None:
    assert problems_of(ZGW | {"BIBOB_ZGW_BESLUITTYPE": " "}) == {"BIBOB_ZGW_BESLUITTYPE": "missingSetting"}


def test_malformed_values_are_each_named() -> None:
    bad = ZGW | {
        "BIBOB_ZGW_RSIN": "12345",
        "BIBOB_ZGW_STATUSTYPEN": "[1, 2]",
        "BIBOB_ZGW_ROLTYPEN": '{"lead": "geen url"}',
        "BIBOB_ZGW_BESLUITEN_URL": "ftp://x",
        "BIBOB_DATABASE_URL": "mysql://x/y",
        "BIBOB_MAX_BODY_BYTES": "12",
        "BIBOB_KVK_BASE_URL": "kvk",
    }
    assert set(problems_of(bad)) == {
        "BIBOB_ZGW_RSIN", "BIBOB_ZGW_STATUSTYPEN", "BIBOB_ZGW_ROLTYPEN", "BIBOB_ZGW_BESLUITEN_URL",
        "BIBOB_DATABASE_URL", "BIBOB_MAX_BODY_BYTES", "BIBOB_KVK_BASE_URL",
    }  # fmt: skip


def test_the_service_refuses_to_start_with_a_bad_setting_and_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_ZGW_ZAKEN_URL", ZGW["BIBOB_ZGW_ZAKEN_URL"])
    with pytest.raises(InvalidInputError, match="BIBOB_ZGW_SECRET: ontbreekt"):
        create_app()
    status, output = run("serve")
    assert status == 2 and "BIBOB_ZGW_SECRET: ontbreekt" in output


def test_check_config_passes_a_migrated_database_and_never_prints_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    for name, value in (ZGW | {"BIBOB_DATABASE_URL": url}).items():
        monkeypatch.setenv(name, value)
    status, output = run("check-config")
    assert status == 0, output
    assert output.endswith(f"Instellingen in orde; database bereikbaar, migratie {head_revision()}.\n")
    assert "geheim-voor-de-test" not in output and str(tmp_path) not in output
    assert re.search(r"BIBOB_ZGW_ZAKEN_URL +https://zaken\.example/zaken/api/v1", output)


def test_check_config_names_each_problem_warns_of_a_typing_error_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_ZGW_ZAKEN_URL", ZGW["BIBOB_ZGW_ZAKEN_URL"])
    monkeypatch.setenv("BIBOB_SESSION_IDLE_MINUTES", "0")
    monkeypatch.setenv("BIBOB_ZGWSECRET", "x")
    status, output = run("check-config")
    assert status == 1
    assert "let op: BIBOB_ZGWSECRET is geen instelling van bibob (tikfout?)" in output
    assert "10 problemen in de instellingen:" in output
    assert "BIBOB_SESSION_IDLE_MINUTES  [invalidSetting]" in output and "BIBOB_ZGW_ROLTYPEN  [missingSetting]" in output


def test_check_config_tells_to_migrate_a_database_behind_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIBOB_DATABASE_URL", f"sqlite:///{tmp_path / 'bibob.sqlite3'}")
    status, output = run("check-config")
    assert status == 1
    assert output.endswith(f"database staat op migratie geen, nodig is {head_revision()}: draai bibob migrate\n")


def test_check_config_reports_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_DATABASE_URL", "postgresql+psycopg://bibob@127.0.0.1:1/bibob?connect_timeout=2")
    status, output = run("check-config")
    assert (status, output.splitlines()[-1]) == (1, "database niet bereikbaar (postgresql): OperationalError")


def test_readiness_answers_503_naming_the_migration_while_the_database_is_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert client.get("/api/v1/ready").json()["migration"] == head_revision()
    behind = f"sqlite:///{tmp_path / 'behind.sqlite3'}"
    previous = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    migrate(behind, previous)
    with TestClient(create_app(Settings(database_url=behind))) as client:
        response = client.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "migrationsBehind"
    assert response.json()["detail"] == (
        f"De database staat op migratie {previous}, deze versie vraagt {head_revision()}: draai bibob migrate."
    )


def test_check_config_names_an_open_formulieren_mapping_that_does_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "kapot.json").write_text("{niet json", encoding="utf-8")
    unknown = {"questionnaireId": "bestaat-niet", "permitType": "kermis", "legalAct": "vergunning", "answers": {}}
    (folder / "onbekend.json").write_text(json.dumps(unknown), encoding="utf-8")
    monkeypatch.setenv("BIBOB_INTAKE_DIR", str(folder))
    status, output = run("check-config")
    assert status == 1
    assert "kapot.json  [invalidMapping]" in output
    assert "onbekend.json  [unknownQuestionnaire]  onbekend vragenformulier 'bestaat-niet'" in output
    assert "onbekend.json  [unknownPermitType]" in output


def test_the_shipped_open_formulieren_mapping_fits_the_shipped_questionnaires(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    monkeypatch.setenv("BIBOB_DATABASE_URL", url)
    assert run("check-config")[0] == 0
