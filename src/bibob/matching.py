"""Subject matching (entity resolution) of persons, organisations and addresses, explained."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import attrs
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bibob.identifiers import normalise_bsn, normalise_kvk, normalise_postcode, normalise_rsin
from bibob.labels import LabelledEnum
from bibob.parties import Address, Organisation, Person

Subject: TypeAlias = Person | Organisation | Address

# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


class MatchLevel(LabelledEnum):
    """How sure a match is; only `certain` may be acted on without a person reviewing it."""

    CERTAIN = "certain", "zeker"
    PROBABLE = "probable", "waarschijnlijk"
    POSSIBLE = "possible", "mogelijk"
    NONE = "none", "geen"

    @property
    def rank(self) -> int:
        """3 for certain down to 0 for none, for sorting."""
        return _RANKS[self.value]

    @property
    def is_match(self) -> bool:
        """Whether the level counts as a match: certain or probable (possible only proposes)."""
        return self.rank >= 2


_RANKS = {"certain": 3, "probable": 2, "possible": 1, "none": 0}


class Outcome(LabelledEnum):
    """What one field comparison found."""

    AGREED = "agreed", "gelijk"
    DIFFERS = "differs", "verschillend"
    MISSING = "missing", "ontbreekt"


@attrs.frozen
class MatchReason:
    """One line of a match's explanation; `text` is Dutch and never holds a BSN, RSIN or KvK."""

    field: str
    outcome: Outcome
    similarity: float | None
    text: str


@attrs.frozen
class Match:
    """The verdict on two subjects: a score in [0, 1], a level and the reasons for it."""

    left_key: str
    right_key: str
    score: float
    level: MatchLevel
    reasons: tuple[MatchReason, ...]
    left: Subject | None = attrs.field(default=None, eq=False, repr=False)
    right: Subject | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def explanation(self) -> str:
        """The reasons as one Dutch sentence."""
        return "; ".join(reason.text for reason in self.reasons)

    @property
    def needs_review(self) -> bool:
        """Whether a person must confirm or dismiss this match before it is relied on."""
        return self.level in (MatchLevel.PROBABLE, MatchLevel.POSSIBLE)


@attrs.frozen
class ReviewDecision:
    """A reviewer's verdict on a pair of subject keys (order of the keys does not matter)."""

    left_key: str
    right_key: str
    confirmed: bool
    reviewer: str
    reason: str

    @property
    def pair(self) -> frozenset[str]:
        """The two keys, unordered."""
        return frozenset((self.left_key, self.right_key))


def _decisions_by_pair(
    decisions: tuple[ReviewDecision, ...],
) -> dict[frozenset[str], ReviewDecision]:
    return {decision.pair: decision for decision in decisions}


def _confirmed_partners(decisions: tuple[ReviewDecision, ...]) -> dict[str, tuple[str, ...]]:
    partners: dict[str, tuple[str, ...]] = {}
    for decision in _decisions_by_pair(decisions).values():
        if decision.confirmed:
            for one, other in (
                (decision.left_key, decision.right_key),
                (decision.right_key, decision.left_key),
            ):
                partners[one] = (*partners.get(one, ()), other)
    return partners


@attrs.frozen
class ReviewLedger:
    """Every review decision so far, the latest on a pair winning; see `with_decision`."""

    decisions: tuple[ReviewDecision, ...] = ()
    _by_pair: dict[frozenset[str], ReviewDecision] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: _decisions_by_pair(self.decisions), takes_self=True),
    )
    _confirmed: dict[str, tuple[str, ...]] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: _confirmed_partners(self.decisions), takes_self=True),
    )

    def with_decision(self, left_key: str, right_key: str, confirmed: bool, reviewer: str, reason: str) -> ReviewLedger:
        """A new ledger that also records this decision (it overrides earlier ones on the pair)."""
        decision = ReviewDecision(left_key, right_key, confirmed, reviewer, reason)
        return ReviewLedger((*self.decisions, decision))

    def decision_for(self, left_key: str, right_key: str) -> ReviewDecision | None:
        """The latest decision on the pair, in either order, or None."""
        return self._by_pair.get(frozenset((left_key, right_key)))

    def confirmed_with(self, key: str) -> tuple[str, ...]:
        """The keys a reviewer confirmed as the same subject as `key`."""
        return self._confirmed.get(key, ())


