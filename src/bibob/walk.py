"""Walking an answer document along its questionnaire: which answers apply, with their pointers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from bibob.messages import escape
from bibob.questionnaire import Question, Questionnaire, Section, holds


@attrs.frozen
class Located:
    """An answer together with the question it answers and its JSON pointer."""

    question: Question
    value: Any
    pointer: str
    scope: Mapping[str, Any]


def flat_answers(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The flat answers object of a document, or an empty mapping when it is not an object."""
    answers = document.get("answers")
    return answers if isinstance(answers, dict) else {}


def module_instances(document: Mapping[str, Any], section: Section) -> list[tuple[str, dict[str, Any]]]:
    """The instances of a module, each with its pointer (non-objects skipped)."""
    modules = document.get("modules")
    entries = modules.get(section.id) if isinstance(modules, dict) else None
    if not isinstance(entries, list):
        return []
    return [(f"/modules/{section.id}/{i}", e) for i, e in enumerate(entries) if isinstance(e, dict)]


def flat_located(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Iterator[Located]:
    """Every given flat answer to a question that applies (section and question routing hold)."""
    for question, condition in questionnaire.flat_routing:
        if question.id in answers and (condition is None or holds(condition, answers)):
            yield Located(question, answers[question.id], f"/answers/{escape(question.id)}", answers)


def module_located(questionnaire: Questionnaire, document: Mapping[str, Any]) -> Iterator[Located]:
    """Every given answer in the instances of modules that apply."""
    answers = flat_answers(document)
    for section in questionnaire.modules:
        if not questionnaire.applies(section, answers):
            continue
        routing = questionnaire.module_routing[section.id]
        for pointer, instance in module_instances(document, section):
            for question, condition in routing:
                if question.id in instance and (condition is None or holds(condition, instance)):
                    yield Located(question, instance[question.id], f"{pointer}/{escape(question.id)}", instance)


def applicable_answers(questionnaire: Questionnaire, document: Mapping[str, Any]) -> Iterator[Located]:
    """Every given answer to a question that applies, in flat sections and in module instances."""
    yield from flat_located(questionnaire, flat_answers(document))
    yield from module_located(questionnaire, document)


def entries(located: Located) -> Iterator[tuple[str, Any]]:
    """The single answer, or each entry of a repeatable answer, with its pointer."""
    if located.question.repeatable:
        if isinstance(located.value, list):
            yield from ((f"{located.pointer}/{i}", v) for i, v in enumerate(located.value))
    else:
        yield located.pointer, located.value


def parse_date(value: Any) -> dt.date | None:
    """A date from an ISO 'YYYY-MM-DD' string, or None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
