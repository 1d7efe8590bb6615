"""The Algemene termijnenwet calendar: holidays, equated days and extending statutory terms."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from bibob.exceptions import DefinitionError, Problem
from bibob.labels import LabelledEnum
from bibob.schemas import data_dir, read_json, schema_problems

ONE_DAY = dt.timedelta(days=1)
#: The years a Bibob file can span; outside them the date arithmetic (terms, look-back periods) may overflow.
FIRST_YEAR, LAST_YEAR = 1950, 2200
EQUATED_DAYS_FILE = "atw-equated-days.json"

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


class TermUnit(LabelledEnum):
    """The unit a term is counted in; the label is the Dutch plural."""

    DAYS = "days", "dagen"
    WEEKS = "weeks", "weken"
    MONTHS = "months", "maanden"
    YEARS = "years", "jaar"


_SINGULAR = {TermUnit.DAYS: "dag", TermUnit.WEEKS: "week", TermUnit.MONTHS: "maand"}


@attrs.frozen
class Term:
    """A term such as '8 weken': a positive amount of days, weeks, months or years."""

    amount: int
    unit: TermUnit

    @classmethod
    def days(cls, amount: int) -> Term:
        """A term of `amount` days."""
        return cls(amount, TermUnit.DAYS)

    @classmethod
    def weeks(cls, amount: int) -> Term:
        """A term of `amount` weeks."""
        return cls(amount, TermUnit.WEEKS)

    @classmethod
    def months(cls, amount: int) -> Term:
        """A term of `amount` months."""
        return cls(amount, TermUnit.MONTHS)

    @classmethod
    def years(cls, amount: int) -> Term:
        """A term of `amount` years."""
        return cls(amount, TermUnit.YEARS)

    def __str__(self) -> str:
        unit = _SINGULAR.get(self.unit, self.unit.label) if self.amount == 1 else self.unit.label
        return f"{self.amount} {unit}"


def add_term(day: dt.date, term: Term) -> dt.date:
    """The plain end of `term` counted from `day` (the term starts the day after `day`).

    Days and weeks are counted in calendar days; a month or year ends on the same day number,
    clamped to the last day of a shorter month (31 January + 1 month = 28/29 February). No
    Atw extension: use this for terms counted backwards and for non-statutory periods.
    """
    if term.unit is TermUnit.DAYS:
        return day + dt.timedelta(days=term.amount)
    if term.unit is TermUnit.WEEKS:
        return day + dt.timedelta(weeks=term.amount)
    months = term.amount * (12 if term.unit is TermUnit.YEARS else 1)
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return dt.date(year, month, min(day.day, _month_length(year, month)))


#: Atw art. 4 sub a: the longest terms, per unit, that the Atw still extends.
ATW_LONGEST = {TermUnit.DAYS: 90, TermUnit.WEEKS: 12, TermUnit.MONTHS: 3, TermUnit.YEARS: 0}


def atw_applies(term: Term) -> bool:
    """Whether the Atw governs `term`: not over 90 days, 12 weeks or 3 months, nor in years (art. 4 sub a)."""
    return term.amount <= ATW_LONGEST[term.unit]


def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - ONE_DAY).day


def dutch_date(day: dt.date, *, weekday: bool = False) -> str:
    """The date as a Dutch letter writes it: '3 maart 2025', or 'maandag 3 maart 2025'."""
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday of `year` (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - correction + 15) % 30
    quads, rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * quads - epact - rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


def _kings_day(year: int) -> tuple[dt.date, str]:
    """The day the monarch's birthday is celebrated (Atw art. 3 lid 1), moved off a Sunday.

    From 2014 Koningsdag, 27 April, on the 26th when the 27th is a Sunday (KB 30 januari 2013,
    Stcrt. 2013, 4075). From 1980 to 2013 Koninginnedag, 30 April, on the 29th when the 30th is a
    Sunday (KB 24 april 1980). Before 1980 Koninginnedag was Queen Juliana's birthday, 30 April,
    celebrated on 1 May when the 30th was a Sunday.
    """
    if year >= 2014:
        return _off_sunday(dt.date(year, 4, 27), -1), "Koningsdag"
    return _off_sunday(dt.date(year, 4, 30), -1 if year >= 1980 else 1), "Koninginnedag"


def _off_sunday(day: dt.date, step: int) -> dt.date:
    return day + step * ONE_DAY if day.weekday() == 6 else day


@functools.cache
def statutory_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    """The algemeen erkende feestdagen of Atw art. 3 lid 1 and Goede Vrijdag (art. 3 lid 2) in `year`.

    Art. 3 lid 1 names the fifth of May without condition, so Bevrijdingsdag counts every year; the
    once-in-five-years day off is a matter of collective agreements, not of the Atw.
    """
    easter = easter_sunday(year)
    days = (
        (dt.date(year, 1, 1), "Nieuwjaarsdag"),
        (easter - 2 * ONE_DAY, "Goede Vrijdag"),
        (easter + ONE_DAY, "Tweede Paasdag"),
        _kings_day(year),
        (dt.date(year, 5, 5), "Bevrijdingsdag"),
        (easter + 39 * ONE_DAY, "Hemelvaartsdag"),
        (easter + 50 * ONE_DAY, "Tweede Pinksterdag"),
        (dt.date(year, 12, 25), "Eerste Kerstdag"),
        (dt.date(year, 12, 26), "Tweede Kerstdag"),
    )
    return tuple(sorted(days))


@attrs.frozen
class EquatedDay:
    """A day equated with a public holiday by royal decree (Atw art. 3(3))."""

    day: dt.date
    name: str
    note: str


def _equated_index(calendar: AtwCalendar) -> Mapping[dt.date, str]:
    return {equated.day: f"gelijkgestelde dag ({equated.name})" for equated in calendar.equated_days}


@attrs.frozen
class AtwCalendar:
    """The Algemene termijnenwet calendar: statutory holidays plus the equated days it was given.

    Every year from `FIRST_YEAR` gets the holidays of art. 3 as the Atw reads now, but for the
    monarch's day, which follows its history. (The Atw took effect on 1 April 1965 and added the
    fifth of May by an amendment proposed in 1981; no Bibob term falls before either.)
    """

    equated_days: tuple[EquatedDay, ...] = ()
    _equated: Mapping[dt.date, str] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_equated_index, takes_self=True)
    )

    def holidays(self, year: int) -> tuple[tuple[dt.date, str], ...]:
        """Every Atw holiday and equated day of `year` as (date, Dutch name), in date order."""
        equated = ((day, name) for day, name in self._equated.items() if day.year == year)
        return tuple(sorted((*statutory_holidays(year), *equated)))

    def holiday_name(self, day: dt.date) -> str | None:
        """The Dutch name of the holiday on `day` ('…' en '…' when two coincide), or None."""
        names = [name for date, name in self.holidays(day.year) if date == day]
        return " en ".join(names) if names else None

    def is_business_day(self, day: dt.date) -> bool:
        """Whether `day` is neither a Saturday, a Sunday, an Atw holiday nor an equated day."""
        if day.weekday() >= 5 or day in self._equated:
            return False
        return all(date != day for date, _ in statutory_holidays(day.year))

    def extend(self, start: dt.date, end: dt.date) -> dt.date:
        """Apply the Atw to a forward term that runs from the day after `start` up to `end`.

        Art. 1 lid 1: a term ending on a Saturday, Sunday or holiday runs on to the next day that
        is none of these. Art. 2: a term of at least three days holds at least two such days.
        Art. 1 lid 2 excludes terms counted backwards and art. 4 terms in hours, of more than 90
        days, 12 weeks or 3 months, or in years (see `atw_applies`): never call this for those.
        """
        needs_two = (end - start).days >= 3
        while not self.is_business_day(end) or (needs_two and self._business_days(start, end) < 2):
            end += ONE_DAY
        return end

    def end_of_term(self, start: dt.date, term: Term) -> dt.date:
        """The last day of a statutory `term` that starts the day after `start`, Atw applied where it applies."""
        end = add_term(start, term)
        return self.extend(start, end) if atw_applies(term) else end

    def working_days_after(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th business day after `start` (weekends, Atw holidays and equated days skipped)."""
        day, left = start, count
        while left > 0:
            day += ONE_DAY
            if self.is_business_day(day):
                left -= 1
        return day

    def _business_days(self, start: dt.date, end: dt.date) -> int:
        days = (start + offset * ONE_DAY for offset in range(1, (end - start).days + 1))
        return sum(1 for day in days if self.is_business_day(day))


