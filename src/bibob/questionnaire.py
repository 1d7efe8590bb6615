"""Questionnaire definitions: the official Bibob forms as frozen values, routing conditions, loading."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from bibob.exceptions import DefinitionError, NotFoundError, Problem
from bibob.schemas import read_json, schema_problems

_OFFICIAL_ID = re.compile(r"^(6\.[1-8]|[1-7][A-Z]?)")

QUESTION_TYPES = (
    "text",
    "date",
    "boolean",
    "integer",
    "money",
    "percentage",
    "choice",
    "multiChoice",
    "person",
    "organisation",
    "party",
    "address",
    "period",
    "group",
)
PARTY_TYPES = frozenset({"person", "organisation", "party"})


# --- routing conditions -------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Equals:
    """The answer to `question` equals `value` (JSON equality: true is not 1)."""

    question: str
    value: str | bool | int


@attrs.frozen(cache_hash=True)
class NotEquals:
    """The answer to `question` is given and differs from `value`."""

    question: str
    value: str | bool | int


@attrs.frozen(cache_hash=True)
class OneOf:
    """The answer to `question` is one of `values`."""

    question: str
    values: tuple[str | int, ...]


@attrs.frozen(cache_hash=True)
class Contains:
    """The multi-choice answer to `question` contains `value`."""

    question: str
    value: str


@attrs.frozen(cache_hash=True)
class All:
    """Every part holds."""

    parts: tuple[Condition, ...]


@attrs.frozen(cache_hash=True)
class AnyOf:
    """At least one part holds."""

    parts: tuple[Condition, ...]


Condition = Equals | NotEquals | OneOf | Contains | All | AnyOf


def same_json(left: object, right: object) -> bool:
    """JSON equality: booleans never equal numbers; 1 equals 1.0."""
    if type(left) is type(right):
        return left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return (type(left) in (int, float) and type(right) in (int, float) and left == right) or (
        type(left) is type(right) and left == right
    )


def holds(condition: Condition, scope: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for the answers in `scope` (an unanswered question never matches)."""
    match condition:
        case All(parts):
            return all(holds(part, scope) for part in parts)
        case AnyOf(parts):
            return any(holds(part, scope) for part in parts)
        case Equals(question, value):
            return question in scope and same_json(scope[question], value)
        case NotEquals(question, value):
            return question in scope and not same_json(scope[question], value)
        case OneOf(question, values):
            return question in scope and any(same_json(scope[question], v) for v in values)
        case Contains(question, value):
            answer = scope.get(question)
            return isinstance(answer, list) and value in answer
    raise AssertionError(condition)  # pragma: no cover


Predicate = Callable[[Mapping[str, Any]], bool]
_MISSING = object()


@functools.lru_cache(maxsize=8192)
def predicate(condition: Condition) -> Predicate:
    """`condition` compiled into a function of the scope, equivalent to `holds` but faster."""
    match condition:
        case All(parts):
            return _all(tuple(predicate(p) for p in parts))
        case AnyOf(parts):
            return _any(tuple(predicate(p) for p in parts))
        case Equals(question, value):
            return lambda scope: same_json(scope.get(question, _MISSING), value)
        case NotEquals(question, value):
            return lambda scope: (v := scope.get(question, _MISSING)) is not _MISSING and not same_json(v, value)
        case OneOf(question, values):
            return lambda scope: (
                (v := scope.get(question, _MISSING)) is not _MISSING and any(same_json(v, option) for option in values)
            )
        case Contains(question, value):
            return lambda scope: isinstance(v := scope.get(question), list) and value in v
    raise AssertionError(condition)  # pragma: no cover


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda scope: all(part(scope) for part in parts)


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda scope: any(part(scope) for part in parts)


def condition_questions(condition: Condition) -> Iterator[str]:
    """Every question id a condition reads."""
    if isinstance(condition, All | AnyOf):
        for part in condition.parts:
            yield from condition_questions(part)
    else:
        yield condition.question


def both(first: Condition | None, second: Condition | None) -> Condition | None:
    """The conjunction of two optional conditions."""
    if first is None or second is None:
        return first or second
    return All((first, second))


