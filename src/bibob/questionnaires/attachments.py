"""Which documents an answer document must carry, and which of them are missing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from bibob.exceptions import Problem
from bibob.questionnaires.conditions import predicate
from bibob.questionnaires.model import AttachmentRule, Questionnaire
from bibob.questionnaires.walk import AnswerWalk, Located, entries, parse_date


@attrs.frozen
class AttachmentRequirement:
    """One document the applicant must supply: its kind, label, the answer it belongs to, the year."""

    kind: str
    label: str
    pointer: str
    year: int | None = None
    present: bool = False


_OWN_SCOPE = frozenset({"group", "person", "organisation", "party"})


def _positive(located: Located) -> bool:
    """Whether an answer calls for its attachments: yes, a non-empty list, or any value."""
    value = located.value
    if located.question.type == "boolean":
        return value is True
    if isinstance(value, list):
        return bool(value)
    return value is not None


def _founded_year(value: Any) -> int | None:
    """The founding year of the organisation an answer is about, if it says so."""
    if not isinstance(value, dict):
        return None
    founded = parse_date(value.get("foundedOn"))
    if founded is not None:
        return founded.year
    for inner in value.values():
        if isinstance(inner, dict) and (year := _founded_year(inner)) is not None:
            return year
    return None


def _targets(located: Located, rule: AttachmentRule) -> list[tuple[str, Mapping[str, Any], Any]]:
    """(pointer, condition scope, value) for each place this rule asks a document for."""
    own_scope = located.question.type in _OWN_SCOPE
    places = entries(located) if rule.per_entry and located.question.repeatable else [(located.pointer, located.value)]
    return [
        (pointer, value if own_scope and isinstance(value, dict) else located.scope, value) for pointer, value in places
    ]


def _required(questionnaire: Questionnaire, walked: AnswerWalk) -> Iterator[tuple[AttachmentRule, str, int | None]]:
    """(rule, pointer, book year) for every attachment the answers call for."""
    answered_on = parse_date(walked.document.get("answeredOn"))
    for located in walked.located:
        if not located.question.attachments or not _positive(located):
            continue
        for rule in located.question.attachments:
            test = None if rule.when is None else predicate(rule.when)
            for pointer, scope, value in _targets(located, rule):
                if test is None or test(scope):
                    for year in _years(rule, value, answered_on, questionnaire.book_years):
                        yield rule, pointer, year


def requirements(
    questionnaire: Questionnaire, walked: AnswerWalk, registered: Iterable[Mapping[str, Any]] = ()
) -> list[AttachmentRequirement]:
    """Every attachment the answers call for, marked present when the document lists it or when it is among the
    attachments `registered` apart from the answers (metadata with kind, pointer, year and a file name or reference)."""
    given = _given(walked.document.get("attachments")) | _given(list(registered))
    return [
        AttachmentRequirement(rule.kind, rule.label, pointer, year, (rule.kind, pointer, year) in given)
        for rule, pointer, year in _required(questionnaire, walked)
    ]


def _years(rule: AttachmentRule, value: Any, answered_on: Any, book_years: int) -> list[int | None]:
    if not rule.per_book_year:
        return [None]
    if answered_on is None:
        return []
    founded = _founded_year(value)
    years = range(answered_on.year - book_years, answered_on.year)
    return [year for year in years if founded is None or year >= founded]


def _given(items: object) -> set[tuple[str, str, int | None]]:
    given: set[tuple[str, str, int | None]] = set()
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not (item.get("fileName") or item.get("reference")):
            continue
        kind, pointer, year = item.get("kind"), item.get("pointer"), item.get("year")
        if isinstance(kind, str) and isinstance(pointer, str) and (year is None or type(year) is int):
            given.add((kind, pointer, year))
    return given


def attachment_problems(needed: Iterable[AttachmentRequirement]) -> list[Problem]:
    """A problem per required attachment (from `requirements`) that the document does not list."""
    return [
        Problem(
            requirement.pointer,
            "attachmentMissing",
            f"Bijlage ontbreekt: {requirement.label}"
            + (f" (boekjaar {requirement.year})." if requirement.year else "."),
        )
        for requirement in needed
        if not requirement.present
    ]
