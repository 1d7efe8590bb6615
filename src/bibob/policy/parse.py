"""Reading a policy document: schema first (every problem with its pointer), then the rules beyond it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from bibob.exceptions import DefinitionError, Problem
from bibob.labels import LabelledEnum
from bibob.legal import Ground, PermitType
from bibob.policy.model import (
    DEFAULT_WEIGHING,
    INDICATOR_CODES,
    UNSET_CATEGORY,
    AntecedentParameters,
    ChurnParameters,
    DangerThresholds,
    DecisionTerm,
    IndicatorParameters,
    IndicatorWeight,
    Policy,
    Retention,
    ScreeningMode,
    ScreeningRule,
    ThresholdKind,
    WeighingParameters,
)
from bibob.questionnaires import load_catalogue
from bibob.schemas import data_dir, read_json, schema_problems
from bibob.terms import Term, TermUnit

SCHEMA = "policy.schema.json"
DEFAULT_POLICY_FILE = "default.json"
_E = TypeVar("_E", bound=LabelledEnum)


def _member(kind: type[_E], value: str) -> _E:
    member = kind.parse(value)
    assert member is not None, value  # the schema admits wire values only
    return member


def _decision_term(raw: Mapping[str, Any] | None) -> DecisionTerm | None:
    if raw is None:
        return None
    return DecisionTerm(Term(raw["amount"], _member(TermUnit, raw["unit"])), raw["legalBasis"])


def _rule(raw: Mapping[str, Any]) -> ScreeningRule:
    threshold, below = raw.get("threshold"), raw.get("belowThreshold")
    return ScreeningRule(
        mode=_member(ScreeningMode, raw["mode"]),
        questionnaire=raw.get("questionnaire"),
        threshold=_member(ThresholdKind, threshold) if threshold else None,
        below_threshold=_member(ScreeningMode, below) if below else None,
        decision_term=_decision_term(raw.get("decisionTerm")),
    )


def _parameters(raw: Mapping[str, Any]) -> IndicatorParameters:
    churn, antecedents = raw["managementChurn"], raw["antecedents"]
    return IndicatorParameters(
        churn=ChurnParameters(churn["changes"], churn["withinMonths"]),
        antecedents=AntecedentParameters(
            antecedents["lookBackYears"],
            antecedents["decayPerYear"],
            antecedents["unrelatedActivityFactor"],
            antecedents.get("fullWeightYears", 0),
            antecedents.get("residualFactor", 0.0),
        ),
        recently_founded_months=raw["recentlyFoundedMonths"],
        rent_deviation_percent=raw["rentDeviationPercent"],
        takeover_price_deviation_percent=raw["takeoverPriceDeviationPercent"],
        cash_threshold_cents=raw["cashThresholdCents"],
        weighing=_weighing(raw.get("weighing")),
    )


def _factors(raw: Mapping[str, Any] | None, default: Mapping[str, float]) -> dict[str, float]:
    """Factors documented one by one ({key: {factor, description}}), over the defaults."""
    return {**default, **{key: entry["factor"] for key, entry in (raw or {}).items()}}


def _weighing(raw: Mapping[str, Any] | None) -> WeighingParameters:
    """How facts are weighed; whatever the policy leaves out keeps the library's default."""
    if raw is None:
        return DEFAULT_WEIGHING
    default, relations, benefit = DEFAULT_WEIGHING, raw.get("relations", {}), raw.get("benefit", {})
    answers = raw.get("falseAnswers", {})
    return WeighingParameters(
        evidence=_factors(raw.get("evidence"), default.evidence),
        severity=_factors(raw.get("severity"), default.severity),
        relations=_factors(relations.get("kinds"), default.relations),
        ended_relation_factor=relations.get("endedFactor", default.ended_relation_factor),
        indirect_relation_factor=relations.get("indirectFactor", default.indirect_relation_factor),
        large_benefit_cents=benefit.get("largeFromCents", default.large_benefit_cents),
        large_benefit_factor=benefit.get("largeFactor", default.large_benefit_factor),
        small_benefit_cents=benefit.get("smallBelowCents", default.small_benefit_cents),
        small_benefit_factor=benefit.get("smallFactor", default.small_benefit_factor),
        intent=_factors(answers.get("intent"), default.intent),
        corrected_answer_factor=answers.get("correctedFactor", default.corrected_answer_factor),
        max_repeats=raw.get("recidivism", {}).get("maxRepeats", default.max_repeats),
    )


def _retention(raw: Mapping[str, Any]) -> Retention:
    categories = raw.get("selectionListCategories", {})
    return Retention(
        no_action_signal=Term.months(raw["noActionSignalMonths"]),
        lbb_advice_reuse=Term.years(raw["lbbAdviceReuseYears"]),
        questionnaire_data=Term.years(raw["questionnaireDataYears"]),
        case=Term.years(raw.get("caseYears", 5)),
        dossier_category=categories.get("bibobDossier", UNSET_CATEGORY),
        case_category=categories.get("case", UNSET_CATEGORY),
    )


