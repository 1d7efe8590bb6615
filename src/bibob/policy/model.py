"""A municipal Bibob policy (beleidsregel) as data: loading, validating, looking up and applying it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from bibob.exceptions import DefinitionError, InvalidInputError, NotFoundError, Problem
from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, Ground, PermitType
from bibob.questionnaires import load_catalogue
from bibob.schemas import data_dir, read_json, schema_problems
from bibob.terms import Term, TermUnit

SCHEMA = "policy.schema.json"
DEFAULT_POLICY_FILE = "default.json"
_E = TypeVar("_E", bound=LabelledEnum)

INDICATOR_CODES = (
    "ownCapitalUnexplained",
    "privateLoan",
    "loanWithoutProofOfReceipt",
    "cashFinancing",
    "taxDebts",
    "takeoverPriceOffMarket",
    "rentOffMarket",
    "rentArrearsTolerated",
    "strawManPattern",
    "managementChurn",
    "foreignEntityWithoutExtract",
    "criminalAntecedents",
    "administrativeFines",
    "earlierRefusalOrClosure",
    "priorBibobAdvice",
    "falseOrIncompleteAnswers",
    "refusalToCooperate",
    "knownInUnderminingCase",
    "registerNotFound",
    "registerMismatch",
    "recentlyFounded",
    "activityUnrelated",
)


class ScreeningMode(LabelledEnum):
    """When the policy has a Bibob screening take place for a permit type."""

    ALWAYS = "always", "altijd"
    ON_INDICATION = "onIndication", "indien daartoe aanleiding is"
    THRESHOLD = "threshold", "vanaf een drempelbedrag"
    NEVER = "never", "nooit"


class ThresholdKind(LabelledEnum):
    """The amounts a threshold screening looks at."""

    BUILDING_COST = "buildingCost", "bouwsom"
    SUBSIDY_AMOUNT = "subsidyAmount", "subsidiebedrag"
    CONTRACT_VALUE = "contractValue", "opdrachtwaarde"

    @property
    def with_article(self) -> str:
        """The label with its Dutch definite article: 'de bouwsom', 'het subsidiebedrag'."""
        return f"{'het' if self is ThresholdKind.SUBSIDY_AMOUNT else 'de'} {self.label}"


# --- values ---------------------------------------------------------------------------------------


@attrs.frozen
class DecisionTerm:
    """A statutory decision term with the legal basis it comes from."""

    term: Term
    legal_basis: str


@attrs.frozen
class ScreeningRule:
    """The policy for one permit type: mode, questionnaire, threshold and decision term."""

    mode: ScreeningMode
    questionnaire: str | None = None
    threshold: ThresholdKind | None = None
    below_threshold: ScreeningMode | None = None
    decision_term: DecisionTerm | None = None


@attrs.frozen
class IndicatorWeight:
    """How much one indicator counts (0–10), and the condition (voorschrift) it suggests on lesser danger."""

    weight: float
    suggested_condition: str = ""


@attrs.frozen
class DangerThresholds:
    """The scores from which danger on one ground is lesser and serious (serious above lesser)."""

    lesser: float
    serious: float

    def level(self, score: float) -> DangerLevel:
        """The danger level a score reaches: at or above a threshold counts."""
        if score >= self.serious:
            return DangerLevel.SERIOUS
        return DangerLevel.LESSER if score >= self.lesser else DangerLevel.NONE


@attrs.frozen
class ChurnParameters:
    """Management churn fires at `changes` director/shareholder changes within `within_months`."""

    changes: int
    within_months: int


@attrs.frozen
class AntecedentParameters:
    """How antecedents count: look-back, share of weight lost per year, factor without link to the activity."""

    look_back_years: int
    decay_per_year: float
    unrelated_activity_factor: float

    def factor(self, years_ago: float, linked_to_activity: bool) -> float:
        """The multiplier for an antecedent `years_ago` old; 0 outside the look-back."""
        if years_ago < 0 or years_ago > self.look_back_years:
            return 0.0
        link = 1.0 if linked_to_activity else self.unrelated_activity_factor
        return float((1 - self.decay_per_year) ** years_ago * link)


@attrs.frozen
class IndicatorParameters:
    """The settings indicators use to decide whether they fire."""

    churn: ChurnParameters
    antecedents: AntecedentParameters
    recently_founded_months: int
    rent_deviation_percent: float
    takeover_price_deviation_percent: float
    cash_threshold_cents: int


@attrs.frozen
class Retention:
    """Retention and reuse terms for Bibob data."""

    no_action_signal: Term
    lbb_advice_reuse: Term
    questionnaire_data: Term


def _frozen(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class Policy:
    """A municipal Bibob policy; assumes it was validated (use `parse_policy` or `load_policy`)."""

    municipality: str
    title: str
    version: str
    adopted: dt.date
    screening: Mapping[PermitType, ScreeningRule] = attrs.field(converter=_frozen)
    thresholds_cents: Mapping[ThresholdKind, int] = attrs.field(converter=_frozen)
    weights: Mapping[str, IndicatorWeight] = attrs.field(converter=_frozen)
    danger_thresholds: Mapping[Ground, DangerThresholds] = attrs.field(converter=_frozen)
    parameters: IndicatorParameters
    zienswijze_term: Term
    retention: Retention
    description: str = ""

    def screening_for(self, permit_type: PermitType | str) -> ScreeningRule:
        """The screening rule for a permit type (enum member or wire value)."""
        return self.screening[permit_type_of(permit_type)]

    def decision_term(self, permit_type: PermitType | str) -> DecisionTerm | None:
        """The statutory decision term, or None for a private-law act without one."""
        return self.screening_for(permit_type).decision_term

    def weight(self, code: str) -> float:
        """The weight of the indicator `code`."""
        return self._indicator(code).weight

    def suggested_condition(self, code: str) -> str:
        """The condition (voorschrift) suggested for indicator `code`, or ''."""
        return self._indicator(code).suggested_condition

    def thresholds(self, ground: Ground | str) -> DangerThresholds:
        """The danger thresholds for a ground (enum member or wire value)."""
        member = ground if isinstance(ground, Ground) else Ground.parse(ground)
        if member is None:
            raise NotFoundError("grond", str(ground))
        return self.danger_thresholds[member]

    def threshold_cents(self, kind: ThresholdKind) -> int | None:
        """The threshold amount in euro cents, or None when the policy sets none."""
        return self.thresholds_cents.get(kind)

    def _indicator(self, code: str) -> IndicatorWeight:
        try:
            return self.weights[code]
        except KeyError:
            raise NotFoundError("indicator", code) from None


def permit_type_of(value: PermitType | str) -> PermitType:
    """The permit type for an enum member or wire value; NotFoundError for anything else."""
    member = value if isinstance(value, PermitType) else PermitType.parse(value)
    if member is None:
        raise NotFoundError("vergunningtype", str(value))
    return member


# --- screening decision ---------------------------------------------------------------------------


@attrs.frozen
class ScreeningDecision:
    """Whether the policy asks for a Bibob screening, and why, in Dutch; a person still decides."""

    permit_type: PermitType
    mode: ScreeningMode
    required: bool
    on_indication: bool
    questionnaire: str | None
    reason: str


def euros(cents: int) -> str:
    """An amount in Dutch notation: '€ 500.000' or '€ 1.234,50'."""
    whole, rest = divmod(cents, 100)
    text = f"€ {whole:,}".replace(",", ".")
    return f"{text},{rest:02d}" if rest else text


def screening_decision(
    policy: Policy, permit_type: PermitType | str, amount_cents: int | None = None
) -> ScreeningDecision:
    """What the policy says about screening this application; `amount_cents` is needed for threshold rules."""
    member = permit_type_of(permit_type)
    rule = policy.screening[member]
    if rule.mode is ScreeningMode.THRESHOLD:
        return _threshold_decision(policy, member, rule, amount_cents)
    required, reason = _REASONS[rule.mode]
    return ScreeningDecision(
        member,
        rule.mode,
        required=required,
        on_indication=rule.mode is ScreeningMode.ON_INDICATION,
        questionnaire=rule.questionnaire,
        reason=reason.format(label=member.label, title=policy.title),
    )


_REASONS = {
    ScreeningMode.ALWAYS: (True, "Volgens '{title}' volgt bij een {label} altijd een Bibob-toets."),
    ScreeningMode.ON_INDICATION: (
        False,
        "Volgens '{title}' volgt bij een {label} alleen een Bibob-toets als daartoe aanleiding is, bijvoorbeeld "
        "een signaal van politie, OM of RIEC, een treffer in het Bibob-register of een opvallende financiering.",
    ),
    ScreeningMode.NEVER: (False, "Volgens '{title}' volgt bij een {label} geen Bibob-toets."),
}


_TAILS = {
    (True, False): "een Bibob-toets is verplicht.",
    (False, True): "een Bibob-toets volgt alleen als daartoe aanleiding is.",
    (False, False): "er volgt geen Bibob-toets.",
}


def _threshold_decision(
    policy: Policy, member: PermitType, rule: ScreeningRule, amount_cents: int | None
) -> ScreeningDecision:
    assert rule.threshold is not None  # the schema requires it in threshold mode
    limit = policy.thresholds_cents[rule.threshold]  # the semantic check requires it
    kind = rule.threshold.with_article
    if not _is_amount(amount_cents):
        message = f"geef {kind} op in eurocent (een geheel getal van 0 of meer) om de drempel toe te passen"
        raise InvalidInputError([Problem("/amountCents", "amountRequired", message)])
    assert isinstance(amount_cents, int)
    above = amount_cents >= limit
    indication = not above and rule.below_threshold is ScreeningMode.ON_INDICATION
    tail = _TAILS[above, indication]
    compared = "ligt op of boven" if above else "ligt onder"
    reason = f"{kind.capitalize()} van {euros(amount_cents)} {compared} de drempel van {euros(limit)}"
    reason += f" uit '{policy.title}'; {tail}"
    return ScreeningDecision(member, rule.mode, above, indication, rule.questionnaire, reason)


def _is_amount(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# --- reading a validated document -----------------------------------------------------------------


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
            antecedents["lookBackYears"], antecedents["decayPerYear"], antecedents["unrelatedActivityFactor"]
        ),
        recently_founded_months=raw["recentlyFoundedMonths"],
        rent_deviation_percent=raw["rentDeviationPercent"],
        takeover_price_deviation_percent=raw["takeoverPriceDeviationPercent"],
        cash_threshold_cents=raw["cashThresholdCents"],
    )


def _retention(raw: Mapping[str, Any]) -> Retention:
    return Retention(
        no_action_signal=Term.months(raw["noActionSignalMonths"]),
        lbb_advice_reuse=Term.years(raw["lbbAdviceReuseYears"]),
        questionnaire_data=Term.years(raw["questionnaireDataYears"]),
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
