"""Tests for the municipal Bibob policy: the shipped default, every problem at once, lookups and screening."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from bibob.exceptions import DefinitionError, InvalidInputError, NotFoundError
from bibob.legal import DangerLevel, Ground, PermitType
from bibob.policy import (
    DEFAULT_WEIGHING,
    INDICATOR_CODES,
    AntecedentParameters,
    DangerThresholds,
    Policy,
    ScreeningMode,
    ThresholdKind,
    euros,
    load_policy,
    parse_policy,
    policy_problems,
    screening_decision,
)
from bibob.terms import Term
from tests.conftest import DATA, ROOT

POLICIES = DATA / "policies"
DEFAULT = ROOT / "policies" / "default.json"
SHIPPED_QUESTIONNAIRES = frozenset(path.stem for path in (ROOT / "questionnaires").glob("*.json"))

ALWAYS = (
    "exploitatieHoreca", "alcoholwet", "alcoholwetAanhangselLeidinggevende", "seksinrichting", "escortbedrijf",
    "speelautomatenhal", "coffeeshopExploitatie", "smartGrowHeadshop",
)  # fmt: skip
ON_INDICATION = (
    "aanwezigheidKansspelautomaten", "evenement", "huisvestingArbeidsmigranten", "huisvestingswet",
    "ovOmgevingsplanactiviteit", "ovMilieubelastendeActiviteit", "overigApv", "overheidsopdracht",
    "vastgoedtransactie",
)  # fmt: skip
EURO = 100


@pytest.fixture(name="policy", scope="module")
def _policy() -> Policy:
    return load_policy()


def _default_document() -> Any:
    return json.loads(DEFAULT.read_text("utf-8"))


def _problems(path_or_document: Path | Any) -> set[tuple[str, str]]:
    def load() -> Policy:
        if isinstance(path_or_document, Path):
            return load_policy(path_or_document)
        return parse_policy(path_or_document, "test.json", SHIPPED_QUESTIONNAIRES)

    with pytest.raises(DefinitionError) as caught:
        load()
    return {(problem.pointer, problem.code) for problem in caught.value.problems}


def _with_rule(permit_type: str, **rule: Any) -> Policy:
    document = _default_document()
    document["screening"][permit_type] = rule
    return parse_policy(document, "test.json", SHIPPED_QUESTIONNAIRES)


# --- the shipped default ---------------------------------------------------------------------------


def test_the_default_policy_loads_from_the_shipped_data_folder(policy: Policy) -> None:
    assert policy.municipality == "Gemeente Leusden (voorbeeld)"
    assert policy.version == "2026.1"
    assert policy.adopted.isoformat() == "2026-01-20"
    assert load_policy(DEFAULT) == policy


def test_the_default_policy_names_every_permit_type_and_every_indicator(policy: Policy) -> None:
    assert set(PermitType) == set(policy.screening)
    assert tuple(policy.weights) == INDICATOR_CODES
    assert set(Ground) == set(policy.danger_thresholds)


def test_the_default_policy_explains_its_weights_and_thresholds_in_dutch(policy: Policy) -> None:
    assert "mindere mate" in policy.description
    assert "ernstig" in policy.description
    assert "evenredigheidstoets" in policy.description


def test_the_schema_lists_exactly_the_permit_types_and_indicator_codes_of_the_library() -> None:
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text("utf-8"))
    properties = schema["properties"]
    assert [member.value for member in PermitType] == list(properties["screening"]["properties"])
    assert list(INDICATOR_CODES) == list(properties["indicatorWeights"]["properties"])
    assert [member.value for member in ThresholdKind] == list(properties["thresholds"]["properties"])


def test_every_property_in_the_policy_schema_is_documented() -> None:
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text("utf-8"))

    def undocumented(node: Any, pointer: str) -> list[str]:
        if not isinstance(node, dict):
            return []
        missing = [f"{pointer}/{name}" for name, sub in node.get("properties", {}).items() if "description" not in sub]
        children = [*node.get("properties", {}).items(), *node.get("$defs", {}).items()]
        return missing + [m for name, sub in children for m in undocumented(sub, f"{pointer}/{name}")]

    assert undocumented(schema, "") == []


@pytest.mark.parametrize("permit_type", ALWAYS)
def test_the_high_risk_sectors_are_always_screened(policy: Policy, permit_type: str) -> None:
    assert policy.screening_for(permit_type).mode is ScreeningMode.ALWAYS


@pytest.mark.parametrize("permit_type", ON_INDICATION)
def test_events_housing_and_the_other_acts_are_screened_on_indication(policy: Policy, permit_type: str) -> None:
    assert policy.screening_for(permit_type).mode is ScreeningMode.ON_INDICATION


def test_building_and_subsidies_are_screened_from_a_threshold(policy: Policy) -> None:
    building = policy.screening_for(PermitType.OV_BOUWACTIVITEIT)
    subsidy = policy.screening_for(PermitType.SUBSIDIE)
    assert (building.mode, building.threshold) == (ScreeningMode.THRESHOLD, ThresholdKind.BUILDING_COST)
    assert (subsidy.mode, subsidy.threshold) == (ScreeningMode.THRESHOLD, ThresholdKind.SUBSIDY_AMOUNT)
    assert policy.threshold_cents(ThresholdKind.BUILDING_COST) == 500_000 * EURO


def test_each_permit_type_gets_the_questionnaire_of_its_form_variant(policy: Policy) -> None:
    assert policy.screening_for("exploitatieHoreca").questionnaire == "bibob-overige-beschikkingen"
    assert policy.screening_for("ovBouwactiviteit").questionnaire == "bibob-omgevingsvergunning-bouw"
    assert policy.screening_for("subsidie").questionnaire == "bibob-subsidie"
    assert policy.screening_for("overheidsopdracht").questionnaire == "bibob-overheidsopdracht"
    assert policy.screening_for("vastgoedtransactie").questionnaire == "bibob-vastgoedtransactie"


def test_one_moderate_offence_reaches_lesser_and_one_recent_serious_related_offence_reaches_serious(
    policy: Policy,
) -> None:
    """Art. 3 lid 3 sub b and lid 5 sub b: the seriousness of the offence counts, not only the number of flags."""
    thresholds = policy.thresholds(Ground.B_OFFENCES)
    antecedent = policy.weight("criminalAntecedents")
    serious = antecedent * policy.parameters.weighing.severity["serious"]
    time = policy.parameters.antecedents.factor
    assert thresholds.level(antecedent) is DangerLevel.LESSER
    assert thresholds.level(serious * time(2, linked_to_activity=True)) is DangerLevel.SERIOUS
    assert thresholds.level(serious * time(3, linked_to_activity=True)) is DangerLevel.LESSER
    assert thresholds.level(2 * antecedent * time(3, linked_to_activity=True)) is DangerLevel.LESSER
    assert thresholds.level(3 * antecedent * time(3, linked_to_activity=True)) is DangerLevel.SERIOUS


def test_time_elapsed_lowers_the_weight_of_a_fact_but_never_erases_it(policy: Policy) -> None:
    """Tijdsverloop (ECLI:NL:RBOBR:2017:5187): facts over five years old keep some weight."""
    time = policy.parameters.antecedents.factor
    assert time(2, linked_to_activity=True) == 1.0
    assert 0 < time(12, linked_to_activity=True) < time(4, linked_to_activity=True) < 1.0


def test_every_weight_the_default_policy_sets_is_documented() -> None:
    """The policy explains each weight, threshold and factor it sets, in Dutch (a description per weight)."""
    raw = json.loads(DEFAULT.read_text("utf-8"))
    assert all(entry.get("description") for entry in raw["indicatorWeights"].values())
    assert all(entry.get("description") for entry in raw["dangerThresholds"].values())
    weighing = raw["indicatorParameters"]["weighing"]
    factors = [*weighing["evidence"].values(), *weighing["severity"].values(),
               *weighing["relations"]["kinds"].values(), *weighing["falseAnswers"]["intent"].values()]  # fmt: skip
    assert factors and all(entry.get("description") for entry in factors)
    for group in ("relations", "benefit", "falseAnswers", "recidivism"):
        assert weighing[group]["description"]
    assert raw["indicatorParameters"]["antecedents"]["description"]


def test_a_policy_without_weighing_keeps_the_librarys_defaults() -> None:
    raw = json.loads(DEFAULT.read_text("utf-8"))
    del raw["indicatorParameters"]["weighing"]
    assert parse_policy(raw, "zonder-weging.json").parameters.weighing == DEFAULT_WEIGHING


def test_a_weighed_factor_the_policy_sets_overrides_the_default() -> None:
    raw = json.loads(DEFAULT.read_text("utf-8"))
    raw["indicatorParameters"]["weighing"]["evidence"]["suspicion"]["factor"] = 0.4
    weighing = parse_policy(raw, "strenger.json").parameters.weighing
    assert weighing.evidence["suspicion"] == 0.4
    assert weighing.evidence["conviction"] == DEFAULT_WEIGHING.evidence["conviction"]


def test_an_antecedent_without_link_to_the_activity_alone_is_no_danger(policy: Policy) -> None:
    unrelated = policy.weight("criminalAntecedents") * policy.parameters.antecedents.factor(0, False)
    assert policy.thresholds("bOffences").level(unrelated) is DangerLevel.NONE


def test_light_red_flags_alone_stay_below_lesser_danger(policy: Policy) -> None:
    for code in ("privateLoan", "taxDebts", "managementChurn", "administrativeFines"):
        assert policy.thresholds(Ground.A_BENEFIT).level(policy.weight(code)) is DangerLevel.NONE


def test_refusal_to_cooperate_alone_is_serious_on_the_art_4_ground(policy: Policy) -> None:
    assert policy.thresholds(Ground.ART4_REFUSAL).level(policy.weight("refusalToCooperate")) is DangerLevel.SERIOUS


# --- every problem at once -------------------------------------------------------------------------


def test_every_schema_problem_is_listed_at_once_with_its_pointer() -> None:
    assert _problems(POLICIES / "broken-schema.json") == {
        ("/retention", "schema.required"),
        ("/version", "schema.type"),
        ("/screening/parkeervergunning", "schema.unknownField"),
        ("/screening/evenement/mode", "schema.enum"),
        ("/screening/exploitatieHoreca/decisionTerm/unit", "schema.enum"),
        ("/screening/subsidie/threshold", "schema.required"),
        ("/screening/subsidie/belowThreshold", "schema.required"),
        ("/indicatorWeights/luckyGuess", "schema.unknownField"),
        ("/indicatorWeights/criminalAntecedents/weight", "schema.maximum"),
        ("/dangerThresholds/bOffences/lesser", "schema.type"),
    }


def test_schema_problems_name_the_file_they_come_from() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_policy(POLICIES / "broken-schema.json")
    assert caught.value.source == "broken-schema.json"
    assert {problem.source for problem in caught.value.problems} == {"broken-schema.json"}
    assert len(caught.value.problems) == 10  # subsidie lacks both threshold and belowThreshold


def test_every_semantic_problem_is_listed_at_once_with_its_pointer() -> None:
    assert _problems(POLICIES / "broken-semantics.json") == {
        ("/adopted", "invalidDate"),
        ("/screening/vastgoedtransactie", "missingPermitType"),
        ("/screening/evenement/questionnaire", "unknownQuestionnaire"),
        ("/screening/ovBouwactiviteit/threshold", "missingThreshold"),
        ("/indicatorWeights/privateLoan", "missingIndicator"),
        ("/indicatorWeights/knownInUnderminingCase", "missingIndicator"),
        ("/dangerThresholds/aBenefit/serious", "seriousNotAboveLesser"),
        ("/dangerThresholds/art4/serious", "seriousNotAboveLesser"),
    }


def test_semantic_problems_explain_themselves_in_dutch() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_policy(POLICIES / "broken-semantics.json")
    messages = {problem.pointer: problem.message for problem in caught.value.problems}
    assert messages["/dangerThresholds/art4/serious"] == (
        "grond 'art4': de drempel voor ernstig gevaar (5) moet hoger liggen dan die voor mindere mate van gevaar (10)"
    )
    assert messages["/screening/evenement/questionnaire"] == "vragenformulier 'bibob-evenementen' bestaat niet"
    assert "geen gewicht" in messages["/indicatorWeights/privateLoan"]


def test_the_pure_check_takes_the_known_questionnaires_as_a_parameter() -> None:
    problems = policy_problems(_default_document(), {"bibob-overige-beschikkingen"})
    assert {p.pointer for p in problems} == {
        "/screening/ovBouwactiviteit/questionnaire",
        "/screening/ovOmgevingsplanactiviteit/questionnaire",
        "/screening/ovMilieubelastendeActiviteit/questionnaire",
        "/screening/subsidie/questionnaire",
        "/screening/overheidsopdracht/questionnaire",
        "/screening/vastgoedtransactie/questionnaire",
    }
    assert policy_problems(_default_document(), SHIPPED_QUESTIONNAIRES) == []


def test_the_loader_checks_questionnaires_against_the_shipped_catalogue_by_default() -> None:
    document = _default_document()
    document["screening"]["evenement"]["questionnaire"] = "bibob-bestaat-niet"
    with pytest.raises(DefinitionError) as caught:
        parse_policy(document, "test.json")
    assert [p.pointer for p in caught.value.problems] == ["/screening/evenement/questionnaire"]


def test_equal_thresholds_for_lesser_and_serious_are_refused() -> None:
    document = _default_document()
    document["dangerThresholds"]["bOffences"] = {"lesser": 8, "serious": 8}
    assert _problems(document) == {("/dangerThresholds/bOffences/serious", "seriousNotAboveLesser")}


def test_a_threshold_on_a_rule_that_is_not_a_threshold_rule_is_refused() -> None:
    document = _default_document()
    document["screening"]["evenement"].update(threshold="buildingCost", belowThreshold="never")
    assert _problems(document) == {("/screening/evenement", "schema.not")}


def test_a_screened_permit_type_needs_a_questionnaire() -> None:
    document = _default_document()
    del document["screening"]["evenement"]["questionnaire"]
    assert _problems(document) == {("/screening/evenement/questionnaire", "schema.required")}


# --- bad input -------------------------------------------------------------------------------------


def test_a_file_that_is_not_json_is_a_definition_error() -> None:
    assert _problems(POLICIES / "broken-not-json.json") == {("", "malformedJson")}


def test_a_missing_file_is_a_definition_error(tmp_path: Path) -> None:
    assert _problems(tmp_path / "absent.json") == {("", "malformedJson")}


@pytest.mark.parametrize("document", [[], "beleid", None, 42])
def test_a_document_that_is_not_an_object_is_refused(document: Any) -> None:
    assert _problems(document) == {("", "schema.type")}


@pytest.mark.parametrize(
    ("pointer", "value", "code"),
    [
        ("weight", "8", "schema.type"),
        ("weight", -1, "schema.minimum"),
        ("suggestedCondition", "", "schema.minLength"),
    ],
)
def test_indicator_weights_of_the_wrong_kind_are_refused(pointer: str, value: Any, code: str) -> None:
    document = _default_document()
    document["indicatorWeights"]["cashFinancing"][pointer] = value
    assert _problems(document) == {(f"/indicatorWeights/cashFinancing/{pointer}", code)}


def test_amounts_must_be_whole_cents() -> None:
    document = _default_document()
    document["thresholds"]["buildingCost"] = 500_000.5
    document["indicatorParameters"]["cashThresholdCents"] = "10000"
    assert _problems(document) == {
        ("/thresholds/buildingCost", "schema.type"),
        ("/indicatorParameters/cashThresholdCents", "schema.type"),
    }


def test_an_lbb_advice_may_not_be_reused_longer_than_article_29_allows() -> None:
    document = _default_document()
    document["retention"]["lbbAdviceReuseYears"] = 6
    assert _problems(document) == {("/retention/lbbAdviceReuseYears", "schema.maximum")}


def test_an_unknown_permit_type_in_the_policy_is_refused() -> None:
    document = _default_document()
    document["screening"]["kapsalon"] = copy.deepcopy(document["screening"]["overigApv"])
    assert _problems(document) == {("/screening/kapsalon", "schema.unknownField")}


@pytest.mark.parametrize("permit_type", ["kapsalon", "", "ExploitatieHoreca"])
def test_looking_up_an_unknown_permit_type_is_not_found(policy: Policy, permit_type: str) -> None:
    with pytest.raises(NotFoundError):
        policy.screening_for(permit_type)
    with pytest.raises(NotFoundError):
        screening_decision(policy, permit_type)


def test_looking_up_an_unknown_indicator_or_ground_is_not_found(policy: Policy) -> None:
    with pytest.raises(NotFoundError):
        policy.weight("luckyGuess")
    with pytest.raises(NotFoundError):
        policy.thresholds("cGround")


# --- lookups ---------------------------------------------------------------------------------------


def test_weights_and_suggested_conditions_are_looked_up_by_indicator_code(policy: Policy) -> None:
    assert policy.weight("criminalAntecedents") == 8
    assert policy.weight("refusalToCooperate") == 10
    assert policy.suggested_condition("cashFinancing").startswith("Huur, overnamesom en aflossingen")
    assert policy.suggested_condition("falseOrIncompleteAnswers") == ""


def test_danger_thresholds_are_looked_up_by_ground_or_wire_value(policy: Policy) -> None:
    assert policy.thresholds(Ground.A_BENEFIT) == DangerThresholds(6, 15)
    assert policy.thresholds("art3lid6") == DangerThresholds(6, 12)


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, DangerLevel.NONE), (5.99, DangerLevel.NONE), (6, DangerLevel.LESSER), (14.9, DangerLevel.LESSER),
     (15, DangerLevel.SERIOUS), (40, DangerLevel.SERIOUS)],
)  # fmt: skip
def test_a_score_at_or_above_a_threshold_reaches_that_level(score: float, level: DangerLevel) -> None:
    assert DangerThresholds(6, 15).level(score) is level


def test_the_decision_term_comes_with_its_legal_basis(policy: Policy) -> None:
    horeca = policy.decision_term(PermitType.EXPLOITATIE_HORECA)
    building = policy.decision_term("ovBouwactiviteit")
    assert horeca is not None
    assert building is not None
    assert horeca.term == Term.weeks(8)
    assert "Awb 4:13" in horeca.legal_basis
    assert "Omgevingswet art. 16.64" in building.legal_basis


def test_private_law_acts_have_no_statutory_decision_term(policy: Policy) -> None:
    assert policy.decision_term("overheidsopdracht") is None
    assert policy.decision_term("vastgoedtransactie") is None


def test_the_zienswijze_and_retention_terms_are_terms(policy: Policy) -> None:
    assert policy.zienswijze_term == Term.days(14)
    assert policy.retention.no_action_signal == Term.months(12)
    assert policy.retention.lbb_advice_reuse == Term.years(5)
    assert policy.retention.questionnaire_data == Term.years(5)


def test_indicator_parameters_are_read(policy: Policy) -> None:
    parameters = policy.parameters
    assert (parameters.churn.changes, parameters.churn.within_months) == (3, 24)
    assert parameters.antecedents == AntecedentParameters(5, 0.15, 0.5, full_weight_years=2, residual_factor=0.25)
    assert parameters.recently_founded_months == 12
    assert parameters.rent_deviation_percent == 30
    assert parameters.cash_threshold_cents == 10_000 * EURO


@pytest.mark.parametrize(
    ("years_ago", "linked", "factor"),
    [(0, True, 1.0), (0, False, 0.5), (2, True, 0.7225), (5, True, 0.85**5), (5.5, True, 0.0), (-1, True, 0.0)],
)
def test_antecedents_fade_with_time_and_count_half_without_link(years_ago: float, linked: bool, factor: float) -> None:
    assert AntecedentParameters(5, 0.15, 0.5).factor(years_ago, linked) == pytest.approx(factor)


def test_a_policy_is_immutable(policy: Policy) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.title = "anders"  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.screening[PermitType.EVENEMENT] = policy.screening[PermitType.OVERIG_APV]  # type: ignore[index]


# --- screening decisions ---------------------------------------------------------------------------


def test_an_always_screened_permit_type_requires_a_screening(policy: Policy) -> None:
    decision = screening_decision(policy, "exploitatieHoreca")
    assert (decision.mode, decision.required, decision.on_indication) == (ScreeningMode.ALWAYS, True, False)
    assert decision.questionnaire == "bibob-overige-beschikkingen"
    assert decision.reason == (
        "Volgens 'Beleidsregel toepassing Wet Bibob gemeente Leusden 2026 (voorbeeld)' volgt bij een "
        "exploitatievergunning horecabedrijf altijd een Bibob-toets."
    )


def test_an_on_indication_permit_type_is_screened_only_when_there_is_reason(policy: Policy) -> None:
    decision = screening_decision(policy, PermitType.EVENEMENT, amount_cents=10**9)
    assert (decision.mode, decision.required, decision.on_indication) == (ScreeningMode.ON_INDICATION, False, True)
    assert "alleen een Bibob-toets als daartoe aanleiding is" in decision.reason


@pytest.mark.parametrize(
    ("amount", "required", "phrase"),
    [
        (499_999 * EURO + 99, False, "De bouwsom van € 499.999,99 ligt onder de drempel van € 500.000"),
        (500_000 * EURO, True, "De bouwsom van € 500.000 ligt op of boven de drempel van € 500.000"),
        (2_750_000 * EURO, True, "De bouwsom van € 2.750.000 ligt op of boven de drempel van € 500.000"),
        (0, False, "De bouwsom van € 0 ligt onder de drempel"),
    ],
)
def test_a_building_permit_is_screened_from_the_building_cost_threshold(
    policy: Policy, amount: int, required: bool, phrase: str
) -> None:
    decision = screening_decision(policy, "ovBouwactiviteit", amount)
    assert decision.mode is ScreeningMode.THRESHOLD
    assert (decision.required, decision.on_indication) == (required, not required)
    assert decision.reason.startswith(phrase)
    assert decision.questionnaire == "bibob-omgevingsvergunning-bouw"


@pytest.mark.parametrize(("amount", "required"), [(49_999 * EURO, False), (50_000 * EURO, True), (50_001 * EURO, True)])
def test_a_subsidy_is_screened_from_the_subsidy_threshold(policy: Policy, amount: int, required: bool) -> None:
    decision = screening_decision(policy, PermitType.SUBSIDIE, amount_cents=amount)
    assert decision.required is required
    assert decision.reason.startswith(f"Het subsidiebedrag van {euros(amount)} ligt")


def test_below_a_threshold_that_excludes_indications_nothing_is_screened() -> None:
    policy = _with_rule(
        "ovBouwactiviteit",
        mode="threshold", questionnaire="bibob-omgevingsvergunning-bouw", threshold="buildingCost",
        belowThreshold="never",
    )  # fmt: skip
    decision = screening_decision(policy, "ovBouwactiviteit", 100_000 * EURO)
    assert (decision.required, decision.on_indication) == (False, False)
    assert decision.reason.endswith("er volgt geen Bibob-toets.")


def test_a_never_screened_permit_type_needs_no_questionnaire_and_is_not_screened() -> None:
    policy = _with_rule("evenement", mode="never")
    decision = screening_decision(policy, "evenement")
    assert (decision.mode, decision.required, decision.on_indication) == (ScreeningMode.NEVER, False, False)
    assert decision.questionnaire is None
    assert decision.reason.endswith("volgt bij een evenementenvergunning geen Bibob-toets.")


def test_a_contract_value_threshold_can_be_chosen_for_public_contracts() -> None:
    policy = _with_rule(
        "overheidsopdracht",
        mode="threshold", questionnaire="bibob-overheidsopdracht", threshold="contractValue",
        belowThreshold="onIndication",
    )  # fmt: skip
    assert screening_decision(policy, "overheidsopdracht", 250_000 * EURO).required
    assert not screening_decision(policy, "overheidsopdracht", 249_999 * EURO).required


@pytest.mark.parametrize("amount", [None, -1, True, 1.5, "500000"])
def test_a_threshold_rule_needs_a_whole_non_negative_amount(policy: Policy, amount: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        screening_decision(policy, "ovBouwactiviteit", amount)
    assert [(p.pointer, p.code) for p in caught.value.problems] == [("/amountCents", "amountRequired")]
    assert "bouwsom" in caught.value.problems[0].message


def test_screening_decisions_are_deterministic(policy: Policy) -> None:
    assert screening_decision(policy, "subsidie", 75_000 * EURO) == screening_decision(
        policy, "subsidie", 75_000 * EURO
    )


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "€ 0"),
        (5, "€ 0,05"),
        (123_456, "€ 1.234,56"),
        (50_000_000, "€ 500.000"),
        (100_000_000_000, "€ 1.000.000.000"),
    ],
)
def test_amounts_are_written_the_dutch_way(cents: int, text: str) -> None:
    assert euros(cents) == text
