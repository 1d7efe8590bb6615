"""A municipal Bibob policy (beleidsregel) as data: screening rules, thresholds and indicator settings."""

from bibob.policy.model import IndicatorParameters, Policy, load_policy

__all__ = [
    "IndicatorParameters",
    "Policy",
    "load_policy",
]
