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
    VERIFY_OR_ASK_LBB = "verifyOrAskLbb", "eerst de bevindingen verifiëren of advies vragen aan het LBB"
    VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE = (
        "verifyOrAskSupplementaryAdvice",
        "zich vergewissen van het LBB-advies en zo nodig aanvullend advies vragen",
    )


LEGAL_BASIS = {
    RecommendationKind.GRANT: "Wet Bibob art. 3 lid 1 (geen gevaar)",
    RecommendationKind.GRANT_WITH_CONDITIONS: "Wet Bibob art. 3 lid 7; zienswijze art. 33",
    RecommendationKind.REQUEST_LBB_ADVICE: "Wet Bibob art. 9; betrokkene informeren art. 32",
    RecommendationKind.PROPORTIONALITY_REQUIRED: "Wet Bibob art. 3 lid 5",
    RecommendationKind.REFUSAL_POSSIBLE: "Wet Bibob art. 3 lid 1 en lid 5; zienswijze art. 33",
    RecommendationKind.REQUEST_REPAIR: "Awb art. 4:5 lid 1",
    RecommendationKind.NOT_PROCESSED: "Awb art. 4:5 lid 1",
    RecommendationKind.VERIFY_OR_ASK_LBB: "Awb art. 3:2 (zorgvuldige voorbereiding); Wet Bibob art. 9 en art. 32",
    RecommendationKind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE: "Awb art. 3:2 en 3:9 (vergewisplicht); Wet Bibob art. 9",
}
GROUND_BASIS = {
    Ground.A_BENEFIT: "art. 3 lid 1 sub a",
    Ground.B_OFFENCES: "art. 3 lid 1 sub b",
    Ground.ART3_6_OBTAINING: "art. 3 lid 6",
    Ground.ART4_REFUSAL: "art. 4",
}


class RelationStatus(LabelledEnum):
    """Whether the relation the danger rests on is actual, has ended, or was never shown (art. 3 lid 4)."""

    ACTUAL = "actual", "actueel"
    ENDED = "ended", "beëindigd"
    NOT_SHOWN = "notShown", "niet aangetoond"


@attrs.frozen
class ProportionalityReading:
    """What the written proportionality record says beyond its required considerations, read by the assessment.

    An ended relation or an available lesser measure turns the refusal track into conditions (art. 3 lid 5 and 7);
    a relation not shown into verification (art. 3 lid 4).
    """

    relation_status: RelationStatus | None = None
    lesser_measure_available: bool | None = None
    lesser_measures: tuple[str, ...] = ()  # the conditions the coordinator found sufficient, when available
    degree_of_danger: str = ""
    time_elapsed: str = ""
    economic_impact: str = ""
    recidivism: str = ""
    evidence_quality: str = ""


@attrs.frozen
class LbbReview:
    """The body satisfied itself of the LBB advice (vergewisplicht, Awb 3:9): careful research, facts carry it."""

    checked_by: str
    checked_on: dt.date
    careful: bool  # the LBB's research was careful
    facts_carry_conclusion: bool  # the facts in the advice carry its conclusion
    notes: str = ""

    @property
    def accepts(self) -> bool:
        """Whether the body may rest on the advice."""
        return self.careful and self.facts_carry_conclusion


@attrs.frozen
class LevelConclusion:
    """The body's own danger level on a ground, deviating up or down from the LBB advice, with its reasons."""

    ground: Ground
    level: DangerLevel
    reasons: str
    recorded_by: str = ""
    conditions: tuple[str, ...] = ()  # the conditions that meet the danger when the body concludes lesser danger


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
    proportionality_reading: ProportionalityReading = ProportionalityReading()  # the record's structured factors
    repair_term_lapsed: bool = False
    lbb_levels: tuple[tuple[Ground, DangerLevel], ...] = ()  # the LBB advice on this application, if any
    register: Mapping[str, BasicProfile | None] = attrs.field(factory=dict)  # KvK basic profiles by KvK number
    lbb_advice_date: dt.date | None = None
    lbb_review: LbbReview | None = None  # the body's vergewissing of the advice
    conclusions: tuple[LevelConclusion, ...] = ()  # the body's own levels where it deviates from the advice
    registered_attachments: tuple[Mapping[str, Any], ...] = ()  # attachments registered apart from the answers
    #: The stored answers version's identifier (e.g. its ETag), if the caller has one: one identifier, one content.
    #: What was read from a version is then found by it, without reading the answers' content (`AnswerReads`).
    answers_version: str = ""


@attrs.frozen
class GroundLevel:
    """The danger level on one ground: the score of its findings against the policy's thresholds."""

    ground: Ground
    score: float
    lesser_from: float
    serious_from: float
    level: DangerLevel
    lbb_level: DangerLevel | None = None
    conclusion: LevelConclusion | None = None  # the body's motivated own level, up or down
    verified_level: DangerLevel | None = None  # the level of the verified findings alone; None: `level`

    @property
    def effective(self) -> DangerLevel:
        """The body's motivated conclusion; else the higher of the own findings and the LBB's level.

        The LBB advice is weighed, not copied: the body may deviate either way, with reasons.
        """
        if self.conclusion is not None:
            return self.conclusion.level
        if self.lbb_level is not None and self.lbb_level.rank > self.level.rank:
            return self.lbb_level
        return self.level

    @property
    def lbb_gap(self) -> bool:
        """Whether the own findings and the LBB's level lie far apart (none against serious): verify first."""
        return self.lbb_level is not None and self.conclusion is None and abs(self.lbb_level.rank - self.level.rank) > 1


@attrs.frozen
class Recommendation:
    """The recommended next step with its legal basis, suggested conditions and the reasons."""

    kind: RecommendationKind
    legal_basis: str
    grounds: tuple[Ground, ...] = ()
    conditions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@attrs.frozen
class ProportionalityFactor:
    """One factor of the proportionality test, with what the assessment already shows about it."""

    code: str  # the field of the proportionality record it fills
    label: str
    observation: str  # what the findings show, in Dutch
    to_complete: bool = True  # the coordinator still has to weigh it


@attrs.frozen
class Assessment:
    """The outcome of an assessment: findings, levels per ground, recommendation and its explanation."""

    declaration: Declaration
    completeness: Completeness
    findings: tuple[Finding, ...]
    levels: tuple[GroundLevel, ...]
    recommendation: Recommendation
    explanation: str
    proportionality_draft: tuple[ProportionalityFactor, ...] = ()  # for the coordinator to complete (art. 3 lid 5)

    def level(self, ground: Ground) -> DangerLevel:
        """The effective danger level on `ground`."""
        return next(g.effective for g in self.levels if g.ground is ground)
