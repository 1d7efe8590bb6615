"""Benchmark: latency of matching one application's subjects against registries of 10k–1M."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import random
import resource
import statistics
import sys
import time

from bibob.matching import MatchLevel, Subject, SubjectIndex, match_against
from bibob.parties import Address, Organisation, Person

ROOTS = (
    "Berg",
    "Bos",
    "Dijk",
    "Vries",
    "Jong",
    "Meer",
    "Veen",
    "Brink",
    "Horst",
    "Hof",
    "Kamp",
    "Beek",
    "Wal",
    "Laan",
    "Bakker",
    "Visser",
    "Smit",
    "Mulder",
    "Kok",
    "Prins",
    "Hout",
    "Molen",
    "Sluis",
    "Water",
    "Heuvel",
    "Linden",
    "Eik",
    "Broek",
    "Haar",
    "Hoek",
    "Schaap",
    "Boer",
    "Vos",
    "Wit",
    "Groot",
    "Klein",
    "Lange",
    "Zand",
    "Steen",
    "Kerk",
    "Leeuw",
    "Haan",
    "Roos",
    "Ham",
    "Poel",
    "Weide",
    "Akker",
    "Velde",
    "Graaf",
    "Koning",
    "Ridder",
    "Baas",
    "Knol",
    "Kuiper",
    "Smeets",
    "Peters",
    "Hendrik",
    "Janssen",
    "Gerrit",
    "Dekker",
)
SUFFIXES = (
    "",
    "s",
    "sen",
    "man",
    "mans",
    "huis",
    "kamp",
    "ink",
    "stra",
    "ma",
    "ers",
    "hof",
    "ing",
    "er",
    "el",
    "ker",
    "dijk",
    "veld",
    "berg",
    "bosch",
)
PARTICLES = ("", "", "", "de", "van", "van der", "van den", "ter", "ten", "'t")
FIRST = (
    "Jan",
    "Pieter",
    "Kees",
    "Willem",
    "Hendrik",
    "Johannes",
    "Cornelis",
    "Maria",
    "Anna",
    "Johanna",
    "Sanne",
    "Fleur",
    "Daan",
    "Bram",
    "Lotte",
    "Sem",
    "Noor",
    "Thijs",
    "Eva",
    "Ruben",
    "Mohamed",
    "Fatima",
    "Emre",
    "Elif",
    "Lucas",
    "Julia",
    "Tim",
    "Sophie",
    "Lars",
    "Iris",
    "Gerrit",
    "Teun",
    "Mila",
    "Finn",
    "Zoë",
    "Ahmed",
    "Yara",
    "Stijn",
    "Femke",
    "Bas",
)
STREETS = tuple(f"{root}{end}" for root in ROOTS[:40] for end in ("straat", "laan", "weg", "plein"))
CITIES = (
    "Leusden",
    "Amersfoort",
    "Utrecht",
    "Zwolle",
    "Ede",
    "Barneveld",
    "Soest",
    "Woudenberg",
    "Nijkerk",
    "Baarn",
    "Zeist",
    "Veenendaal",
    "Rhenen",
    "Bunschoten",
    "Putten",
    "Ermelo",
)
TRADES = (
    "Bakkerij",
    "Snackbar",
    "Café",
    "Kapsalon",
    "Autobedrijf",
    "Shishalounge",
    "Belwinkel",
    "Pizzeria",
    "Nagelstudio",
    "Transport",
    "Bouwbedrijf",
    "Beheer",
    "Vastgoed",
    "Horeca",
)
LEGAL = ("B.V.", "BV", "V.O.F.", "", "", "Holding B.V.", "N.V.")

rng = random.Random(4)
SURNAMES = tuple((p, f"{r}{s}") for r in ROOTS for s in SUFFIXES for p in PARTICLES[:4])
CUMULATIVE = tuple(itertools.accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(SURNAMES))))
DAYS = tuple(dt.date(1940, 1, 1) + dt.timedelta(days=d) for d in range(365 * 65))


def bsn(n: int) -> str:
    """A synthetic 11-proef-valid 9-digit number from a counter (check digit 10 rolls on)."""
    while True:
        digits = f"{100_000_00 + n % 90_000_000:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return digits + str(check)
        n += 1


def address() -> Address:
    postcode = f"{rng.randint(1000, 9999)}{rng.choice('ABCDEGHJKLMN')}{rng.choice('ABCDEGHJ')}"
    addition = rng.choice(("", "", "", "", "A", "B", "1", "bis"))
    return Address(rng.choice(STREETS), rng.randint(1, 300), addition, postcode, rng.choice(CITIES))


def person(n: int) -> Person:
    prefix, surname = rng.choices(SURNAMES, cum_weights=CUMULATIVE)[0]
    first = rng.choice(FIRST) + (f" {rng.choice(FIRST)}" if rng.random() < 0.4 else "")
    return Person(
        surname,
        first,
        prefix,
        rng.choice(DAYS),
        bsn=bsn(n) if rng.random() < 0.5 else "",
        address=address() if rng.random() < 0.5 else None,
    )


def organisation(n: int) -> Organisation:
    _, surname = rng.choices(SURNAMES, cum_weights=CUMULATIVE)[0]
    name = f"{rng.choice(TRADES)} {surname} {rng.choice(LEGAL)}".strip()
    return Organisation(
        name,
        kvk_number=f"{10_000_000 + n}" if rng.random() < 0.6 else "",
        address=address() if rng.random() < 0.7 else None,
    )


def registry(size: int) -> list[tuple[str, Subject]]:
    entries: list[tuple[str, Subject]] = []
    for n in range(size):
        roll = n % 10
        subject: Subject = person(n) if roll < 6 else organisation(n) if roll < 8 else address()
        entries.append((f"r{n}", subject))
    return entries


def variant(subject: Subject) -> Subject:
    """The same subject as an applicant might write it: initials, another case, no BSN or KvK."""
    if isinstance(subject, Person):
        initials = "".join(f"{name[0]}." for name in subject.first_names.split())
        return Person(subject.surname.upper(), initials, subject.prefix, subject.date_of_birth)
    if isinstance(subject, Organisation):
        return Organisation(subject.name.replace("B.V.", "BV").lower(), address=subject.address)
    return Address(
        subject.street,
        subject.house_number,
        subject.house_number_addition.lower(),
        subject.postcode[:4] + " " + subject.postcode[4:],
        subject.city,
    )


def applications(entries: list[tuple[str, Subject]], count: int) -> list[tuple[Subject, ...]]:
    by_kind: dict[type, list[Subject]] = {Person: [], Organisation: [], Address: []}
    for _, subject in entries[:200_000]:
        by_kind[type(subject)].append(subject)
    apps = []
    for n in range(count):
        known = (
            variant(rng.choice(by_kind[Person])),
            variant(rng.choice(by_kind[Person])),
            variant(rng.choice(by_kind[Organisation])),
            variant(rng.choice(by_kind[Address])),
        )
        fresh = (person(10**9 + n), organisation(10**9 + n), address())
        apps.append(known + fresh)
    return apps


def measure(index: SubjectIndex, apps: list[tuple[Subject, ...]]) -> tuple[list[float], int, int]:
    latencies, candidates, found = [], 0, 0
    for app in apps:
        start = time.perf_counter()
        results = [match_against(index, subject, key=f"q{i}") for i, subject in enumerate(app)]
        latencies.append((time.perf_counter() - start) * 1000)
        candidates += sum(len(index.candidates(subject)) for subject in app)
        found += sum(any(m.level.rank >= MatchLevel.PROBABLE.rank for m in r) for r in results[:4])
    return latencies, candidates, found


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000), queries: int = 200) -> None:
    print(f"{'size':>9} {'build s':>8} {'median ms':>10} {'p99 ms':>8} {'cand/subj':>9} {'recall':>7} {'maxrss MB':>9}")
    p99s = {}
    for size in sizes:
        entries = registry(size)
        start = time.perf_counter()
        index = SubjectIndex.build(entries)
        build = time.perf_counter() - start
        apps = applications(entries, queries)
        del entries
        gc.collect()
        gc.freeze()  # the registry is long-lived: keep the collector from walking it per query
        measure(index, apps[:20])  # warm-up
        latencies, candidates, found = measure(index, apps)
        p99s[size] = p99(latencies)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size:>9} {build:>8.1f} {statistics.median(latencies):>10.2f} {p99s[size]:>8.2f} "
            f"{candidates / (7 * queries):>9.0f} {found / (4 * queries):>7.3f} {rss:>9.0f}"
        )
        del index
        gc.unfreeze()
        gc.collect()
    if len(sizes) > 1:
        print(
            f"p99({sizes[-1]}) / p99({sizes[0]}) = {p99s[sizes[-1]] / p99s[sizes[0]]:.2f} "
            f"(registry {sizes[-1] // sizes[0]}× larger)"
        )
    print("target (issue 19): p99 <= 5 ms per subject at 1M subjects, with the index in <= 600 MB (maxrss)")


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or (10_000, 100_000, 1_000_000))
