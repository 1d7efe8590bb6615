"""What an assessment is made of and gives: the request, the levels per ground, the recommendation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.clients import BasicProfile
from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, Ground, PermitType, ProportionalityRecord, Track
from bibob.questionnaires import Completeness, Questionnaire
from bibob.screening.declaration import Declaration
from bibob.screening.facts import Fact
from bibob.screening.indicators import Finding


class RecommendationKind(LabelledEnum):
    """What the software recommends; the body decides (AVG art. 22; Wet Bibob art. 3 is a 'may')."""

    GRANT = "grant", "verlenen"
    GRANT_WITH_CONDITIONS = "grantWithConditions", "verlenen met voorschriften"
    REQUEST_LBB_ADVICE = "requestLbbAdvice", "advies vragen aan het Landelijk Bureau Bibob"
    PROPORTIONALITY_REQUIRED = "proportionalityRequired", "eerst de evenredigheidstoets vastleggen"
    REFUSAL_POSSIBLE = "refusalPossible", "weigeren of intrekken is mogelijk"
    REQUEST_REPAIR = "requestRepair", "de aanvrager vragen de aanvraag aan te vullen"
    NOT_PROCESSED = "notProcessed", "de aanvraag buiten behandeling laten"


LEGAL_BASIS = {
    RecommendationKind.GRANT: "Wet Bibob art. 3 lid 1 (geen gevaar)",
    RecommendationKind.GRANT_WITH_CONDITIONS: "Wet Bibob art. 3 lid 7; zienswijze art. 33",
    RecommendationKind.REQUEST_LBB_ADVICE: "Wet Bibob art. 9; betrokkene informeren art. 32",
    RecommendationKind.PROPORTIONALITY_REQUIRED: "Wet Bibob art. 3 lid 5",
    RecommendationKind.REFUSAL_POSSIBLE: "Wet Bibob art. 3 lid 1 en lid 5; zienswijze art. 33",
    RecommendationKind.REQUEST_REPAIR: "Awb art. 4:5 lid 1",
    RecommendationKind.NOT_PROCESSED: "Awb art. 4:5 lid 1",
}
GROUND_BASIS = {
    Ground.A_BENEFIT: "art. 3 lid 1 sub a",
    Ground.B_OFFENCES: "art. 3 lid 1 sub b",
    Ground.ART3_6_OBTAINING: "art. 3 lid 6",
    Ground.ART4_REFUSAL: "art. 4",
}


@attrs.frozen
class AssessmentRequest:
    """What an assessment needs: the answers, the application, the own-investigation facts, the record."""

    questionnaire: Questionnaire
    answers: Mapping[str, Any]
    reference_date: dt.date
    permit_type: PermitType | None = None
    track: Track = Track.APPLICATION
    facts: tuple[Fact, ...] = ()
    proportionality: ProportionalityRecord | None = None
    repair_term_lapsed: bool = False
    lbb_levels: tuple[tuple[Ground, DangerLevel], ...] = ()  # the LBB advice on this application, if any
    register: Mapping[str, BasicProfile | None] = attrs.field(factory=dict)  # KvK basic profiles by KvK number
    registered_attachments: tuple[Mapping[str, Any], ...] = ()  # attachments registered apart from the answers


@attrs.frozen
class GroundLevel:
    """The danger level on one ground: the score of its findings against the policy's thresholds."""

    ground: Ground
    score: float
    lesser_from: float
    serious_from: float
    level: DangerLevel
    lbb_level: DangerLevel | None = None

    @property
    def effective(self) -> DangerLevel:
        """The higher of the own conclusion and the LBB's: deviating downwards needs a motivation."""
        if self.lbb_level is not None and self.lbb_level.rank > self.level.rank:
            return self.lbb_level
        return self.level


@attrs.frozen
class Recommendation:
    """The recommended next step with its legal basis, suggested conditions and the reasons."""

    kind: RecommendationKind
    legal_basis: str
    grounds: tuple[Ground, ...] = ()
    conditions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@attrs.frozen
class Assessment:
    """The outcome of an assessment: findings, levels per ground, recommendation and its explanation."""

    declaration: Declaration
    completeness: Completeness
    findings: tuple[Finding, ...]
    levels: tuple[GroundLevel, ...]
    recommendation: Recommendation
    explanation: str

    def level(self, ground: Ground) -> DangerLevel:
        """The effective danger level on `ground`."""
        return next(g.effective for g in self.levels if g.ground is ground)