def subject_key(subject: Subject) -> str:
    """A stable key for a subject without caller id: a hash of its identifying fields, no BSN."""
    fields: tuple[Any, ...]
    if isinstance(subject, Person):
        fields = (
            "person",
            subject.surname,
            subject.prefix,
            subject.first_names,
            subject.date_of_birth,
            normalise_bsn(subject.bsn) or "",
        )
    elif isinstance(subject, Organisation):
        fields = (
            "organisation",
            subject.name,
            normalise_kvk(subject.kvk_number) or "",
            normalise_rsin(subject.rsin) or "",
        )
    else:
        fields = ("address", *_address_key_parts(_address_profile(subject)))
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:20]
    return f"{fields[0]}:{digest}"


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans(
    {
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "`": "'",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9\-]+")
_NON_ALNUM_NO_DASH = re.compile(r"[^a-z0-9]+")

#: Tussenvoegsels and foreign particles, folded and stripped of apostrophes ('t → t, d' → d).
PARTICLES = frozenset(
    (
        *("van", "de", "der", "den", "ter", "ten", "te", "het", "t", "s", "in", "op", "aan"),
        *("onder", "bij", "uit", "over", "voor", "vd", "v", "la", "le", "les", "du", "d", "di"),
        *("da", "del", "della", "dos", "das", "des", "von", "vom", "zu", "zum", "zur", "el", "al"),
        "l",
    )
)

#: Words naming a legal form (or 'holding'), left out when organisation names are compared.
LEGAL_FORM_WORDS = frozenset(
    (
        *("bv", "nv", "vof", "cv", "holding", "stichting", "vereniging", "cooperatie", "coop"),
        *("ua", "wa", "ba", "eenmanszaak", "maatschap", "owm", "besloten", "naamloze"),
        *("vennootschap", "ltd", "gmbh", "sa", "sarl", "llc", "inc", "bvba"),
    )
)
_ORG_ARTICLES = frozenset(("de", "het", "t", "the"))


def fold(text: str) -> str:
    """Lower case without diacritics: 'Émile Ørsted' → 'emile orsted'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_EXTRA))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(text: str) -> tuple[str, ...]:
    return tuple(_NON_ALNUM_NO_DASH.sub(" ", fold(text).replace("'", " ")).split())


@attrs.frozen
class Surname:
    """A surname split for comparison into parts (double names), each without its particles."""

    display: str
    folded: str  # display folded, to tell 'same' from 'same after normalisation'
    parts: tuple[str, ...]  # core of each part, e.g. ('jansen', 'vries') for 'Jansen-de Vries'
    core: str  # all cores, space-separated
    compact: str  # everything including particles, no spaces: 'vanderberg'


def split_surname(surname: str, prefix: str = "") -> Surname:
    """Normalise prefix + surname; 'Berg, van der' and 'Van der Berg' give the same `Surname`."""
    display = " ".join(f"{prefix} {surname}".split())
    head, _, tail = surname.partition(",")
    if tail.strip() and all(word in PARTICLES for word in _words(tail)):
        prefix, surname = f"{prefix} {tail}", head
    elif tail.strip():
        surname = head  # 'Berg, Jan': what follows the comma are first names
    text = f"{prefix} {surname}".strip()
    tokens = tuple(_NON_ALNUM.sub(" ", fold(text).replace("'", " ").replace("-", " - ")).split())
    parts = _surname_parts(tokens)
    return Surname(
        display=display,
        folded=fold(display),
        parts=parts,
        core=" ".join(parts),
        compact="".join(token for token in tokens if token != "-"),
    )


def _surname_parts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    groups: list[list[str]] = [[]]
    previous_particle = True
    for token in tokens:
        particle = token in PARTICLES
        if token == "-" or (particle and not previous_particle):
            groups.append([])
        if token != "-":
            groups[-1].append(token)
        previous_particle = particle or token == "-"
    cores = ("".join(t for t in group if t not in PARTICLES) or "".join(group) for group in groups)
    return tuple(core for core in cores if core)


def first_name_tokens(first_names: str) -> tuple[str, ...]:
    """First names as folded tokens; 'J.P.' → ('j', 'p'), 'Jan-Pieter' → ('jan', 'pieter')."""
    return tuple(_NON_ALNUM_NO_DASH.sub(" ", fold(first_names)).split())


def organisation_name(name: str) -> str:
    """Folded, without legal form, article or punctuation: 'De Leeuw B.V.' → 'leeuw'."""
    text = fold(name).replace("&", " en ").replace(".", "")
    tokens = _merge_single_letters(tuple(_NON_ALNUM_NO_DASH.sub(" ", text).split()))
    kept = tuple(token for token in tokens if token not in LEGAL_FORM_WORDS)
    while len(kept) > 1 and kept[0] in _ORG_ARTICLES:
        kept = kept[1:]
    return " ".join(kept or tokens)


def _merge_single_letters(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Join runs of single letters, so 'B. V.' and 'V O F' become 'bv' and 'vof'."""
    merged: list[str] = []
    in_run = False
    for token in tokens:
        if len(token) == 1 and in_run:
            merged[-1] += token
        else:
            merged.append(token)
        in_run = len(token) == 1
    return tuple(merged)


def normalise_addition(addition: str) -> str:
    """House number addition, case/space/dash-insensitive: ' - a ' → 'a', 'Bis' → 'bis'."""
    return _NON_ALNUM_NO_DASH.sub("", fold(addition))


_PHONETIC_RULES = (
    ("sch", "s"),
    ("ch", "g"),
    ("ck", "k"),
    ("c", "k"),
    ("ph", "f"),
    ("ij", "y"),
    ("ei", "y"),
    ("ey", "y"),
    ("ou", "au"),
    ("dt", "t"),
    ("th", "t"),
    ("z", "s"),
    ("x", "ks"),
    ("q", "k"),
    ("v", "f"),
    ("w", "v"),
)


@functools.lru_cache(maxsize=1 << 16)
def phonetic_key(word: str) -> str:
    """A rough Dutch sound key: 'Janssen' and 'Jansen', 'Dijk' and 'Deijk' and 'Dyk' agree."""
    key = word
    for old, new in _PHONETIC_RULES:
        key = key.replace(old, new)
    collapsed = "".join(char for i, char in enumerate(key) if i == 0 or char != key[i - 1])
    return collapsed[:-1] + "t" if collapsed.endswith("d") else collapsed


_STREET_ABBREVIATIONS = (
    ("str", "straat"),
    ("ln", "laan"),
    ("wg", "weg"),
    ("pln", "plein"),
    ("gr", "gracht"),
    ("kd", "kade"),
)


def _street(street: str) -> str:
    words = []
    for word in _words(street):
        for short, full in _STREET_ABBREVIATIONS:
            if word.endswith(short) and len(word) > len(short):
                word = word[: -len(short)] + full
                break
        words.append(word)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Profiles: each subject normalised once (the index keeps them, so a query normalises only itself)
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class _AddressProfile:
    postcode: str
    number: int | None
    addition: str
    addition_raw: str
    street: str
    city: str
    display: str


@attrs.frozen
class _PersonProfile:
    bsn: str | None
    surname: Surname
    first: tuple[str, ...]
    first_display: str
    dob: dt.date | None
    address: _AddressProfile | None


@attrs.frozen
class _OrganisationProfile:
    kvk: str | None
    rsin: str | None
    names: tuple[str, ...]  # normalised name first, then trade names
    display: str
    address: _AddressProfile | None


_Profile: TypeAlias = _PersonProfile | _OrganisationProfile | _AddressProfile


def _address_profile(address: Address) -> _AddressProfile:
    dutch = address.country.upper() in ("NL", "")
    postcode = (normalise_postcode(address.postcode) if dutch else None) or _NON_ALNUM_NO_DASH.sub(
        "", fold(address.postcode or "")
    ).upper()
    number = address.house_number if isinstance(address.house_number, int) else None
    display = " ".join(f"{postcode} {number or ''} {address.house_number_addition or ''}".split())
    return _AddressProfile(
        postcode,
        number,
        normalise_addition(address.house_number_addition or ""),
        address.house_number_addition or "",
        _street(address.street or ""),
        " ".join(_words(address.city or "")),
        display,
    )


def _address_key_parts(profile: _AddressProfile) -> tuple[str, str, str]:
    return profile.postcode, str(profile.number or ""), profile.addition


def _person_profile(person: Person) -> _PersonProfile:
    dob = person.date_of_birth if isinstance(person.date_of_birth, dt.date) else None
    return _PersonProfile(
        bsn=normalise_bsn(person.bsn) if person.bsn else None,
        surname=split_surname(person.surname or "", person.prefix or ""),
        first=first_name_tokens(person.first_names or ""),
        first_display=" ".join((person.first_names or "").split()),
        dob=dob,
        address=_address_profile(person.address) if person.address else None,
    )


def _organisation_profile(organisation: Organisation) -> _OrganisationProfile:
    names = tuple(
        dict.fromkeys(
            name for name in map(organisation_name, (organisation.name or "", *organisation.trade_names)) if name
        )
    )
    return _OrganisationProfile(
        kvk=normalise_kvk(organisation.kvk_number) if organisation.kvk_number else None,
        rsin=normalise_rsin(organisation.rsin) if organisation.rsin else None,
        names=names,
        display=" ".join((organisation.name or "").split()),
        address=_address_profile(organisation.address) if organisation.address else None,
    )


def _profile(subject: Subject) -> _Profile:
    if isinstance(subject, Person):
        return _person_profile(subject)
    if isinstance(subject, Organisation):
        return _organisation_profile(subject)
    return _address_profile(subject)


# ---------------------------------------------------------------------------------------------
# Comparisons: one per field with a `how` code; verdicts read them, explanations render them
# ---------------------------------------------------------------------------------------------

#: Similarity from which a surname counts as agreed (one edit in a six-letter name).
SURNAME_AGREES = 0.83
#: Similarity from which first names count as agreed.
FIRST_NAMES_AGREE = 0.8

_AGREED_HOWS = frozenset(
    (
        "same",
        "normalised",
        "part",
        "similar",
        "swapped",
        "initials",
        "subset",
        "tradeName",
        "bothEmpty",
        "confirmed",
    )
)
_MISSING_HOWS = frozenset(("missing", "oneMissing", "absent"))


@attrs.frozen
class _Comparison:
    field: str
    how: str
    similarity: float | None = None
    left: str = ""
    right: str = ""

    @property
    def outcome(self) -> Outcome:
        if self.how in _AGREED_HOWS:
            return Outcome.AGREED
        return Outcome.MISSING if self.how in _MISSING_HOWS else Outcome.DIFFERS


def _sim(value: float) -> float:
    return round(value / 100, 4)


def _identifier(field: str, left: str | None, right: str | None, *, shown: bool = False) -> _Comparison:
    """Compare two identifiers; their values go into the explanation only when `shown`."""
    texts = (left or "", right or "") if shown else ("", "")
    if not left or not right:
        return _Comparison(field, "missing" if left or right else "absent", None, *texts)
    return _Comparison(field, "same" if left == right else "differs", float(left == right), *texts)


def _compare_surnames(a: Surname, b: Surname) -> _Comparison:
    if not a.core or not b.core:
        return _Comparison("surname", "missing", None, a.display, b.display)
    if a.folded == b.folded:
        return _Comparison("surname", "same", 1.0, a.display, b.display)
    if a.core == b.core or a.compact == b.compact:
        return _Comparison("surname", "normalised", 1.0, a.display, b.display)
    whole = _surname_similarity(a, b)
    part = _part_similarity(a, b)
    if part > whole and part >= SURNAME_AGREES:
        return _Comparison("surname", "part", part, a.display, b.display)
    how = "similar" if whole >= SURNAME_AGREES else "differs"
    return _Comparison("surname", how, whole, a.display, b.display)


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


def _compare_first_names(a: _PersonProfile, b: _PersonProfile) -> _Comparison:
    left, right = a.first_display, b.first_display
    if not a.first or not b.first:
        return _Comparison("firstNames", "missing", None, left, right)
    if a.first == b.first:
        how = "same" if left.casefold() == right.casefold() else "normalised"
        return _Comparison("firstNames", how, 1.0, left, right)
    if any(len(token) == 1 for token in (*a.first, *b.first)):
        how, similarity = _initials(a.first, b.first)
        return _Comparison("firstNames", how, similarity, left, right)
    if sorted(a.first) == sorted(b.first):
        return _Comparison("firstNames", "swapped", 1.0, left, right)
    joined_a, joined_b = " ".join(a.first), " ".join(b.first)
    similar = _sim(fuzz.token_sort_ratio(joined_a, joined_b))
    subset = round(0.9 * _sim(fuzz.token_set_ratio(joined_a, joined_b)), 4)
    if subset > similar and subset >= FIRST_NAMES_AGREE:
        return _Comparison("firstNames", "subset", subset, left, right)
    how = "similar" if similar >= FIRST_NAMES_AGREE else "differs"
    return _Comparison("firstNames", how, similar, left, right)


def _initials(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, float]:
    """Initials against names: 'J.P.' fits 'Jan Pieter' (0.9), 'J.' fits it partly (0.85)."""
    for x, y in zip(a, b, strict=False):
        if len(x) > 1 and len(y) > 1 and fuzz.ratio(x, y) < 80:
            return "differs", 0.0
    initials_a, initials_b = "".join(t[0] for t in a), "".join(t[0] for t in b)
    if initials_a == initials_b:
        return "initials", 0.9
    if (
        sorted(initials_a) == sorted(initials_b)
        or initials_a.startswith(initials_b)
        or (initials_b.startswith(initials_a))
    ):
        return "initials", 0.85
    return "differs", 0.0


def _compare_dates(a: dt.date | None, b: dt.date | None) -> _Comparison:
    if a is None or b is None:
        return _Comparison("dateOfBirth", "missing")
    if a == b:
        return _Comparison("dateOfBirth", "same", 1.0)
    if (a.year, a.month, a.day) == (b.year, b.day, b.month):
        return _Comparison("dateOfBirth", "swapped", 0.5)
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    near = same_parts == 2
    return _Comparison("dateOfBirth", "near" if near else "differs", 0.3 if near else 0.0)


def _compare_support_address(a: _AddressProfile | None, b: _AddressProfile | None) -> _Comparison:
    """An address as support for a person or organisation: agreed when at least probable."""
    if a is None or b is None or not (a.postcode or a.street) or not (b.postcode or b.street):
        return _Comparison("address", "missing" if a or b else "absent")
    level, score = _address_verdict({c.field: c for c in _address_comparisons(a, b)})
    how = "same" if level.rank >= 2 else "differs"
    return _Comparison("address", how, score, a.display, b.display)


def _compare_text(field: str, a: str, b: str) -> _Comparison:
    if not a or not b:
        return _Comparison(field, "missing", None, a, b)
    if a == b:
        return _Comparison(field, "same", 1.0, a, b)
    similarity = _sim(fuzz.ratio(a, b))
    return _Comparison(field, "similar" if similarity >= 0.85 else "differs", similarity, a, b)


def _compare_additions(a: _AddressProfile, b: _AddressProfile) -> _Comparison:
    left, right = a.addition_raw, b.addition_raw
    if not a.addition and not b.addition:
        return _Comparison("houseNumberAddition", "bothEmpty", 1.0)
    if not a.addition or not b.addition:
        return _Comparison("houseNumberAddition", "oneMissing", None, left, right)
    if a.addition != b.addition:
        return _Comparison("houseNumberAddition", "differs", 0.0, left, right)
    how = "same" if left == right else "normalised"
    return _Comparison("houseNumberAddition", how, 1.0, left, right)


def _address_comparisons(a: _AddressProfile, b: _AddressProfile) -> tuple[_Comparison, ...]:
    number_a, number_b = str(a.number or ""), str(b.number or "")
    return (
        _identifier("postcode", a.postcode, b.postcode, shown=True),
        _identifier("houseNumber", number_a, number_b, shown=True),
        _compare_additions(a, b),
        _compare_text("street", a.street, b.street),
        _compare_text("city", a.city, b.city),
    )


def _address_verdict(c: Mapping[str, _Comparison]) -> tuple[MatchLevel, float]:
    postcode = "missing" if c["postcode"].outcome is Outcome.MISSING else c["postcode"].how
    number = c["houseNumber"].how
    addition = c["houseNumberAddition"].how
    score = _weighted(c, _ADDRESS_WEIGHTS)
    if number != "same":
        return MatchLevel.NONE, score
    street_city = c["street"].outcome is Outcome.AGREED and c["city"].outcome is not Outcome.DIFFERS
    if postcode == "same" or (postcode == "missing" and street_city and c["city"].how != "missing"):
        if addition == "differs":
            return MatchLevel.POSSIBLE, score
        if addition == "oneMissing" or postcode == "missing":
            return MatchLevel.PROBABLE, score
        return MatchLevel.CERTAIN, 1.0
    return (MatchLevel.POSSIBLE if street_city else MatchLevel.NONE), score


_ADDRESS_WEIGHTS = (
    ("postcode", 0.35),
    ("houseNumber", 0.25),
    ("houseNumberAddition", 0.1),
    ("street", 0.2),
    ("city", 0.1),
)
_PERSON_WEIGHTS = (("surname", 0.4), ("firstNames", 0.25), ("dateOfBirth", 0.35))
_ORGANISATION_WEIGHTS = (("name", 0.75), ("address", 0.25))


def _weighted(c: Mapping[str, _Comparison], weights: tuple[tuple[str, float], ...]) -> float:
    """A ranking score below 1 (only certain matches score 1); a missing field counts half."""
    total = 0.0
    for field, weight in weights:
        similarity = c[field].similarity
        total += weight * (0.5 if similarity is None else similarity)
    return round(min(total, 0.99), 4)


def _person_comparisons(a: _PersonProfile, b: _PersonProfile) -> tuple[_Comparison, ...]:
    return (
        _identifier("bsn", a.bsn, b.bsn),
        _compare_surnames(a.surname, b.surname),
        _compare_first_names(a, b),
        _compare_dates(a.dob, b.dob),
        _compare_support_address(a.address, b.address),
    )


def _person_verdict(c: Mapping[str, _Comparison]) -> tuple[MatchLevel, float]:
    if c["bsn"].outcome is not Outcome.MISSING:
        return (MatchLevel.CERTAIN, 1.0) if c["bsn"].how == "same" else (MatchLevel.NONE, 0.0)
    bonus = 0.05 if c["address"].how == "same" else 0.0
    return _person_level(c), round(min(_weighted(c, _PERSON_WEIGHTS) + bonus, 0.99), 4)


def _person_level(c: Mapping[str, _Comparison]) -> MatchLevel:
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


def _compare_organisation_names(a: _OrganisationProfile, b: _OrganisationProfile) -> _Comparison:
    left, right = a.display, b.display
    if not a.names or not b.names:
        return _Comparison("name", "missing", None, left, right)
    if a.names[0] == b.names[0]:
        how = "same" if fold(left) == fold(right) else "normalised"
        return _Comparison("name", how, 1.0, left, right)
    if set(a.names) & set(b.names):
        return _Comparison("name", "tradeName", 1.0, left, right)
    similarity = max(_organisation_similarity(x, y) for x in a.names for y in b.names)
    how = "similar" if similarity >= 0.85 else "differs"
    return _Comparison("name", how, similarity, left, right)


def _organisation_similarity(a: str, b: str) -> float:
    compact = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return _sim(max(fuzz.token_sort_ratio(a, b), compact))


def _organisation_comparisons(a: _OrganisationProfile, b: _OrganisationProfile) -> tuple[_Comparison, ...]:
    return (
        _identifier("kvkNumber", a.kvk, b.kvk),
        _identifier("rsin", a.rsin, b.rsin),
        _compare_organisation_names(a, b),
        _compare_support_address(a.address, b.address),
    )


def _organisation_verdict(c: Mapping[str, _Comparison]) -> tuple[MatchLevel, float]:
    """Certain on an equal KvK number or RSIN; otherwise the name, supported by the address."""
    identifiers = (c["kvkNumber"].how, c["rsin"].how)
    if "same" in identifiers:
        return MatchLevel.CERTAIN, 1.0
    if "differs" in identifiers:
        return MatchLevel.NONE, 0.0
    name, address = c["name"].similarity or 0.0, c["address"].how
    if address == "same":
        level = _level_from(name, probable=0.9, possible=0.6)
    elif address in ("missing", "absent"):
        level = _level_from(name, probable=0.97, possible=0.85)
    else:
        level = _level_from(name, probable=2.0, possible=0.9)
    return level, _weighted(c, _ORGANISATION_WEIGHTS)


def _level_from(similarity: float, *, probable: float, possible: float) -> MatchLevel:
    if similarity >= probable:
        return MatchLevel.PROBABLE
    return MatchLevel.POSSIBLE if similarity >= possible else MatchLevel.NONE


# ---------------------------------------------------------------------------------------------
# Explanations
# ---------------------------------------------------------------------------------------------

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


def _reason(comparison: _Comparison) -> MatchReason:
    """Render one comparison in Dutch; any run of 8+ digits is masked, so no BSN or KvK leaks."""
    fallback = f"{comparison.field}: {comparison.how}"
    template = _TEXTS.get((comparison.field, comparison.how), fallback)
    pct = round(100 * comparison.similarity) if comparison.similarity is not None else 0
    text = template.format(left=comparison.left, right=comparison.right, pct=pct)
    return MatchReason(
        comparison.field,
        comparison.outcome,
        comparison.similarity,
        _LONG_NUMBER.sub("[nummer]", text),
    )


# ---------------------------------------------------------------------------------------------
# Matching two subjects
# ---------------------------------------------------------------------------------------------

_Comparer: TypeAlias = Callable[[Any, Any], tuple[_Comparison, ...]]
_Verdict: TypeAlias = Callable[[Mapping[str, _Comparison]], tuple[MatchLevel, float]]
_KINDS: Mapping[type, tuple[str, _Comparer, _Verdict]] = {
    _PersonProfile: ("persoon", _person_comparisons, _person_verdict),
    _OrganisationProfile: ("organisatie", _organisation_comparisons, _organisation_verdict),
    _AddressProfile: ("adres", _address_comparisons, _address_verdict),
}


def _judge(a: _Profile, b: _Profile) -> tuple[tuple[_Comparison, ...], MatchLevel, float]:
    kind_a, compare, verdict = _KINDS[type(a)]
    if type(a) is not type(b):
        kinds = _Comparison("kind", "differs", 0.0, kind_a, _KINDS[type(b)][0])
        return (kinds,), MatchLevel.NONE, 0.0
    comparisons = compare(a, b)
    level, score = verdict({comparison.field: comparison for comparison in comparisons})
    return comparisons, level, score


def _match(
    judged: tuple[tuple[_Comparison, ...], MatchLevel, float],
    keys: tuple[str, str],
    subjects: tuple[Subject, Subject],
) -> Match:
    comparisons, level, score = judged
    reasons = tuple(_reason(c) for c in comparisons if c.how != "absent")
    return Match(keys[0], keys[1], score, level, reasons, subjects[0], subjects[1])


def match_subjects(
    left: Subject,
    right: Subject,
    *,
    left_key: str | None = None,
    right_key: str | None = None,
    ledger: ReviewLedger | None = None,
) -> Match:
    """Compare two subjects and explain the verdict; keys default to `subject_key`."""
    keys = (left_key or subject_key(left), right_key or subject_key(right))
    match = _match(_judge(_profile(left), _profile(right)), keys, (left, right))
    return apply_review(match, ledger) if ledger is not None else match


def match_persons(left: Person, right: Person, **options: Any) -> Match:
    """Persons: certain on equal BSN, none on different BSNs, else names and birth date decide."""
    return match_subjects(left, right, **options)


def match_organisations(left: Organisation, right: Organisation, **options: Any) -> Match:
    """Organisations: certain on equal KvK number or RSIN, else normalised name and address."""
    return match_subjects(left, right, **options)


def match_addresses(left: Address, right: Address, **options: Any) -> Match:
    """Addresses: certain on postcode + house number + addition; street and city support."""
    return match_subjects(left, right, **options)


def apply_review(match: Match, ledger: ReviewLedger) -> Match:
    """A confirmed pair becomes certain, a dismissed pair none; the review leads the explanation."""
    decision = ledger.decision_for(match.left_key, match.right_key)
    if decision is None:
        return match
    how = "confirmed" if decision.confirmed else "dismissed"
    reason = _reason(_Comparison("review", how, None, decision.reviewer, decision.reason))
    level, score = (MatchLevel.CERTAIN, 1.0) if decision.confirmed else (MatchLevel.NONE, 0.0)
    return attrs.evolve(match, level=level, score=score, reasons=(reason, *match.reasons))


# ---------------------------------------------------------------------------------------------
# Index: blocking keys, so a query reads a few small blocks and never scans the registry
# ---------------------------------------------------------------------------------------------

#: Most candidates one query scores: blocks are read smallest first until this many ids.
MAX_CANDIDATES = 300
_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")


def _address_block(tag: str, address: _AddressProfile | None) -> tuple[str, ...]:
    if address is None or not address.postcode or address.number is None:
        return ()
    return (f"{tag}:pc:{address.postcode}:{address.number}",)


def _person_keys(p: _PersonProfile, initials: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(f"P:sn:{phonetic_key(part)}:{initial}" for part in p.surname.parts for initial in initials)
    dob = (f"P:dob:{p.dob.isoformat()}",) if p.dob else ()
    return (*dob, *_address_block("P", p.address), *names)


def _organisation_keys(o: _OrganisationProfile) -> tuple[str, ...]:
    tokens = dict.fromkeys(phonetic_key(token) for name in o.names for token in name.split() if len(token) > 1)
    names = (f"O:name:{' '.join(sorted(phonetic_key(t) for t in name.split()))}" for name in o.names)
    return (*_address_block("O", o.address), *names, *(f"O:tok:{token}" for token in tokens))


def _address_keys(a: _AddressProfile) -> tuple[str, ...]:
    street = f"A:st:{phonetic_key(a.street.replace(' ', ''))}:{a.number}" if a.street else ""
    return (*_address_block("A", a), *((street,) if street else ()))


def _identifier_keys(profile: _Profile) -> tuple[str, ...]:
    if isinstance(profile, _PersonProfile):
        return (f"P:bsn:{profile.bsn}",) if profile.bsn else ()
    if isinstance(profile, _OrganisationProfile):
        pairs = (("kvk", profile.kvk), ("rsin", profile.rsin))
        return tuple(f"O:{tag}:{value}" for tag, value in pairs if value)
    return ()


def _other_keys(profile: _Profile, *, query: bool) -> tuple[str, ...]:
    """Keys besides identifiers; a query looks under every initial, a record under its first."""
    if isinstance(profile, _PersonProfile):
        initials = (
            tuple(dict.fromkeys(token[0] for token in profile.first))
            if query
            else (profile.first[0][0] if profile.first else "",)
        )
        if query:
            initials = (*initials, "") if profile.first else ("", *_LETTERS)
        return _person_keys(profile, initials)
    if isinstance(profile, _OrganisationProfile):
        return _organisation_keys(profile)
    return _address_keys(profile)


def blocking_keys(subject: Subject) -> tuple[str, ...]:
    """The blocks a subject is filed under; they hold identifiers, so keep them internal."""
    profile = _profile(subject)
    return (*_identifier_keys(profile), *_other_keys(profile, query=False))


@attrs.frozen
class SubjectIndex:
    """Subjects by caller id with their normalised profiles and blocks (key → tuple of ids)."""

    subjects: Mapping[str, Subject] = attrs.field(repr=False)
    profiles: Mapping[str, _Profile] = attrs.field(repr=False)
    blocks: Mapping[str, tuple[str, ...]] = attrs.field(repr=False)
    max_candidates: int = MAX_CANDIDATES

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Subject]], *, max_candidates: int = MAX_CANDIDATES) -> SubjectIndex:
        """Index (id, subject) pairs once; a later id replaces an earlier one with the same id."""
        subjects = dict(entries)
        profiles = {key: _profile(subject) for key, subject in subjects.items()}
        grouped: dict[str, list[str]] = {}
        for key, profile in profiles.items():
            for block in (*_identifier_keys(profile), *_other_keys(profile, query=False)):
                grouped.setdefault(block, []).append(key)
        blocks = {block: tuple(ids) for block, ids in grouped.items()}
        return cls(subjects, profiles, blocks, max_candidates)

    def __len__(self) -> int:
        return len(self.subjects)

    def candidates(self, subject: Subject) -> tuple[str, ...]:
        """Ids worth comparing with `subject`: every identifier block, then small blocks first."""
        return self._candidates(_profile(subject))

    def _candidates(self, profile: _Profile) -> tuple[str, ...]:
        found = dict.fromkeys(key for block in _identifier_keys(profile) for key in self.blocks.get(block, ()))
        limit = max(self.max_candidates, len(found))
        others = (self.blocks.get(block, ()) for block in set(_other_keys(profile, query=True)))
        for ids in sorted(others, key=len):
            if len(found) + len(ids) > limit:
                break
            found.update(dict.fromkeys(ids))
        return tuple(found)