@functools.cache
def default_calendar() -> AtwCalendar:
    """The calendar of `calendars/atw-equated-days.json`, read once: what the service loads, for the lifecycle."""
    return load_calendar()


def load_calendar(path: Path | None = None) -> AtwCalendar:
    """Read the equated days (default `calendars/atw-equated-days.json`) into an `AtwCalendar`.

    Raises `DefinitionError` listing every problem when the file is not valid JSON, does not
    match `schemas/calendar.schema.json`, or names a day twice.
    """
    source = path if path is not None else data_dir("calendars") / EQUATED_DAYS_FILE
    document = read_json(source)
    problems = schema_problems("calendar.schema.json", document, source.name)
    if not problems:
        assert isinstance(document, dict)
        problems = _duplicate_problems(document["equatedDays"], source.name)
    if problems:
        raise DefinitionError(source.name, problems)
    assert isinstance(document, dict)
    return AtwCalendar(tuple(_equated_day(entry) for entry in document["equatedDays"]))


def _equated_day(entry: Mapping[str, str]) -> EquatedDay:
    return EquatedDay(dt.date.fromisoformat(entry["date"]), entry["name"], entry["note"])


def _duplicate_problems(entries: Iterable[Mapping[str, str]], source: str) -> tuple[Problem, ...]:
    seen: set[str] = set()
    problems = []
    for index, entry in enumerate(entries):
        if entry["date"] in seen:
            message = f"dag {entry['date']} staat meer dan eens in de lijst"
            problems.append(Problem(f"/equatedDays/{index}/date", "duplicate", message, source))
        seen.add(entry["date"])
    return tuple(problems)