def routed(
    pairs: Sequence[tuple[Question, Condition | None]],
) -> tuple[tuple[Question, Condition | None], ...]:
    """Each question with its effective condition: its own, plus that of every question it reads.

    A question routed on 1C applies only when 1C itself applies, so the chain 1B → 1C → 1F holds.
    """
    own = {question.id: condition for question, condition in pairs}
    memo: dict[str, Condition | None] = {}

    def effective(question_id: str, seen: frozenset[str]) -> Condition | None:
        if question_id in memo:
            return memo[question_id]
        condition = own.get(question_id)
        result = condition
        for name in dict.fromkeys(condition_questions(condition) if condition else ()):
            if name in own and name not in seen and name != question_id:
                result = both(result, effective(name, seen | {question_id}))
        memo[question_id] = result
        return result

    return tuple((question, effective(question.id, frozenset())) for question, _ in pairs)


@functools.lru_cache(maxsize=4096)
def routed_fields(question: Question) -> tuple[tuple[Question, Condition | None], ...]:
    """The fields of a group question with their effective conditions."""
    return routed([(field, field.when) for field in question.fields])


_NOTHING_TO_CHECK = frozenset({"text", "boolean", "integer", "money", "percentage", "choice", "multiChoice"})


@functools.lru_cache(maxsize=4096)
def checkable(question: Question) -> bool:
    """Whether answers to `question` can break a rule beyond the schema (dates, identifiers, cash, chains)."""
    if question.type == "group":
        return question.concept == "assets" or any(checkable(field) for field in question.fields)
    return question.type not in _NOTHING_TO_CHECK


@functools.lru_cache(maxsize=4096)
def rule_relevant(question: Question) -> bool:
    """Whether the rules beyond the schema look at answers to `question` (values, rosters, attachments, subject)."""
    return (
        checkable(question) or bool(question.role or question.attachments) or question.concept == "subjectOrganisation"
    )


@functools.lru_cache(maxsize=4096)
def field_index(question: Question) -> dict[str, tuple[Question, Predicate | None]]:
    """The fields of a group question by id, with their routing compiled."""
    return {f.id: (f, None if c is None else predicate(c)) for f, c in routed_fields(question)}


# --- definitions ----------------------------------------------------------------------------------


@attrs.frozen
class Option:
    """A choice a choice-question offers: wire value and Dutch label."""

    value: str
    label: str


@attrs.frozen(cache_hash=True)
class AttachmentRule:
    """A document required when its question applies and is answered positively."""

    kind: str
    label: str
    when: Condition | None = None
    per_entry: bool = False
    per_book_year: bool = False


@attrs.frozen
class LookBack:
    """How far back a question looks: years, book years, and/or reference dates."""

    years: int | None = None
    book_years: int | None = None
    reference_dates: tuple[str, ...] = ()


@attrs.frozen(cache_hash=True)
class Question:
    """One question (or a follow-up part of an official question, or a field of a group)."""

    id: str
    text: str
    type: str
    help: str = ""
    required: bool = True
    repeatable: bool = False
    min_items: int | None = None
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    fields: tuple[Question, ...] = ()
    role: str | None = None
    concept: str | None = None
    look_back: LookBack | None = None
    attachments: tuple[AttachmentRule, ...] = ()

    @property
    def official_id(self) -> str:
        """The official question id this question belongs to ('2H' for '2H.leningen')."""
        found = _OFFICIAL_ID.match(self.id)
        return found.group(1) if found else self.id


@attrs.frozen
class Repeat:
    """A module answered once per person of a role (partner, UBO, ultimate manager)."""

    per: str
    subject_question: str
    exclude_covered_by: tuple[str, ...] = ()


@attrs.frozen
class Section:
    """A section of the form; repeated sections are modules answered once per person."""

    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    when: Condition | None = None
    repeat: Repeat | None = None


@attrs.frozen
class OfficialForm:
    """The official form a variant is based on, and all of its question ids."""

    regulation: str
    annex: str
    form_version: str
    official_ids: tuple[str, ...]


