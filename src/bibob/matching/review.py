"""Review of proposed matches: decisions on pairs of subject keys, the ledger, and their effect."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from bibob.matching.explain import Comparison, reason
from bibob.matching.result import Match, MatchLevel


@attrs.frozen
class ReviewDecision:
    """A reviewer's verdict on a pair of subject keys (order of the keys does not matter)."""

    left_key: str
    right_key: str
    confirmed: bool
    reviewer: str
    reason: str

    @property
    def pair(self) -> frozenset[str]:
        """The two keys, unordered."""
        return frozenset((self.left_key, self.right_key))


def _confirmed_partners(decisions: Iterable[ReviewDecision]) -> dict[str, tuple[str, ...]]:
    partners: dict[str, tuple[str, ...]] = {}
    for decision in decisions:
        if decision.confirmed:
            for one, other in ((decision.left_key, decision.right_key), (decision.right_key, decision.left_key)):
                partners[one] = (*partners.get(one, ()), other)
    return partners


@attrs.frozen
class ReviewLedger:
    """Every review decision so far, the latest on a pair winning; see `with_decision`."""

    decisions: tuple[ReviewDecision, ...] = ()
    _by_pair: dict[frozenset[str], ReviewDecision] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: {decision.pair: decision for decision in self.decisions}, takes_self=True),
    )
    _confirmed: dict[str, tuple[str, ...]] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: _confirmed_partners(self._by_pair.values()), takes_self=True),
    )

    def with_decision(self, left_key: str, right_key: str, confirmed: bool, reviewer: str, reason: str) -> ReviewLedger:
        """A new ledger that also records this decision (it overrides earlier ones on the pair)."""
        decision = ReviewDecision(left_key, right_key, confirmed, reviewer, reason)
        return ReviewLedger((*self.decisions, decision))

    def decision_for(self, left_key: str, right_key: str) -> ReviewDecision | None:
        """The latest decision on the pair, in either order, or None."""
        return self._by_pair.get(frozenset((left_key, right_key)))

    def confirmed_with(self, key: str) -> tuple[str, ...]:
        """The keys a reviewer confirmed as the same subject as `key`."""
        return self._confirmed.get(key, ())


def apply_review(match: Match, ledger: ReviewLedger) -> Match:
    """A confirmed pair becomes certain, a dismissed pair none; the review leads the explanation."""
    decision = ledger.decision_for(match.left_key, match.right_key)
    if decision is None:
        return match
    how = "confirmed" if decision.confirmed else "dismissed"
    review = reason(Comparison("review", how, None, decision.reviewer, decision.reason))
    level, score = (MatchLevel.CERTAIN, 1.0) if decision.confirmed else (MatchLevel.NONE, 0.0)
    return attrs.evolve(match, level=level, score=score, reasons=(review, *match.reasons))
