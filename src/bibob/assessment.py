"""From findings to a danger level per ground and an explained recommendation — a person decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.clients.kvk_values import BasicProfile
from bibob.completeness import Completeness, check_completeness
from bibob.declaration import Declaration
from bibob.facts import Fact
from bibob.grounds import DangerLevel, Ground, ProportionalityRecord
from bibob.indicators import Finding, IndicatorContext, run_indicators
from bibob.labels import LabelledEnum
from bibob.policy import Policy
from bibob.questionnaire import Questionnaire
from bibob.reading import declaration_from_answers
from bibob.register_checks import register_findings


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
    permit_type: str = ""
    track: str = "application"  # or "existingPermit"
    facts: tuple[Fact, ...] = ()
    proportionality: ProportionalityRecord | None = None
    repair_term_lapsed: bool = False
    lbb_levels: tuple[tuple[Ground, DangerLevel], ...] = ()  # the LBB advice on this application, if any
    register: Mapping[str, BasicProfile | None] = attrs.field(factory=dict)  # KvK basic profiles by KvK number


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


def ground_levels(
    findings: tuple[Finding, ...], policy: Policy, lbb: Mapping[Ground, DangerLevel]
) -> tuple[GroundLevel, ...]:
    """Per ground: the sum of its findings' weights, and the level the policy's thresholds give it.

    A refusal to cooperate on an existing permit counts as serious danger by law (art. 4), whatever its weight.
    """
    levels = []
    for ground in Ground:
        score = round(sum(f.weight for f in findings if ground in f.grounds), 4)
        thresholds = policy.thresholds(ground)
        level = thresholds.level(score)
        if ground is Ground.ART4_REFUSAL and any(ground in f.grounds for f in findings):
            level = DangerLevel.SERIOUS
        levels.append(GroundLevel(ground, score, thresholds.lesser, thresholds.serious, level, lbb.get(ground)))
    return tuple(levels)


def _unverified_share(findings: tuple[Finding, ...], grounds: tuple[Ground, ...]) -> float:
    relevant = [f for f in findings if set(f.grounds) & set(grounds)]
    total = sum(f.weight for f in relevant)
    return sum(f.weight for f in relevant if f.unverified) / total if total else 0.0


def recommend(
    request: AssessmentRequest, completeness: Completeness, findings: tuple[Finding, ...],
    levels: tuple[GroundLevel, ...], policy: Policy,
) -> Recommendation:  # fmt: skip
    """The recommendation the rules of domain.md §7.7 give; every branch names its legal basis."""
    if request.track == "application" and completeness.missing:
        kind = RecommendationKind.NOT_PROCESSED if request.repair_term_lapsed else RecommendationKind.REQUEST_REPAIR
        return Recommendation(kind, LEGAL_BASIS[kind], reasons=(f"{len(completeness.missing)} onderdelen ontbreken",))
    worst = max((g.effective for g in levels), key=lambda level: level.rank)
    grounds = tuple(g.ground for g in levels if g.effective is worst and worst is not DangerLevel.NONE)
    doubt = not request.lbb_levels and _unverified_share(findings, grounds) > 0.5
    if worst is DangerLevel.NONE:
        kind = RecommendationKind.GRANT
    elif doubt:
        kind = RecommendationKind.REQUEST_LBB_ADVICE
    elif worst is DangerLevel.LESSER:
        kind = RecommendationKind.GRANT_WITH_CONDITIONS
    elif request.proportionality is not None and request.proportionality.is_complete:
        kind = RecommendationKind.REFUSAL_POSSIBLE
    else:
        kind = RecommendationKind.PROPORTIONALITY_REQUIRED
    basis = LEGAL_BASIS[kind]
    if kind in (RecommendationKind.REFUSAL_POSSIBLE, RecommendationKind.PROPORTIONALITY_REQUIRED):
        basis = f"Wet Bibob {', '.join(GROUND_BASIS[g] for g in grounds)}; {basis}"
    conditions = _conditions(findings, policy) if kind is RecommendationKind.GRANT_WITH_CONDITIONS else ()
    return Recommendation(kind, basis, grounds, conditions, _reasons(kind, request, doubt))


def _conditions(findings: tuple[Finding, ...], policy: Policy) -> tuple[str, ...]:
    texts = (policy.suggested_condition(f.code) for f in findings)
    return tuple(dict.fromkeys(text for text in texts if text))


def _reasons(kind: RecommendationKind, request: AssessmentRequest, doubt: bool) -> tuple[str, ...]:
    reasons = []
    if doubt:
        reasons.append("de bevindingen rusten voor meer dan de helft op verdenkingen of niet bevestigde bronnen")
    if kind is RecommendationKind.PROPORTIONALITY_REQUIRED and request.proportionality is not None:
        reasons.append("de evenredigheidstoets mist: " + ", ".join(request.proportionality.missing))
    return tuple(reasons)


def assess(request: AssessmentRequest, policy: Policy) -> Assessment:
    """Assess an application: deterministic, so the same request gives the same assessment, byte for byte."""
    from bibob.explanation import explain

    completeness = check_completeness(request.questionnaire, request.answers, today=request.reference_date)
    declaration = declaration_from_answers(request.questionnaire, request.answers)
    context = IndicatorContext(
        declaration=declaration,
        reference_date=request.reference_date,
        parameters=policy.parameters,
        permit_type=request.permit_type,
        track=request.track,
        facts=request.facts,
        missing=completeness.missing,
    )
    findings = run_indicators(context, policy) + register_findings(context, request.register, policy)
    levels = ground_levels(findings, policy, dict(request.lbb_levels))
    recommendation = recommend(request, completeness, findings, levels, policy)
    draft = Assessment(declaration, completeness, findings, levels, recommendation, "")
    return attrs.evolve(draft, explanation=explain(draft, request, policy))
