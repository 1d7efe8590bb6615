"""Questionnaire definitions: the official Bibob forms as frozen values, routing conditions, loading."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from bibob.exceptions import NotFoundError
from bibob.questionnaires.caching import identity_first
from bibob.questionnaires.conditions import Condition, Predicate, both, condition_questions, predicate

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


@identity_first(4096)
@functools.lru_cache(maxsize=4096)
def routed_fields(question: Question) -> tuple[tuple[Question, Condition | None], ...]:
    """The fields of a group question with their effective conditions."""
    return routed([(field, field.when) for field in question.fields])


_NOTHING_TO_CHECK = frozenset({"text", "boolean", "integer", "money", "percentage", "choice", "multiChoice"})


@identity_first(4096)
@functools.lru_cache(maxsize=4096)
def checkable(question: Question) -> bool:
    """Whether answers to `question` can break a rule beyond the schema (dates, identifiers, cash, chains)."""
    if question.type == "group":
        return question.concept == "assets" or any(checkable(field) for field in question.fields)
    return question.type not in _NOTHING_TO_CHECK


@identity_first(4096)
@functools.lru_cache(maxsize=4096)
def rule_relevant(question: Question) -> bool:
    """Whether the rules beyond the schema look at answers to `question` (values, rosters, attachments, subject)."""
    return (
        checkable(question) or bool(question.role or question.attachments) or question.concept == "subjectOrganisation"
    )


@identity_first(4096)
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
    """The official form a variant is based on, and all of its question ids.

    `legal_basis` (the article of the Wet Bibob the regeling rests on), `valid_from` and `valid_until` (both
    inclusive; None: not recorded / no end) say when the form is in force; see `bibob.questionnaires.form_in_force`.
    """

    regulation: str
    annex: str
    form_version: str
    official_ids: tuple[str, ...]
    legal_basis: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


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
