"""From findings to a danger level per ground and an explained recommendation — a person decides."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from bibob.legal import DangerLevel, Ground, Track
from bibob.parties import RelationType
from bibob.policy import Policy
from bibob.questionnaires import Completeness
from bibob.screening.declaration import Declaration
from bibob.screening.explanation import explain
from bibob.screening.facts import FalseAnswer, RefusedToCooperate
from bibob.screening.indicators import Finding, run_indicators
from bibob.screening.indicators.base import IndicatorContext
from bibob.screening.model import (
    GROUND_BASIS,
    LEGAL_BASIS,
    Assessment,
    AssessmentRequest,
    GroundLevel,
    LevelConclusion,
    Recommendation,
    RecommendationKind,
    RelationStatus,
)
from bibob.screening.proportionality import proportionality_draft
from bibob.screening.reads import READS, AnswerReads
from bibob.screening.register_checks import register_findings

Kind = RecommendationKind
_AB = frozenset({Ground.A_BENEFIT, Ground.B_OFFENCES})
_KEEP_PERSON_OUT = frozenset({"criminalAntecedents", "repeatOffending", "undeclaredControl"})
#: Named when neither the policy nor a finding suggests a condition: a recommendation of conditions names them.
DEFAULT_CONDITION = (
    "De vergunninghouder meldt elke wijziging in leiding, zeggenschap of financiering vooraf schriftelijk aan het "
    "bestuursorgaan."
)
ENDED_RELATION_CONDITION = (
    "De persoon met wie de relatie is beëindigd, krijgt geen rol in de onderneming (geen leiding, zeggenschap, "
    "financiering of werk); een nieuwe betrokkenheid wordt vooraf gemeld."
)


def _level(findings: list[Finding], ground: Ground, policy: Policy) -> DangerLevel:
    """The level the findings reach on `ground`; refusing to cooperate on an existing permit is serious (art. 4)."""
    if ground is Ground.ART4_REFUSAL and findings:
        return DangerLevel.SERIOUS
    return policy.thresholds(ground).level(round(sum(f.weight for f in findings), 4))


def ground_levels(
    findings: tuple[Finding, ...], policy: Policy, lbb: Mapping[Ground, DangerLevel],
    conclusions: tuple[LevelConclusion, ...] = (),
) -> tuple[GroundLevel, ...]:  # fmt: skip
    """Per ground: the score of its findings, the level it reaches, that of the verified findings alone, the LBB's.

    A refusal to cooperate on an existing permit counts as serious danger by law (art. 4), whatever its weight.
    """
    levels = []
    for ground in Ground:
        relevant = [f for f in findings if ground in f.grounds]
        thresholds = policy.thresholds(ground)
        conclusion = next((c for c in conclusions if c.ground is ground), None)
        levels.append(GroundLevel(
            ground, round(sum(f.weight for f in relevant), 4), thresholds.lesser, thresholds.serious,
            _level(relevant, ground, policy), lbb.get(ground), conclusion,
            _level([f for f in relevant if not f.unverified], ground, policy),
        ))  # fmt: skip
    return tuple(levels)


def _unverified_share(findings: tuple[Finding, ...], grounds: tuple[Ground, ...]) -> float:
    relevant = [f for f in findings if set(f.grounds) & set(grounds)]
    total = sum(f.weight for f in relevant)
    return sum(f.weight for f in relevant if f.unverified) / total if total else 0.0


def _made(kind: Kind, *reasons: str, basis: str = "", grounds: tuple[Ground, ...] = (),
          conditions: tuple[str, ...] = ()) -> Recommendation:  # fmt: skip
    return Recommendation(kind, basis or LEGAL_BASIS[kind], grounds, conditions, reasons)


# --- Awb 4:5: the application must be complete and the applicant must answer ----------------------------------------


def _repair(request: AssessmentRequest, basis: str, *reasons: str) -> Recommendation:
    kind = Kind.NOT_PROCESSED if request.repair_term_lapsed else Kind.REQUEST_REPAIR
    return _made(kind, *reasons, basis=basis)


def _application_gaps(request: AssessmentRequest, completeness: Completeness) -> Recommendation | None:
    """An incomplete application, or an applicant who refuses to answer, is repaired or not processed (Awb 4:5).

    Refusing the form or the LBB's questions never ends in a grant; art. 4 Wet Bibob is for an existing permit.
    """
    if request.track is not Track.APPLICATION:
        return None
    if completeness.missing:
        return _repair(request, LEGAL_BASIS[Kind.REQUEST_REPAIR], f"{len(completeness.missing)} onderdelen ontbreken")
    refusals = [f.content for f in request.facts if isinstance(f.content, RefusedToCooperate)]
    if refusals:
        scopes = " en ".join(dict.fromkeys(r.scope.label for r in refusals))
        return _repair(request, "Awb art. 4:5 lid 1 (art. 4 Wet Bibob geldt alleen bij een bestaande beschikking)",
                       f"de aanvrager weigert {scopes} volledig te beantwoorden")  # fmt: skip
    return None


def _uncorrected_answers(request: AssessmentRequest) -> int:
    return sum(1 for f in request.facts if isinstance(f.content, FalseAnswer) and not f.content.corrected)


# --- what must be verified first -----------------------------------------------------------------------------------


def _to_verify(findings: tuple[Finding, ...], levels: tuple[GroundLevel, ...], policy: Policy) -> list[str]:
    """Unverified findings that would change the outcome if proven: a serious one, or a relation not shown."""
    reasons = []
    verified = {g.ground: g.verified_level or g.level for g in levels}
    for finding in (f for f in findings if f.unverified):
        grounds = [g for g in finding.grounds if verified[g] is not DangerLevel.SERIOUS]
        proven = finding.weight_if_proven
        if finding.relation is RelationType.NOT_SHOWN and any(proven >= policy.thresholds(g).lesser for g in grounds):
            reasons.append(f"de relatie met de betrokkene is niet aangetoond: {finding.title.lower()}")
        elif any(proven >= policy.thresholds(g).serious for g in grounds):
            reasons.append(f"een ernstige bevinding is nog niet geverifieerd: {finding.title.lower()}")
    return list(dict.fromkeys(reasons))


def _lbb_reasons(request: AssessmentRequest, levels: tuple[GroundLevel, ...]) -> list[str]:
    """Why the body must satisfy itself of the LBB advice (Awb 3:9) or ask a supplementary advice."""
    reasons = [f"grote afstand tussen de eigen bevindingen ({g.level.label}) en het LBB ({g.lbb_level.label}) op "
               f"{g.ground.label.split(':')[0]}" for g in levels if g.lbb_gap and g.lbb_level is not None]  # fmt: skip
    relies = [g for g in levels if g.conclusion is None and g.lbb_level is not None
              and g.lbb_level.rank > (g.verified_level or g.level).rank]  # fmt: skip
    review = request.lbb_review
    if relies and review is None:
        reasons.append("het bestuursorgaan heeft nog niet vastgelegd dat het zich van het LBB-advies heeft vergewist")
    elif relies and review is not None and not review.accepts:
        reasons.append("de vergewissing toont dat het advies niet zorgvuldig is of de feiten de conclusie niet dragen")
    return reasons


def _verification(request: AssessmentRequest, findings: tuple[Finding, ...], levels: tuple[GroundLevel, ...],
                  policy: Policy) -> Recommendation | None:  # fmt: skip
    """An unverified serious finding, a relation not shown, or an LBB advice not yet weighed: verify first."""
    if request.lbb_levels:
        reasons = _lbb_reasons(request, levels) + _to_verify(findings, levels, policy)
        return _made(Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE, *reasons) if reasons else None
    reasons = _to_verify(findings, levels, policy)
    return _made(Kind.VERIFY_OR_ASK_LBB, *reasons) if reasons else None


# --- by level ------------------------------------------------------------------------------------------------------


def _conditions(findings: tuple[Finding, ...], policy: Policy, named: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The conditions to name (art. 3 lid 7): those given, the policy's for findings on a and b, or a default.

    A condition that keeps a risk person out of the business does not fit when that person is the applicant.
    """
    weighed = [f for f in findings if f.weight > 0 and set(f.grounds) & _AB
               and not (f.code in _KEEP_PERSON_OUT and f.relation is RelationType.SELF)]  # fmt: skip
    texts = [*named, *(policy.suggested_condition(f.code) for f in weighed)]
    if any(f.relation_ended for f in weighed):
        texts.append(policy.ended_relation_condition or ENDED_RELATION_CONDITION)
    found = tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))
    return found or (policy.default_condition or DEFAULT_CONDITION,)


