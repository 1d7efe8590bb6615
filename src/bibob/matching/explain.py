"""Field comparisons as `how` codes, and their rendering as Dutch reasons that mask identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeAlias

import attrs

from bibob.matching.profiles import Subject
from bibob.matching.result import Match, MatchLevel, MatchReason, Outcome

_AGREED_HOWS = frozenset(
    ("same", "normalised", "part", "similar", "swapped", "initials", "subset", "tradeName", "bothEmpty", "confirmed")
)
_MISSING_HOWS = frozenset(("missing", "oneMissing", "absent"))


def outcome_of(how: str) -> Outcome:
    """Agreed, differs or missing, from a comparison's `how` code."""
    if how in _AGREED_HOWS:
        return Outcome.AGREED
    return Outcome.MISSING if how in _MISSING_HOWS else Outcome.DIFFERS


@attrs.frozen
class Comparison:
    """What comparing one field found: a `how` code, a similarity and the two values shown."""

    field: str
    how: str
    similarity: float | None = None
    left: str = ""
    right: str = ""

    @property
    def outcome(self) -> Outcome:
        """Agreed, differs or missing, from the `how` code."""
        return outcome_of(self.how)


#: The comparisons of two profiles, the level and the score they lead to.
Judgement: TypeAlias = tuple[tuple[Comparison, ...], MatchLevel, float]

_TEXTS: Mapping[tuple[str, str], str] = {
    ("bsn", "same"): "BSN gelijk",
    ("bsn", "differs"): "BSN verschilt",
    ("bsn", "missing"): "BSN ontbreekt of is ongeldig bij een van beide",
    ("kvkNumber", "same"): "KvK-nummer gelijk",
    ("kvkNumber", "differs"): "KvK-nummer verschilt",
    ("kvkNumber", "missing"): "KvK-nummer ontbreekt of is ongeldig bij een van beide",
    ("rsin", "same"): "RSIN gelijk",
    ("rsin", "differs"): "RSIN verschilt",
    ("rsin", "missing"): "RSIN ontbreekt of is ongeldig bij een van beide",
    ("surname", "same"): "achternaam gelijk ({left})",
    ("surname", "normalised"): "achternaam gelijk na normalisatie ({left} / {right})",
    ("surname", "part"): "achternaam gelijk aan een deel van de dubbele naam ({left} / {right})",
    ("surname", "similar"): "achternaam lijkt sterk op elkaar ({pct}%: {left} / {right})",
    ("surname", "differs"): "achternaam verschilt ({left} / {right})",
    ("surname", "missing"): "achternaam ontbreekt bij een van beide",
    ("firstNames", "same"): "voornamen gelijk ({left})",
    ("firstNames", "normalised"): "voornamen gelijk na normalisatie ({left} / {right})",
    ("firstNames", "swapped"): "voornamen gelijk in andere volgorde ({left} / {right})",
    ("firstNames", "initials"): "voorletters passen bij de voornamen ({left} / {right})",
    ("firstNames", "subset"): "voornamen komen deels overeen ({left} / {right})",
    ("firstNames", "similar"): "voornamen lijken sterk op elkaar ({pct}%: {left} / {right})",
    ("firstNames", "differs"): "voornamen verschillen ({left} / {right})",
    ("firstNames", "missing"): "voornamen ontbreken bij een van beide",
    ("dateOfBirth", "same"): "geboortedatum gelijk",
    ("dateOfBirth", "swapped"): "geboortedatum verschilt: dag en maand lijken verwisseld",
    ("dateOfBirth", "near"): "geboortedatum verschilt in één onderdeel (dag, maand of jaar)",
    ("dateOfBirth", "differs"): "geboortedatum verschilt",
    ("dateOfBirth", "missing"): "geboortedatum ontbreekt bij een van beide",
    ("address", "same"): "adres gelijk ({left})",
    ("address", "differs"): "adres verschilt ({left} / {right})",
    ("address", "missing"): "adres ontbreekt bij een van beide",
    ("name", "same"): "naam gelijk ({left})",
    ("name", "normalised"): "naam gelijk zonder rechtsvorm en leestekens ({left} / {right})",
    ("name", "tradeName"): "naam gelijk aan een handelsnaam ({left} / {right})",
    ("name", "similar"): "naam lijkt sterk op elkaar ({pct}%: {left} / {right})",
    ("name", "differs"): "naam verschilt ({left} / {right})",
    ("name", "missing"): "naam ontbreekt bij een van beide",
    ("postcode", "same"): "postcode gelijk ({left})",
    ("postcode", "differs"): "postcode verschilt ({left} / {right})",
    ("postcode", "missing"): "postcode ontbreekt bij een van beide",
    ("houseNumber", "same"): "huisnummer gelijk ({left})",
    ("houseNumber", "differs"): "huisnummer verschilt ({left} / {right})",
    ("houseNumber", "missing"): "huisnummer ontbreekt bij een van beide",
    ("houseNumberAddition", "bothEmpty"): "geen toevoeging bij beide",
    ("houseNumberAddition", "same"): "toevoeging gelijk ({left})",
    ("houseNumberAddition", "normalised"): "toevoeging gelijk na normalisatie ({left} / {right})",
    ("houseNumberAddition", "oneMissing"): "toevoeging ontbreekt bij een van beide ({left}{right})",
    ("houseNumberAddition", "differs"): "toevoeging verschilt ({left} / {right}): zelfde pand?",
    ("street", "same"): "straat gelijk",
    ("street", "similar"): "straat lijkt sterk op elkaar ({pct}%)",
    ("street", "differs"): "straat verschilt",
    ("street", "missing"): "straat ontbreekt bij een van beide",
    ("city", "same"): "plaats gelijk",
    ("city", "similar"): "plaats lijkt sterk op elkaar ({pct}%)",
    ("city", "differs"): "plaats verschilt",
    ("city", "missing"): "plaats ontbreekt bij een van beide",
    ("kind", "differs"): "verschillende soort betrokkene ({left} / {right})",
    ("review", "confirmed"): "bevestigd bij beoordeling door {left}: {right}",
    ("review", "dismissed"): "afgewezen bij beoordeling door {left}: {right}",
}
_LONG_NUMBER = re.compile(r"(?:\d[\s.\-]?){7,}\d")


