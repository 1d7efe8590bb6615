"""Applications assessed per second over the scenario set (tests/scenarios), and for a typical horeca application.

Run: taskset -c 0 .venv/bin/python bench/assess.py   (from the repository root, with `src` on PYTHONPATH)
Parsing the request happens outside the timing (a service parses once); the assessment itself is timed:
completeness, declaration, eighteen indicators, levels, recommendation and the Dutch explanation.
Three ways over the same scenario mix: answers read anew (no `AnswerReads`), answers read before and found by their
content, and answers read before and found by a stored version's name (`AssessmentRequest.answers_version`).
Target (issue 19, item 4): at least 5,000 assessments/s over the scenario mix on one core.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import attrs

from bibob import load_catalogue
from bibob.policy import load_policy
from bibob.screening import AnswerReads, AssessmentRequest, assess, request_from_json

SCENARIOS = Path(__file__).parents[1] / "tests" / "scenarios"
TARGET = 5_000  # assessments/s over the scenario mix, one core (issue 19, item 4)


def per_second(requests: list[AssessmentRequest], runs: int = 5, window: float = 0.5, *, cold: bool = False) -> float:
    """Median assessments per second over `runs` windows of about `window` seconds each.

    `cold`: every assessment reads its answers anew (as for a new answers version); otherwise the declaration and
    completeness of answers read before are reused, as when the service assesses stored answers again.
    """
    policy = load_policy()
    reads = None if cold else AnswerReads()
    rates = []
    for _ in range(runs):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < window:
            for request in requests:
                assess(request, policy, reads=reads)
            done += len(requests)
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    catalogue = load_catalogue()
    paths = sorted(SCENARIOS.glob("*.json"))
    requests = [request_from_json(json.loads(p.read_text("utf-8")), catalogue) for p in paths]
    named = [attrs.evolve(r, answers_version=p.stem) for r, p in zip(requests, paths, strict=True)]
    typical = [r for r, p in zip(requests, paths, strict=True) if "s04" in p.name]
    n = len(requests)
    cold, warm, by_version = per_second(requests, cold=True), per_second(requests), per_second(named)
    mark = lambda rate: "met" if rate >= TARGET else "NOT met"  # noqa: E731
    print(f"scenario mix ({n} applications), median of 5 windows; target >= {TARGET:,}/s")
    print(f"  answers read anew:                          {cold:>7,.0f} assessments/s   ({mark(cold)})")
    print(f"  answers read before, found by content:      {warm:>7,.0f} assessments/s   ({mark(warm)})")
    print(f"  answers read before, found by version name: {by_version:>7,.0f} assessments/s   ({mark(by_version)})")
    print(f"  ratio read before (content) / read anew: {warm / cold:.2f}x (same run; the machine's noise cancels)")
    typical_rate = per_second(typical)
    print(f"typical horeca application (s04, lesser danger), read before: {typical_rate:,.0f} assessments/s "
          f"(for reference; the target is the scenario mix)")  # fmt: skip


if __name__ == "__main__":
    main()