def _no_danger_on_a_or_b(request: AssessmentRequest, worst: DangerLevel) -> Recommendation:
    """No danger on a or b: grant — unless wrong answers on an application still wait for correction."""
    if request.track is Track.APPLICATION and _uncorrected_answers(request):
        return _repair(request, "Awb art. 4:5 lid 1; Wet Bibob art. 3 lid 6 (onjuiste antwoorden vastgelegd)",
                       "onjuiste antwoorden zijn nog niet hersteld")  # fmt: skip
    if worst is DangerLevel.NONE:
        return _made(Kind.GRANT)
    return _made(Kind.GRANT, "voorschriften (art. 3 lid 7) horen bij de gronden a en b, niet bij art. 3 lid 6 of "
                 "art. 4; de onjuiste antwoorden zijn vastgelegd met opzet en herstel",
                 basis="Wet Bibob art. 3 lid 6 en lid 7 (geen voorschriften buiten de gronden a en b)")  # fmt: skip


def _read_record(request: AssessmentRequest, findings: tuple[Finding, ...], grounds: tuple[Ground, ...],
                 policy: Policy) -> Recommendation | None:  # fmt: skip
    """The written record, read: an ended relation or a lesser measure makes refusal disproportionate."""
    record = request.proportionality_reading
    ended = record.relation_status is RelationStatus.ENDED
    if not (ended or record.lesser_measure_available):
        return None
    why = "de relatie is beëindigd" if ended else "een minder zware maatregel is beschikbaar"
    reason = (f"volgens de evenredigheidstoets is weigeren onevenredig: {why}; voorschriften vergen dat het "
              "bestuursorgaan de mate van gevaar met redenen op mindere mate stelt (art. 3 lid 7)")  # fmt: skip
    if not set(grounds) & _AB:
        return _made(Kind.GRANT, f"volgens de evenredigheidstoets is weigeren onevenredig: {why}; voorschriften "
                     "(art. 3 lid 7) horen alleen bij de gronden a en b", basis="Wet Bibob art. 3 lid 5 en lid 6",
                     grounds=grounds)  # fmt: skip
    ended_condition = (policy.ended_relation_condition or ENDED_RELATION_CONDITION,) if ended else ()
    named = (*record.lesser_measures, *ended_condition)
    basis = f"Wet Bibob art. 3 {'lid 4, ' if ended else ''}lid 5 en lid 7; zienswijze art. 33"
    return _made(Kind.GRANT_WITH_CONDITIONS, reason, basis=basis, grounds=grounds,
                 conditions=_conditions(findings, policy, named))  # fmt: skip


