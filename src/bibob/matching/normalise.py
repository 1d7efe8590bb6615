"""Text normalisation for matching: folding, Dutch particles, names, additions, streets, sound keys."""

from __future__ import annotations

import functools
import re
import unicodedata

import attrs

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
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ALNUM_KEEP_DASH = re.compile(r"[^a-z0-9\-]+")

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


@functools.lru_cache(maxsize=1 << 16)  # pure, and the same names, streets and cities come back again and again
def fold(text: str) -> str:
    """Lower case without diacritics: 'Émile Ørsted' → 'emile orsted'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_EXTRA))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    """Folded words, split on anything but letters and digits: "'t Hart-Smit" → ('t', 'hart', 'smit')."""
    return tuple(_NON_ALNUM.sub(" ", fold(text)).split())


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
    if tail.strip() and all(word in PARTICLES for word in words(tail)):
        prefix, surname = f"{prefix} {tail}", head
    elif tail.strip():
        surname = head  # 'Berg, Jan': what follows the comma are first names
    text = f"{prefix} {surname}".strip()
    tokens = tuple(_NON_ALNUM_KEEP_DASH.sub(" ", fold(text).replace("'", " ").replace("-", " - ")).split())
    parts = _surname_parts(tokens)
    return Surname(
        display=display,
        folded=fold(display),
        parts=parts,
        core=" ".join(parts),
        compact="".join(token for token in tokens if token != "-"),
    )


def _surname_parts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Group tokens into parts at a dash or a particle after a name; keep each part's core."""
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
    return words(first_names)


def organisation_name(name: str) -> str:
    """Folded, without legal form, article or punctuation: 'De Leeuw B.V.' → 'leeuw'."""
    text = fold(name).replace("&", " en ").replace(".", "")
    tokens = _merge_single_letters(tuple(_NON_ALNUM.sub(" ", text).split()))
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
    return "".join(words(addition))


_STREET_ABBREVIATIONS = (
    ("str", "straat"),
    ("ln", "laan"),
    ("wg", "weg"),
    ("pln", "plein"),
    ("gr", "gracht"),
    ("kd", "kade"),
)


def street_name(street: str) -> str:
    """Folded street with abbreviations written out: 'Dorpsstr.' → 'dorpsstraat'."""
    return " ".join(_expand_street_word(word) for word in words(street))


def _expand_street_word(word: str) -> str:
    for short, full in _STREET_ABBREVIATIONS:
        if word.endswith(short) and len(word) > len(short):
            return word[: -len(short)] + full
    return word


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
