"""Walking an answer document along its questionnaire: which answers apply, with their pointers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import attrs

from bibob.questionnaires.messages import escape
from bibob.questionnaires.model import Question, Questionnaire, Section, field_index, rule_relevant


class Located(NamedTuple):
    """An answer together with the question it answers and its JSON pointer (a tuple: made often)."""

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


def flat_located(
    questionnaire: Questionnaire, answers: Mapping[str, Any], *, relevant_only: bool = False
) -> Iterator[Located]:
    """Every given flat answer to a question that applies (section and question routing hold)."""
    index = questionnaire.relevant_flat_index if relevant_only else questionnaire.flat_index
    for key, value in answers.items():
        found = index.get(key)
        if found is not None and (found[1] is None or found[1](answers)):
            yield Located(found[0], value, f"/answers/{escape(key)}", answers)


def module_located(
    questionnaire: Questionnaire, document: Mapping[str, Any], *, relevant_only: bool = False
) -> Iterator[Located]:
    """Every given answer in the instances of modules that apply."""
    answers = flat_answers(document)
    indexes = questionnaire.relevant_module_index if relevant_only else questionnaire.module_index
    for section in questionnaire.modules:
        if not questionnaire.applies(section, answers):
            continue
        index = indexes[section.id]
        for pointer, instance in module_instances(document, section):
            for key, value in instance.items():
                found = index.get(key)
                if found is not None and (found[1] is None or found[1](instance)):
                    yield Located(found[0], value, f"{pointer}/{escape(key)}", instance)


@attrs.frozen
class AnswerWalk:
    """One pass over an answer document: the flat answers and every applicable answer, located."""

    document: Mapping[str, Any]
    answers: Mapping[str, Any]
    flat: tuple[Located, ...]
    modules: tuple[Located, ...]

    @property
    def located(self) -> tuple[Located, ...]:
        """Every given answer to a question that applies, flat sections first."""
        return self.flat + self.modules


def walk(questionnaire: Questionnaire, document: Mapping[str, Any], *, relevant_only: bool = False) -> AnswerWalk:
    """Walk `document` once along `questionnaire`; `relevant_only` keeps what the rules beyond the schema use."""
    answers = flat_answers(document)
    return AnswerWalk(
        document,
        answers,
        tuple(flat_located(questionnaire, answers, relevant_only=relevant_only)),
        tuple(module_located(questionnaire, document, relevant_only=relevant_only)),
    )


def relevant_part(walked: AnswerWalk) -> AnswerWalk:
    """The part of a full walk that a walk with `relevant_only` gives: the same answers, in the same order."""
    return AnswerWalk(
        walked.document,
        walked.answers,
        tuple(located for located in walked.flat if rule_relevant(located.question)),
        tuple(located for located in walked.modules if rule_relevant(located.question)),
    )


def entries(located: Located) -> list[tuple[str, Any]]:
    """The single answer, or each entry of a repeatable answer, with its pointer (a list: this is a hot path)."""
    value = located.value
    if not located.question.repeatable:
        return [(located.pointer, value)]
    pointer = located.pointer
    return [(f"{pointer}/{i}", v) for i, v in enumerate(value)] if isinstance(value, list) else []


def parse_date(value: Any) -> dt.date | None:
    """A date from an ISO 'YYYY-MM-DD' string, or None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def question_applies(
    questionnaire: Questionnaire, section: Section, question: Question, scope: Mapping[str, Any]
) -> bool:
    """Whether `question` of `section` applies given `scope`: the flat answers for a section answered once (its
    section's routing included), the module instance for a module section."""
    index = questionnaire.flat_index if section.repeat is None else questionnaire.module_index[section.id]
    found = index.get(question.id)
    return found is None or found[1] is None or found[1](scope)


def field_applies(group: Question, field: Question, entry: Mapping[str, Any]) -> bool:
    """Whether `field` of the group question `group` applies given the answers of one `entry` of the group."""
    found = field_index(group).get(field.id)
    return found is None or found[1] is None or found[1](entry)
