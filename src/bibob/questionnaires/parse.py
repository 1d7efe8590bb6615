"""Questionnaire definitions from JSON: schema first (every problem with its pointer), then the rules beyond it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from bibob.exceptions import DefinitionError, Problem
from bibob.questionnaires.conditions import (
    All,
    AnyOf,
    Condition,
    Contains,
    Equals,
    NotEquals,
    OneOf,
    condition_questions,
)
from bibob.questionnaires.model import (
    PARTY_TYPES,
    AttachmentRule,
    LookBack,
    OfficialForm,
    Option,
    Question,
    Questionnaire,
    Repeat,
    Section,
)
from bibob.schemas import read_json, schema_problems


def _condition(raw: Mapping[str, Any] | None) -> Condition | None:
    if raw is None:
        return None
    if "all" in raw:
        return All(tuple(c for c in map(_condition, raw["all"]) if c is not None))
    if "any" in raw:
        return AnyOf(tuple(c for c in map(_condition, raw["any"]) if c is not None))
    if "equals" in raw:
        return Equals(raw["question"], raw["equals"])
    if "notEquals" in raw:
        return NotEquals(raw["question"], raw["notEquals"])
    if "in" in raw:
        return OneOf(raw["question"], tuple(raw["in"]))
    return Contains(raw["question"], raw["contains"])


def _attachment(raw: Mapping[str, Any]) -> AttachmentRule:
    return AttachmentRule(
        kind=raw["kind"],
        label=raw["label"],
        when=_condition(raw.get("when")),
        per_entry=raw.get("perEntry", False),
        per_book_year=raw.get("perBookYear", False),
    )


def _look_back(raw: Mapping[str, Any] | None) -> LookBack | None:
    if raw is None:
        return None
    return LookBack(raw.get("years"), raw.get("bookYears"), tuple(raw.get("referenceDates", ())))


def _question(raw: Mapping[str, Any]) -> Question:
    return Question(
        id=raw["id"],
        text=raw["text"],
        type=raw["type"],
        help=raw.get("help", ""),
        required=raw.get("required", True),
        repeatable=raw.get("repeatable", False),
        min_items=raw.get("minItems"),
        when=_condition(raw.get("when")),
        options=tuple(Option(o["value"], o["label"]) for o in raw.get("options", ())),
        fields=tuple(_question(f) for f in raw.get("fields", ())),
        role=raw.get("role"),
        concept=raw.get("concept"),
        look_back=_look_back(raw.get("lookBack")),
        attachments=tuple(_attachment(a) for a in raw.get("attachments", ())),
    )


def _section(raw: Mapping[str, Any]) -> Section:
    repeat = raw.get("repeat")
    return Section(
        id=raw["id"],
        title=raw["title"],
        intro=raw.get("intro", ""),
        when=_condition(raw.get("when")),
        repeat=None
        if repeat is None
        else Repeat(repeat["per"], repeat["subjectQuestion"], tuple(repeat.get("excludeCoveredBy", ()))),
        questions=tuple(_question(q) for q in raw["questions"]),
    )


def _day(raw: str | None) -> dt.date | None:
    return None if raw is None else dt.date.fromisoformat(raw)


def questionnaire_from_json(raw: Mapping[str, Any]) -> Questionnaire:
    """Build a Questionnaire from a document that passed the schema (no checks repeated here)."""
    form = raw["officialForm"]
    look = raw["lookBack"]
    return Questionnaire(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        description=raw.get("description", ""),
        official_form=OfficialForm(
            form["regulation"],
            form["annex"],
            form["formVersion"],
            tuple(form["officialIds"]),
            legal_basis=form.get("legalBasis", ""),
            valid_from=_day(form.get("validFrom")),
            valid_until=_day(form.get("validUntil")),
        ),
        legal_acts=tuple(raw["appliesTo"]["legalActs"]),
        permit_types=tuple(raw["appliesTo"].get("permitTypes", ())),
        roles_years=look["rolesYears"],
        antecedents_years=look["antecedentsYears"],
        book_years=look["bookYears"],
        sections=tuple(_section(s) for s in raw["sections"]),
    )


# --- checks beyond the schema -----------------------------------------------------------------------


def _scope_problems(located: list[tuple[str, Question]], outer: frozenset[str] = frozenset()) -> list[Problem]:
    """Unique ids within a scope; every condition names a question of this scope or an outer one."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for here, question in located:
        if question.id in seen:
            problems.append(Problem(here + "/id", "duplicateId", f"vraag-id '{question.id}' komt twee keer voor"))
        seen.add(question.id)
    names = frozenset(seen) | outer
    for here, question in located:
        problems += _condition_problems(question.when, names, here + "/when")
        problems += _attachment_problems(question, names, here)
        if question.fields:
            problems += _scope_problems(_located(question.fields, here + "/fields"))
    return problems


