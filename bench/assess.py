"""Applications assessed per second over the scenario set (tests/scenarios), and for a typical horeca application.

Run: taskset -c 0 .venv/bin/python bench/assess.py   (from the repository root, with `src` on PYTHONPATH)
Parsing the request happens outside the timing (a service parses once); the assessment itself is timed:
completeness, declaration, eighteen indicators, levels, recommendation and the Dutch explanation.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bibob import load_catalogue
from bibob.policy import load_policy
from bibob.screening import AssessmentRequest, assess, request_from_json
from bibob.screening.assess import _READ

SCENARIOS = Path(__file__).parents[1] / "tests" / "scenarios"


def per_second(requests: list[AssessmentRequest], runs: int = 5, window: float = 0.5, *, cold: bool = False) -> float:
    """Median assessments per second over `runs` windows of about `window` seconds each.

    `cold`: every assessment reads its answers anew (as for a new answers version); otherwise the declaration and
    completeness of answers read before are reused, as when the service assesses stored answers again.
    """
    policy = load_policy()
    rates = []
    for _ in range(runs):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < window:
            for request in requests:
                if cold:
                    _READ.clear()
                assess(request, policy)
            done += len(requests)
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    catalogue = load_catalogue()
    requests = [
        request_from_json(json.loads(p.read_text("utf-8")), catalogue) for p in sorted(SCENARIOS.glob("*.json"))
    ]
    typical = [r for r, p in zip(requests, sorted(SCENARIOS.glob("*.json")), strict=True) if "s04" in p.name]
    n = len(requests)
    cold, warm = per_second(requests, cold=True), per_second(requests)
    print(f"scenario set ({n} applications), answers read anew: {cold:,.0f} assessments/s (median of 5)")
    print(f"scenario set ({n} applications), answers read before:  {warm:,.0f} assessments/s   target >= 5,000/s")
    print(f"  ratio read before / read anew: {warm / cold:.2f}x (same run; the machine's noise cancels)")
    typical_rate = per_second(typical)
    print(f"typical horeca application (s04, lesser danger): {typical_rate:,.0f} assessments/s   target >= 1,000/s")


if __name__ == "__main__":
    main()
