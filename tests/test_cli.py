"""The `bibob` command: questionnaires and answer checks, with Dutch output and meaningful exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from service.cli import main
from tests.conftest import DATA


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
    status, output = run("answers", "check", str(DATA / "answers" / "valid-bv-two-ubos.json"))
    assert (status, output) == (0, "Geen problemen: de antwoorden zijn volledig.\n")


def test_answers_check_prints_every_problem_and_exits_1() -> None:
    status, output = run(
        "answers",
        "check",
        str(DATA / "answers" / "broken-wrong-types.json"),
        "--questionnaire",
        "bibob-overige-beschikkingen",
    )
    assert status == 1
    assert output.splitlines() == [
        "/answers/2C.bezittingen/0/waardeNu  [wrongType]  Vraag 2C.bezittingen, regel 1, ‘Waarde nu (in eurocenten)’ "
        "heeft een antwoord van de verkeerde soort.",
        "/answers/2Z  [unknownField]  Vraag 2Z is geen vraag of veld van dit formulier.",
        "/answers/6A  [invalidChoice]  Vraag 6A: kies een van de mogelijke antwoorden.",
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
