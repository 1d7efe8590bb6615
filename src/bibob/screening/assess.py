"""From findings to a danger level per ground and an explained recommendation — a person decides."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from bibob.legal import DangerLevel, Ground, Track
from bibob.policy import Policy
from bibob.questionnaires import Completeness, check_completeness
from bibob.screening.explanation import explain
from bibob.screening.indicators import Finding, run_indicators
from bibob.screening.indicators.base import IndicatorContext
from bibob.screening.model import (
    GROUND_BASIS,
    LEGAL_BASIS,
    Assessment,
    AssessmentRequest,
    GroundLevel,
    Recommendation,
    RecommendationKind,
)
from bibob.screening.reading import declaration_from_answers
from bibob.screening.register_checks import register_findings


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
    if request.track is Track.APPLICATION and completeness.missing:
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
    completeness = check_completeness(
        request.questionnaire, request.answers, today=request.reference_date, registered=request.registered_attachments
    )
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
