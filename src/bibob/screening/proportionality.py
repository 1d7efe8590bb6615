"""The proportionality test (art. 3 lid 5): a draft of the factors of this case, and reading the written record."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from bibob.legal import DangerLevel, Ground, ProportionalityRecord
from bibob.parties import RelationType
from bibob.policy import Policy
from bibob.screening.facts import AntecedentFact, ConditionBreach, FineFact
from bibob.screening.indicators import Finding
from bibob.screening.model import AssessmentRequest, GroundLevel, ProportionalityFactor

_AB = frozenset({Ground.A_BENEFIT, Ground.B_OFFENCES})


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _weighed(findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.weight > 0]


def _seriousness(findings: tuple[Finding, ...]) -> str:
    lines = [f"{f.title} (gewicht {_number(f.weight)})" for f in _weighed(findings)]
    return "; ".join(lines) or "geen bevindingen met gewicht"


def _degree(levels: tuple[GroundLevel, ...]) -> str:
    parts = []
    for level in (g for g in levels if g.effective is not DangerLevel.NONE or g.lbb_level is not None):
        lbb = f", LBB: {level.lbb_level.label}" if level.lbb_level is not None else ""
        parts.append(f"{level.ground.label.split(':')[0]}: {level.level.label}{lbb}")
    return "; ".join(parts) or "geen gevaar gebleken"


def _relations(findings: tuple[Finding, ...]) -> str:
    about = [f for f in findings if f.subjects]
    ended = sum(1 for f in about if f.relation_ended)
    not_shown = sum(1 for f in about if f.relation is RelationType.NOT_SHOWN)
    actual = len(about) - ended - not_shown
    return f"actueel bij {actual}, beëindigd bij {ended}, niet aangetoond bij {not_shown} bevinding(en) over personen"


def _years(request: AssessmentRequest) -> list[int]:
    dated = (f.content for f in request.facts)
    years = (c.year for c in dated if isinstance(c, AntecedentFact | FineFact | ConditionBreach))
    return sorted(set(years))


def _time(request: AssessmentRequest) -> str:
    years = _years(request)
    if not years:
        return "geen gedateerde feiten uit gesloten bronnen"
    oldest = request.reference_date.year - years[0]
    return f"feiten uit {', '.join(map(str, years))}; het oudste is {oldest} jaar oud"


def _link(request: AssessmentRequest) -> str:
    found = [f.content for f in request.facts if isinstance(f.content, AntecedentFact)]
    related = sum(1 for c in found if c.relates_to_activity)
    return f"{related} van {len(found)} antecedenten hangen samen met de activiteit" if found else "geen antecedenten"


def _evidence(findings: tuple[Finding, ...]) -> str:
    verified = sum(1 for f in _weighed(findings) if not f.unverified)
    unverified = sum(1 for f in findings if f.unverified)
    return f"{verified} vastgestelde en {unverified} nog te verifiëren bevinding(en)"


def _lesser_means(findings: tuple[Finding, ...], policy: Policy) -> str:
    texts = dict.fromkeys(policy.suggested_condition(f.code) for f in _weighed(findings) if set(f.grounds) & _AB)
    named = [t for t in texts if t]
    return ("voorschriften die het beleid voorstelt: " + " | ".join(named)) if named else \
        "het beleid stelt voor deze bevindingen geen voorschriften voor"  # fmt: skip


def _factors(request: AssessmentRequest, findings: tuple[Finding, ...], levels: tuple[GroundLevel, ...],
             policy: Policy) -> Iterator[tuple[str, str, str]]:  # fmt: skip
    yield "seriousness", "ernst van de feiten", _seriousness(findings)
    yield "degreeOfDanger", "mate van gevaar", _degree(levels)
    yield "relationStatus", "relatie actueel, beëindigd of niet aangetoond", _relations(findings)
    yield "timeElapsed", "tijdsverloop", _time(request)
    yield "linkToActivity", "samenhang met de activiteit", _link(request)
    repeats = [f for f in findings if f.code == "repeatOffending"]
    yield "recidivism", "herhaling", f"herhaling bij {len(repeats)} persoon/personen" if repeats else "geen herhaling"
    yield "evidenceQuality", "kwaliteit van het bewijs", _evidence(findings)
    yield "lesserMeasureAvailable", "minder zware maatregel beschikbaar", _lesser_means(findings, policy)
    yield "economicImpact", "gevolgen voor de betrokkene", "investeringen, huur, personeel: in te vullen"
    yield "comparableCases", "vergelijkbare gevallen", "door de coördinator in te vullen"


_RECORD_FIELDS = {
    "seriousness": "seriousness", "degreeOfDanger": "degree_of_danger", "relationStatus": "relation_status",
    "timeElapsed": "time_elapsed", "linkToActivity": "link_to_activity", "recidivism": "recidivism",
    "evidenceQuality": "evidence_quality", "lesserMeasureAvailable": "lesser_measure_available",
    "economicImpact": "economic_impact", "comparableCases": "comparable_cases",
}  # fmt: skip


_RECORD_NAMES = frozenset(field.name for field in attrs.fields(ProportionalityRecord))


def _written(request: AssessmentRequest, code: str) -> bool:
    """Whether the coordinator already wrote this factor down, in the record or in its structured reading."""
    name, record = _RECORD_FIELDS[code], request.proportionality
    value = getattr(record, name, None) if record is not None and name in _RECORD_NAMES else None
    if value is None and record is not None:
        value = getattr(request.proportionality_reading, name, None)
    return value is not None and str(value).strip() != ""


def proportionality_draft(request: AssessmentRequest, findings: tuple[Finding, ...], levels: tuple[GroundLevel, ...],
                          policy: Policy) -> tuple[ProportionalityFactor, ...]:  # fmt: skip
    """The factors of this case for the coordinator to weigh, with what the findings show; marked done when written."""
    if not any(g.effective is DangerLevel.SERIOUS for g in levels):
        return ()
    return tuple(
        ProportionalityFactor(code, label, observation, not _written(request, code))
        for code, label, observation in _factors(request, findings, levels, policy)
    )