def _serious(request: AssessmentRequest, findings: tuple[Finding, ...], grounds: tuple[Ground, ...],
             policy: Policy) -> Recommendation:  # fmt: skip
    """Serious danger: the refusal track, once a complete proportionality record is written — and read."""
    record = request.proportionality
    refusal_basis = f"Wet Bibob {', '.join(GROUND_BASIS[g] for g in grounds)}"
    if record is None or not record.is_complete:
        missing = ("de evenredigheidstoets mist: " + ", ".join(record.missing),) if record is not None else ()
        basis = f"{refusal_basis}; {LEGAL_BASIS[Kind.PROPORTIONALITY_REQUIRED]}"
        return _made(Kind.PROPORTIONALITY_REQUIRED, *missing, basis=basis, grounds=grounds)
    if request.proportionality_reading.relation_status is RelationStatus.NOT_SHOWN:
        kind = Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE if request.lbb_levels else Kind.VERIFY_OR_ASK_LBB
        return _made(kind, "volgens de evenredigheidstoets is de relatie met de betrokkene niet aangetoond")
    read = _read_record(request, findings, grounds, policy)
    basis = f"{refusal_basis}; {LEGAL_BASIS[Kind.REFUSAL_POSSIBLE]}"
    return read or _made(Kind.REFUSAL_POSSIBLE, basis=basis, grounds=grounds)


def _by_level(request: AssessmentRequest, findings: tuple[Finding, ...], levels: tuple[GroundLevel, ...],
              policy: Policy) -> Recommendation:  # fmt: skip
    worst = max((g.effective for g in levels), key=lambda level: level.rank)
    grounds = tuple(g.ground for g in levels if g.effective is worst and worst is not DangerLevel.NONE)
    doubt = not request.lbb_levels and worst is not DangerLevel.NONE and _unverified_share(findings, grounds) > 0.5
    if doubt:
        reason = "de bevindingen rusten voor meer dan de helft op verdenkingen of niet bevestigde bronnen"
        return _made(Kind.REQUEST_LBB_ADVICE, reason)
    verify = _verification(request, findings, levels, policy)
    if verify is not None:
        return verify
    if worst is DangerLevel.SERIOUS:
        return _serious(request, findings, grounds, policy)
    if worst is DangerLevel.LESSER and set(grounds) & _AB:
        named = tuple(c for g in levels if g.conclusion is not None for c in g.conclusion.conditions)
        return _made(Kind.GRANT_WITH_CONDITIONS, grounds=grounds, conditions=_conditions(findings, policy, named))
    return _no_danger_on_a_or_b(request, worst)


def recommend(
    request: AssessmentRequest, completeness: Completeness, findings: tuple[Finding, ...],
    levels: tuple[GroundLevel, ...], policy: Policy,
) -> Recommendation:  # fmt: skip
    """The recommendation the law and domain.md §7.7 give; every branch names its legal basis. A person decides."""
    return _application_gaps(request, completeness) or _by_level(request, findings, levels, policy)


def read_answers(request: AssessmentRequest, reads: AnswerReads | None = READS) -> tuple[Declaration, Completeness]:
    """The declaration and the completeness of the request's answers: from `reads` if read before (None: anew)."""
    read = (reads if reads is not None else AnswerReads(0)).read(request)
    return read.declaration, read.completeness


def assess(request: AssessmentRequest, policy: Policy, *, reads: AnswerReads | None = READS) -> Assessment:
    """Assess an application: deterministic, so the same request gives the same assessment, byte for byte.

    `reads`: where answers read before are kept (`bibob.screening.READS`, shared in the process, by default); the
    assessment is the same with any, or with None (the answers are then read anew).
    """
    declaration, completeness = read_answers(request, reads)
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
    levels = ground_levels(findings, policy, dict(request.lbb_levels), request.conclusions)
    recommendation = recommend(request, completeness, findings, levels, policy)
    draft = proportionality_draft(request, findings, levels, policy)
    assessment = Assessment(declaration, completeness, findings, levels, recommendation, "", draft)
    return attrs.evolve(assessment, explanation=explain(assessment, request, policy))
