"""Matching against an index gives, match for match, what comparing the subject with each candidate gives.

`match_against` shares work between candidates (comparisons of identical organisation names, their rendered
reasons, whole judgements); this differential check guards that the sharing changes nothing an officer sees: the
same matches, levels, scores, reasons and order. Registry and queries are crowded with identical and nearly
identical names, identifiers, seats and addresses, so that every shared path is taken many times.
"""

from __future__ import annotations

import datetime as dt
import random

from bibob.matching import (
    Match,
    MatchLevel,
    ReviewLedger,
    Subject,
    SubjectIndex,
    match_against,
    match_subjects,
)
from bibob.matching.index import _could_match
from bibob.matching.profiles import profile_of
from bibob.parties import Address, Organisation, Person

TRADES = ("Bakkerij", "Snackbar", "Café", "Beheer")
SURNAMES = ("Berg", "Bergs", "Bergsen", "Vries", "de Vries", "Bos", "Bosch", "Jansen-de Vries")
LEGAL = ("B.V.", "BV", "b.v.", "V.O.F.", "", "Holding B.V.")
FIRST = ("Jan", "Jan Pieter", "J.P.", "Anna", "A.", "Pieter Jan", "")
STREETS = ("Kerkstraat", "Kerkstr.", "Dorpsstraat", "Laan van Vollenhove")
CITIES = ("Leusden", "LEUSDEN", "Amersfoort", "")
POSTCODES = ("3831AB", "3831 ab", "3832CD", "", "1234XY")
RSINS = ("111222333", "123456782", "")  # both pass the 11-proef
DAYS = (dt.date(1979, 11, 23), dt.date(1979, 11, 24), dt.date(1979, 23 - 12, 11), None)


def address(rng: random.Random) -> Address:
    postcode, number = rng.choice(POSTCODES), rng.choice((7, 7, 8, 12))
    return Address(
        rng.choice(STREETS), number, rng.choice(("", "", "a", "A", "-", "bis")), postcode, rng.choice(CITIES)
    )


def organisation(rng: random.Random) -> Organisation:
    name = " ".join(f"{rng.choice(TRADES)} {rng.choice(SURNAMES)} {rng.choice(LEGAL)}".split())
    return Organisation(
        rng.choice((name, name, name.lower(), name.upper())),
        trade_names=("Gouden Leeuw",) if rng.random() < 0.1 else (),
        kvk_number=f"{rng.randrange(10_000_000, 10_000_040)}" if rng.random() < 0.3 else "",
        rsin=rng.choice(RSINS) if rng.random() < 0.3 else "",
        address=address(rng) if rng.random() < 0.6 else None,
    )


def person(rng: random.Random) -> Person:
    return Person(
        rng.choice(SURNAMES),
        rng.choice(FIRST),
        date_of_birth=rng.choice(DAYS),
        bsn=rng.choice(RSINS) if rng.random() < 0.2 else "",
        address=address(rng) if rng.random() < 0.5 else None,
    )


def subject(rng: random.Random) -> Subject:
    roll = rng.random()
    return organisation(rng) if roll < 0.6 else person(rng) if roll < 0.85 else address(rng)


def one_by_one(index: SubjectIndex, query: Subject, ledger: ReviewLedger, key: str, minimum: MatchLevel) -> list[Match]:
    """The definition: each candidate (and confirmed partner) compared on its own, best first.

    Like `match_against`, it compares only the reviewed pairs and the candidates the cheap pre-test
    (`_could_match`) lets through.
    """
    profile, none_wanted = profile_of(query), minimum is MatchLevel.NONE
    others = dict.fromkeys((*index.candidates(query), *ledger.confirmed_with(key)))
    matches = [
        match_subjects(query, index.subjects[other], left_key=key, right_key=other, ledger=ledger)
        for other in others
        if other != key
        and other in index.subjects
        and (
            ledger.decision_for(key, other) is not None
            or _could_match(profile, profile_of(index.subjects[other]), none_wanted=none_wanted)
        )
    ]
    wanted = [m for m in matches if m.level.rank >= minimum.rank]
    return sorted(wanted, key=lambda m: (-m.level.rank, -m.score, m.right_key))


def test_matching_against_an_index_gives_what_comparing_each_candidate_gives() -> None:
    rng = random.Random(19)
    entries = [(f"r{n}", subject(rng)) for n in range(1000)]
    index = SubjectIndex.build(entries)
    queries = [(f"q{n}", subject(rng)) for n in range(200)]
    queries += [(f"same{n}", entries[rng.randrange(len(entries))][1]) for n in range(40)]
    ledger = ReviewLedger()
    for key, _ in queries[::7]:
        ledger = ledger.with_decision(key, rng.choice(entries)[0], rng.random() < 0.5, "a.bakker", "gezien")

    compared = 0
    for n, (key, query) in enumerate(queries):
        minimum = (MatchLevel.POSSIBLE, MatchLevel.PROBABLE, MatchLevel.POSSIBLE, MatchLevel.NONE)[n % 4]
        for review in (ReviewLedger(), ledger):
            found = match_against(index, query, review, key=key, minimum=minimum)

            assert list(found) == one_by_one(index, query, review, key, minimum)
            assert all(m.left is query and m.right is index.subjects[m.right_key] for m in found)
            compared += len(found)
    assert compared > 5000  # the check compared many matches, among them many sharing a name


def test_the_pre_test_never_leaves_out_a_candidate_the_verdict_lets_through() -> None:
    """`_could_match` only saves work: every pair whose verdict is more than none passes it."""
    rng = random.Random(23)
    subjects = [subject(rng) for _ in range(400)]
    profiles = [profile_of(s) for s in subjects]
    checked = 0
    for left, a in zip(subjects, profiles, strict=True):
        for right, b in zip(subjects[:150], profiles[:150], strict=True):
            if match_subjects(left, right).level is not MatchLevel.NONE:
                checked += 1
                assert _could_match(a, b, none_wanted=False), (left, right)
    assert checked > 1000


def test_an_organisation_without_a_postcode_at_the_same_street_and_number_is_still_proposed() -> None:
    """Without a postcode the verdict judges the seat by street and city; the pre-test used to demand a postcode."""
    applicant = Organisation("Beheer Berg Holding B.V.", address=Address("Kerkstraat", 7, "", "", "Leusden"))
    registered = Organisation("beheer bos b.v.", address=Address("Kerkstr.", 7, "", "1234XY", "Leusden"))
    index = SubjectIndex.build([("r1", registered)])

    direct = match_subjects(applicant, registered)
    found = match_against(index, applicant, key="q1", minimum=MatchLevel.POSSIBLE)

    assert direct.level is MatchLevel.POSSIBLE
    assert [(m.right_key, m.level, m.score) for m in found] == [("r1", direct.level, direct.score)]
