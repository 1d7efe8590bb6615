"""Subject matching (entity resolution) of persons, organisations and addresses, with explanations."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import attrs
from rapidfuzz import fuzz

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
    """One line of a match's explanation; `text` is Dutch and never holds a BSN, RSIN or KvK number."""

    field: str
    outcome: Outcome
    similarity: float | None
    text: str


@attrs.frozen
class Match:
    """The verdict on two subjects: score in [0, 1], a level and the reasons, best evidence first."""

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


def _decisions_by_pair(decisions: tuple[ReviewDecision, ...]) -> dict[frozenset[str], ReviewDecision]:
    return {decision.pair: decision for decision in decisions}


def _confirmed_partners(decisions: tuple[ReviewDecision, ...]) -> dict[str, tuple[str, ...]]:
    partners: dict[str, tuple[str, ...]] = {}
    for decision in _decisions_by_pair(decisions).values():
        if decision.confirmed:
            partners[decision.left_key] = (*partners.get(decision.left_key, ()), decision.right_key)
            partners[decision.right_key] = (*partners.get(decision.right_key, ()), decision.left_key)
    return partners


@attrs.frozen
class ReviewLedger:
    """Every review decision so far; the latest decision on a pair wins. Immutable: use `with_decision`."""

    decisions: tuple[ReviewDecision, ...] = ()
    _by_pair: dict[frozenset[str], ReviewDecision] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(
            lambda self: _decisions_by_pair(self.decisions), takes_self=True)
    )
    _confirmed: dict[str, tuple[str, ...]] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(
            lambda self: _confirmed_partners(self.decisions), takes_self=True)
    )

    def with_decision(
        self, left_key: str, right_key: str, confirmed: bool, reviewer: str, reason: str
    ) -> ReviewLedger:
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
    """A stable key for a subject without a caller id: a hash of its identifying fields (no BSN in clear)."""
    fields: tuple[Any, ...]
    if isinstance(subject, Person):
        fields = ("person", subject.surname, subject.prefix, subject.first_names,
                  subject.date_of_birth, normalise_bsn(subject.bsn) or "")
    elif isinstance(subject, Organisation):
        fields = ("organisation", subject.name, normalise_kvk(subject.kvk_number) or "",
                  normalise_rsin(subject.rsin) or "")
    else:
        fields = ("address", *_address_key_parts(_address_profile(subject)))
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:20]
    return f"{fields[0]}:{digest}"


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d",
                             "ð": "d", "þ": "th", "ı": "i", "’": "'", "‘": "'", "`": "'"})
_NON_ALNUM = re.compile(r"[^a-z0-9\-]+")
_NON_ALNUM_NO_DASH = re.compile(r"[^a-z0-9]+")

#: Tussenvoegsels and foreign particles, folded and stripped of apostrophes ('t → t, d' → d).
PARTICLES = frozenset(
    "van de der den ter ten te het t s in op aan onder bij uit over voor vd v la le les du d di da"
    " del della dos das des von vom zu zum zur el al l".split()
)

#: Words naming a legal form (or 'holding'), left out when organisation names are compared.
LEGAL_FORM_WORDS = frozenset(
    "bv nv vof cv holding stichting vereniging cooperatie coop ua wa ba eenmanszaak maatschap owm"
    " besloten naamloze vennootschap ltd gmbh sa sarl llc inc bvba".split()
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
    """A surname split for comparison: its parts (hyphen or maiden/married), cores without particles."""

    display: str
    parts: tuple[str, ...]  # core of each part, e.g. ('jansen', 'vries') for 'Jansen-de Vries'
    core: str  # all cores, space-separated
    compact: str  # everything including particles, no spaces: 'vanderberg'


def split_surname(surname: str, prefix: str = "") -> Surname:
    """Normalise prefix + surname; 'Berg, van der' and 'Van der Berg' give the same `Surname`."""
    head, _, tail = surname.partition(",")
    if tail.strip() and all(word in PARTICLES for word in _words(tail)):
        prefix, surname = f"{prefix} {tail}", head
    elif tail.strip():
        surname = head  # 'Berg, Jan': what follows the comma are first names
    text = f"{prefix} {surname}".strip()
    tokens = tuple(_NON_ALNUM.sub(" ", fold(text).replace("'", " ").replace("-", " - ")).split())
    parts = _surname_parts(tokens)
    return Surname(
        display=" ".join(text.split()),
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
    cores = tuple("".join(t for t in group if t not in PARTICLES) or "".join(group) for group in groups)
    return tuple(core for core in cores if core)


def first_name_tokens(first_names: str) -> tuple[str, ...]:
    """First names as folded tokens; 'J.P.' → ('j', 'p'), 'Jan-Pieter' → ('jan', 'pieter')."""
    return tuple(_NON_ALNUM_NO_DASH.sub(" ", fold(first_names)).split())


def organisation_name(name: str) -> str:
    """Folded name without legal-form words, articles or punctuation: 'B.V. De Gouden Leeuw' → 'gouden leeuw'."""
    tokens = _merge_single_letters(tuple(_NON_ALNUM_NO_DASH.sub(" ", fold(name).replace(".", ""))
                                         .replace("&", " en ").split()))
    kept = tuple(token for token in tokens if token not in LEGAL_FORM_WORDS)
    while len(kept) > 1 and kept[0] in _ORG_ARTICLES:
        kept = kept[1:]
    return " ".join(kept or tokens)


def _merge_single_letters(tokens: tuple[str, ...]) -> tuple[str, ...]:
    merged: list[str] = []
    for token in tokens:
        if len(token) == 1 and merged and len(merged[-1]) < 4 and merged[-1].isalpha() and _single(merged[-1]):
            merged[-1] += token
        else:
            merged.append(token)
    return tuple(merged)


def _single(token: str) -> bool:
    return len(token) <= 3 and all(char not in "aeiou" for char in token) or len(token) == 1


def normalise_addition(addition: str) -> str:
    """House number addition, case/space/dash-insensitive: ' - a ' → 'a', 'Bis' → 'bis'."""
    return _NON_ALNUM_NO_DASH.sub("", fold(addition))


_PHONETIC_RULES = (("sch", "s"), ("ch", "g"), ("ck", "k"), ("c", "k"), ("ph", "f"), ("ij", "y"),
                   ("ei", "y"), ("ey", "y"), ("ou", "au"), ("dt", "t"), ("th", "t"), ("z", "s"),
                   ("x", "ks"), ("q", "k"), ("v", "f"), ("w", "v"))


def phonetic_key(word: str) -> str:
    """A rough Dutch sound key: 'Janssen' and 'Jansen', 'Dijk' and 'Deijk' and 'Dyk' agree."""
    key = word
    for old, new in _PHONETIC_RULES:
        key = key.replace(old, new)
    collapsed = "".join(char for i, char in enumerate(key) if i == 0 or char != key[i - 1])
    return collapsed[:-1] + "t" if collapsed.endswith("d") else collapsed
