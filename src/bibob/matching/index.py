"""An index of subjects by blocking keys, so a query reads a few small blocks and never scans."""

from __future__ import annotations

import bisect
import functools
from array import array
from collections.abc import Callable, Iterable, Mapping

import attrs

from bibob.matching.compare import birth_dates, compare_surnames, judge_against, names_reach
from bibob.matching.explain import explainer
from bibob.matching.normalise import phonetic_key
from bibob.matching.profiles import (
    AddressProfile,
    OrganisationProfile,
    PersonProfile,
    Profile,
    Subject,
    profile_of,
    subject_key,
)
from bibob.matching.result import Match, MatchLevel
from bibob.matching.review import ReviewLedger, apply_review

#: Most candidates one query scores: blocks are read smallest first until this many ids.
MAX_CANDIDATES = 300
_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")


def _address_block(tag: str, address: AddressProfile | None) -> tuple[str, ...]:
    if address is None or not address.postcode or address.number is None:
        return ()
    return (f"{tag}:pc:{address.postcode}:{address.number}",)


def _person_keys(p: PersonProfile, initials: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(f"P:sn:{phonetic_key(part)}:{initial}" for part in p.surname.parts for initial in initials)
    dob = (f"P:dob:{p.dob.isoformat()}",) if p.dob else ()
    return (*dob, *_address_block("P", p.address), *names)


def _initials(first: tuple[str, ...], *, query: bool) -> tuple[str, ...]:
    """A record is filed under its first initial; a query looks under every initial and none."""
    if not query:
        return (first[0][0] if first else "",)
    if not first:
        return ("", *_LETTERS)
    return (*dict.fromkeys(token[0] for token in first), "")


def _organisation_keys(o: OrganisationProfile) -> tuple[str, ...]:
    tokens = dict.fromkeys(phonetic_key(token) for name in o.names for token in name.split() if len(token) > 1)
    names = (f"O:name:{' '.join(sorted(phonetic_key(t) for t in name.split()))}" for name in o.names)
    return (*_address_block("O", o.address), *names, *(f"O:tok:{token}" for token in tokens))


def _address_keys(a: AddressProfile) -> tuple[str, ...]:
    street = (f"A:st:{phonetic_key(a.street.replace(' ', ''))}:{a.number}",) if a.street else ()
    return (*_address_block("A", a), *street)


def _identifier_keys(profile: Profile) -> tuple[str, ...]:
    if isinstance(profile, PersonProfile):
        return (f"P:bsn:{profile.bsn}",) if profile.bsn else ()
    if isinstance(profile, OrganisationProfile):
        pairs = (("kvk", profile.kvk), ("rsin", profile.rsin))
        return tuple(f"O:{tag}:{value}" for tag, value in pairs if value)
    return ()


def _other_keys(profile: Profile, *, query: bool) -> tuple[str, ...]:
    """Keys besides identifiers, for a record or (with more initials) for a query."""
    if isinstance(profile, PersonProfile):
        return _person_keys(profile, _initials(profile.first, query=query))
    if isinstance(profile, OrganisationProfile):
        return _organisation_keys(profile)
    return _address_keys(profile)


def _record_keys(profile: Profile) -> tuple[str, ...]:
    return (*_identifier_keys(profile), *_other_keys(profile, query=False))


def blocking_keys(subject: Subject) -> tuple[str, ...]:
    """The blocks a subject is filed under; they hold identifiers, so keep them internal."""
    return _record_keys(profile_of(subject))


def query_blocks(subject: Subject) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The blocks a lookup of `subject` reads: its identifier blocks (always), then the others (smallest first).

    These are what `SubjectIndex.candidates` reads; a store holding `blocking_keys` of its records reads the same
    blocks by index, so that it compares only the subjects an in-memory index would have compared.
    """
    profile = profile_of(subject)
    return _identifier_keys(profile), tuple(sorted(set(_other_keys(profile, query=True))))


def _bucket(block_hash: int) -> int:
    """Which of 256 buckets a block's hash falls in, in the order of the hashes (signed 64 bits)."""
    return (block_hash >> 56) + 128


@attrs.frozen
class SubjectIndex:
    """Subjects by caller id with their normalised profiles, filed under their blocks.

    Compact for a large register: records are rows (a tuple of ids, one of profiles, whose parts with the same text
    are shared), and a block is a run of rows in two arrays sorted by the block's hash (64 bits), read by binary
    search. Two different blocks with the same 64-bit hash would share their rows (a chance of about 1 in 10^7 at a
    million subjects); the extra candidates are compared like any other, so no match is made without its reasons.
    """

    subjects: Mapping[str, Subject] = attrs.field(repr=False)
    _ids: tuple[str, ...] = attrs.field(repr=False)
    _profiles: tuple[Profile, ...] = attrs.field(repr=False)
    _hashes: array[int] = attrs.field(repr=False)
    _rows: array[int] = attrs.field(repr=False)
    max_candidates: int = MAX_CANDIDATES

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Subject]], *, max_candidates: int = MAX_CANDIDATES) -> SubjectIndex:
        """Index (id, subject) pairs once; a later id replaces an earlier one with the same id."""
        subjects = dict(entries)
        ids = tuple(subjects)
        profiles = tuple(profile_of(subject) for subject in subjects.values())
        # file (hash, row) pairs in up to 256 buckets by the hash's top byte, then sort each bucket: little memory at
        # once; a bucket is made when its first pair comes (a small index, e.g. one lookup's candidates, fills few)
        buckets: dict[int, tuple[array[int], array[int]]] = {}
        for row, profile in enumerate(profiles):
            for block in _record_keys(profile):
                block_hash = hash(block)
                bucket = buckets.get(_bucket(block_hash))
                if bucket is None:
                    bucket = buckets[_bucket(block_hash)] = (array("q"), array("q"))
                bucket[0].append(block_hash)
                bucket[1].append(row)
        hashes, rows = array("q"), array("q")
        for number in sorted(buckets):
            in_hashes, in_rows = buckets.pop(number)
            order = sorted(range(len(in_hashes)), key=in_hashes.__getitem__)  # stable: rows stay in order
            hashes.extend(in_hashes[i] for i in order)
            rows.extend(in_rows[i] for i in order)
        return cls(subjects, ids, profiles, hashes, rows, max_candidates)

    def __len__(self) -> int:
        return len(self.subjects)

    def candidates(self, subject: Subject) -> tuple[str, ...]:
        """Ids worth comparing with `subject`: every identifier block, then small blocks first."""
        ids = self._ids
        return tuple(ids[row] for row in self._candidate_rows(profile_of(subject)))

    def _block(self, block: str) -> array[int]:
        """The rows filed under `block`, in the order they were indexed."""
        block_hash = hash(block)
        hashes = self._hashes
        start = bisect.bisect_left(hashes, block_hash)
        return self._rows[start : bisect.bisect_right(hashes, block_hash, start)]

    def _candidate_rows(self, profile: Profile) -> list[int]:
        found = dict.fromkeys(row for block in _identifier_keys(profile) for row in self._block(block))
        limit = max(self.max_candidates, len(found))
        blocks = sorted(set(_other_keys(profile, query=True)))  # sorted: the same candidates on every run
        for rows in sorted(map(self._block, blocks), key=len):
            if len(found) + len(rows) > limit:
                break
            found.update(dict.fromkeys(rows))
        return list(found)

    def _compared(self, profile: Profile, confirmed: Iterable[str]) -> dict[str, Profile]:
        """The candidates' profiles by id, then those of the `confirmed` ids that are not among them."""
        ids, profiles = self._ids, self._profiles
        found = {ids[row]: profiles[row] for row in self._candidate_rows(profile)}
        for other in confirmed:
            if other not in found and other in self.subjects:
                found[other] = profile_of(self.subjects[other])
        return found


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
    profile = profile_of(subject)
    allowed = tuple(level for level in MatchLevel if level.rank >= minimum.rank)
    none_wanted = MatchLevel.NONE in allowed
    could_match, judge_one, explain = _could_match_against(profile, none_wanted), judge_against(profile), explainer()
    matches = []
    for other, other_profile in index._compared(profile, ledger.confirmed_with(key)).items():
        reviewed = bool(ledger.decisions) and ledger.decision_for(key, other) is not None
        if other == key or not (reviewed or could_match(other_profile)):
            continue
        judgement = judge_one(other_profile)
        if reviewed or judgement[1] in allowed:
            match = explain(judgement, (key, other), (subject, index.subjects[other]))
            match = apply_review(match, ledger) if reviewed else match
            if match.level in allowed:
                matches.append(match)
    return tuple(sorted(matches, key=lambda m: (-m.level.rank, -m.score, m.right_key)))


