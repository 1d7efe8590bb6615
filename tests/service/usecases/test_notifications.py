"""Bibob terms ending within five working days (Atw calendar), computed on read; and the hooks' texts."""

from __future__ import annotations

import datetime as dt

from bibob.terms import AtwCalendar
from service.store.notifications import TERM_ENDING
from service.usecases.notifications import my_ending_terms, terms_ending, working_days_after
from tests.service.store.conftest import ADVISOR
from tests.service.usecases.conftest import Sessions

MONDAY = dt.date(2026, 12, 21)  # Christmas (Friday the 25th) is a general holiday under the Atw


def test_five_working_days_skip_the_weekend_and_christmas(calendar: AtwCalendar) -> None:
    assert working_days_after(MONDAY, 5, calendar) == dt.date(2026, 12, 29)
    assert working_days_after(MONDAY, 0, calendar) == MONDAY


def test_only_terms_ending_from_today_to_the_fifth_working_day_are_announced_soonest_first(
    calendar: AtwCalendar,
) -> None:
    deadlines = [
        ("2026-0003", "beslistermijn", dt.date(2026, 12, 30)),  # one working day too late
        ("2026-0002", "beslistermijn", dt.date(2026, 12, 29)),
        ("2026-0001", "zienswijzetermijn", MONDAY),
        ("2026-0004", "beslistermijn", dt.date(2026, 12, 18)),  # passed: the worklist marks it overdue
    ]
    found = terms_ending(deadlines, MONDAY, calendar)
    assert [(n.object_id, n.kind) for n in found] == [("2026-0001", TERM_ENDING), ("2026-0002", TERM_ENDING)]
    assert found[1].text == "De beslistermijn van aanvraag 2026-0002 eindigt op 29 december 2026."
    assert terms_ending([], MONDAY, calendar) == ()


def test_a_role_without_applications_has_no_ending_terms(session_of: Sessions, calendar: AtwCalendar) -> None:
    assert my_ending_terms(session_of(ADVISOR), None, None, calendar) == ()  # type: ignore[arg-type]
