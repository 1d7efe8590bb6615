"""Figures that tests measure (precision, kills, cases generated); printed in pytest's terminal summary."""

from __future__ import annotations

FIGURES: dict[str, str] = {}


def report(name: str, text: str) -> None:
    """Record a figure to print at the end of the run."""
    FIGURES[name] = text
