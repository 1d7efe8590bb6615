"""A municipal Bibob policy (beleidsregel) as data: screening rules, thresholds and indicator settings."""

from bibob.policy.model import (
    DEFAULT_WEIGHING,
    INDICATOR_CODES,
    AntecedentParameters,
    DangerThresholds,
    IndicatorParameters,
    Policy,
    ScreeningMode,
    ThresholdKind,
    WeighingParameters,
)
from bibob.policy.parse import load_policy, parse_policy, policy_problems
from bibob.policy.rules import ScreeningDecision, euros, screening_decision

__all__ = [
    "DEFAULT_WEIGHING",
    "INDICATOR_CODES",
    "AntecedentParameters",
    "DangerThresholds",
    "IndicatorParameters",
    "Policy",
    "ScreeningDecision",
    "ScreeningMode",
    "ThresholdKind",
    "WeighingParameters",
    "euros",
    "load_policy",
    "parse_policy",
    "policy_problems",
    "screening_decision",
]
