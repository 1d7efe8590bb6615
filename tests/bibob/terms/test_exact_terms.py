"""Exact terms: which days a suspension holds, and what comes too late to extend or suspend; worked out by hand.

Received Monday 3 March 2025, the default 8 weeks (Awb 4:13 lid 2) end on Monday 28 April 2025.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from bibob.terms import (
    AtwCalendar,
    DataWait,
    Deadline,
    DecisionExtension,
    LbbExtension,
    LbbRequest,
    RepairInvitation,
    Term,
    Timeline,
    compute_deadlines,
    load_calendar,
)
from bibob.terms.deadlines import DeadlineStatus

D = dt.date
BASE = Timeline(received=D(2025, 3, 3))


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


def _by_code(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> dict[str, Deadline]:
    return {deadline.code: deadline for deadline in compute_deadlines(timeline, today, calendar)}


def _with(**changes: Any) -> Timeline:
    return attrs.evolve(BASE, **changes)


def _in_default(deadline: Deadline) -> bool:
    return deadline.status is DeadlineStatus.PASSED and any("in gebreke" in warning for warning in deadline.warnings)


# --- Awb 4:14: an extension after the term lapsed ----------------------------------------------------------------


def test_awb_4_14_an_extension_notified_after_the_decision_term_lapsed_has_no_effect(calendar: AtwCalendar) -> None:
    timeline = _with(extensions=(DecisionExtension(D(2025, 4, 29), Term.weeks(4)),))

    decision = _by_code(timeline, D(2025, 5, 1), calendar)["decision"]

    assert decision.due == D(2025, 4, 28)
    assert _in_default(decision)
    assert "de verdaging van 29 april 2025 heeft geen gevolg (Awb 4:14)" in decision.warnings[0]


def test_awb_4_14_an_extension_on_the_last_day_still_counts(calendar: AtwCalendar) -> None:
    timeline = _with(extensions=(DecisionExtension(D(2025, 4, 28), Term.weeks(4)),))

    decision = _by_code(timeline, D(2025, 5, 1), calendar)["decision"]

    assert (decision.due, decision.status, decision.warnings) == (D(2025, 5, 26), DeadlineStatus.RUNNING, ())


def test_atw_art_1_an_extension_on_the_monday_the_atw_moved_the_end_to_still_counts(calendar: AtwCalendar) -> None:
    # received Saturday 1 March: 8 weeks end on Saturday 26 April (Koningsdag), the Atw moves that to Monday 28 April
    timeline = Timeline(received=D(2025, 3, 1), extensions=(DecisionExtension(D(2025, 4, 28), Term.weeks(4)),))

    decision = _by_code(timeline, D(2025, 5, 1), calendar)["decision"]

    assert decision.due == D(2025, 5, 26)  # Saturday 24 May + 4 weeks → Monday
    assert decision.warnings == ()


# --- Awb 4:15 lid 1 sub a: from the day after the invitation up to the completion or lapse --------------------


def test_awb_4_15_a_repair_invitation_after_the_term_lapsed_does_not_suspend(calendar: AtwCalendar) -> None:
    timeline = _with(repair_invitations=(RepairInvitation(D(2025, 5, 2), D(2025, 5, 16)),))

    decision = _by_code(timeline, D(2025, 5, 20), calendar)["decision"]

    assert decision.due == D(2025, 4, 28)
    assert _in_default(decision)
    assert "het aanvulverzoek van 2 mei 2025 schort de beslistermijn niet op (Awb 4:15)" in decision.warnings[0]


def test_awb_4_15_an_invitation_on_the_last_day_suspends_only_from_the_next_day_so_too_late(
    calendar: AtwCalendar,
) -> None:
    timeline = _with(repair_invitations=(RepairInvitation(D(2025, 4, 28), D(2025, 5, 12)),))

    assert _in_default(_by_code(timeline, D(2025, 5, 20), calendar)["decision"])


def test_awb_4_15_neither_the_invitation_day_nor_the_completion_day_is_suspended(calendar: AtwCalendar) -> None:
    # sent Friday 25 April, completed Friday 2 May: suspended 26 April to 1 May, 6 days
    timeline = _with(repair_invitations=(RepairInvitation(D(2025, 4, 25), D(2025, 5, 9), D(2025, 5, 2)),))

    decision = _by_code(timeline, D(2025, 5, 2), calendar)["decision"]

    assert decision.due == D(2025, 5, 6)  # Sunday 4 May, 5 May Bevrijdingsdag → Tuesday
    assert "Opgeschort met 6 dagen (Awb 4:15)" in decision.explanation
    assert "26 april 2025 tot en met 1 mei 2025" in decision.explanation


def test_awb_4_15_a_completion_the_day_after_the_invitation_suspends_nothing(calendar: AtwCalendar) -> None:
    timeline = _with(repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 11)),))

    assert _by_code(timeline, D(2025, 3, 12), calendar)["decision"].due == D(2025, 4, 28)


# --- Wet Bibob art. 31 and 15 -----------------------------------------------------------------------------------


def test_wet_bibob_art_31_an_lbb_request_after_the_decision_term_lapsed_does_not_suspend(calendar: AtwCalendar) -> None:
    deadlines = _by_code(_with(lbb_request=LbbRequest(D(2025, 4, 29))), D(2025, 5, 20), calendar)

    assert deadlines["decision"].due == D(2025, 4, 28) and _in_default(deadlines["decision"])
    assert "(Wet Bibob art. 31)" in deadlines["decision"].warnings[0]
    assert "art31Suspension" not in deadlines
    assert deadlines["lbbAdvice"].due == D(2025, 6, 24)  # the LBB's own term still runs


def test_wet_bibob_art_31_the_request_day_and_the_receipt_day_are_both_suspended(calendar: AtwCalendar) -> None:
    same_day = _with(lbb_request=LbbRequest(D(2025, 4, 1), advice_received=D(2025, 4, 1)))

    deadlines = _by_code(same_day, D(2025, 4, 2), calendar)

    assert deadlines["decision"].due == D(2025, 4, 29)  # one day suspended
    art31 = deadlines["art31Suspension"]
    assert (art31.due, art31.status) == (D(2025, 4, 1), DeadlineStatus.MET)


def test_wet_bibob_art_31_advice_on_the_lbbs_last_day_is_past_the_suspension_cap(calendar: AtwCalendar) -> None:
    # art. 15: 8 weeks after 1 April end on 27 May; art. 31: 56 days counted from 1 April end with 26 May
    timeline = _with(lbb_request=LbbRequest(D(2025, 4, 1), advice_received=D(2025, 5, 27)))

    deadlines = _by_code(timeline, D(2025, 6, 1), calendar)

    assert deadlines["lbbAdvice"].status is DeadlineStatus.MET
    assert (deadlines["art31Suspension"].due, deadlines["art31Suspension"].status) == (
        D(2025, 5, 26),
        DeadlineStatus.PASSED,
    )
    assert deadlines["decision"].due == D(2025, 6, 23)
    assert "loopt sinds 27 mei 2025 weer" in deadlines["decision"].warnings[0]


def test_wet_bibob_art_15_lid_3_an_extension_notified_after_the_eight_weeks_does_not_extend(
    calendar: AtwCalendar,
) -> None:
    late = _with(lbb_request=LbbRequest(D(2025, 4, 1), extension=LbbExtension(D(2025, 5, 28), Term.weeks(4))))

    deadlines = _by_code(late, D(2025, 5, 29), calendar)

    assert deadlines["lbbAdvice"].due == D(2025, 5, 27)
    assert "verlengt niets (Wet Bibob art. 15 lid 3)" in deadlines["lbbAdvice"].warnings[0]
    assert deadlines["art31Suspension"].due == D(2025, 5, 26)
    assert deadlines["decision"].due == D(2025, 6, 23)


def test_wet_bibob_art_15_lid_3_an_extension_on_the_last_day_of_the_eight_weeks_counts(calendar: AtwCalendar) -> None:
    in_time = _with(lbb_request=LbbRequest(D(2025, 4, 1), extension=LbbExtension(D(2025, 5, 27), Term.weeks(4))))

    deadlines = _by_code(in_time, D(2025, 5, 29), calendar)

    assert (deadlines["lbbAdvice"].due, deadlines["lbbAdvice"].warnings) == (D(2025, 6, 24), ())
    assert deadlines["decision"].due == D(2025, 7, 21)  # 28 April + 84 days


def test_wet_bibob_art_15_lid_3_the_atw_keeps_the_eight_weeks_open_past_ascension(calendar: AtwCalendar) -> None:
    # requested 3 April: 8 weeks end on Ascension 29 May, the 30th is equated, so Monday 2 June still counts
    timeline = _with(lbb_request=LbbRequest(D(2025, 4, 3), extension=LbbExtension(D(2025, 6, 2), Term.weeks(4))))

    assert _by_code(timeline, D(2025, 6, 3), calendar)["lbbAdvice"].due == D(2025, 6, 26)


def test_wet_bibob_art_15_lid_2_a_data_request_after_the_lbb_term_lapsed_does_not_suspend(
    calendar: AtwCalendar,
) -> None:
    late = _with(lbb_request=LbbRequest(D(2025, 4, 1), data_waits=(DataWait(D(2025, 5, 28), D(2025, 6, 10)),)))
    on_time = _with(lbb_request=LbbRequest(D(2025, 4, 1), data_waits=(DataWait(D(2025, 5, 27), D(2025, 6, 10)),)))

    ignored = _by_code(late, D(2025, 6, 11), calendar)
    counted = _by_code(on_time, D(2025, 6, 11), calendar)

    assert "schort die niet op (Wet Bibob art. 15 lid 2)" in ignored["lbbAdvice"].warnings[0]
    assert (ignored["lbbAdvice"].due, ignored["decision"].due) == (D(2025, 5, 27), D(2025, 6, 23))
    assert (counted["lbbAdvice"].due, counted["decision"].due) == (D(2025, 6, 10), D(2025, 7, 7))


# --- order and range ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        # repair 11–19 March first (28 April + 9 = 7 May), then one month: Saturday 7 June, Whit Monday → 10 June
        (D(2025, 4, 14), D(2025, 6, 10)),
        # one month first (28 May), then the 9 days: Friday 6 June
        (D(2025, 3, 5), D(2025, 6, 6)),
    ],
)
def test_awb_4_14_extensions_apply_after_earlier_suspensions_in_date_order(
    calendar: AtwCalendar, notified: dt.date, expected: dt.date
) -> None:
    timeline = _with(
        extensions=(DecisionExtension(notified, Term.months(1)),),
        repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20)),),
    )

    assert _by_code(timeline, D(2025, 4, 15), calendar)["decision"].due == expected


def test_awb_4_15_while_the_repair_term_runs_the_earliest_and_latest_end_are_shown(calendar: AtwCalendar) -> None:
    deadlines = _by_code(_with(repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 31)),)),
                         D(2025, 3, 20), calendar)  # fmt: skip

    decision = deadlines["decision"]
    assert (decision.status, decision.earliest, decision.due) == (
        DeadlineStatus.SUSPENDED,
        D(2025, 5, 7),  # completed today: 11–19 March, 9 days
        D(2025, 5, 19),  # lapsed unused: 11–30 March, 20 days → Sunday 18 May
    )
    assert "op zijn vroegst 7 mei 2025" in decision.explanation
    assert (deadlines["notProcessedDecision.1"].earliest, deadlines["notProcessedDecision.1"].due) == (
        D(2025, 4, 17),
        D(2025, 4, 28),
    )


def test_wet_bibob_art_31_while_the_advice_is_awaited_the_earliest_and_latest_end_are_shown(
    calendar: AtwCalendar,
) -> None:
    deadlines = _by_code(_with(lbb_request=LbbRequest(D(2025, 4, 1))), D(2025, 5, 1), calendar)

    art31, decision = deadlines["art31Suspension"], deadlines["decision"]
    assert (art31.status, art31.earliest, art31.due) == (DeadlineStatus.SUSPENDED, D(2025, 5, 1), D(2025, 5, 26))
    # advice today: 31 days → Ascension 29 May, the 30th equated → 2 June; none at all: 56 days → 23 June
    expected = (DeadlineStatus.SUSPENDED, D(2025, 6, 2), D(2025, 6, 23))
    assert (decision.status, decision.earliest, decision.due) == expected


def test_once_no_suspension_runs_there_is_no_earliest_end(calendar: AtwCalendar) -> None:
    deadlines = _by_code(_with(lbb_request=LbbRequest(D(2025, 4, 1), advice_received=D(2025, 5, 1))), D(2025, 5, 2),
                         calendar)  # fmt: skip

    assert deadlines["decision"].earliest is None and deadlines["art31Suspension"].earliest is None