def reason(comparison: Comparison) -> MatchReason:
    """Render one comparison in Dutch; any run of 8+ digits is masked, so no BSN or KvK leaks."""
    template = _TEXTS.get((comparison.field, comparison.how)) or f"{comparison.field}: {comparison.how}"
    pct = round(100 * comparison.similarity) if comparison.similarity is not None else 0
    text = template.format(left=comparison.left, right=comparison.right, pct=pct)
    return MatchReason(comparison.field, comparison.outcome, comparison.similarity, _LONG_NUMBER.sub("[nummer]", text))


def explained(judgement: Judgement, keys: tuple[str, str], subjects: tuple[Subject, Subject]) -> Match:
    """The judgement as a `Match`, each comparison a reason (fields absent on both sides left out)."""
    comparisons, level, score = judgement
    reasons = tuple(reason(c) for c in comparisons if c.how != "absent")
    return Match(keys[0], keys[1], score, level, reasons, subjects[0], subjects[1])


def explainer() -> Callable[[Judgement, tuple[str, str], tuple[Subject, Subject]], Match]:
    """`explained`, for the judgements of one subject against many: a comparison met again is rendered once.

    "Again" means the very same `Comparison` object (as `judge_against` gives every candidate with the same name):
    it is kept while the explainer lives, so its identity cannot pass to another. The matches are those
    `explained` gives.
    """
    rendered: dict[int, tuple[Comparison, MatchReason | None]] = {}
    all_rendered: dict[int, tuple[tuple[Comparison, ...], tuple[MatchReason, ...]]] = {}

    def explain(judgement: Judgement, keys: tuple[str, str], subjects: tuple[Subject, Subject]) -> Match:
        comparisons, level, score = judgement
        known = all_rendered.get(id(comparisons))  # a judgement's comparisons may be shared as a whole
        if known is None:
            reasons = []
            for comparison in comparisons:
                seen = rendered.get(id(comparison))
                if seen is None:
                    rendering = None if comparison.how == "absent" else reason(comparison)
                    seen = rendered[id(comparison)] = (comparison, rendering)
                if seen[1] is not None:
                    reasons.append(seen[1])
            known = all_rendered[id(comparisons)] = (comparisons, tuple(reasons))
        return Match(keys[0], keys[1], score, level, known[1], subjects[0], subjects[1])

    return explain