def policy_from_json(raw: Mapping[str, Any]) -> Policy:
    """Build a Policy from a document that passed the schema and the semantic checks."""
    return Policy(
        municipality=raw["municipality"],
        title=raw["title"],
        version=raw["version"],
        adopted=dt.date.fromisoformat(raw["adopted"]),
        screening={_member(PermitType, code): _rule(rule) for code, rule in raw["screening"].items()},
        thresholds_cents={_member(ThresholdKind, kind): cents for kind, cents in raw["thresholds"].items()},
        weights={
            code: IndicatorWeight(entry["weight"], entry.get("suggestedCondition", ""))
            for code, entry in raw["indicatorWeights"].items()
        },
        danger_thresholds={
            _member(Ground, ground): DangerThresholds(entry["lesser"], entry["serious"])
            for ground, entry in raw["dangerThresholds"].items()
        },
        parameters=_parameters(raw["indicatorParameters"]),
        zienswijze_term=Term.days(raw["zienswijzeTermDays"]),
        retention=_retention(raw["retention"]),
        description=raw.get("description", ""),
        default_condition=raw.get("generalConditions", {}).get("default", ""),
        ended_relation_condition=raw.get("generalConditions", {}).get("endedRelation", ""),
        register_working_days=raw.get("registerTermWorkingDays", 5),
    )


# --- semantic checks ------------------------------------------------------------------------------


def _date_problems(raw: Mapping[str, Any]) -> Iterator[Problem]:
    try:
        dt.date.fromisoformat(raw["adopted"])
    except ValueError:
        yield Problem("/adopted", "invalidDate", f"'{raw['adopted']}' is geen bestaande datum")


def _danger_problems(raw: Mapping[str, Any]) -> Iterator[Problem]:
    for ground, entry in raw["dangerThresholds"].items():
        if entry["serious"] <= entry["lesser"]:
            message = (
                f"grond '{ground}': de drempel voor ernstig gevaar ({entry['serious']}) moet hoger liggen "
                f"dan die voor mindere mate van gevaar ({entry['lesser']})"
            )
            yield Problem(f"/dangerThresholds/{ground}/serious", "seriousNotAboveLesser", message)


def _completeness_problems(raw: Mapping[str, Any]) -> Iterator[Problem]:
    for permit_type in PermitType:
        if permit_type.value not in raw["screening"]:
            message = f"de beleidsregel heeft geen toetsingsregel voor '{permit_type.value}' ({permit_type.label})"
            yield Problem(f"/screening/{permit_type.value}", "missingPermitType", message)
    for code in INDICATOR_CODES:
        if code not in raw["indicatorWeights"]:
            yield Problem(f"/indicatorWeights/{code}", "missingIndicator", f"indicator '{code}' heeft geen gewicht")


def _rule_problems(raw: Mapping[str, Any], known_questionnaires: Collection[str]) -> Iterator[Problem]:
    for code, rule in raw["screening"].items():
        questionnaire = rule.get("questionnaire")
        if questionnaire is not None and questionnaire not in known_questionnaires:
            message = f"vragenformulier '{questionnaire}' bestaat niet"
            yield Problem(f"/screening/{code}/questionnaire", "unknownQuestionnaire", message)
        threshold = rule.get("threshold")
        if threshold is not None and threshold not in raw["thresholds"]:
            message = f"de drempel '{threshold}' is niet ingevuld onder /thresholds"
            yield Problem(f"/screening/{code}/threshold", "missingThreshold", message)


def policy_problems(raw: Mapping[str, Any], known_questionnaires: Collection[str]) -> list[Problem]:
    """Every semantic problem of a schema-valid policy document, each with its JSON pointer."""
    return [
        *_date_problems(raw),
        *_completeness_problems(raw),
        *_rule_problems(raw, known_questionnaires),
        *_danger_problems(raw),
    ]


# --- loading --------------------------------------------------------------------------------------


@functools.cache
def shipped_questionnaire_ids() -> frozenset[str]:
    """The ids of the questionnaires shipped with bibob."""
    return frozenset(load_catalogue())


def parse_policy(document: object, source: str, known_questionnaires: Collection[str] | None = None) -> Policy:
    """Validate a policy document (schema, then semantics) and build it; DefinitionError lists every problem.

    `known_questionnaires` are the questionnaire ids a screening rule may name (default: the shipped ones).
    """
    problems = list(schema_problems(SCHEMA, document, source))
    if problems:
        raise DefinitionError(source, problems)
    assert isinstance(document, dict)
    known = shipped_questionnaire_ids() if known_questionnaires is None else known_questionnaires
    problems = [attrs.evolve(p, source=source) for p in policy_problems(document, known)]
    if problems:
        raise DefinitionError(source, problems)
    return policy_from_json(document)


def load_policy(path: Path | None = None, known_questionnaires: Collection[str] | None = None) -> Policy:
    """Load a policy file (default: the shipped `policies/default.json`); DefinitionError lists every problem.

    `known_questionnaires` defaults to the ids of the shipped catalogue.
    """
    path = path if path is not None else data_dir("policies") / DEFAULT_POLICY_FILE
    return parse_policy(read_json(path), path.name, known_questionnaires)
