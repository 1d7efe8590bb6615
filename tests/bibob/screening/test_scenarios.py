"""Fully worked synthetic applications: the expected findings, danger levels and recommendation for each."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bibob.exceptions import InvalidInputError
from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue, check_completeness
from bibob.screening import RecommendationKind, assess, declaration_from_answers, request_from_json
from bibob.screening.assess import read_answers
from service.views import assessment_view
from tests.conftest import SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.json"))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def _scenario(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return result


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_each_scenario_gives_its_expected_findings_levels_and_recommendation(
    path: Path, catalogue: Catalogue, policy: Policy
) -> None:
    document = _scenario(path)
    assessment = assess(request_from_json(document, catalogue, path.name), policy)
    expected = document["expected"]
    assert [f.code for f in assessment.findings] == expected["findings"]
    assert {g.ground.value: g.effective.value for g in assessment.levels} == expected["levels"]
    assert assessment.recommendation.kind.value == expected["recommendation"]
    if "conditions" in expected:
        assert list(assessment.recommendation.conditions) == expected["conditions"]


def test_the_scenarios_cover_every_recommendation() -> None:
    seen = {_scenario(path)["expected"]["recommendation"] for path in SCENARIO_FILES}
    assert seen == {kind.value for kind in RecommendationKind}
    assert len(SCENARIO_FILES) >= 40


WORKED = [path for path in SCENARIO_FILES if int(path.stem[1:3]) >= 18]


@pytest.mark.parametrize("path", WORKED, ids=lambda p: p.stem)
def test_each_worked_scenario_names_the_ruling_and_the_outcome_it_upheld_or_the_law_it_follows(path: Path) -> None:
    basis = _scenario(path)["expected"]["basis"]
    if "ecli" in basis:
        assert basis["ecli"].startswith("ECLI:NL:")
        assert "-".join(basis["ecli"].lower().split(":")[2:]) in path.stem
    elif "caseNumber" in basis:
        assert basis["caseNumber"].split("/")[0] in path.stem
    else:
        assert basis["law"] and basis["rule"]
        return
    assert basis["court"] and basis["upheld"]


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_a_recommendation_of_conditions_always_names_the_conditions(
    path: Path, catalogue: Catalogue, policy: Policy
) -> None:
    """Art. 3 lid 7 and art. 33: conditions are named, so the subject can give a view on them."""
    recommendation = assess(request_from_json(_scenario(path), catalogue), policy).recommendation
    if recommendation.kind is RecommendationKind.GRANT_WITH_CONDITIONS:
        assert recommendation.conditions
    else:
        assert recommendation.conditions == ()


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_an_assessment_is_reproducible_byte_for_byte(path: Path, catalogue: Catalogue, policy: Policy) -> None:
    first = assess(request_from_json(_scenario(path), catalogue), policy)
    second = assess(request_from_json(_scenario(path), catalogue), load_policy())
    assert json.dumps(assessment_view(first), sort_keys=True) == json.dumps(assessment_view(second), sort_keys=True)


def test_the_explanation_names_evidence_and_legal_basis_and_leaves_the_decision_to_a_person(
    catalogue: Catalogue, policy: Policy
) -> None:
    document = _scenario(SCENARIOS / "s05-serious-refusal-possible.json")
    text = assess(request_from_json(document, catalogue), policy).explanation
    assert "[bron: bevinding F1]" in text
    assert "Advies: weigeren of intrekken is mogelijk (Wet Bibob art. 3 lid 1 sub a, art. 3 lid 1 sub b;" in text
    assert "Dit is een advies. Het bestuursorgaan beslist zelf" in text
    assert "Bakker" not in text  # persons are named by role, not by name
    assert "123456782" not in text


def test_a_serious_finding_is_never_a_refusal_without_a_proportionality_record(
    catalogue: Catalogue, policy: Policy
) -> None:
    document = _scenario(SCENARIOS / "s05-serious-refusal-possible.json")
    document["proportionality"]["lesserMeansConsidered"] = " "
    assessment = assess(request_from_json(document, catalogue), policy)
    assert assessment.recommendation.kind is RecommendationKind.PROPORTIONALITY_REQUIRED
    assert assessment.recommendation.reasons == ("de evenredigheidstoets mist: lesser_means_considered",)


def test_lesser_danger_suggests_the_policys_conditions(catalogue: Catalogue, policy: Policy) -> None:
    document = _scenario(SCENARIOS / "s04-rent-arrears-off-market.json")
    recommendation = assess(request_from_json(document, catalogue), policy).recommendation
    assert recommendation.conditions == (
        policy.suggested_condition("rentOffMarket"),
        policy.suggested_condition("rentArrearsTolerated"),
    )
    assert recommendation.legal_basis == "Wet Bibob art. 3 lid 7; zienswijze art. 33"


@pytest.mark.parametrize("reference_date", ["0001-01-01", "1949-12-31", "2201-01-01", "9999-12-31"])
def test_a_reference_date_outside_1950_to_2200_is_a_problem_not_an_overflow(
    catalogue: Catalogue, reference_date: str
) -> None:
    document = _scenario(SCENARIO_FILES[0]) | {"referenceDate": reference_date}
    with pytest.raises(InvalidInputError) as raised:
        request_from_json(document, catalogue)
    assert [(p.pointer, p.code) for p in raised.value.problems] == [("/referenceDate", "dateOutOfRange")]


def test_answers_read_before_are_not_read_again_but_changed_answers_are(catalogue: Catalogue) -> None:
    document = _scenario(SCENARIO_FILES[0])
    first = read_answers(request_from_json(document, catalogue))
    again = read_answers(request_from_json(copy.deepcopy(document), catalogue))
    changed = copy.deepcopy(document)
    changed["answers"]["subject"] = changed["answers"].get("subject", {}) | {"surname": "Anders-Dan-Voorheen"}
    other = read_answers(request_from_json(changed, catalogue))

    assert again[0] is first[0] and again[1] is first[1]  # the same content: read once
    assert other[0] is not first[0]


@pytest.mark.parametrize("path", SCENARIO_FILES[:3], ids=lambda p: p.stem)
def test_an_assessment_from_answers_read_before_equals_one_read_afresh(
    path: Path, catalogue: Catalogue, policy: Policy
) -> None:
    request = request_from_json(_scenario(path), catalogue)
    assess(request, policy)  # now remembered
    remembered = assess(request, policy)
    declaration, completeness = (
        declaration_from_answers(request.questionnaire, request.answers),
        check_completeness(
            request.questionnaire,
            request.answers,
            today=request.reference_date,
            registered=request.registered_attachments,
        ),
    )

    assert (remembered.declaration, remembered.completeness) == (declaration, completeness)
