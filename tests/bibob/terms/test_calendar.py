"""Tests for the Algemene termijnenwet calendar; expected dates were worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibob.exceptions import DefinitionError
from bibob.schemas import data_dir
from bibob.terms import FIRST_YEAR, LAST_YEAR, AtwCalendar, Term, TermUnit, add_term, dutch_date, load_calendar
from bibob.terms.calendar import EquatedDay, atw_applies, easter_sunday, statutory_holidays

D = dt.date
EQUATED = (
    D(2023, 4, 28), D(2023, 5, 19), D(2024, 5, 10), D(2024, 12, 27), D(2025, 5, 30),
    D(2026, 1, 2), D(2026, 5, 15), D(2027, 5, 7), D(2028, 4, 28), D(2028, 5, 26),
)  # fmt: skip
NAMES = (
    "Nieuwjaarsdag", "Goede Vrijdag", "Tweede Paasdag", "Koningsdag", "Bevrijdingsdag",
    "Hemelvaartsdag", "Tweede Pinksterdag", "Eerste Kerstdag", "Tweede Kerstdag",
)  # fmt: skip


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2008, D(2008, 3, 23)),
        (2019, D(2019, 4, 21)),
        (2020, D(2020, 4, 12)),
        (2021, D(2021, 4, 4)),
        (2022, D(2022, 4, 17)),
        (2023, D(2023, 4, 9)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2029, D(2029, 4, 1)),
        (2030, D(2030, 4, 21)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday_is_the_western_easter_date(year: int, expected: dt.date) -> None:
    assert expected == easter_sunday(year)


# (year, [Nieuwjaar, Goede Vrijdag, Tweede Paasdag, Koningsdag, 5 mei, Hemelvaart,
#         Tweede Pinksterdag, Eerste Kerstdag, Tweede Kerstdag]) as (month, day)
HOLIDAYS = [
    (2024, [(1, 1), (3, 29), (4, 1), (4, 27), (5, 5), (5, 9), (5, 20), (12, 25), (12, 26)]),
    (2025, [(1, 1), (4, 18), (4, 21), (4, 26), (5, 5), (5, 29), (6, 9), (12, 25), (12, 26)]),
    (2026, [(1, 1), (4, 3), (4, 6), (4, 27), (5, 5), (5, 14), (5, 25), (12, 25), (12, 26)]),
    (2027, [(1, 1), (3, 26), (3, 29), (4, 27), (5, 5), (5, 6), (5, 17), (12, 25), (12, 26)]),
    (2028, [(1, 1), (4, 14), (4, 17), (4, 27), (5, 5), (5, 25), (6, 5), (12, 25), (12, 26)]),
    (2029, [(1, 1), (3, 30), (4, 2), (4, 27), (5, 5), (5, 10), (5, 21), (12, 25), (12, 26)]),
    (2030, [(1, 1), (4, 19), (4, 22), (4, 27), (5, 5), (5, 30), (6, 10), (12, 25), (12, 26)]),
]


@pytest.mark.parametrize(("year", "days"), HOLIDAYS)
def test_every_atw_holiday_falls_on_its_date(year: int, days: list[tuple[int, int]]) -> None:
    expected = tuple((D(year, month, day), name) for (month, day), name in zip(days, NAMES, strict=True))

    assert expected == statutory_holidays(year)


@pytest.mark.parametrize(("year", "days"), HOLIDAYS)
def test_no_atw_holiday_is_a_business_day(calendar: AtwCalendar, year: int, days: list[tuple[int, int]]) -> None:
    assert not any(calendar.is_business_day(D(year, month, day)) for month, day in days)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2014, D(2014, 4, 26)),
        (2025, D(2025, 4, 26)),
        (2031, D(2031, 4, 26)),
        (2036, D(2036, 4, 26)),
        (2024, D(2024, 4, 27)),
        (2030, D(2030, 4, 27)),
    ],
)
def test_kings_day_moves_to_26_april_only_when_27_april_is_a_sunday(
    calendar: AtwCalendar, year: int, expected: dt.date
) -> None:
    assert calendar.holiday_name(expected) == "Koningsdag"
    assert (expected.day == 27) == calendar.is_business_day(D(year, 4, 26))


def test_queens_day_from_1980_to_2013_is_30_april_or_29_when_that_is_a_sunday(
    calendar: AtwCalendar,
) -> None:
    assert calendar.holiday_name(D(2013, 4, 30)) == "Koninginnedag"
    assert calendar.holiday_name(D(2006, 4, 29)) == "Koninginnedag"
    assert calendar.holiday_name(D(1989, 4, 29)) == "Koninginnedag"
    assert calendar.holiday_name(D(1980, 4, 30)) == "Koninginnedag"


@pytest.mark.parametrize("year", [1950, 1961, 1967, 1972, 1978])
def test_atw_art_3_queens_day_before_1980_moves_to_1_may_when_30_april_is_a_sunday(
    calendar: AtwCalendar, year: int
) -> None:
    assert D(year, 4, 30).weekday() == 6
    assert calendar.holiday_name(D(year, 5, 1)) == "Koninginnedag"
    assert calendar.holiday_name(D(year, 4, 29)) is None


def test_atw_art_3_the_monarchs_day_is_one_day_in_every_year_the_calendar_accepts(calendar: AtwCalendar) -> None:
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        days = [day for day, name in statutory_holidays(year) if name in ("Koningsdag", "Koninginnedag")]
        assert len(days) == 1 and days[0].weekday() != 6, year
        expected = D(year, 4, 27) if year >= 2014 else D(year, 4, 30)
        shift = 0 if expected.weekday() != 6 else (1 if year < 1980 else -1)
        assert days[0] == expected + dt.timedelta(days=shift), year


def test_liberation_day_counts_every_year_not_only_every_five_years(calendar: AtwCalendar) -> None:
    assert not any(calendar.is_business_day(D(year, 5, 5)) for year in (2026, 2027, 2029))


def test_two_holidays_on_one_day_are_both_named(calendar: AtwCalendar) -> None:
    assert calendar.holiday_name(D(2016, 5, 5)) == "Bevrijdingsdag en Hemelvaartsdag"


def test_the_shipped_file_equates_exactly_the_decreed_days(calendar: AtwCalendar) -> None:
    assert tuple(equated.day for equated in calendar.equated_days) == EQUATED
    assert all(equated.note and equated.name for equated in calendar.equated_days)


@pytest.mark.parametrize("day", EQUATED)
def test_an_equated_day_is_no_business_day(calendar: AtwCalendar, day: dt.date) -> None:
    assert not calendar.is_business_day(day)
    assert (calendar.holiday_name(day) or "").startswith("gelijkgestelde dag")
    assert AtwCalendar().is_business_day(day)


def test_holidays_of_a_year_include_its_equated_days_in_date_order(calendar: AtwCalendar) -> None:
    holidays = calendar.holidays(2025)

    assert len(holidays) == 10
    assert (D(2025, 5, 30), "gelijkgestelde dag (vrijdag na Hemelvaartsdag)") == holidays[6]
    assert sorted(holidays) == list(holidays)


def test_an_ordinary_weekday_is_a_business_day_and_a_weekend_day_is_not(
    calendar: AtwCalendar,
) -> None:
    assert calendar.is_business_day(D(2025, 3, 12))
    assert not calendar.is_business_day(D(2025, 3, 15))
    assert not calendar.is_business_day(D(2025, 3, 16))


@pytest.mark.parametrize(
    ("description", "start", "term", "expected"),
    [
        ("ends on the Friday before Whit Monday", D(2025, 5, 9), Term.weeks(4), D(2025, 6, 6)),
        ("ends on a Saturday", D(2025, 3, 1), Term.days(14), D(2025, 3, 17)),
        ("ends on a Sunday", D(2025, 3, 2), Term.days(14), D(2025, 3, 17)),
        ("ends on Whit Monday", D(2025, 5, 12), Term.weeks(4), D(2025, 6, 10)),
        ("ends the Saturday before Whit Monday", D(2025, 5, 10), Term.weeks(4), D(2025, 6, 10)),
        ("ends on Ascension, Friday equated", D(2025, 5, 1), Term.weeks(4), D(2025, 6, 2)),
        ("ends on Good Friday, Easter Monday next", D(2025, 3, 21), Term.weeks(4), D(2025, 4, 22)),
        ("ends on Christmas 2024, 27th equated", D(2024, 11, 27), Term.weeks(4), D(2024, 12, 30)),
        ("ends on New Year 2026, 2 Jan equated", D(2025, 12, 4), Term.weeks(4), D(2026, 1, 5)),
        ("ends on King's Day on a Saturday", D(2025, 3, 29), Term.weeks(4), D(2025, 4, 28)),
        ("ends on Liberation Day 2026", D(2026, 4, 7), Term.weeks(4), D(2026, 5, 6)),
        ("ends on Boxing Day 2025", D(2025, 12, 12), Term.days(14), D(2025, 12, 29)),
        ("six weeks ending on a Friday", D(2025, 4, 4), Term.weeks(6), D(2025, 5, 16)),
        ("six weeks ending on Ascension", D(2025, 4, 17), Term.weeks(6), D(2025, 6, 2)),
        ("3 days over Easter get two business days", D(2025, 4, 17), Term.days(3), D(2025, 4, 23)),
        ("3 days Thursday to Monday hold two", D(2025, 3, 6), Term.days(3), D(2025, 3, 10)),
        ("3 days from Friday need Tuesday", D(2025, 3, 7), Term.days(3), D(2025, 3, 11)),
        ("2 days from Thursday: only art. 1", D(2025, 3, 6), Term.days(2), D(2025, 3, 10)),
        ("2 days from Friday: art. 2 not for <3", D(2025, 3, 7), Term.days(2), D(2025, 3, 10)),
        ("1 day into weekend and 5 May", D(2025, 5, 2), Term.days(1), D(2025, 5, 6)),
        ("3 days over 5 May and Ascension 2027", D(2027, 5, 3), Term.days(3), D(2027, 5, 10)),
        ("1 month from 31 January clamps", D(2025, 1, 31), Term.months(1), D(2025, 2, 28)),
        ("1 month into a leap February", D(2024, 1, 31), Term.months(1), D(2024, 2, 29)),
        ("1 month from 31 March", D(2025, 3, 31), Term.months(1), D(2025, 4, 30)),
        ("3 months ending on a Saturday", D(2025, 11, 28), Term.months(3), D(2026, 3, 2)),
        ("12 weeks ending on a Saturday", D(2025, 6, 7), Term.weeks(12), D(2025, 9, 1)),
        ("90 days ending on a Sunday", D(2025, 6, 2), Term.days(90), D(2025, 9, 1)),
        ("26 weeks ending on a Monday", D(2025, 1, 6), Term.weeks(26), D(2025, 7, 7)),
    ],
)
def test_end_of_term_applies_the_atw(
    calendar: AtwCalendar, description: str, start: dt.date, term: Term, expected: dt.date
) -> None:
    assert expected == calendar.end_of_term(start, term), description


@pytest.mark.parametrize(
    ("start", "term", "plain_end"),
    [
        (D(2025, 8, 31), Term.months(6), D(2026, 2, 28)),  # a Saturday
        (D(2025, 6, 6), Term.weeks(13), D(2025, 9, 5)),  # 91 days, ends on a Friday: plain anyway
        (D(2025, 6, 1), Term.weeks(13), D(2025, 8, 31)),  # a Sunday
        (D(2025, 6, 2), Term.days(91), D(2025, 9, 1)),
        (D(2025, 5, 31), Term.days(91), D(2025, 8, 30)),  # a Saturday
        (D(2025, 11, 30), Term.months(4), D(2026, 3, 30)),
        (D(2024, 11, 30), Term.months(4), D(2025, 3, 30)),  # a Sunday
        (D(2019, 4, 27), Term.years(1), D(2020, 4, 27)),  # Koningsdag 2020
    ],
)
def test_atw_art_4_leaves_terms_over_90_days_12_weeks_3_months_and_in_years_unextended(
    calendar: AtwCalendar, start: dt.date, term: Term, plain_end: dt.date
) -> None:
    assert not atw_applies(term)
    assert plain_end == calendar.end_of_term(start, term) == add_term(start, term)


@pytest.mark.parametrize(
    ("term", "applies"),
    [
        (Term.days(90), True), (Term.days(91), False), (Term.weeks(12), True), (Term.weeks(13), False),
        (Term.months(3), True), (Term.months(4), False), (Term.years(1), False), (Term.days(1), True),
    ],
)  # fmt: skip
def test_atw_art_4_sub_a_bounds_the_terms_the_atw_extends(term: Term, applies: bool) -> None:
    assert atw_applies(term) is applies


def test_atw_art_3_lid_2_equates_good_friday_with_the_holidays(calendar: AtwCalendar) -> None:
    assert calendar.holiday_name(D(2025, 4, 18)) == "Goede Vrijdag"
    assert D(2025, 4, 22) == calendar.end_of_term(D(2025, 3, 21), Term.weeks(4))  # Friday 18 April → Tuesday


def test_without_equated_days_the_friday_after_ascension_ends_a_term() -> None:
    assert D(2025, 5, 30) == AtwCalendar().end_of_term(D(2025, 5, 1), Term.weeks(4))


@pytest.mark.parametrize(
    ("start", "term", "expected"),
    [
        (D(2025, 5, 13), Term.years(5), D(2030, 5, 13)),
        (D(2024, 2, 29), Term.years(5), D(2029, 2, 28)),
        (D(2025, 3, 31), Term.months(12), D(2026, 3, 31)),
        (D(2025, 11, 30), Term.months(3), D(2026, 2, 28)),
        (D(2025, 8, 2), Term.days(14), D(2025, 8, 16)),
    ],
)
def test_add_term_is_plain_calendar_arithmetic_without_atw(start: dt.date, term: Term, expected: dt.date) -> None:
    assert expected == add_term(start, term)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (Term.days(1), "1 dag"),
        (Term.days(14), "14 dagen"),
        (Term.weeks(1), "1 week"),
        (Term.weeks(8), "8 weken"),
        (Term.months(1), "1 maand"),
        (Term(12, TermUnit.MONTHS), "12 maanden"),
        (Term.years(5), "5 jaar"),
    ],
)
def test_a_term_reads_as_dutch(term: Term, text: str) -> None:
    assert text == str(term)


def test_dates_are_written_the_dutch_way() -> None:
    assert dutch_date(D(2025, 3, 3)) == "3 maart 2025"
    assert dutch_date(D(2025, 6, 9), weekday=True) == "maandag 9 juni 2025"


terms = st.builds(
    Term, st.integers(min_value=1, max_value=60), st.sampled_from(list(TermUnit))
)  # fmt: skip


@given(start=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), term=terms)
def test_end_of_term_is_a_business_day_never_before_the_plain_end(start: dt.date, term: Term) -> None:
    calendar = AtwCalendar((EquatedDay(D(2025, 5, 30), "vrijdag na Hemelvaartsdag", "test"),))

    end = calendar.end_of_term(start, term)

    assert calendar.is_business_day(end) or not atw_applies(term)
    assert end >= add_term(start, term)


def test_the_calendar_schema_is_valid_2020_12_and_named_after_its_file() -> None:
    path = data_dir("schemas") / "calendar.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))

    jsonschema.Draft202012Validator.check_schema(schema)
    assert path.name == schema["$id"]


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "equated.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_an_invalid_calendar_file_lists_every_problem(tmp_path: Path) -> None:
    document = {
        "equatedDays": [
            {"date": "2025-13-01", "name": "x", "note": "y"},
            {"date": "30-05-2025", "name": "x", "note": "y"},
            {"date": "2025-05-30", "name": ""},
            {"date": "2025-05-30", "name": "x", "note": "y", "extra": 1},
        ],
        "holidays": [],
    }

    with pytest.raises(DefinitionError) as caught:
        load_calendar(_write(tmp_path, document))

    expected = {
        ("/equatedDays/0/date", "schema.format"),
        ("/equatedDays/1/date", "schema.format"),
        ("/equatedDays/2/name", "schema.minLength"),
        ("/equatedDays/2/note", "schema.required"),
        ("/equatedDays/3/extra", "schema.unknownField"),
        ("/holidays", "schema.unknownField"),
    }
    assert expected == {(problem.pointer, problem.code) for problem in caught.value.problems}
    assert {"equated.json"} == {problem.source for problem in caught.value.problems}


def test_a_day_equated_twice_is_reported(tmp_path: Path) -> None:
    entry = {"date": "2025-05-30", "name": "vrijdag na Hemelvaartsdag", "note": "besluit"}

    with pytest.raises(DefinitionError) as caught:
        load_calendar(_write(tmp_path, {"equatedDays": [entry, entry]}))

    assert [(problem.pointer, problem.code) for problem in caught.value.problems] == [
        ("/equatedDays/1/date", "duplicate")
    ]


def test_a_calendar_file_that_is_not_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(DefinitionError) as caught:
        load_calendar(path)

    assert caught.value.problems[0].code == "malformedJson"
