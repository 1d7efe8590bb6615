"""Schema errors as problems: one stable code and a Dutch message per error, from either validator."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import jsonschema
import jsonschema_rs

from bibob.exceptions import Problem
from bibob.questionnaires.caching import identity_first
from bibob.questionnaires.model import Question, Questionnaire

# keyword → (code, Dutch message); `{what}` names the question or field at the pointer
_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("required", "{what} is niet beantwoord."),
    "not": ("notApplicable", "{what} is niet van toepassing bij de gegeven antwoorden; laat dit antwoord weg."),
    "additionalProperties": ("unknownField", "{what} is geen vraag of veld van dit formulier."),
    "type": ("wrongType", "{what} heeft een antwoord van de verkeerde soort{expected}."),
    "enum": ("invalidChoice", "{what}: kies een van de mogelijke antwoorden{expected}."),
    "const": ("invalidValue", "{what} heeft een andere waarde dan verwacht."),
    "format": ("invalidDate", "{what} is geen geldige datum (JJJJ-MM-DD)."),
    "pattern": ("invalidFormat", "{what} heeft niet de juiste vorm."),
    "minLength": ("empty", "{what} is leeg."),
    "maxLength": ("tooLong", "{what} is te lang."),
    "minItems": ("tooFew", "{what} heeft te weinig regels."),
    "maxItems": ("tooMany", "{what} heeft te veel regels."),
    "minimum": ("outOfRange", "{what} is te klein."),
    "maximum": ("outOfRange", "{what} is te groot."),
    "uniqueItems": ("duplicate", "{what} bevat een antwoord dubbel."),
    "anyOf": (
        "attachmentWithoutFile",
        "{what}: geef een bestandsnaam of een verwijzing naar een eerder ingediend stuk.",
    ),
}
_FALLBACK = ("invalid", "{what} is ongeldig.")
# what an answer of each question type looks like, for "verwacht: …"
_EXPECTED = {
    "boolean": "ja of nee (true of false)",
    "date": "een datum (JJJJ-MM-DD)",
    "money": "een bedrag in eurocenten (een geheel getal)",
    "integer": "een geheel getal",
    "text": "tekst",
    "choice": "een van de keuzes",
    "multiChoice": "een lijst met keuzes",
}
# the fields of the built-in answer types (person, organisation, address, period, attachment) in Dutch
_BUILT_IN_FIELDS = {
    "surname": "achternaam", "prefix": "tussenvoegsel", "firstNames": "voornamen", "dateOfBirth": "geboortedatum",
    "placeOfBirth": "geboorteplaats", "bsn": "BSN", "phone": "telefoonnummer", "kind": "soort (persoon of organisatie)",
    "name": "naam", "legalForm": "rechtsvorm", "kvkNumber": "KvK-nummer", "rsin": "RSIN",
    "foundedOn": "oprichtingsdatum", "tradeNames": "handelsnamen", "owners": "eigenaren",
    "sharePercentage": "aandelenpercentage",
    "percentage": "percentage", "street": "straat", "houseNumber": "huisnummer",
    "houseNumberAddition": "huisnummertoevoeging", "postcode": "postcode", "city": "plaats", "country": "land",
    "address": "adres", "from": "vanaf", "to": "tot en met", "fileName": "bestandsnaam", "reference": "verwijzing",
    "year": "jaar",
}  # fmt: skip
_QUOTED_TEXT = 60  # characters of a question's text quoted next to its id


@functools.lru_cache(maxsize=4096)
def escape(name: object) -> str:
    """One JSON pointer token."""
    return str(name).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Iterable[object]) -> str:
    """A JSON pointer from a sequence of keys and indexes."""
    return "".join("/" + escape(part) for part in path)


def _keyword(kind_name: str) -> str:
    if kind_name in ("Constant",):
        return "const"
    if kind_name.startswith("OneOf"):
        return "oneOf"
    return kind_name[0].lower() + kind_name[1:]


def rs_locations(error: Any) -> Iterator[tuple[tuple[object, ...], str]]:
    """(path, keyword) pairs of a jsonschema-rs error; `required` and `additionalProperties` per name."""
    path = tuple(error.instance_path)
    keyword = _keyword(type(error.kind).__name__)
    if keyword == "required":
        yield (*path, error.kind.property), keyword
    elif keyword == "additionalProperties":
        for name in error.kind.unexpected:
            yield (*path, name), keyword
    else:
        yield path, keyword


def reference_locations(error: jsonschema.ValidationError) -> Iterator[tuple[tuple[object, ...], str]]:
    """The same pairs from a python-jsonschema error (the reference implementation)."""
    path = tuple(error.absolute_path)
    keyword = str(error.validator) if error.validator is not None else "falseSchema"
    instance = error.instance
    if keyword == "required" and isinstance(instance, dict):
        for name in error.validator_value:
            if name not in instance:
                yield (*path, name), keyword
    elif keyword == "additionalProperties" and isinstance(instance, dict) and isinstance(error.schema, dict):
        known = error.schema.get("properties", {})
        for name in instance:
            if name not in known:
                yield (*path, name), keyword
    else:
        yield path, keyword


def schema_problems_fast(
    questionnaire: Questionnaire, validator: jsonschema_rs.Draft202012Validator, document: object
) -> list[Problem]:
    """Every schema error of `document`, found by the compiled validator, as problems."""
    if validator.is_valid(document):
        return []
    said = _problems_said(questionnaire)
    problems = []
    for error in validator.iter_errors(document):
        for path, keyword in rs_locations(error):
            problem = said.get((path, keyword))
            if problem is None:
                if len(said) >= _SAID_MAX:
                    said.clear()
                problem = said[(path, keyword)] = to_problem(questionnaire, path, keyword)
            problems.append(problem)
    return problems


_SAID_MAX = 4096  # problems remembered per questionnaire (their text depends on the place and keyword alone)


@identity_first(64)
@functools.lru_cache(maxsize=64)
def _problems_said(questionnaire: Questionnaire) -> dict[tuple[tuple[object, ...], str], Problem]:
    """The problems made before for `questionnaire`, by place and keyword: a Problem is frozen, so it is shared."""
    return {}


def to_problem(questionnaire: Questionnaire, path: Sequence[object], keyword: str) -> Problem:
    """A problem with a stable code and a Dutch message naming the question at `path` and what it expects."""
    code, template = _MESSAGES.get(keyword, _FALLBACK)
    what = describe(questionnaire, path)
    expected = _expected(question_at(questionnaire, path), path, keyword)
    return Problem(pointer_of(path), code, template.format(what=what, expected=expected))


def _expected(question: Question | None, path: Sequence[object], keyword: str) -> str:
    """'; verwacht: …' for a wrong type, ': ‘label’ (value), …' for a wrong choice, or nothing."""
    if question is None:
        return ""
    if keyword == "enum" and question.options:
        return ": " + ", ".join(f"‘{option.label}’ ({option.value})" for option in question.options)
    if keyword != "type":
        return ""
    if question.repeatable and not str(path[-1]).isdigit():
        return "; verwacht: een lijst van regels"
    kind = _EXPECTED.get(question.type, "een groep velden" if question.fields else "")
    return f"; verwacht: {kind}" if kind else ""


def question_at(questionnaire: Questionnaire, path: Sequence[object]) -> Question | None:
    """The question or field the place at `path` answers, or None."""
    parts = [str(p) for p in path]
    if len(parts) >= 2 and parts[0] == "answers":
        scope, question_id, rest = "answers", parts[1], parts[2:]
    elif len(parts) >= 4 and parts[0] == "modules" and parts[2].isdigit():
        scope, question_id, rest = parts[1], parts[3], parts[4:]
    else:
        return None
    question = _question_index(questionnaire).get((scope, question_id))
    for part in rest:
        if question is not None and not part.isdigit():
            question = next((f for f in question.fields if f.id == part), None)
    return question


@identity_first(64)
@functools.lru_cache(maxsize=64)
def _question_index(questionnaire: Questionnaire) -> dict[tuple[str, str], Question]:
    index: dict[tuple[str, str], Question] = {}
    for section in questionnaire.sections:
        scope = "answers" if section.repeat is None else section.id
        for question in section.questions:
            index[(scope, question.id)] = question
    return index


def describe(questionnaire: Questionnaire, path: Sequence[object]) -> str:
    """A Dutch name for the place at `path`: 'Vraag 2H.leningen, regel 1, ‘Oorspronkelijk bedrag’'."""
    parts = [str(p) for p in path]
    if len(parts) >= 2 and parts[0] == "answers":
        return _describe_question(questionnaire, "answers", parts[1], parts[2:], "Vraag")
    if len(parts) >= 4 and parts[0] == "modules" and parts[2].isdigit():
        prefix = f"Module {parts[1]} nr. {int(parts[2]) + 1}, vraag"
        return _describe_question(questionnaire, parts[1], parts[3], parts[4:], prefix)
    if parts and parts[0] == "attachments":
        return "Bijlage" + (f" {int(parts[1]) + 1}" if len(parts) > 1 and parts[1].isdigit() else "n")
    return "Het antwoordformulier" if not parts else f"Het veld ‘{_BUILT_IN_FIELDS.get(parts[-1], parts[-1])}’"


def _describe_question(questionnaire: Questionnaire, scope: str, question_id: str, rest: list[str], prefix: str) -> str:
    question = _question_index(questionnaire).get((scope, question_id))
    words = [f"{prefix} {question_id}" + (f" ({_quoted(question.text)})" if question and question.text else "")]
    for part in rest:
        if part.isdigit():
            words.append(f"regel {int(part) + 1}")
            continue
        field = next((f for f in question.fields if f.id == part), None) if question else None
        words.append(f"‘{field.text}’" if field else f"veld ‘{_BUILT_IN_FIELDS.get(part, part)}’")
        question = field
    return ", ".join(words)


def _quoted(text: str) -> str:
    """A question's text between quotes, shortened to a readable length."""
    short = text if len(text) <= _QUOTED_TEXT else text[:_QUOTED_TEXT].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return f"‘{short}’"
