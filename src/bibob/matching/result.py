"""What a match is: its level, the outcome of each field comparison and the Dutch reasons."""

from __future__ import annotations

import attrs

from bibob.labels import LabelledEnum
from bibob.matching.profiles import Subject


class MatchLevel(LabelledEnum):
    """How sure a match is; only `certain` may be acted on without a person reviewing it."""

    CERTAIN = "certain", "zeker"
    PROBABLE = "probable", "waarschijnlijk"
    POSSIBLE = "possible", "mogelijk"
    NONE = "none", "geen"

    @property
    def rank(self) -> int:
        """3 for certain down to 0 for none, for sorting."""
        return _RANKS[self._value_]  # the member's value; `.value` is a slower descriptor

    @property
    def is_match(self) -> bool:
        """Whether the level counts as a match: certain or probable (possible only proposes)."""
        return self.rank >= 2


_RANKS = {"certain": 3, "probable": 2, "possible": 1, "none": 0}


class Outcome(LabelledEnum):
    """What one field comparison found."""

    AGREED = "agreed", "gelijk"
    DIFFERS = "differs", "verschillend"
    MISSING = "missing", "ontbreekt"


@attrs.frozen
class MatchReason:
    """One line of a match's explanation; `text` is Dutch and never holds a BSN, RSIN or KvK."""

    field: str
    outcome: Outcome
    similarity: float | None
    text: str


@attrs.frozen
class Match:
    """The verdict on two subjects: a score in [0, 1], a level and the reasons for it."""

    left_key: str
    right_key: str
    score: float
    level: MatchLevel
    reasons: tuple[MatchReason, ...]
    left: Subject | None = attrs.field(default=None, eq=False, repr=False)
    right: Subject | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def explanation(self) -> str:
        """The reasons as one Dutch sentence."""
        return "; ".join(reason.text for reason in self.reasons)

    @property
    def needs_review(self) -> bool:
        """Whether a person must confirm or dismiss this match before it is relied on."""
        return self.level in (MatchLevel.PROBABLE, MatchLevel.POSSIBLE)
