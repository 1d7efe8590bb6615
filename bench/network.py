"""The network picture of a large case: how long `case_network` takes for 500 persons, 500 organisations, 500
addresses and 100 vehicles, with a signal naming 450 of them at 50 addresses (22,500 "reported at" pairs).

Run: taskset -c 0 .venv/bin/python -P bench/network.py  (-P: bench/http.py would shadow the standard library's http)
Target: under 1 s (the page and the endpoint build the picture on every request; a real case has tens of nodes).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from bibob.parties import Address, Organisation, Person
from bibob.undermining import (
    CaseRegistered,
    Channel,
    Confidentiality,
    Signal,
    SignalSource,
    Subjects,
    Theme,
    case_network,
    register_case,
)
from bibob.undermining.subjects import Vehicle

AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SIZE = 500
TARGET_SECONDS = 1.0


def main() -> None:
    addresses = tuple(Address(f"Straat {i}", i + 1, "", f"{3800 + i % 100}AB", "Leusden") for i in range(SIZE))
    persons = tuple(Person(f"Persoon{i}", "A.", address=addresses[i]) for i in range(SIZE))
    organisations = tuple(Organisation(f"Organisatie {i} B.V.", address=addresses[(i * 7) % SIZE]) for i in range(SIZE))
    vehicles = tuple(Vehicle(f"{i:02d}-AB-{i % 10}") for i in range(100))
    reported = Subjects(persons[:200], organisations[:200], addresses[:50], vehicles)
    signal = Signal("S", SignalSource.RESIDENT, Channel.PHONE, AT, "synthetisch", reported)
    subjects = Subjects(persons, organisations, addresses, vehicles)
    registered = CaseRegistered(AT, "adviseur", "Groot", Theme.OTHER, "adviseur", Confidentiality.CONFIDENTIAL,
                                subjects=subjects, signal_ids=("S",))  # fmt: skip
    case = register_case("C", registered)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        network = case_network(case, [signal])
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"case_network: {len(network.nodes)} nodes, {len(network.edges)} edges, median {median * 1000:.0f} ms "
          f"over 5 runs  target under {TARGET_SECONDS:.0f} s: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
