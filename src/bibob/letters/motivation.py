"""The motivation of a letter to the applicant (Awb 3:46): grounds, facts, relations, proportionality — art. 28-safe.

What art. 28 Wet Bibob keeps back never reaches these paragraphs: that someone is known in an undermining case
or signal (a match is no fact), what came through the safety advisor or the RIEC, and what third parties answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bibob.legal import DangerLevel, Ground, ProportionalityRecord
from bibob.parties import RelationType
from bibob.screening import Assessment, Fact, FactSource, Finding

#: Findings and sources a letter to the applicant never names (art. 28; a match with a case is no fact).
UNTOLD_FINDINGS = frozenset({"knownInUnderminingCase"})
UNTOLD_SOURCES = frozenset({FactSource.CASE_FILE, FactSource.RIEC})
UNTOLD_EVIDENCE = frozenset({"case", "signal"})
#: Words that would tell the applicant what art. 28 keeps back; a letter to the applicant containing one is refused.
FORBIDDEN_WORDS = ("ondermijning", "casus", "adviseur veiligheid", "riec", "signaal", "melding", "bekend bij")

_POINTER = re.compile(r"\s*\((?:/answers|/modules)[^)]*\)")
_EURO = re.compile(r"\bEUR (?=\d)")
_LEVEL_TEXT = {DangerLevel.SERIOUS: "Er is ernstig gevaar", DangerLevel.LESSER: "Er is gevaar in mindere mate"}
_PROPORTIONALITY = (
    ("seriousness", "Ernst van de feiten"),
    ("number_and_recency", "Aantal feiten en hoe lang geleden"),
    ("link_to_activity", "Samenhang met de activiteit"),
    ("relation_current", "De relatie nu"),
    ("applicant_interests", "Uw belangen"),
    ("lesser_means_considered", "Lichtere middelen"),
    ("comparable_cases", "Vergelijkbare gevallen"),
)


def clean(text: str) -> str:
    """Text from the assessment as a letter writes it: no JSON pointers, amounts as '€ 1.234'."""
    return _EURO.sub("€ ", _POINTER.sub("", text)).strip()


def told(findings: Iterable[Finding], facts: Iterable[Fact]) -> tuple[Finding, ...]:
    """The weighed findings the applicant may be told: none about a case match, none resting on untold sources."""
    untold_facts = {fact.id for fact in facts if fact.source in UNTOLD_SOURCES}
    return tuple(
        f for f in findings
        if f.weight > 0 and f.code not in UNTOLD_FINDINGS
        and not any(e.kind in UNTOLD_EVIDENCE or (e.kind == "fact" and e.ref in untold_facts) for e in f.evidence)
    )  # fmt: skip


def _sources(finding: Finding, facts: dict[str, Fact]) -> str:
    names = []
    for evidence in finding.evidence:
        fact = facts.get(evidence.ref) if evidence.kind in ("fact", "register") else None
        names.append(fact.source.label if fact else "uw antwoorden op het Bibob-vragenformulier")
    return ", ".join(dict.fromkeys(names))


def fact_lines(findings: tuple[Finding, ...], facts: Iterable[Fact], grounds: tuple[Ground, ...]) -> tuple[str, ...]:
    """One list item per told finding on `grounds` (all when empty): what, from which source, on which ground."""
    by_id = {fact.id: fact for fact in facts}
    lines = []
    for finding in findings:
        on = [g for g in finding.grounds if not grounds or g in grounds]
        if not on:
            continue
        basis = ", ".join(g.label.split(":")[0] for g in on)
        lines.append(f"- {finding.title}: {clean(finding.explanation)} Bron: {_sources(finding, by_id)}. "
                     f"Grond: {basis} Wet Bibob.")  # fmt: skip
    return tuple(lines)


_RELATION_TEXT = {
    RelationType.MANAGER: "een persoon die leiding geeft of gaf aan uw onderneming",
    RelationType.CONTROLLER: "een persoon of organisatie die zeggenschap heeft of had over uw onderneming",
    RelationType.FINANCIER: "een persoon of organisatie die vermogen verschaft of verschafte aan uw onderneming",
    RelationType.BUSINESS_ASSOCIATE: "een persoon of organisatie met wie u in een zakelijk samenwerkingsverband "
    "staat of stond",
}


def relation_lines(findings: tuple[Finding, ...]) -> tuple[str, ...]:
    """The art. 3(4) relations the told findings rest on, each once, by role (never by name); unshown ones not."""
    kinds = dict.fromkeys(f.relation for f in findings if f.subjects and f.relation in _RELATION_TEXT)
    lines = []
    for kind in kinds:
        ended = any(f.relation_ended for f in findings if f.relation is kind)
        state = "; deze relatie is beëindigd en weegt daarom minder zwaar" if ended else ""
        lines.append(f"- {_RELATION_TEXT[kind]}{state}.")
    return tuple(lines)


Levels = tuple[tuple[Ground, DangerLevel], ...]


def ground_levels(assessment: Assessment | None, grounds: tuple[Ground, ...], levels: Levels) -> Levels:
    """The level per ground the letter states: the decision's own levels, else the assessment's effective ones."""
    found = dict(levels)
    if assessment is not None:
        found = {g.ground: g.effective for g in assessment.levels} | found
    chosen = grounds or tuple(g for g, level in found.items() if level is not DangerLevel.NONE)
    return tuple((g, found.get(g, DangerLevel.SERIOUS)) for g in chosen)


def level_text(level: DangerLevel) -> str:
    """'Er is ernstig gevaar' or 'Er is gevaar in mindere mate'."""
    return _LEVEL_TEXT.get(level, "Er is gevaar")


def proportionality_lines(record: ProportionalityRecord | None) -> tuple[str, ...]:
    """The written weighing, consideration by consideration, as the coordinator recorded it."""
    if record is None:
        return ()
    return tuple(f"- {label}: {clean(str(getattr(record, name)))}" for name, label in _PROPORTIONALITY
                 if str(getattr(record, name)).strip())  # fmt: skip


def forbidden_in(text: str) -> tuple[str, ...]:
    """The words of `FORBIDDEN_WORDS` that `text` contains (case-insensitive)."""
    lowered = text.lower()
    return tuple(word for word in FORBIDDEN_WORDS if word in lowered)