def match_against(
    index: SubjectIndex,
    subject: Subject,
    ledger: ReviewLedger | None = None,
    *,
    key: str | None = None,
    minimum: MatchLevel = MatchLevel.POSSIBLE,
) -> tuple[Match, ...]:
    """Matches of `subject` in the index at `minimum` or above, best first; dismissed pairs drop."""
    ledger = ledger if ledger is not None else ReviewLedger()
    key = key or subject_key(subject)
    profile = _profile(subject)
    allowed = frozenset(level for level in MatchLevel if level.rank >= minimum.rank)
    confirmed = tuple(other for other in ledger.confirmed_with(key) if other in index.profiles)
    matches = []
    for other in dict.fromkeys((*index._candidates(profile), *confirmed)):
        reviewed = ledger.decision_for(key, other) is not None
        if other == key or not (reviewed or _could_match(profile, index.profiles[other])):
            continue
        judged = _judge(profile, index.profiles[other])
        if reviewed or judged[1] in allowed:
            match = _match(judged, (key, other), (subject, index.subjects[other]))
            match = apply_review(match, ledger)
            if match.level in allowed:
                matches.append(match)
    return tuple(sorted(matches, key=lambda m: (-m.level.rank, -m.score, m.right_key)))


def _could_match(a: _Profile, b: _Profile) -> bool:
    """A cheap test that leaves out candidates whose verdict can only be none."""
    if isinstance(a, _PersonProfile) and isinstance(b, _PersonProfile):
        if a.bsn and b.bsn:
            return a.bsn == b.bsn
        return (_compare_surnames(a.surname, b.surname).similarity or 0.0) >= 0.8
    if isinstance(a, _OrganisationProfile) and isinstance(b, _OrganisationProfile):
        pairs = tuple((x, y) for x, y in ((a.kvk, b.kvk), (a.rsin, b.rsin)) if x and y)
        if pairs:
            return any(x == y for x, y in pairs)
        same_seat = a.address is not None and b.address is not None and a.address.number is not None
        same_seat = same_seat and _address_block("", a.address) == _address_block("", b.address)
        similarities = (_organisation_similarity(x, y) for x in a.names for y in b.names)
        return max(similarities, default=0.0) >= (0.6 if same_seat else 0.85)
    if isinstance(a, _AddressProfile) and isinstance(b, _AddressProfile):
        return a.number is not None and a.number == b.number
    return False
