"""Reading request bodies: checked against the shipped schemas, every problem at once (no framework here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bibob.exceptions import InvalidInputError, Problem
from bibob.schemas import schema_problems
from bibob.terms import FIRST_YEAR, LAST_YEAR

T = TypeVar("T")
LOCAL = ZoneInfo("Europe/Amsterdam")
CLOCK_SKEW = dt.timedelta(minutes=5)  # how far ahead of the server's clock a client's "now" may be


def json_object(body: object, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    """`body` as an object with only `allowed` fields and every `required` one; else every problem."""
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "schema.type", "verwacht: object")])
    known = set(allowed)
    problems = [
        Problem(f"/{escaped(name)}", "schema.unknownField", "onbekend veld") for name in body if name not in known
    ]
    problems += [
        Problem(f"/{name}", "schema.required", "verplicht veld ontbreekt") for name in required if name not in body
    ]
    if problems:
        raise InvalidInputError(problems)
    return body


def escaped(key: str) -> str:
    """`key` as one step of a JSON pointer (RFC 6901: `~` and `/` escaped)."""
    return key.replace("~", "~0").replace("/", "~1")


def validated(schema: str, document: Mapping[str, Any], moved: Mapping[str, str]) -> None:
    """Validate `document` against `schema`; problem pointers under a prefix of `moved` are re-rooted (body paths)."""
    problems = schema_problems(schema, document)
    if problems:
        raise InvalidInputError(tuple(_moved(problem, moved) for problem in problems))


def _moved(problem: Problem, moved: Mapping[str, str]) -> Problem:
    for prefix, replacement in moved.items():
        if problem.pointer == prefix or problem.pointer.startswith(prefix + "/"):
            return Problem(replacement + problem.pointer[len(prefix) :], problem.code, problem.message)
    return Problem(problem.pointer, problem.code, problem.message)


def converted(convert: Callable[[], T], pointer: str = "") -> T:
    """The domain value `convert` makes from schema-valid JSON; an impossible date or time becomes a problem.

    (The schemas check a date-time's shape by pattern; a value like month 13 fails only on conversion.)
    """
    try:
        return convert()
    except (ValueError, OverflowError):
        raise InvalidInputError([Problem(pointer, "schema.format", "ongeldige datum of tijd")]) from None


def happened(moment: dt.datetime, now: dt.datetime, pointer: str) -> dt.datetime:
    """`moment`, when something can have happened then: from 1950 up to now; else a problem at `pointer`.

    A step dated in the future would make every later step look earlier than it, and block the dossier.
    """
    if moment.year < FIRST_YEAR:
        raise InvalidInputError([Problem(pointer, "dateOutOfRange", f"een tijdstip ligt niet vóór {FIRST_YEAR}")])
    if moment > now + CLOCK_SKEW:  # comparing aware times never overflows, converting them might
        raise InvalidInputError([Problem(pointer, "dateInFuture", "dit tijdstip mag niet in de toekomst liggen")])
    return moment


def text(body: Mapping[str, Any], name: str, *, required: bool = False, limit: int = 4000) -> str:
    """A string field (empty when absent), or a problem naming it."""
    value = body.get(name, "")
    if not isinstance(value, str):
        raise InvalidInputError([Problem(f"/{name}", "schema.type", "verwacht: tekst")])
    if required and not value.strip():
        raise InvalidInputError([Problem(f"/{name}", "schema.minLength", "mag niet leeg zijn")])
    if len(value) > limit:
        raise InvalidInputError([Problem(f"/{name}", "schema.maxLength", f"mag hoogstens {limit} tekens zijn")])
    return value


def text_list(body: Mapping[str, Any], name: str, limit: int = 500) -> tuple[str, ...]:
    """A list of non-empty strings (empty when absent), or a problem naming it."""
    value = body.get(name, [])
    if not isinstance(value, list) or len(value) > limit:
        raise InvalidInputError([Problem(f"/{name}", "schema.type", f"verwacht: lijst van hoogstens {limit} teksten")])
    problems = [
        Problem(f"/{name}/{index}", "schema.type", "verwacht: niet-lege tekst (hoogstens 128 tekens)")
        for index, item in enumerate(value)
        if not isinstance(item, str) or not item.strip() or len(item) > 128
    ]
    if problems:
        raise InvalidInputError(problems)
    return tuple(dict.fromkeys(value))


def within_years(day: dt.date, name: str) -> None:
    """A problem at `name` unless `day` (a date or date-time) lies in 1950–2200, the years a Bibob file spans."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInputError([Problem(name, "dateOutOfRange", f"het jaar ligt tussen {FIRST_YEAR} en {LAST_YEAR}")])


def moment(raw: str | None, name: str, *, end: bool = False) -> dt.datetime | None:
    """A query bound: an ISO date (a whole day in Dutch time; `end` means the day after) or a date-time with zone."""
    if raw is None:
        return None
    whole_day = len(raw) == 10
    value: dt.datetime | None
    try:
        if whole_day:
            value = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(), LOCAL)
        else:
            value = dt.datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        message = "verwacht: datum JJJJ-MM-DD of tijdstip met tijdzone"
        raise InvalidInputError([Problem(name, "schema.format", message)])
    within_years(value, name)
    return value + dt.timedelta(days=1) if whole_day and end else value  # wall-clock days: midnight again
