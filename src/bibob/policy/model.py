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
