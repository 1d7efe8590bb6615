"""Letters per second: composing the refusal of the demo (s05 on D15) as data, and writing it as .docx and as PDF.

Run: taskset -c 0 .venv/bin/python bench/letters.py
Target: a letter is made on a click, so compose + .docx + PDF together should take under a second (≥ 1 a second)
on a loaded machine; the load average is printed beside the figures (read ratios, not absolutes, on shared cores).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent  # bench/http.py would shadow the standard library's http
sys.path[:] = [str(ROOT / "src"), str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

from tests.bibob.letters.worked import worked_input  # noqa: E402
from tests.conftest import SCENARIOS  # noqa: E402

from bibob.letters import LetterKind, compose, load_municipality  # noqa: E402
from bibob.policy import load_policy  # noqa: E402
from bibob.questionnaires import load_catalogue  # noqa: E402
from bibob.terms import load_calendar  # noqa: E402
from service.letters import to_docx, to_pdf  # noqa: E402

TARGET_PER_SECOND = 1.0
WHOLE = "compose + .docx + PDF"  # what a click makes: the figure the target is about


def per_second(work: Callable[[], object], runs: int = 5, window: float = 0.5) -> float:
    """Median calls per second over `runs` windows of about `window` seconds."""
    rates = []
    for _ in range(runs):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < window:
            work()
            done += 1
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def target_of(name: str, rate: float) -> str:
    """The target beside a figure: the whole letter has one; its parts count towards it."""
    if name != WHOLE:
        return "(a part of the letter below: no target of its own)"
    verdict = "met" if rate >= TARGET_PER_SECOND else "NOT met"
    return f"target ≥ {TARGET_PER_SECOND:.0f} letter a second with both files: {verdict}"


def main() -> None:
    kind = LetterKind.DECISION_REFUSAL
    source = worked_input(SCENARIOS / "s05-serious-refusal-possible.json", kind, load_municipality(), load_calendar(),
                          load_catalogue(), load_policy(), advice_enclosed=True)  # fmt: skip
    letter = compose(kind, source)
    figures = {
        "compose (data)": per_second(lambda: compose(kind, source)),
        ".docx": per_second(lambda: to_docx(letter)),
        "PDF": per_second(lambda: to_pdf(letter)),
        WHOLE: per_second(lambda: (to_docx(compose(kind, source)), to_pdf(letter))),
    }
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, rate in figures.items():
        print(f"{name:24} {rate:10.1f} per second ({1000 / rate:7.2f} ms each)  {target_of(name, rate)}")


if __name__ == "__main__":
    main()