def _located(questions: tuple[Question, ...], pointer: str) -> list[tuple[str, Question]]:
    return [(f"{pointer}/{index}", question) for index, question in enumerate(questions)]


def _attachment_problems(question: Question, names: frozenset[str], here: str) -> list[Problem]:
    """Attachment conditions of a group or party read the answer's own fields, others the scope."""
    own = frozenset(f.id for f in question.fields)
    if question.type in PARTY_TYPES:
        own |= {"kind", "country", "legalForm"}
    return [
        problem
        for index, rule in enumerate(question.attachments)
        for problem in _condition_problems(rule.when, own if own else names, f"{here}/attachments/{index}/when")
    ]


def _condition_problems(condition: Condition | None, names: frozenset[str], pointer: str) -> list[Problem]:
    if condition is None:
        return []
    return [
        Problem(pointer, "unknownQuestion", f"voorwaarde verwijst naar onbekende vraag '{name}'")
        for name in condition_questions(condition)
        if name not in names
    ]


def definition_problems(questionnaire: Questionnaire) -> list[Problem]:
    """Problems the JSON Schema cannot see: ids, condition references, official ids, modules."""
    flat_ids = frozenset(q.id for s in questionnaire.flat_sections for q in s.questions)
    problems: list[Problem] = []
    flat_questions: list[tuple[str, Question]] = []
    for s_index, section in enumerate(questionnaire.sections):
        here = f"/sections/{s_index}"
        problems += _condition_problems(section.when, flat_ids, here + "/when")
        if section.repeat is None:
            flat_questions += _located(section.questions, here + "/questions")
            continue
        problems += _module_problems(questionnaire, section, here)
        problems += _scope_problems(_located(section.questions, here + "/questions"))
    problems += _scope_problems(flat_questions)
    problems += _validity_problems(questionnaire)
    allowed = frozenset(questionnaire.official_form.official_ids)
    for s_index, section in enumerate(questionnaire.sections):
        for q_index, question in enumerate(section.questions):
            if question.official_id not in allowed:
                problems.append(
                    Problem(
                        f"/sections/{s_index}/questions/{q_index}/id",
                        "notOfficial",
                        f"vraag '{question.id}' hoort niet bij het officiële formulier "
                        f"{questionnaire.official_form.form_version}",
                    )
                )
    return problems


def _validity_problems(questionnaire: Questionnaire) -> list[Problem]:
    """A validity period ends on or after it starts."""
    form = questionnaire.official_form
    if form.valid_from is not None and form.valid_until is not None and form.valid_until < form.valid_from:
        return [
            Problem(
                "/officialForm/validUntil",
                "invalidPeriod",
                f"geldig tot ({form.valid_until.isoformat()}) ligt vóór geldig vanaf ({form.valid_from.isoformat()})",
            )
        ]
    return []


def _module_problems(questionnaire: Questionnaire, section: Section, here: str) -> list[Problem]:
    assert section.repeat is not None
    problems = []
    if section.repeat.subject_question not in {q.id for q in section.questions}:
        problems.append(
            Problem(here + "/repeat/subjectQuestion", "unknownQuestion", "identificatievraag van de module ontbreekt")
        )
    module_ids = {s.id for s in questionnaire.modules}
    for covered in section.repeat.exclude_covered_by:
        if covered not in module_ids:
            problems.append(
                Problem(here + "/repeat/excludeCoveredBy", "unknownSection", f"module '{covered}' bestaat niet")
            )
    return problems


# --- loading ----------------------------------------------------------------------------------------


def parse_questionnaire(document: object, source: str) -> Questionnaire:
    """Validate a definition document and build it; raises DefinitionError listing every problem."""
    problems = list(schema_problems("questionnaire.schema.json", document, source))
    if problems:
        raise DefinitionError(source, problems)
    assert isinstance(document, dict)
    questionnaire = questionnaire_from_json(document)
    problems = [attrs.evolve(p, source=source) for p in definition_problems(questionnaire)]
    if problems:
        raise DefinitionError(source, problems)
    return questionnaire


def load_questionnaire(path: Path) -> Questionnaire:
    """Load and validate one questionnaire definition file."""
    return parse_questionnaire(read_json(path), path.name)