_Reach = Callable[[OrganisationProfile, OrganisationProfile, float], bool]


def _could_match_against(a: Profile, none_wanted: bool) -> Callable[[Profile], bool]:
    """`_could_match(a, ·)` for many candidates; for an organisation, whether names reach is asked once per
    distinct names and threshold (`a` is the same every time)."""
    if not isinstance(a, OrganisationProfile):
        return functools.partial(_could_match, a, none_wanted=none_wanted)
    reached: dict[tuple[tuple[str, ...], float], bool] = {}

    def reach(a: OrganisationProfile, b: OrganisationProfile, threshold: float) -> bool:
        key = (b.names, threshold)
        known = reached.get(key)
        if known is None:
            known = reached[key] = names_reach(a, b, threshold)
        return known

    return functools.partial(_could_match, a, none_wanted=none_wanted, reach=reach)


def _could_match(a: Profile, b: Profile, *, none_wanted: bool = True, reach: _Reach = names_reach) -> bool:
    """A cheap test that leaves out candidates whose verdict can only be none.

    Unless a verdict of none is wanted, persons born on different days (not swapped, not one part apart) are left
    out too: without equal BSNs their verdict is none (`_person_level`).
    """
    if isinstance(a, PersonProfile) and isinstance(b, PersonProfile):
        if a.bsn and b.bsn:
            return a.bsn == b.bsn
        if not none_wanted and birth_dates(a.dob, b.dob) == "differs":
            return False
        return (compare_surnames(a.surname, b.surname).similarity or 0.0) >= 0.8
    if isinstance(a, OrganisationProfile) and isinstance(b, OrganisationProfile):
        kvk, rsin = bool(a.kvk and b.kvk), bool(a.rsin and b.rsin)
        if kvk or rsin:
            return (kvk and a.kvk == b.kvk) or (rsin and a.rsin == b.rsin)
        return reach(a, b, 0.6 if _same_seat(a.address, b.address) else 0.85)
    if isinstance(a, AddressProfile) and isinstance(b, AddressProfile):
        return a.number is not None and a.number == b.number
    return False


def _same_seat(a: AddressProfile | None, b: AddressProfile | None) -> bool:
    """Whether the two addresses may be judged the same: one house number, and one postcode or a postcode missing.

    A superset of the verdict's "same address" (`compare._compare_support_address`), which without a postcode
    goes by street and city: the pre-test must never leave out a candidate the verdict would let through.
    """
    if a is None or b is None or a.number is None or a.number != b.number:
        return False
    return not a.postcode or not b.postcode or a.postcode == b.postcode
