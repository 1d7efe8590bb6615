"""Benchmark: latency of matching one subject, per kind, against registries of 10k–1M, and the index's memory.

Run: taskset -c 0 .venv/bin/python -P bench/match.py [sizes…]   (default 10k, 100k and 1M)
Each application has 7 subjects (2 known persons, 1 known organisation, 1 known address, each written as an
applicant might, and 1 fresh person, organisation and address); every subject's match is timed on its own.
"index MB" is the growth of the resident set while the index is built (the registry exists before, and is kept by
the index: the subjects are the caller's); "maxrss MB" is the peak of the whole process, registry included.
Target (issue 19, item 4): p99 <= 5 ms per subject for every kind at 1M, with the index in <= 600 MB.
"""

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


TARGET_P99_MS = 5.0
TARGET_INDEX_MB = 600
KINDS = (Person, Organisation, Address)


def measure(
    index: SubjectIndex, apps: list[tuple[Subject, ...]]
) -> tuple[dict[type, list[float]], dict[type, list[float]], int, int]:
    """Per subject by kind: wall and CPU milliseconds; candidates compared in all; known subjects found (probable+).

    The CPU time leaves out the time other processes had the core (this machine is shared): the two figures bound
    what the matcher itself costs and what a caller waited.
    """
    wall: dict[type, list[float]] = {kind: [] for kind in KINDS}
    cpu: dict[type, list[float]] = {kind: [] for kind in KINDS}
    candidates, found = 0, 0
    for app in apps:
        results = []
        for i, subject in enumerate(app):
            start, start_cpu = time.perf_counter(), time.process_time()
            results.append(match_against(index, subject, key=f"q{i}"))
            cpu[type(subject)].append((time.process_time() - start_cpu) * 1000)
            wall[type(subject)].append((time.perf_counter() - start) * 1000)
        candidates += sum(len(index.candidates(subject)) for subject in app)
        found += sum(any(m.level.rank >= MatchLevel.PROBABLE.rank for m in r) for r in results[:4])
    return wall, cpu, candidates, found


def resident_mb() -> float | None:
    """The resident set now (Linux), or None where /proc is not there."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return None


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000), queries: int = 200) -> None:
    target = (
        f"target (issue 19): p99 <= {TARGET_P99_MS} ms per subject, every kind, at 1M; index <= {TARGET_INDEX_MB} MB"
    )
    print(target)
    print(f"{'size':>9} {'kind':<12} {'median ms':>9} {'p99 ms':>7} {'cpu p99':>7}")
    worst = {}
    for size in sizes:
        entries = registry(size)
        apps = applications(entries, queries)
        gc.collect()
        before = resident_mb()
        start = time.perf_counter()
        index = SubjectIndex.build(entries)
        build = time.perf_counter() - start
        del entries
        gc.collect()
        after = resident_mb()
        gc.freeze()  # the registry is long-lived: keep the collector from walking it per query
        measure(index, apps[:20])  # warm-up
        wall, cpu, candidates, found = measure(index, apps)
        for kind in KINDS:
            print(
                f"{size:>9} {kind.__name__:<12} {statistics.median(wall[kind]):>9.2f} {p99(wall[kind]):>7.2f} "
                f"{p99(cpu[kind]):>7.2f}"
            )
        worst[size] = max(p99(cpu[kind]) for kind in KINDS)
        index_mb = f"{after - before:.0f}" if after is not None and before is not None else "n/a"
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size:>9} {'all':<12} build {build:.1f} s; {candidates / (7 * queries):.0f} candidates per subject; "
            f"recall {found / (4 * queries):.3f}; index {index_mb} MB (target <= {TARGET_INDEX_MB}); "
            f"maxrss {rss:.0f} MB (registry included); worst cpu p99 {worst[size]:.2f} ms (target <= {TARGET_P99_MS})"
        )
        del index
        gc.unfreeze()
        gc.collect()
    if len(sizes) > 1:
        print(
            f"worst cpu p99({sizes[-1]}) / worst cpu p99({sizes[0]}) = {worst[sizes[-1]] / worst[sizes[0]]:.2f} "
            f"(registry {sizes[-1] // sizes[0]}× larger)"
        )
    print(target)


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or (10_000, 100_000, 1_000_000))
