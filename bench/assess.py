"""Applications assessed per second over the scenario set (tests/scenarios), and for a typical horeca application.

Run: taskset -c 0 .venv/bin/python bench/assess.py
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

SCENARIOS = Path(__file__).parents[1] / "tests" / "scenarios"


def per_second(requests: list[AssessmentRequest], runs: int = 5, window: float = 0.5) -> float:
    """Median assessments per second over `runs` windows of about `window` seconds each."""
    policy = load_policy()
    rates = []
    for _ in range(runs):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < window:
            for request in requests:
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
    print(f"scenario set ({len(requests)} applications): {per_second(requests):,.0f} assessments/s (median of 5)")
    print(f"typical horeca application (s04, lesser danger): {per_second(typical):,.0f} assessments/s (median of 5)")
    print("target: at least 1,000 per second on one core for a typical horeca application")


if __name__ == "__main__":
    main()
