"""Comparing two profiles field by field, and the verdict (level and score) for each kind."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bibob.matching.explain import Comparison, Judgement, outcome_of
from bibob.matching.normalise import Surname, fold, phonetic_key
from bibob.matching.profiles import AddressProfile, OrganisationProfile, PersonProfile, Profile
from bibob.matching.result import MatchLevel, Outcome

#: Similarity from which a surname counts as agreed (one edit in a six-letter name).
SURNAME_AGREES = 0.83
#: Similarity from which first names count as agreed.
FIRST_NAMES_AGREE = 0.8

#: Weights of postcode, house number, addition, street and city (`_address_hows`).
_ADDRESS_WEIGHTS = (0.35, 0.25, 0.1, 0.2, 0.1)
_PERSON_FIELDS, _PERSON_WEIGHTS = ("surname", "firstNames", "dateOfBirth"), (0.4, 0.25, 0.35)
#: Weights of the name and the address.
_ORGANISATION_WEIGHTS = (0.75, 0.25)

#: How a field compares and its similarity, before the values shown are added (see `Comparison`).
_How: TypeAlias = tuple[str, float | None]


def _sim(value: float) -> float:
    return round(value / 100, 4)


def _identifier_how(left: str | None, right: str | None) -> _How:
    if not left or not right:
        return "missing" if left or right else "absent", None
    return ("same", 1.0) if left == right else ("differs", 0.0)


def _identifier(field: str, left: str | None, right: str | None, *, shown: bool = False) -> Comparison:
    """Compare two identifiers; their values go into the explanation only when `shown`."""
    texts = (left or "", right or "") if shown else ("", "")
    return Comparison(field, *_identifier_how(left, right), *texts)


def _text_how(a: str, b: str) -> _How:
    if not a or not b:
        return "missing", None
    if a == b:
        return "same", 1.0
    similarity = _sim(fuzz.ratio(a, b))
    return "similar" if similarity >= 0.85 else "differs", similarity


def _weighted(weights: Iterable[float], similarities: Iterable[float | None]) -> float:
    """A ranking score below 1 (only certain matches score 1); a missing field counts half."""
    total = 0.0
    for weight, similarity in zip(weights, similarities, strict=True):
        total += weight * (0.5 if similarity is None else similarity)
    return round(min(total, 0.99), 4)


def _level_from(similarity: float, *, probable: float, possible: float) -> MatchLevel:
    if similarity >= probable:
        return MatchLevel.PROBABLE
    return MatchLevel.POSSIBLE if similarity >= possible else MatchLevel.NONE


# Persons -------------------------------------------------------------------------------------


def compare_surnames(a: Surname, b: Surname) -> Comparison:
    """Same, same after normalisation, one part of a double name, similar, or different."""
    if not a.core or not b.core:
        return Comparison("surname", "missing", None, a.display, b.display)
    if a.folded == b.folded:
        return Comparison("surname", "same", 1.0, a.display, b.display)
    if a.core == b.core or a.compact == b.compact:
        return Comparison("surname", "normalised", 1.0, a.display, b.display)
    whole = _surname_similarity(a, b)
    part = _part_similarity(a, b)
    if part > whole and part >= SURNAME_AGREES:
        return Comparison("surname", "part", part, a.display, b.display)
    how = "similar" if whole >= SURNAME_AGREES else "differs"
    return Comparison("surname", how, whole, a.display, b.display)


def _name_similarity(a: str, b: str) -> float:
    """Indel ratio, or OSA for a transposition; sound-alikes ('Meijer', 'Meyer') count 0.9."""
    similarity = max(fuzz.ratio(a, b) / 100, OSA.normalized_similarity(a, b))
    if similarity < 0.9 and phonetic_key(a) == phonetic_key(b):
        similarity = 0.9
    return round(similarity, 4)


def _surname_similarity(a: Surname, b: Surname) -> float:
    """Part by part when both have as many parts (the weakest part counts), else word-sorted."""
    if len(a.parts) == len(b.parts):
        return min(max(_name_similarity(x, y) for y in b.parts) for x in a.parts)
    return _sim(fuzz.token_sort_ratio(a.core, b.core))


def _part_similarity(a: Surname, b: Surname) -> float:
    """A single name against each part of a double name ('de Vries' in 'Jansen-de Vries')."""
    single, double = (a, b) if len(a.parts) == 1 else (b, a)
    if len(single.parts) != 1 or len(double.parts) < 2:
        return 0.0
    return round(0.95 * max(_name_similarity(single.parts[0], part) for part in double.parts), 4)


def _compare_first_names(a: PersonProfile, b: PersonProfile) -> Comparison:
    left, right = a.first_display, b.first_display
    if not a.first or not b.first:
        return Comparison("firstNames", "missing", None, left, right)
    if a.first == b.first:
        how = "same" if left.casefold() == right.casefold() else "normalised"
        return Comparison("firstNames", how, 1.0, left, right)
    if any(len(token) == 1 for token in (*a.first, *b.first)):
        how, similarity = _initials(a.first, b.first)
        return Comparison("firstNames", how, similarity, left, right)
    if sorted(a.first) == sorted(b.first):
        return Comparison("firstNames", "swapped", 1.0, left, right)
    joined_a, joined_b = " ".join(a.first), " ".join(b.first)
    similar = _sim(fuzz.token_sort_ratio(joined_a, joined_b))
    subset = round(0.9 * _sim(fuzz.token_set_ratio(joined_a, joined_b)), 4)
    if subset > similar and subset >= FIRST_NAMES_AGREE:
        return Comparison("firstNames", "subset", subset, left, right)
    how = "similar" if similar >= FIRST_NAMES_AGREE else "differs"
    return Comparison("firstNames", how, similar, left, right)


def _initials(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, float]:
    """Initials against names: 'J.P.' fits 'Jan Pieter' (0.9), 'J.' fits it partly (0.85)."""
    if any(len(x) > 1 and len(y) > 1 and fuzz.ratio(x, y) < 80 for x, y in zip(a, b, strict=False)):
        return "differs", 0.0
    initials_a, initials_b = "".join(t[0] for t in a), "".join(t[0] for t in b)
    if initials_a == initials_b:
        return "initials", 0.9
    prefix = initials_a.startswith(initials_b) or initials_b.startswith(initials_a)
    if prefix or sorted(initials_a) == sorted(initials_b):
        return "initials", 0.85
    return "differs", 0.0


_DATE_SIMILARITY = {"same": 1.0, "swapped": 0.5, "near": 0.3, "differs": 0.0}


def birth_dates(a: dt.date | None, b: dt.date | None) -> str:
    """How two birth dates compare: missing, same, swapped (day and month), near (one part differs) or differs."""
    if a is None or b is None:
        return "missing"
    if a == b:
        return "same"
    if (a.year, a.month, a.day) == (b.year, b.day, b.month):
        return "swapped"
    near = (a.year == b.year) + (a.month == b.month) + (a.day == b.day) == 2
    return "near" if near else "differs"


def _compare_dates(a: dt.date | None, b: dt.date | None) -> Comparison:
    how = birth_dates(a, b)
    return Comparison("dateOfBirth", how, _DATE_SIMILARITY.get(how))


def _person_comparisons(a: PersonProfile, b: PersonProfile) -> tuple[Comparison, ...]:
    return (
        _identifier("bsn", a.bsn, b.bsn),
        compare_surnames(a.surname, b.surname),
        _compare_first_names(a, b),
        _compare_dates(a.dob, b.dob),
        _compare_support_address(a.address, b.address),
    )


def _person_verdict(c: Mapping[str, Comparison]) -> tuple[MatchLevel, float]:
    if c["bsn"].outcome is not Outcome.MISSING:
        return (MatchLevel.CERTAIN, 1.0) if c["bsn"].how == "same" else (MatchLevel.NONE, 0.0)
    bonus = 0.05 if c["address"].how == "same" else 0.0
    score = _weighted(_PERSON_WEIGHTS, (c[field].similarity for field in _PERSON_FIELDS))
    return _person_level(c), round(min(score + bonus, 0.99), 4)


def _person_level(c: Mapping[str, Comparison]) -> MatchLevel:
    """Probable: same birth date and both names agree; possible: one of them weaker or missing."""
    surname, first = c["surname"].similarity or 0.0, c["firstNames"].similarity
    dob = c["dateOfBirth"].how
    surname_agrees = surname >= SURNAME_AGREES
    names = surname_agrees and first is not None and first >= FIRST_NAMES_AGREE
    if dob == "same":
        if names:
            return MatchLevel.PROBABLE
        return MatchLevel.POSSIBLE if surname >= 0.8 else MatchLevel.NONE
    if dob in ("missing", "absent"):
        if names and c["address"].how == "same":
            return MatchLevel.PROBABLE
        weaker = names or (surname_agrees and first is None)
        return MatchLevel.POSSIBLE if weaker else MatchLevel.NONE
    return MatchLevel.POSSIBLE if names and dob in ("swapped", "near") else MatchLevel.NONE


# Organisations -------------------------------------------------------------------------------


def _compare_organisation_names(a: OrganisationProfile, b: OrganisationProfile) -> Comparison:
    left, right = a.display, b.display
    if not a.names or not b.names:
        return Comparison("name", "missing", None, left, right)
    if a.names[0] == b.names[0]:
        how = "same" if fold(left) == fold(right) else "normalised"
        return Comparison("name", how, 1.0, left, right)
    if set(a.names) & set(b.names):
        return Comparison("name", "tradeName", 1.0, left, right)
    similarity = best_name_similarity(a, b)
    return Comparison("name", "similar" if similarity >= 0.85 else "differs", similarity, left, right)


def best_name_similarity(a: OrganisationProfile, b: OrganisationProfile) -> float:
    """The highest similarity between any name of `a` and any name of `b` (0 if either has none)."""
    return max((_organisation_similarity(x, y) for x in a.names for y in b.names), default=0.0)


def names_reach(a: OrganisationProfile, b: OrganisationProfile, threshold: float) -> bool:
    """Whether `best_name_similarity(a, b) >= threshold` (below 1), asked of rapidfuzz with that as its cut-off.

    A score under the cut-off (a hundredth below the threshold) comes back as 0 and could not have reached it
    after rounding either; a score at or above it is exact, so the answer is the same, found sooner.
    """
    cutoff = threshold * 100 - 0.01
    for x in a.names:
        for y in b.names:
            compact = fuzz.ratio(x.replace(" ", ""), y.replace(" ", ""), score_cutoff=cutoff)
            if _sim(max(fuzz.token_sort_ratio(x, y, score_cutoff=cutoff), compact)) >= threshold:
                return True
    return False


def _organisation_similarity(a: str, b: str) -> float:
    compact = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return _sim(max(fuzz.token_sort_ratio(a, b), compact))


def _organisation_comparisons(a: OrganisationProfile, b: OrganisationProfile) -> tuple[Comparison, ...]:
    return (
        _identifier("kvkNumber", a.kvk, b.kvk),
        _identifier("rsin", a.rsin, b.rsin),
        _compare_organisation_names(a, b),
        _compare_support_address(a.address, b.address),
    )


def _organisation_verdict(comparisons: tuple[Comparison, ...]) -> tuple[MatchLevel, float]:
    """Certain on an equal KvK number or RSIN; otherwise the name, supported by the address."""
    kvk, rsin, name, address = comparisons
    identifiers = (kvk.how, rsin.how)
    if "same" in identifiers:
        return MatchLevel.CERTAIN, 1.0
    if "differs" in identifiers:
        return MatchLevel.NONE, 0.0
    similarity = name.similarity or 0.0
    if address.how == "same":
        level = _level_from(similarity, probable=0.9, possible=0.6)
    elif address.how in ("missing", "absent"):
        level = _level_from(similarity, probable=0.97, possible=0.85)
    else:
        level = _level_from(similarity, probable=2.0, possible=0.9)
    return level, _weighted(_ORGANISATION_WEIGHTS, (name.similarity, address.similarity))


def _organisation_judgement(a: OrganisationProfile, b: OrganisationProfile) -> Judgement:
    comparisons = _organisation_comparisons(a, b)
    return comparisons, *_organisation_verdict(comparisons)


def _organisation_judge(a: OrganisationProfile) -> Callable[[Profile], Judgement]:
    """`judge(a, ·)` for many candidates, sharing the comparisons that depend on what many of them have in common.

    The comparison of the identifiers depends only on whether the candidate has one and whether it equals `a`'s,
    that of the names only on the candidate's names and its name as written: those are made once per distinct
    value and the very same `Comparison` is given to every candidate with that value (`explainer` renders it once).
    Only the address is compared per candidate.
    """
    shared: dict[tuple[object, ...], Comparison] = {}
    judgements: dict[tuple[int, ...], Judgement] = {}

    def judge_one(b: Profile) -> Judgement:
        if not isinstance(b, OrganisationProfile):
            return judge(a, b)
        key_kvk, key_rsin = ("kvk", bool(b.kvk), b.kvk == a.kvk), ("rsin", bool(b.rsin), b.rsin == a.rsin)
        key_name = ("name", b.names, b.display)
        comparisons = (
            shared.get(key_kvk) or shared.setdefault(key_kvk, _identifier("kvkNumber", a.kvk, b.kvk)),
            shared.get(key_rsin) or shared.setdefault(key_rsin, _identifier("rsin", a.rsin, b.rsin)),
            shared.get(key_name) or shared.setdefault(key_name, _compare_organisation_names(a, b)),
            _compare_support_address(a.address, b.address),
        )
        if comparisons[3] is not _ADDRESS_MISSING and comparisons[3] is not _ADDRESS_ABSENT:
            return comparisons, *_organisation_verdict(comparisons)
        # all four comparisons shared: so is the judgement (the very same tuple, which `explainer` renders once)
        key = tuple(map(id, comparisons))
        judgement = judgements.get(key)
        if judgement is None:
            judgement = judgements[key] = (comparisons, *_organisation_verdict(comparisons))
        return judgement

    return judge_one


# Addresses -----------------------------------------------------------------------------------


def _addition_how(a: AddressProfile, b: AddressProfile) -> _How:
    if not a.addition and not b.addition:
        return "bothEmpty", 1.0
    if not a.addition or not b.addition:
        return "oneMissing", None
    if a.addition != b.addition:
        return "differs", 0.0
    return "same" if a.addition_raw == b.addition_raw else "normalised", 1.0


def _address_hows(a: AddressProfile, b: AddressProfile) -> tuple[_How, ...]:
    """How postcode, house number, addition, street and city compare: all a verdict needs, no values shown."""
    return (
        _identifier_how(a.postcode, b.postcode),
        _identifier_how(str(a.number or ""), str(b.number or "")),
        _addition_how(a, b),
        _text_how(a.street, b.street),
        _text_how(a.city, b.city),
    )


def _address_comparisons(a: AddressProfile, b: AddressProfile, hows: tuple[_How, ...]) -> tuple[Comparison, ...]:
    """The comparisons `hows` found with the values shown (none for two empty additions)."""
    postcode, number, addition, street, city = hows
    additions = ("", "") if addition[0] == "bothEmpty" else (a.addition_raw, b.addition_raw)
    return (
        Comparison("postcode", *postcode, a.postcode, b.postcode),
        Comparison("houseNumber", *number, str(a.number or ""), str(b.number or "")),
        Comparison("houseNumberAddition", *addition, *additions),
        Comparison("street", *street, a.street, b.street),
        Comparison("city", *city, a.city, b.city),
    )


def _address_verdict(hows: tuple[_How, ...]) -> tuple[MatchLevel, float]:
    (postcode, _), (number, _), (addition, _), (street, _), (city, _) = hows
    postcode = "missing" if outcome_of(postcode) is Outcome.MISSING else postcode
    score = _weighted(_ADDRESS_WEIGHTS, [similarity for _, similarity in hows])
    if number != "same":
        return MatchLevel.NONE, score
    street_city = outcome_of(street) is Outcome.AGREED and outcome_of(city) is not Outcome.DIFFERS
    if postcode == "same" or (postcode == "missing" and street_city and city != "missing"):
        if addition == "differs":
            return MatchLevel.POSSIBLE, score
        if addition == "oneMissing" or postcode == "missing":
            return MatchLevel.PROBABLE, score
        return MatchLevel.CERTAIN, 1.0
    return (MatchLevel.POSSIBLE if street_city else MatchLevel.NONE), score


def _address_judgement(a: AddressProfile, b: AddressProfile) -> Judgement:
    hows = _address_hows(a, b)
    return _address_comparisons(a, b, hows), *_address_verdict(hows)


_ADDRESS_MISSING, _ADDRESS_ABSENT = Comparison("address", "missing"), Comparison("address", "absent")


def _compare_support_address(a: AddressProfile | None, b: AddressProfile | None) -> Comparison:
    """An address as support for a person or organisation: agreed when at least probable.

    Without one of the two addresses the comparison is one of two constants (`explainer` renders each once).
    """
    if a is None or b is None or not (a.postcode or a.street) or not (b.postcode or b.street):
        return _ADDRESS_MISSING if a or b else _ADDRESS_ABSENT
    level, score = _address_verdict(_address_hows(a, b))
    return Comparison("address", "same" if level.is_match else "differs", score, a.display, b.display)


# Any two profiles ----------------------------------------------------------------------------


def _person_judgement(a: PersonProfile, b: PersonProfile) -> Judgement:
    comparisons = _person_comparisons(a, b)
    return comparisons, *_person_verdict({comparison.field: comparison for comparison in comparisons})


_KINDS: Mapping[type, tuple[str, Callable[[Any, Any], Judgement]]] = {
    PersonProfile: ("persoon", _person_judgement),
    OrganisationProfile: ("organisatie", _organisation_judgement),
    AddressProfile: ("adres", _address_judgement),
}


def judge(a: Profile, b: Profile) -> Judgement:
    """Compare two profiles field by field and give the verdict; different kinds never match."""
    kind_a, judgement = _KINDS[type(a)]
    if type(a) is not type(b):
        return (Comparison("kind", "differs", 0.0, kind_a, _KINDS[type(b)][0]),), MatchLevel.NONE, 0.0
    return judgement(a, b)


def judge_against(a: Profile) -> Callable[[Profile], Judgement]:
    """`judge(a, ·)`, for comparing one profile with many: each call answers as `judge(a, b)` would.

    For an organisation, comparisons many candidates share are made once (`_organisation_judge`).
    """
    if isinstance(a, OrganisationProfile):
        return _organisation_judge(a)
    return functools.partial(judge, a)
