"""A municipal Bibob policy (beleidsregel) as values: screening rules, thresholds, weights, retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from bibob.exceptions import NotFoundError
from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, Ground, PermitType
from bibob.terms import Term

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
    "repeatOffending",
    "undeclaredFinancing",
    "vendorCredit",
    "companyLoan",
    "cashFoundByPolice",
    "conditionBreach",
    "taxAuditFinding",
    "undeclaredControl",
    "groupOwnershipChange",
    "requestedDocumentsNotProvided",
    "wealthAgainstIncome",
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
    """How time elapsed (tijdsverloop) counts: look-back, full-weight years, decay, the weight old facts keep."""

    look_back_years: int
    decay_per_year: float
    unrelated_activity_factor: float
    full_weight_years: int = 0  # facts this recent keep their full weight
    residual_factor: float = 0.0  # time lowers a fact's weight but never below this; also beyond the look-back

    def factor(self, years_ago: float, linked_to_activity: bool) -> float:
        """The multiplier for an antecedent `years_ago` old: full, then decaying, never below the residual."""
        if years_ago < 0:  # a fact dated after the reference date is a data error, not a recent fact
            return 0.0
        years = years_ago
        if years > self.look_back_years:
            elapsed = self.residual_factor
        else:
            elapsed = max((1 - self.decay_per_year) ** max(years - self.full_weight_years, 0), self.residual_factor)
        link = 1.0 if linked_to_activity else self.unrelated_activity_factor
        return float(elapsed * link)


def _proxy(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class WeighingParameters:
    """How courts weigh a fact: evidence level, severity, relation, size of the benefit, intent, repetition.

    Each mapping is keyed by the wire value of its enumeration in `bibob.screening` (AntecedentStatus, Severity,
    RelationKind, Intent); a key the policy leaves out counts 1.
    """

    evidence: Mapping[str, float] = attrs.field(converter=_proxy)
    severity: Mapping[str, float] = attrs.field(converter=_proxy)
    relations: Mapping[str, float] = attrs.field(converter=_proxy)
    ended_relation_factor: float = 0.5
    indirect_relation_factor: float = 0.8
    large_benefit_cents: int = 10_000_000
    large_benefit_factor: float = 1.25
    small_benefit_cents: int = 500_000
    small_benefit_factor: float = 0.75
    intent: Mapping[str, float] = attrs.field(converter=_proxy, factory=dict)
    corrected_answer_factor: float = 0.5
    max_repeats: int = 3

    def benefit_factor(self, amount_cents: int | None) -> float:
        """The size of the (expected) benefit (art. 3 lid 2 sub d): large weighs more, small less."""
        if amount_cents is None:
            return 1.0
        if amount_cents >= self.large_benefit_cents:
            return self.large_benefit_factor
        return self.small_benefit_factor if amount_cents < self.small_benefit_cents else 1.0


DEFAULT_WEIGHING = WeighingParameters(
    evidence={"intelligence": 0.25, "dismissal": 0.35, "suspicion": 0.5, "established": 0.8, "penalOrder": 0.9,
              "settlement": 0.9, "conviction": 1.0},
    severity={"minor": 0.5, "moderate": 1.0, "serious": 2.0, "verySerious": 2.5},
    relations={"self": 1.0, "director": 1.0, "partner": 1.0, "ubo": 1.0, "shareholder": 0.9, "deFactoManager": 1.0,
               "financier": 0.8, "businessAssociate": 0.7, "lessor": 0.6, "seller": 0.6, "employee": 0.4,
               "family": 0.0, "alleged": 0.0, "none": 0.0},
    intent={"deliberate": 1.0, "unknown": 0.6, "negligent": 0.25},
)  # fmt: skip


@attrs.frozen
class IndicatorParameters:
    """The settings indicators use to decide whether they fire, and how facts are weighed."""

    churn: ChurnParameters
    antecedents: AntecedentParameters
    recently_founded_months: int
    rent_deviation_percent: float
    takeover_price_deviation_percent: float
    cash_threshold_cents: int
    weighing: WeighingParameters = DEFAULT_WEIGHING


#: What a policy says when it names no category of the Archiefwet selection list (the archivist must set it).
UNSET_CATEGORY = "categorie van de Selectielijst gemeenten 2020 nog niet vastgesteld door de archivaris"


@attrs.frozen
class Retention:
    """Retention and reuse terms for Bibob data; a Bibob dossier is kept `questionnaire_data` after its decision."""

    no_action_signal: Term
    lbb_advice_reuse: Term
    questionnaire_data: Term
    case: Term = attrs.field(factory=lambda: Term.years(5))  # a closed case (ondermijning), after closing
    dossier_category: str = UNSET_CATEGORY  # the selection list's category the dossier term follows
    case_category: str = UNSET_CATEGORY


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
    default_condition: str = ""  # the condition (art. 3 lid 7) named when no finding suggests one
    ended_relation_condition: str = ""  # the condition named when a relation with a risk person has ended
    register_working_days: int = 5  # 'onverwijld' for the Bibob register, in working days

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