@attrs.frozen(cache_hash=True)
class Questionnaire:
    """A questionnaire variant: sections with questions, based on one official Bibob form."""

    id: str
    version: str
    title: str
    official_form: OfficialForm
    legal_acts: tuple[str, ...]
    permit_types: tuple[str, ...]
    roles_years: int
    antecedents_years: int
    book_years: int
    sections: tuple[Section, ...]
    description: str = ""
    base: str | None = None  # for a shortened selection: "<base id>@<base version>"

    @property
    def flat_sections(self) -> tuple[Section, ...]:
        """Sections answered once, whose answers sit together under `/answers`."""
        return tuple(s for s in self.sections if s.repeat is None)

    @property
    def modules(self) -> tuple[Section, ...]:
        """Sections answered once per person, under `/modules/<section id>`."""
        return tuple(s for s in self.sections if s.repeat is not None)

    @functools.cached_property
    def flat_routing(self) -> tuple[tuple[Question, Condition | None], ...]:
        """Flat questions with their effective conditions (section, own and upstream routing)."""
        return routed([(q, both(s.when, q.when)) for s in self.flat_sections for q in s.questions])

    @functools.cached_property
    def module_routing(self) -> dict[str, tuple[tuple[Question, Condition | None], ...]]:
        """Per module section, its questions with their effective conditions."""
        return {s.id: routed([(q, q.when) for q in s.questions]) for s in self.modules}

    @functools.cached_property
    def flat_index(self) -> dict[str, tuple[Question, Predicate | None]]:
        """Flat questions by id, with their effective routing compiled."""
        return {q.id: (q, None if c is None else predicate(c)) for q, c in self.flat_routing}

    @functools.cached_property
    def module_index(self) -> dict[str, dict[str, tuple[Question, Predicate | None]]]:
        """Per module section, its questions by id with their routing compiled."""
        return {
            section_id: {q.id: (q, None if c is None else predicate(c)) for q, c in pairs}
            for section_id, pairs in self.module_routing.items()
        }

    @functools.cached_property
    def relevant_flat_index(self) -> dict[str, tuple[Question, Predicate | None]]:
        """The flat index, limited to the questions the rules beyond the schema look at."""
        return {key: found for key, found in self.flat_index.items() if rule_relevant(found[0])}

    @functools.cached_property
    def relevant_module_index(self) -> dict[str, dict[str, tuple[Question, Predicate | None]]]:
        """The module index, limited to the questions the rules beyond the schema look at."""
        return {
            section: {key: found for key, found in index.items() if rule_relevant(found[0])}
            for section, index in self.module_index.items()
        }

    @functools.cached_property
    def section_conditions(self) -> dict[str, Condition | None]:
        """Per section, when it applies: its own condition plus the routing of the questions it reads."""
        flat = {q.id: c for q, c in self.flat_routing}
        result: dict[str, Condition | None] = {}
        for section in self.sections:
            condition = section.when
            for name in dict.fromkeys(condition_questions(section.when) if section.when else ()):
                condition = both(condition, flat.get(name))
            result[section.id] = condition
        return result

    @functools.cached_property
    def _section_predicates(self) -> dict[str, Predicate | None]:
        return {key: None if c is None else predicate(c) for key, c in self.section_conditions.items()}

    def applies(self, section: Section, answers: Mapping[str, Any]) -> bool:
        """Whether `section` applies given the flat answers."""
        test = self._section_predicates[section.id]
        return test is None or test(answers)

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Every top-level question id, in form order."""
        return tuple(q.id for s in self.sections for q in s.questions)

    @property
    def used_official_ids(self) -> frozenset[str]:
        """The official question ids this variant asks."""
        return frozenset(q.official_id for s in self.sections for q in s.questions)

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotFoundError("sectie", section_id)


# --- raw → domain ---------------------------------------------------------------------------------


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


def questionnaire_from_json(raw: Mapping[str, Any]) -> Questionnaire:
    """Build a Questionnaire from a document that passed the schema (no checks repeated here)."""
    form = raw["officialForm"]
    look = raw["lookBack"]
    return Questionnaire(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        description=raw.get("description", ""),
        official_form=OfficialForm(form["regulation"], form["annex"], form["formVersion"], tuple(form["officialIds"])),
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
