"""The small readers every page form shares: a typed day and a label with its capital."""

from __future__ import annotations

import datetime as dt

import pytest

from service.web.forms import capital, sentence, typed_day


@pytest.mark.parametrize("typed", ["15-10-2026", "2026-10-15", "15/10/2026", "15.10.2026", " 15-10-2026 "])
def test_a_day_is_read_in_every_way_an_officer_types_it(typed: str) -> None:
    assert typed_day(typed) == dt.date(2026, 10, 15)


@pytest.mark.parametrize("typed", ["", "31-02-2026", "15-13-2026", "morgen", "2026/10/15", "15-10-26"])
def test_a_day_that_does_not_exist_or_is_not_a_day_reads_as_none(typed: str) -> None:
    assert typed_day(typed) is None


@pytest.mark.parametrize(("text", "expected"), [("bewoner", "Bewoner"), ("", ""), ("Al hoofdletter", "Al hoofdletter")])
def test_a_label_gets_its_capital_and_nothing_else_changes(text: str, expected: str) -> None:
    assert capital(text) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("de reden ontbreekt", "De reden ontbreekt."),
        ("Deze datum mag niet in de toekomst liggen.", "Deze datum mag niet in de toekomst liggen."),
        ("", "."),
    ],
)
def test_a_problem_reads_as_one_sentence_with_one_full_stop(message: str, expected: str) -> None:
    assert sentence(message) == expected
