"""The Dutch explanation of an assessment, for the motivation of a decision: plain, stable, reproducible."""

from __future__ import annotations

from bibob.legal import Ground
from bibob.policy import Policy
from bibob.screening.indicators import Finding
from bibob.screening.model import Assessment, AssessmentRequest, GroundLevel

_GROUND_NAMES = {
    Ground.A_BENEFIT: "A-grond (art. 3 lid 1 sub a Wet Bibob)",
    Ground.B_OFFENCES: "B-grond (art. 3 lid 1 sub b Wet Bibob)",
    Ground.ART3_6_OBTAINING: "art. 3 lid 6 Wet Bibob",
    Ground.ART4_REFUSAL: "art. 4 Wet Bibob",
}
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")  # fmt: skip


def number(value: float) -> str:
    """A number the Dutch way, one decimal: 12,5."""
    return f"{value:.1f}".replace(".", ",")


def _finding_line(index: int, finding: Finding) -> str:
    grounds = ", ".join(_GROUND_NAMES[g].split(" (")[0] for g in finding.grounds)
    sources = "; ".join(e.label for e in finding.evidence)
    check = " Nog te verifiëren." if finding.unverified else ""
    return (
        f"{index}. {finding.title} ({grounds}; {finding.relation.label}; gewicht {number(finding.weight)}): "
        f"{finding.explanation}{check} [bron: {sources}]"
    )


def _level_line(level: GroundLevel) -> str:
    line = (
        f"- {_GROUND_NAMES[level.ground]}: score {number(level.score)} (mindere mate vanaf "
        f"{number(level.lesser_from)}, ernstig vanaf {number(level.serious_from)}): {level.level.label}."
    )
    if level.verified_level is not None and level.verified_level is not level.level:
        line += f" Alleen op vastgestelde bevindingen: {level.verified_level.label}."
    if level.lbb_level is not None:
        line += f" Het LBB adviseert: {level.lbb_level.label}."
        if level.conclusion is None and level.lbb_level.rank > level.level.rank:
            line += " Afwijken van dit advies vraagt een deugdelijke motivering."
    if level.conclusion is not None:
        line += (f" Het bestuursorgaan concludeert met redenen: {level.conclusion.level.label} "
                 f"({level.conclusion.reasons.strip().rstrip('.')}).")  # fmt: skip
    return line


def _review_lines(request: AssessmentRequest) -> list[str]:
    review = request.lbb_review
    if not request.lbb_levels:
        return []
    if review is None:
        return ["Vergewisplicht (Awb 3:9): nog niet vastgelegd."]
    verdict = "het onderzoek is zorgvuldig en de feiten dragen de conclusie" if review.accepts else (
        "het onderzoek is niet zorgvuldig of de feiten dragen de conclusie niet")  # fmt: skip
    return [f"Vergewisplicht (Awb 3:9): vastgelegd door {review.checked_by} op {review.checked_on.isoformat()}: "
            f"{verdict}."]  # fmt: skip


def _draft_lines(assessment: Assessment) -> list[str]:
    if not assessment.proportionality_draft:
        return []
    lines = ["", "Evenredigheid (art. 3 lid 5 Wet Bibob), af te wegen door de coördinator:"]
    for factor in assessment.proportionality_draft:
        state = "nog in te vullen" if factor.to_complete else "vastgelegd"
        lines.append(f"- {factor.label} ({state}): {factor.observation.rstrip('.')}.")
    return lines


def explain(assessment: Assessment, request: AssessmentRequest, policy: Policy) -> str:
    """The explanation a coordinator can paste into the motivation of a decision, in Dutch."""
    day = request.reference_date
    permit = request.permit_type.label if request.permit_type else "beschikking"
    lines = [
        f"Bibob-beoordeling: {request.questionnaire.title}, voor {permit}.",
        f"Peildatum: {day.day} {_MONTHS[day.month - 1]} {day.year}. Beleid: {policy.title} ({policy.version}).",
        "",
        "Bevindingen:" if assessment.findings else "Bevindingen: geen.",
        *(_finding_line(i, f) for i, f in enumerate(assessment.findings, start=1)),
        "",
        "Mate van gevaar per grond:",
        *(_level_line(level) for level in assessment.levels),
        *_review_lines(request),
        "",
        *_recommendation_lines(assessment),
        *_draft_lines(assessment),
        "",
        "Dit is een advies. Het bestuursorgaan beslist zelf, stelt de mate van gevaar per grond vast en toetst de "
        "evenredigheid (art. 3 lid 5 Wet Bibob); voor een negatief besluit of voorschriften krijgt de betrokkene "
        "eerst de gelegenheid een zienswijze te geven (art. 33 Wet Bibob).",
    ]
    return "\n".join(lines) + "\n"


def _recommendation_lines(assessment: Assessment) -> list[str]:
    recommendation = assessment.recommendation
    lines = [f"Advies: {recommendation.kind.label} ({recommendation.legal_basis})."]
    lines += [f"Reden: {reason}." for reason in recommendation.reasons]
    if recommendation.conditions:
        lines.append("Voorgestelde voorschriften:")
        lines += [f"- {condition}" for condition in recommendation.conditions]
    return lines
