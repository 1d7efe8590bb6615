"""axe-core on a page: WCAG 2.1 A/AA rules and best practices; the figures are printed at the end of the run."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.figures import report

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = frozenset({"serious", "critical"})
CHECKED: list[str] = []
FOUND: Counter[str] = Counter()


def check(page: Any, name: str) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; returns the serious and critical violations (the test asserts none)."""
    results = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    violations = results["violations"]
    CHECKED.append(name)
    FOUND.update(str(violation.get("impact") or "unknown") for violation in violations)
    blocking = sum(count for impact, count in FOUND.items() if impact in BLOCKING)
    other = sum(count for impact, count in FOUND.items() if impact not in BLOCKING)
    report(
        "axe-core (WCAG 2.1 AA)",
        f"{len(CHECKED)} page states checked, {blocking} serious or critical violations, {other} moderate or minor",
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v.get("impact") in BLOCKING
    ]
