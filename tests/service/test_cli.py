"""The `bibob` command: questionnaires and answer checks, with Dutch output and meaningful exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from service.cli import main
from tests.conftest import DATA, ROOT, SCENARIOS


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out)
    return status, out.getvalue()


def test_questionnaire_list_shows_every_variant() -> None:
    status, output = run("questionnaire", "list")
    assert status == 0
    assert [line.split()[0] for line in output.splitlines()] == [
        "bibob-omgevingsvergunning-bouw",
        "bibob-overheidsopdracht",
        "bibob-overige-beschikkingen",
        "bibob-subsidie",
        "bibob-vastgoedtransactie",
    ]


def test_questionnaire_list_includes_a_municipal_selection_when_given_its_folder() -> None:
    status, output = run("--selections", str(DATA / "selections"), "questionnaire", "list")
    assert status == 0 and "leusden-alcoholwet-aanhangsel" in output


def test_questionnaire_show_prints_sections_and_questions_in_dutch() -> None:
    status, output = run("questionnaire", "show", "bibob-overige-beschikkingen")
    assert status == 0
    assert "4. Uiteindelijk zeggenschaphebbende (één module per persoon)  — één per ultimateOwner" in output
    assert "  2H " in output


def test_questionnaire_show_json_is_the_definition() -> None:
    status, output = run("questionnaire", "show", "bibob-subsidie", "--json")
    assert status == 0 and json.loads(output)["officialForm"]["formVersion"] == "2013-bijlage1"


def test_questionnaire_schema_prints_the_answer_schema() -> None:
    status, output = run("questionnaire", "schema", "bibob-subsidie")
    assert status == 0 and json.loads(output)["$schema"].endswith("2020-12/schema")


def test_an_unknown_questionnaire_is_a_clear_error_with_exit_status_2() -> None:
    assert run("questionnaire", "show", "bestaat-niet") == (2, "vragenformulier 'bestaat-niet' bestaat niet\n")


def test_answers_check_passes_a_complete_application() -> None:
    path = str(DATA / "answers" / "valid-bv-two-ubos.json")
    status, output = run("answers", "check", path, "--received", "2023-05-01")
    assert (status, output) == (0, "Geen problemen: de antwoorden zijn volledig.\n")


def test_answers_check_warns_when_the_form_was_no_longer_in_force_on_the_received_date() -> None:
    path = str(DATA / "answers" / "valid-bv-two-ubos.json")
    status, output = run("answers", "check", path)  # answeredOn 2026-10-15: the 2013 form ended on 31-1-2024
    assert status == 0  # a warning, not a problem in the answers
    first, last = output.splitlines()
    assert first.startswith("Let op: het vragenformulier") and "gold tot en met 31-1-2024" in first
    assert "ontvangen op 15-10-2026" in first
    assert last == "Geen problemen: de antwoorden zijn volledig."
    assert run("answers", "check", path, "--received", "2024-01-31") == (
        0,
        "Geen problemen: de antwoorden zijn volledig.\n",
    )


def test_answers_check_prints_every_problem_and_exits_1() -> None:
    status, output = run(
        "answers",
        "check",
        str(DATA / "answers" / "broken-wrong-types.json"),
        "--questionnaire",
        "bibob-overige-beschikkingen",
        "--received",
        "2023-05-01",  # while the 2013 form was in force: no form warning here
    )
    assert status == 1
    assert output.splitlines() == [
        "/answers/2C.bezittingen/0/waardeNu  [wrongType]  Vraag 2C.bezittingen (‘Geef per bezitting een omschrijving "
        "en de waarde nu, aan …’), regel 1, ‘Waarde nu (in eurocenten)’ heeft een antwoord van de verkeerde soort; "
        "verwacht: een bedrag in eurocenten (een geheel getal).",
        "/answers/2Z  [unknownField]  Vraag 2Z is geen vraag of veld van dit formulier.",
        "/answers/6A  [invalidChoice]  Vraag 6A (‘Gaat het om een bestaande onderneming van de aanvrager, een …’): "
        "kies een van de mogelijke antwoorden: ‘bestaande onderneming van de aanvrager’ (bestaand), ‘overname van "
        "een onderneming’ (overname), ‘nieuwe onderneming’ (nieuw).",
        "3 probleem/problemen gevonden.",
    ]


@pytest.mark.parametrize("content", [b"{ kapot", b"\xff\xfe", b""])
def test_answers_check_of_an_unreadable_file_exits_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "antwoorden.json"
    path.write_bytes(content)
    status, output = run("answers", "check", str(path))
    assert status == 2 and "kan het bestand niet lezen" in output


def test_answers_check_without_a_questionnaire_asks_for_one(tmp_path: Path) -> None:
    path = tmp_path / "antwoorden.json"
    path.write_text('{"answers": {}}', "utf-8")
    assert run("answers", "check", str(path)) == (
        2,
        "Geef --questionnaire op; het bestand noemt geen vragenformulier.\n",
    )


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    status, _ = run("answers", "check", str(tmp_path / "bestaat-niet.json"))
    assert status == 2


def test_an_invalid_questionnaire_folder_lists_the_definition_problems(tmp_path: Path) -> None:
    (tmp_path / "kapot.json").write_bytes((DATA / "definitions" / "broken-questionnaire.json").read_bytes())
    status, output = run("--questionnaires", str(tmp_path), "questionnaire", "list")
    assert status == 2
    assert "kapot.json: /title  [schema.minLength]" in output


def test_assess_prints_the_dutch_explanation() -> None:
    status, output = run("assess", str(SCENARIOS / "s04-rent-arrears-off-market.json"))
    assert status == 0
    assert "Advies: verlenen met voorschriften (Wet Bibob art. 3 lid 7; zienswijze art. 33)." in output


def test_assess_json_gives_findings_levels_and_recommendation() -> None:
    status, output = run("assess", str(SCENARIOS / "s05-serious-refusal-possible.json"), "--json")
    body = json.loads(output)
    assert status == 0
    assert body["recommendation"]["kind"] == "refusalPossible"
    assert {level["ground"]: level["effective"] for level in body["levels"]}["bOffences"] == "serious"


def test_assess_lists_every_problem_of_a_bad_request(tmp_path: Path) -> None:
    path = tmp_path / "verzoek.json"
    path.write_text(
        json.dumps({"permitType": "kapsalon", "referenceDate": "2026-13-01", "answers": {}, "x": 1}), "utf-8"
    )
    status, output = run("assess", str(path))
    assert status == 2
    assert [line.split()[1] for line in output.splitlines()] == ["/referenceDate", "/x"]


def test_assess_refuses_an_unknown_permit_type_and_questionnaire(tmp_path: Path) -> None:
    path = tmp_path / "verzoek.json"
    path.write_text(json.dumps({"permitType": "kapsalon", "referenceDate": "2026-11-01", "answers": {}}), "utf-8")
    status, output = run("assess", str(path))
    assert status == 2
    assert "[unknownQuestionnaire]" in output
    assert "[unknownPermitType]" in output


def test_deadlines_lists_every_deadline_of_an_application() -> None:
    status, output = run("deadlines", str(DATA / "applications" / "horeca-refused-after-lbb-advice.json"),
                         "--today", "2026-11-28")  # fmt: skip
    assert status == 0
    assert "- Beslistermijn: 6 juli 2026 [verstreken]" in output
    assert "- Bezwaartermijn: 24 augustus 2026 [verstreken] (Awb 6:7)" in output


def test_deadlines_warn_when_the_policys_form_was_no_longer_in_force_on_the_received_date(tmp_path: Path) -> None:
    application = DATA / "applications" / "horeca-refused-after-lbb-advice.json"
    _, output = run("deadlines", str(application), "--today", "2026-11-28")
    assert output.splitlines()[1].startswith("Let op: het vragenformulier 'Bibob-vragenformulier overige")
    assert "ontvangen op 2-3-2026" in output and "Regeling Bibob-formulieren 2024, bijlage 1" in output
    earlier = json.loads(application.read_text("utf-8")) | {"received": "2023-03-02"}
    path = tmp_path / "aanvraag.json"
    path.write_text(json.dumps(earlier), "utf-8")
    _, in_force = run("deadlines", str(path), "--today", "2023-03-10", "--questionnaire", "bibob-subsidie")
    assert "Let op: het vragenformulier" not in in_force


def test_deadlines_tell_a_decision_taken_after_the_term_from_one_still_pending(tmp_path: Path) -> None:
    refused = DATA / "applications" / "horeca-refused-after-lbb-advice.json"
    status, late = run("deadlines", str(refused), "--today", "2026-11-28")
    pending = json.loads(refused.read_text("utf-8"))
    pending |= {"events": pending["events"][:4], "state": "ownInvestigation"}  # the own investigation under way
    path = tmp_path / "aanvraag.json"
    path.write_text(json.dumps(pending), "utf-8")
    _, overdue = run("deadlines", str(path), "--today", "2026-11-28")

    assert status == 0
    assert "Besluit na de beslistermijn. Het besluit van 10 juli 2026 viel na het einde" in late
    assert "overschreden" not in late
    assert "LET OP: Beslistermijn overschreden. De beslistermijn liep af op" in overdue
    assert "(Awb 4:17)" in overdue and "Besluit na de beslistermijn" not in overdue


def test_deadlines_of_an_application_within_its_term_mention_no_lateness(tmp_path: Path) -> None:
    pending = json.loads((DATA / "applications" / "horeca-refused-after-lbb-advice.json").read_text("utf-8"))
    pending |= {"events": pending["events"][:4], "state": "ownInvestigation"}
    path = tmp_path / "aanvraag.json"
    path.write_text(json.dumps(pending), "utf-8")
    status, output = run("deadlines", str(path), "--today", "2026-03-25")
    assert status == 0 and "- Beslistermijn:" in output
    assert "overschreden" not in output and "na de beslistermijn" not in output


def test_deadlines_show_the_bibob_register_term_in_the_policys_working_days(tmp_path: Path) -> None:
    """Bibob register (since 1 October 2022): 'onverwijld' after the refusal of Friday 10 July 2026."""
    refused = str(DATA / "applications" / "horeca-refused-after-lbb-advice.json")
    _, output = run("deadlines", refused, "--today", "2026-11-28")
    assert "- Registratie conclusie mate van gevaar in het Bibob-register: 17 juli 2026 [verstreken]" in output
    policy = json.loads((ROOT / "policies" / "default.json").read_text("utf-8")) | {"registerTermWorkingDays": 2}
    policy["$schema"] = str(ROOT / "schemas" / "policy.schema.json")
    path = tmp_path / "beleid.json"
    path.write_text(json.dumps(policy), "utf-8")
    _, stricter = run("deadlines", refused, "--today", "2026-11-28", "--policy", str(path))
    assert "Bibob-register: 14 juli 2026 [verstreken]" in stricter and "2 werkdagen" in stricter


def test_deadlines_json_is_machine_readable() -> None:
    status, output = run("deadlines", str(DATA / "applications" / "horeca-refused-after-lbb-advice.json"),
                         "--today", "2026-11-28", "--json")  # fmt: skip
    assert status == 0
    assert {d["code"] for d in json.loads(output)} >= {"decision", "objection", "adviceReuse"}
    assert all(d["earliest"] is None for d in json.loads(output))  # nothing is suspended any more


def test_deadlines_of_a_broken_application_file_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "aanvraag.json"
    path.write_text('{"id": 1}', "utf-8")
    status, output = run("deadlines", str(path))
    assert status == 2
    assert "/id" in output


def test_migrate_then_token_create_and_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_DATABASE_URL", f"sqlite:///{tmp_path / 'bibob.sqlite3'}")
    status, output = run("migrate")
    assert status == 0 and output.endswith("Database bijgewerkt tot de nieuwste versie (sqlite).\n")
    assert run("migrate") == (0, "Database bijgewerkt tot de nieuwste versie (sqlite).\n")  # keys made once
    status, output = run("token", "create", "--user", "j.jansen", "--role", "permitOfficer")
    assert status == 0
    assert output.startswith("bibob_")
    assert len(output.strip()) > 40
    assert run("token", "revoke", "--user", "j.jansen") == (0, "1 token(s) ingetrokken.\n")
    assert run("token", "revoke", "--user", "j.jansen") == (0, "0 token(s) ingetrokken.\n")


def test_a_token_for_an_unknown_role_or_an_empty_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIBOB_DATABASE_URL", f"sqlite:///{tmp_path / 'bibob.sqlite3'}")
    run("migrate")
    status, output = run("token", "create", "--user", "j.jansen", "--role", "koning")
    assert status == 2
    assert output.startswith("Onbekende rol; kies uit: permitOfficer, bibobCoordinator")
    status, output = run("token", "create", "--user", "", "--role", "mayor")
    assert status == 2
    assert "gebruikersnaam" in output


def test_an_invalid_setting_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_MAX_BODY_BYTES", "veel")
    status, output = run("migrate")
    assert status == 2
    assert "BIBOB_MAX_BODY_BYTES" in output


def test_serve_refuses_zero_workers_and_warns_about_several_on_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    from service import serving

    started: list[dict[str, object]] = []
    monkeypatch.setattr(serving, "serve", lambda *args: started.append({"workers": args[2]}) or 0)
    monkeypatch.setenv("BIBOB_DATABASE_URL", "sqlite:///var/bibob.sqlite3")
    assert run("serve", "--workers", "0") == (2, "--workers is minstens 1\n")
    status, output = run("serve", "--workers", "4")
    assert status == 0 and output.startswith("let op: meerdere workers op één SQLite-bestand")
    status, output = run("serve", "--workers", "1")
    assert status == 0 and "let op" not in output
    monkeypatch.setenv("BIBOB_DATABASE_URL", "postgresql+psycopg://bibob@db.internal/bibob")
    status, output = run("serve", "--workers", "4")
    assert status == 0 and "let op" not in output
    assert [kwargs["workers"] for kwargs in started] == [4, 1, 4]


def test_serve_uses_the_c_http_parser_and_logs_no_request_unless_the_access_log_is_turned_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **kwargs: started.append(kwargs))
    monkeypatch.setenv("BIBOB_DATABASE_URL", "sqlite:///var/bibob.sqlite3")
    run("serve")
    monkeypatch.setenv("BIBOB_ACCESS_LOG", "ja")
    run("serve")

    assert [(kwargs["http"], kwargs["access_log"]) for kwargs in started] == [("httptools", False), ("httptools", True)]


def test_an_access_log_setting_that_is_neither_on_nor_off_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBOB_ACCESS_LOG", "soms")
    status, output = run("migrate")

    assert status == 2 and "BIBOB_ACCESS_LOG" in output
