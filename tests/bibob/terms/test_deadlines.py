"""Tests for the Awb and Wet Bibob deadlines; expected dates were worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import jsonschema
import pytest

from bibob.exceptions import InvalidInputError
from bibob.schemas import data_dir
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
from bibob.terms.deadlines import DeadlineStatus, signal_destruction
from bibob.terms.timeline import timeline_from_json
from tests.conftest import DATA

D = dt.date
TIMELINES = DATA / "timelines"
# Received Monday 3 March 2025: the default 8 weeks end on Monday 28 April 2025.
BASE = Timeline(received=D(2025, 3, 3))
EARLY = D(2025, 3, 10)
LATE = D(2026, 1, 1)


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


def _by_code(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> dict[str, Deadline]:
    return {deadline.code: deadline for deadline in compute_deadlines(timeline, today, calendar)}


def _lbb(**changes: Any) -> Timeline:
    return attrs.evolve(BASE, lbb_request=LbbRequest(D(2025, 4, 1), **changes))


def _repair(sent: dt.date, end: dt.date, completed: dt.date | None = None) -> Timeline:
    return attrs.evolve(BASE, repair_invitations=(RepairInvitation(sent, end, completed),))


DECISION_VECTORS = [
    ("default 8 weeks of Awb 4:13", BASE, EARLY, D(2025, 4, 28)),
    (
        "8 weeks ending on Ascension run past the equated Friday",
        Timeline(received=D(2025, 4, 3)),
        EARLY,
        D(2025, 6, 2),
    ),
    (
        "26 weeks of a permit's own term",
        Timeline(received=D(2025, 1, 6), decision_term=Term.weeks(26)),
        EARLY,
        D(2025, 7, 7),
    ),
    (
        "3 months ending on a Saturday",
        Timeline(received=D(2025, 11, 30), decision_term=Term.months(3)),
        EARLY,
        D(2026, 3, 2),
    ),
    (
        "Awb 4:14 extension of 8 weeks",
        attrs.evolve(BASE, extensions=(DecisionExtension(D(2025, 4, 14), Term.weeks(8)),)),
        EARLY,
        D(2025, 6, 23),
    ),
    (
        "Awb 4:15 lid 1 sub a: from the day after the invitation until the completion day, 9 days",
        _repair(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20)),
        LATE,
        D(2025, 5, 7),
    ),
    (
        "Awb 4:15 lid 1 sub a: repair term lapsed unused, suspended 11 to 30 March",
        _repair(D(2025, 3, 10), D(2025, 3, 31)),
        LATE,
        D(2025, 5, 19),  # 28 April + 20 days = Sunday 18 May
    ),
    (
        "Awb 4:15 lid 1 sub a: completed late counts up to the lapse of the repair term",
        _repair(D(2025, 3, 10), D(2025, 3, 24), D(2025, 4, 2)),
        LATE,
        D(2025, 5, 12),  # 28 April + 13 days = Sunday 11 May
    ),
    (
        "Wet Bibob art. 31: request and advice day both suspended, 42 days land on Whit Monday",
        _lbb(advice_received=D(2025, 5, 12)),
        LATE,
        D(2025, 6, 10),
    ),
    ("art. 31: no advice, capped at 8 weeks", _lbb(), LATE, D(2025, 6, 23)),
    (
        "art. 31: advice after the cap counts only the cap",
        _lbb(advice_received=D(2025, 6, 3)),
        LATE,
        D(2025, 6, 23),
    ),
    (
        "Wet Bibob art. 15 lid 2: 14 days data wait let the advice on day 64 count in full",
        _lbb(data_waits=(DataWait(D(2025, 4, 15), D(2025, 4, 29)),), advice_received=D(2025, 6, 3)),
        LATE,
        D(2025, 7, 1),
    ),
    (
        "Wet Bibob art. 15 lid 3: extension of 4 weeks, advice on day 71",
        _lbb(extension=LbbExtension(D(2025, 5, 20), Term.weeks(4)), advice_received=D(2025, 6, 10)),
        LATE,
        D(2025, 7, 8),
    ),
    (
        "art. 31: extension and data wait, never any advice: 98 days",
        _lbb(
            data_waits=(DataWait(D(2025, 4, 15), D(2025, 4, 29)),),
            extension=LbbExtension(D(2025, 5, 20), Term.weeks(4)),
        ),
        LATE,
        D(2025, 8, 4),
    ),
    (
        "4:14 + 4:15 + art. 31 together",
        attrs.evolve(
            BASE,
            extensions=(DecisionExtension(D(2025, 4, 14), Term.weeks(4)),),
            repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20)),),
            lbb_request=LbbRequest(D(2025, 4, 1), advice_received=D(2025, 5, 13)),
        ),
        LATE,
        D(2025, 7, 17),
    ),
]


@pytest.mark.parametrize(
    ("description", "timeline", "today", "expected"),
    DECISION_VECTORS,
    ids=[vector[0] for vector in DECISION_VECTORS],
)
def test_the_decision_deadline_adds_extensions_and_suspensions(
    calendar: AtwCalendar, description: str, timeline: Timeline, today: dt.date, expected: dt.date
) -> None:
    assert expected == _by_code(timeline, today, calendar)["decision"].due, description


def test_a_decision_deadline_runs_then_passes_or_is_met(calendar: AtwCalendar) -> None:
    decided = attrs.evolve(BASE, decided=D(2025, 4, 28))
    late = attrs.evolve(BASE, decided=D(2025, 4, 29))

    assert _by_code(BASE, D(2025, 4, 28), calendar)["decision"].status == DeadlineStatus.RUNNING
    assert _by_code(BASE, D(2025, 4, 29), calendar)["decision"].status == DeadlineStatus.PASSED
    assert _by_code(decided, LATE, calendar)["decision"].status == DeadlineStatus.MET
    assert _by_code(late, LATE, calendar)["decision"].status == DeadlineStatus.PASSED


def test_the_decision_term_is_suspended_while_a_repair_invitation_is_open(
    calendar: AtwCalendar,
) -> None:
    deadlines = _by_code(_repair(D(2025, 3, 10), D(2025, 3, 31)), D(2025, 3, 20), calendar)

    assert deadlines["decision"].status == DeadlineStatus.SUSPENDED
    assert D(2025, 5, 19) == deadlines["decision"].due
    assert "Awb 4:15" in deadlines["decision"].explanation
    assert deadlines["repairTerm.1"].status == DeadlineStatus.RUNNING


def test_a_completed_repair_invitation_meets_its_term(calendar: AtwCalendar) -> None:
    timeline = _repair(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20))

    repair = _by_code(timeline, LATE, calendar)["repairTerm.1"]

    assert (D(2025, 3, 24), DeadlineStatus.MET, "Awb 4:5") == (
        repair.due,
        repair.status,
        repair.legal_basis,
    )


@pytest.mark.parametrize(
    ("description", "timeline", "expected"),
    [
        (
            "4 weeks after the lapsed term end",
            _repair(D(2025, 3, 10), D(2025, 3, 31)),
            D(2025, 4, 28),
        ),
        (
            "4 weeks after a completion in time, not after the term end",
            _repair(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20)),
            D(2025, 4, 17),
        ),
        (
            "4 weeks after the lapse fall on Easter Monday",
            _repair(D(2025, 3, 10), D(2025, 3, 24)),
            D(2025, 4, 22),
        ),
        (
            "a completion after the term end: 4 weeks from the lapse",
            _repair(D(2025, 3, 10), D(2025, 3, 24), D(2025, 4, 2)),
            D(2025, 4, 22),
        ),
    ],
)
def test_awb_4_5_lid_4_the_not_processed_decision_is_due_four_weeks_after_completion_or_lapse(
    calendar: AtwCalendar, description: str, timeline: Timeline, expected: dt.date
) -> None:
    deadline = _by_code(timeline, LATE, calendar)["notProcessedDecision.1"]

    assert expected == deadline.due, description
    assert deadline.legal_basis == "Awb 4:5"


def test_advice_before_the_cap_ends_the_suspension_and_meets_the_lbb_term(
    calendar: AtwCalendar,
) -> None:
    deadlines = _by_code(_lbb(advice_received=D(2025, 5, 12)), LATE, calendar)

    assert (D(2025, 5, 12), DeadlineStatus.MET) == (
        deadlines["art31Suspension"].due,
        deadlines["art31Suspension"].status,
    )
    assert (D(2025, 5, 27), DeadlineStatus.MET) == (
        deadlines["lbbAdvice"].due,
        deadlines["lbbAdvice"].status,
    )
    assert "Wet Bibob art. 31" in deadlines["decision"].explanation
    assert "Algemene termijnenwet" in deadlines["decision"].explanation
    assert not any("art. 31" in warning for warning in deadlines["decision"].warnings)


def test_advice_that_never_arrives_ends_the_suspension_at_the_cap_with_a_warning(
    calendar: AtwCalendar,
) -> None:
    deadlines = _by_code(_lbb(), D(2025, 6, 15), calendar)

    assert (D(2025, 5, 26), DeadlineStatus.PASSED) == (  # 56 days: 1 April up to and including 26 May
        deadlines["art31Suspension"].due,
        deadlines["art31Suspension"].status,
    )
    assert (D(2025, 6, 23), DeadlineStatus.RUNNING) == (
        deadlines["decision"].due,
        deadlines["decision"].status,
    )
    assert "loopt sinds 27 mei 2025 weer" in deadlines["decision"].warnings[0]
    assert deadlines["art31Suspension"].warnings == deadlines["decision"].warnings


def test_while_advice_is_pending_the_decision_term_is_suspended(calendar: AtwCalendar) -> None:
    deadlines = _by_code(_lbb(), D(2025, 5, 1), calendar)

    assert deadlines["decision"].status == DeadlineStatus.SUSPENDED
    assert deadlines["art31Suspension"].status == DeadlineStatus.SUSPENDED
    assert deadlines["decision"].warnings == ()


def test_advice_arriving_after_the_cap_is_named_in_the_warning(calendar: AtwCalendar) -> None:
    deadlines = _by_code(_lbb(advice_received=D(2025, 6, 3)), LATE, calendar)

    assert deadlines["lbbAdvice"].status == DeadlineStatus.PASSED
    assert "3 juni 2025" in deadlines["decision"].warnings[0]


def test_an_open_data_wait_keeps_extending_the_cap_until_today(calendar: AtwCalendar) -> None:
    timeline = _lbb(data_waits=(DataWait(D(2025, 4, 15)),))

    deadlines = _by_code(timeline, D(2025, 5, 1), calendar)

    assert D(2025, 6, 11) == deadlines["art31Suspension"].due  # 1 April + 56 + 16 days, counting 1 April
    assert deadlines["art31Suspension"].status == DeadlineStatus.SUSPENDED


def test_the_lbb_advice_term_gets_the_atw_but_the_suspension_cap_does_not(
    calendar: AtwCalendar,
) -> None:
    timeline = attrs.evolve(BASE, lbb_request=LbbRequest(D(2025, 4, 3)))

    deadlines = _by_code(timeline, EARLY, calendar)

    assert D(2025, 6, 2) == deadlines["lbbAdvice"].due  # 29 May is Ascension, the 30th equated
    assert D(2025, 5, 28) == deadlines["art31Suspension"].due
    assert deadlines["lbbAdvice"].legal_basis == "Wet Bibob art. 15"


@pytest.mark.parametrize(
    ("announced", "expected"),
    [
        (D(2025, 4, 4), D(2025, 5, 16)),
        (D(2025, 4, 17), D(2025, 6, 2)),
        (D(2025, 11, 14), D(2025, 12, 29)),
    ],
)
def test_the_objection_term_is_six_weeks_from_the_day_after_bekendmaking(
    calendar: AtwCalendar, announced: dt.date, expected: dt.date
) -> None:
    timeline = Timeline(received=D(2025, 1, 6), decided=announced, announced=announced)

    deadline = _by_code(timeline, announced, calendar)["objection"]

    assert (expected, DeadlineStatus.RUNNING, "Awb 6:7") == (
        deadline.due,
        deadline.status,
        deadline.legal_basis,
    )


def test_an_objection_in_time_meets_the_term(calendar: AtwCalendar) -> None:
    timeline = Timeline(
        received=D(2025, 1, 6),
        decided=D(2025, 4, 4),
        announced=D(2025, 4, 4),
        objection_received=D(2025, 5, 16),
    )

    assert _by_code(timeline, LATE, calendar)["objection"].status == DeadlineStatus.MET


@pytest.mark.parametrize(
    ("sent", "term", "expected"),
    [
        (D(2025, 8, 1), Term.days(14), D(2025, 8, 15)),
        (D(2025, 8, 2), Term.days(14), D(2025, 8, 16)),
        (D(2025, 8, 2), Term.weeks(3), D(2025, 8, 23)),
    ],
)
def test_the_zienswijze_term_is_configurable_and_not_extended_by_the_atw(
    calendar: AtwCalendar, sent: dt.date, term: Term, expected: dt.date
) -> None:
    timeline = attrs.evolve(BASE, intention_sent=sent, zienswijze_term=term)

    assert expected == _by_code(timeline, sent, calendar)["zienswijze"].due


@pytest.mark.parametrize(
    ("received", "expected"),
    [(D(2025, 5, 13), D(2030, 5, 13)), (D(2024, 2, 29), D(2029, 2, 28))],
)
def test_lbb_advice_is_reusable_for_five_years(calendar: AtwCalendar, received: dt.date, expected: dt.date) -> None:
    timeline = Timeline(received=D(2024, 1, 2), lbb_request=LbbRequest(D(2024, 2, 1), advice_received=received))

    deadline = _by_code(timeline, received, calendar)["adviceReuse"]

    assert (expected, "Wet Bibob art. 29") == (deadline.due, deadline.legal_basis)


@pytest.mark.parametrize(
    ("decided", "expected"),
    [(D(2025, 3, 31), D(2026, 3, 31)), (D(2024, 2, 29), D(2025, 2, 28))],
)
def test_a_signal_without_action_is_destroyed_twelve_months_after_that_decision(
    decided: dt.date, expected: dt.date
) -> None:
    deadline = signal_destruction(decided, decided)

    assert (expected, DeadlineStatus.RUNNING) == (deadline.due, deadline.status)
    assert signal_destruction(decided, LATE + (LATE - decided)).status == DeadlineStatus.PASSED


def test_a_bare_timeline_yields_only_the_decision_deadline(calendar: AtwCalendar) -> None:
    assert [d.code for d in compute_deadlines(BASE, EARLY, calendar)] == ["decision"]


def test_an_inconsistent_timeline_lists_every_problem(calendar: AtwCalendar) -> None:
    timeline = Timeline(
        received=D(2025, 3, 3),
        decision_term=Term.weeks(0),
        extensions=(DecisionExtension(D(2025, 3, 1), Term.weeks(2)),),
        repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 5), D(2025, 3, 9)),),
        lbb_request=LbbRequest(
            D(2025, 3, 1),
            data_waits=(DataWait(D(2025, 3, 20), D(2025, 3, 18)),),
            extension=LbbExtension(D(2025, 3, 10), Term.weeks(5)),
            advice_received=D(2025, 2, 27),
        ),
        decided=D(2025, 5, 1),
        announced=D(2025, 4, 30),
        objection_received=D(2025, 4, 29),
    )

    with pytest.raises(InvalidInputError) as caught:
        compute_deadlines(timeline, EARLY, calendar)

    assert [(problem.pointer, problem.code) for problem in caught.value.problems] == [
        ("/decisionTerm/amount", "termNotPositive"),
        ("/extensions/0/notified", "outOfOrder"),
        ("/repairInvitations/0/termEnd", "endBeforeStart"),
        ("/repairInvitations/0/completed", "outOfOrder"),
        ("/lbbRequest/requested", "outOfOrder"),
        ("/lbbRequest/dataWaits/0/end", "endBeforeStart"),
        ("/lbbRequest/adviceReceived", "outOfOrder"),
        ("/lbbRequest/extension/term", "extensionTooLong"),
        ("/announced", "outOfOrder"),
        ("/objectionReceived", "outOfOrder"),
    ]
    assert all(problem.message for problem in caught.value.problems)


def test_an_lbb_extension_in_months_is_refused(calendar: AtwCalendar) -> None:
    timeline = _lbb(extension=LbbExtension(D(2025, 4, 20), Term.months(1)))

    with pytest.raises(InvalidInputError) as caught:
        compute_deadlines(timeline, EARLY, calendar)

    assert [problem.code for problem in caught.value.problems] == ["extensionUnit"]


def test_an_lbb_extension_of_exactly_four_weeks_is_allowed(calendar: AtwCalendar) -> None:
    timeline = _lbb(extension=LbbExtension(D(2025, 4, 20), Term.days(28)))

    assert D(2025, 6, 24) == _by_code(timeline, EARLY, calendar)["lbbAdvice"].due


def test_overlapping_suspensions_are_refused(calendar: AtwCalendar) -> None:
    timeline = attrs.evolve(
        BASE,
        repair_invitations=(
            RepairInvitation(D(2025, 3, 10), D(2025, 3, 24)),
            RepairInvitation(D(2025, 3, 20), D(2025, 4, 3)),
        ),
    )

    with pytest.raises(InvalidInputError) as caught:
        compute_deadlines(timeline, EARLY, calendar)

    assert [(problem.pointer, problem.code) for problem in caught.value.problems] == [
        ("/repairInvitations/1/sent", "overlap")
    ]


def test_an_objection_without_bekendmaking_is_refused(calendar: AtwCalendar) -> None:
    timeline = attrs.evolve(BASE, objection_received=D(2025, 5, 1))

    with pytest.raises(InvalidInputError) as caught:
        compute_deadlines(timeline, EARLY, calendar)

    assert [(problem.pointer, problem.code) for problem in caught.value.problems] == [("/announced", "missingEvent")]


def test_the_timeline_schema_is_valid_2020_12_and_named_after_its_file() -> None:
    path = data_dir("schemas") / "timeline.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))

    jsonschema.Draft202012Validator.check_schema(schema)
    assert path.name == schema["$id"]


def test_a_timeline_file_reads_into_the_values_it_describes() -> None:
    document = json.loads((TIMELINES / "horeca-with-lbb-advice.json").read_text(encoding="utf-8"))

    timeline = timeline_from_json(document)

    assert (
        Timeline(
            received=D(2025, 3, 3),
            extensions=(DecisionExtension(D(2025, 4, 14), Term.weeks(4)),),
            repair_invitations=(RepairInvitation(D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 20)),),
            lbb_request=LbbRequest(
                D(2025, 4, 1),
                data_waits=(DataWait(D(2025, 4, 15), D(2025, 4, 29)),),
                extension=LbbExtension(D(2025, 5, 20), Term.weeks(4)),
                advice_received=D(2025, 6, 17),
            ),
            intention_sent=D(2025, 6, 20),
            zienswijze_term=Term.weeks(2),
            decided=D(2025, 7, 15),
            announced=D(2025, 7, 16),
        )
        == timeline
    )


def test_the_example_timeline_computes_every_deadline(calendar: AtwCalendar) -> None:
    document = json.loads((TIMELINES / "horeca-with-lbb-advice.json").read_text(encoding="utf-8"))

    deadlines = compute_deadlines(timeline_from_json(document), D(2025, 7, 20), calendar)

    assert [
        ("decision", D(2025, 8, 21), DeadlineStatus.MET),
        ("repairTerm.1", D(2025, 3, 24), DeadlineStatus.MET),
        ("notProcessedDecision.1", D(2025, 4, 17), DeadlineStatus.PASSED),
        ("lbbAdvice", D(2025, 7, 8), DeadlineStatus.MET),
        ("art31Suspension", D(2025, 6, 17), DeadlineStatus.MET),
        ("zienswijze", D(2025, 7, 4), DeadlineStatus.PASSED),
        ("objection", D(2025, 8, 27), DeadlineStatus.RUNNING),
        ("adviceReuse", D(2030, 6, 17), DeadlineStatus.RUNNING),
    ] == [(d.code, d.due, d.status) for d in deadlines]


def test_a_timeline_document_that_breaks_the_schema_lists_every_problem() -> None:
    document = {
        "decisionTerm": {"amount": 0, "unit": "fortnights"},
        "repairInvitations": [{"sent": "2025-02-30", "termEnd": "2025-03-24", "completed": 5}],
        "lbbRequest": {"requested": "1-4-2025", "extension": {"notified": "2025-05-20"}},
        "remarks": "x",
    }

    with pytest.raises(InvalidInputError) as caught:
        timeline_from_json(document)

    assert {
        ("/received", "schema.required"),
        ("/decisionTerm/amount", "schema.minimum"),
        ("/decisionTerm/unit", "schema.enum"),
        ("/repairInvitations/0/sent", "schema.format"),
        ("/repairInvitations/0/completed", "schema.type"),
        ("/lbbRequest/requested", "schema.format"),
        ("/lbbRequest/extension/term", "schema.required"),
        ("/remarks", "schema.unknownField"),
    } == {(problem.pointer, problem.code) for problem in caught.value.problems}


def test_a_timeline_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        timeline_from_json(["2025-03-03"])

    assert [(p.pointer, p.code) for p in caught.value.problems] == [("", "schema.type")]


def test_a_valid_timeline_document_with_inconsistent_dates_lists_those_problems() -> None:
    document = {
        "received": "2025-03-03",
        "lbbRequest": {
            "requested": "2025-04-01",
            "extension": {"notified": "2025-05-20", "term": {"amount": 5, "unit": "weeks"}},
            "adviceReceived": "2025-03-31",
        },
    }

    with pytest.raises(InvalidInputError) as caught:
        timeline_from_json(document)

    assert [(problem.pointer, problem.code) for problem in caught.value.problems] == [
        ("/lbbRequest/adviceReceived", "outOfOrder"),
        ("/lbbRequest/extension/term", "extensionTooLong"),
    ]
