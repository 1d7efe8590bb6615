"""Shared fixtures: the shipped catalogue and the synthetic answer documents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bibob import Questionnaire, load_catalogue
from bibob.questionnaires import Catalogue

DATA = Path(__file__).parent / "data"
SCENARIOS = Path(__file__).parent / "scenarios"
ROOT = Path(__file__).parents[1]
TODAY = dt.date(2026, 11, 1)  # the synthetic answers were given on 2026-10-15


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def horeca(catalogue: Catalogue) -> Questionnaire:
    return catalogue["bibob-overige-beschikkingen"]


def answers(name: str) -> Any:
    """A synthetic answer document from tests/data/answers."""
    return json.loads((DATA / "answers" / name).read_text("utf-8"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the tests measured, so CI logs show them without -s."""
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("figures")
        for name, text in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {text}")
