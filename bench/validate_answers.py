"""Answer documents validated per second: bibob.validate_answers against plain python-jsonschema.

Run: taskset -c 0 .venv/bin/python -P bench/validate_answers.py   (from the repository root, `src` on PYTHONPATH)
Prints the median of 5 timed runs for a valid and an invalid realistic document (~150 answered fields),
next to python-jsonschema's Draft202012Validator.is_valid on the same derived schema, measured in the same run.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from bibob import answer_schema, load_catalogue, validate_answers
from bibob.questionnaires.validation import compiled_validator

DATA = Path(__file__).parents[1] / "tests" / "data" / "answers"
TODAY = dt.date(2026, 11, 1)
TARGET = 5_000  # documents/s on one core, valid and invalid (issue 19, item 4)


def leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def rate(function: Callable[[], object], seconds: float = 0.4) -> float:
    """Calls per second of `function`, median over 5 windows of about `seconds` each."""
    calls = 1
    while True:  # calibrate
        start = time.perf_counter()
        for _ in range(calls):
            function()
        if time.perf_counter() - start > seconds / 4:
            break
        calls *= 2
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        rates.append(calls / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    questionnaire = load_catalogue()["bibob-overige-beschikkingen"]
    valid = json.loads((DATA / "valid-bv-two-ubos.json").read_text("utf-8"))
    invalid = copy.deepcopy(valid)
    invalid["answers"]["1F.rechtspersoon"]["kvkNumber"] = "123"
    invalid["answers"]["1F.aandeelhouders"][1]["bsn"] = "123456789"
    invalid["answers"]["6A"] = "verbouwing"
    del invalid["answers"]["6B"]
    invalid["modules"]["4"][0]["4E.schulden"][0]["bedragNu"] = "veel"
    del invalid["modules"]["4"][1]
    assert validate_answers(questionnaire, valid, today=TODAY) == ()
    problems = validate_answers(questionnaire, invalid, today=TODAY)
    reference = jsonschema.Draft202012Validator(answer_schema(questionnaire))
    compiled_validator(questionnaire)  # compile outside the timing, as a running service does once

    rows = [
        ("bibob.validate_answers, valid", rate(lambda: validate_answers(questionnaire, valid, today=TODAY))),
        (
            "bibob.validate_answers, invalid (all problems)",
            rate(lambda: validate_answers(questionnaire, invalid, today=TODAY)),
        ),
        ("python-jsonschema is_valid, valid (baseline)", rate(lambda: reference.is_valid(valid))),
        ("python-jsonschema is_valid, invalid (baseline)", rate(lambda: reference.is_valid(invalid))),
        ("python-jsonschema all errors, invalid (baseline)", rate(lambda: list(reference.iter_errors(invalid)))),
    ]
    print(f"document: {leaves(valid)} answered fields; invalid copy has {len(problems)} problems")
    for name, per_second in rows:
        verdict = "met" if per_second >= TARGET else "NOT met"
        target = "" if "baseline" in name else f"   target >= {TARGET:,}/s ({verdict})"
        print(f"{name:<50} {per_second:>10,.0f} docs/s{target}")
    print(f"ratio valid/baseline: {rows[0][1] / rows[2][1]:.1f}x; invalid/baseline: {rows[1][1] / rows[3][1]:.1f}x; "
          f"invalid/all-errors baseline: {rows[1][1] / rows[4][1]:.1f}x")  # fmt: skip
    print(f"target (issue 19, item 4): at least {TARGET:,} docs/s on one core for both valid and invalid documents")


if __name__ == "__main__":
    main()
