"""Loading questionnaire definitions and municipal selections: every problem listed, with file and pointer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibob import apply_selection, load_catalogue, load_questionnaire
from bibob.exceptions import DefinitionError
from bibob.questionnaires import All, Equals, OneOf, Question
from bibob.questionnaires.catalogue import load_selection
from bibob.questionnaires.conditions import holds
from bibob.questionnaires.model import routed
from tests.conftest import DATA, ROOT


def _problems(error: pytest.ExceptionInfo[DefinitionError]) -> list[tuple[str, str, str]]:
    return [(p.source, p.pointer, p.code) for p in error.value.problems]


def test_an_invalid_definition_lists_every_schema_problem_with_file_and_pointer() -> None:
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(DATA / "definitions" / "broken-questionnaire.json")
    assert _problems(error) == [
        ("broken-questionnaire.json", "/sections/0/questions/0/type", "schema.enum"),
        ("broken-questionnaire.json", "/sections/0/questions/1/options", "schema.required"),
        ("broken-questionnaire.json", "/title", "schema.minLength"),
        ("broken-questionnaire.json", "/version", "schema.format"),
    ]


def test_duplicate_ids_unknown_routing_targets_and_ids_outside_the_form_are_all_reported() -> None:
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(DATA / "definitions" / "dangling-questionnaire.json")
    assert _problems(error) == [
        ("dangling-questionnaire.json", "/sections/0/questions/1/id", "duplicateId"),
        ("dangling-questionnaire.json", "/sections/0/questions/2/when", "unknownQuestion"),
        ("dangling-questionnaire.json", "/sections/0/questions/3/id", "notOfficial"),
    ]


def test_a_file_that_is_not_json_is_reported_not_raised_as_a_decode_error(tmp_path: Path) -> None:
    path = tmp_path / "kapot.json"
    path.write_text("{ niet: json", "utf-8")
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(path)
    assert _problems(error) == [("kapot.json", "", "malformedJson")]


def test_a_catalogue_reports_the_problems_of_every_invalid_file_at_once(tmp_path: Path) -> None:
    for name in ("broken-questionnaire.json", "dangling-questionnaire.json"):
        (tmp_path / name).write_bytes((DATA / "definitions" / name).read_bytes())
    with pytest.raises(DefinitionError) as error:
        load_catalogue(tmp_path)
    assert {p.source for p in error.value.problems} == {"broken-questionnaire.json", "dangling-questionnaire.json"}


def test_the_catalogue_refuses_two_files_with_the_same_questionnaire_id(tmp_path: Path) -> None:
    original = ROOT / "questionnaires" / "bibob-subsidie.json"
    (tmp_path / "a.json").write_bytes(original.read_bytes())
    (tmp_path / "b.json").write_bytes(original.read_bytes())
    with pytest.raises(DefinitionError) as error:
        load_catalogue(tmp_path)
    assert _problems(error) == [("b.json", "/id", "duplicateId")]


def test_a_shortened_selection_keeps_only_the_chosen_official_questions() -> None:
    catalogue = load_catalogue(selections=DATA / "selections")
    selection = catalogue["leusden-alcoholwet-aanhangsel"]
    assert selection.base == "bibob-overige-beschikkingen@1.0.0"
    assert "2H" not in selection.used_official_ids
    assert {"1F", "4J", "7"} <= selection.used_official_ids
    assert [s.id for s in selection.sections] == ["1", "2", "3", "4", "5", "7"]


def _selection(**changes: object) -> dict[str, object]:
    document = json.loads((DATA / "selections" / "alcoholwet-aanhangsel.json").read_text("utf-8"))
    document.update(changes)
    return document


def test_a_selection_that_adds_a_question_is_refused() -> None:
    base = load_catalogue()["bibob-overige-beschikkingen"]
    with pytest.raises(DefinitionError) as error:
        apply_selection(base, _selection(keep=["1A", "1B", "2Z", "8A"]), "extra.json")
    assert _problems(error) == [("extra.json", "/keep/2", "notInBase"), ("extra.json", "/keep/3", "notInBase")]


def test_a_selection_made_for_another_version_of_the_form_is_refused() -> None:
    base = load_catalogue()["bibob-overige-beschikkingen"]
    with pytest.raises(DefinitionError) as error:
        apply_selection(base, _selection(base={"id": base.id, "version": "0.9.0"}), "oud.json")
    assert _problems(error) == [("oud.json", "/base/version", "baseVersionMismatch")]


def test_a_selection_that_rephrases_questions_is_refused_by_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "herschreven.json"
    path.write_text(json.dumps(_selection(questions=[{"id": "1A", "text": "Iets anders"}])), "utf-8")
    with pytest.raises(DefinitionError) as error:
        load_selection(path, load_catalogue())
    assert _problems(error) == [("herschreven.json", "/questions", "schema.unknownField")]


def test_a_selection_that_drops_a_question_others_are_routed_on_is_refused() -> None:
    base = load_catalogue()["bibob-overige-beschikkingen"]
    with pytest.raises(DefinitionError) as error:
        apply_selection(base, _selection(keep=["1A", "1D"]), "zonder-1c.json")
    assert {code for _, _, code in _problems(error)} == {"unknownQuestion"}


def test_a_selection_of_an_unknown_base_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "onbekend.json"
    path.write_text(json.dumps(_selection(base={"id": "bestaat-niet", "version": "1.0.0"})), "utf-8")
    with pytest.raises(DefinitionError) as error:
        load_selection(path, load_catalogue())
    assert _problems(error) == [("onbekend.json", "/base/id", "unknownBase")]


def test_routing_follows_upstream_conditions_so_a_question_routed_on_an_inapplicable_answer_does_not_apply() -> None:
    q1b = Question("1B", "Eenmanszaak?", "boolean")
    q1c = Question("1C", "Vennootschap?", "choice", when=Equals("1B", False))
    q1f = Question("1F.rechtspersoon", "Rechtspersoon", "organisation", when=Equals("1C", "nee"))
    effective = {q.id: c for q, c in routed([(q1b, None), (q1c, q1c.when), (q1f, q1f.when)])}
    assert effective["1F.rechtspersoon"] == All((Equals("1C", "nee"), Equals("1B", False)))
    assert not holds(effective["1F.rechtspersoon"], {"1B": True, "1C": "nee"})
    assert holds(effective["1F.rechtspersoon"], {"1B": False, "1C": "nee"})


def test_conditions_compare_as_json_so_true_never_equals_one() -> None:
    assert not holds(Equals("x", True), {"x": 1})
    assert not holds(OneOf("x", (1,)), {"x": True})
    assert holds(OneOf("x", (1,)), {"x": 1.0})
