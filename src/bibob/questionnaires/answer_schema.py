"""The JSON Schema (2020-12) of the answers to a questionnaire, derived from its definition."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bibob.questionnaires.conditions import All, AnyOf, Condition, Contains, Equals, NotEquals, OneOf
from bibob.questionnaires.model import Question, Questionnaire, Section, routed_fields

JsonSchema = dict[str, Any]

MAX_TEXT = 4000
MAX_ITEMS = 200

# an answer that must be absent; `not: {}` rather than `false` so that both validators report its own pointer
_ABSENT: JsonSchema = {"not": {}}
_DATE: JsonSchema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXT: JsonSchema = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
_SHORT: JsonSchema = {"type": "string", "maxLength": 200}

_DEFS: JsonSchema = {
    "date": _DATE,
    "text": _TEXT,
    "money": {"type": "integer", "minimum": 0, "maximum": 10**15, "description": "bedrag in eurocenten"},
    "percentage": {"type": "number", "minimum": 0, "maximum": 100},
    "address": {
        "type": "object",
        "additionalProperties": False,
        "required": ["street", "city"],
        "properties": {
            "street": {"type": "string", "minLength": 1, "maxLength": 200},
            "houseNumber": {"type": "integer", "minimum": 1, "maximum": 999999},
            "houseNumberAddition": {"type": "string", "maxLength": 20},
            "postcode": {"type": "string", "maxLength": 20},
            "city": {"type": "string", "minLength": 1, "maxLength": 200},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        },
    },
    "period": {
        "type": "object",
        "additionalProperties": False,
        "required": ["from"],
        "properties": {"from": {"$ref": "#/$defs/date"}, "to": {"$ref": "#/$defs/date"}},
    },
    "person": {
        "type": "object",
        "additionalProperties": False,
        "required": ["surname", "firstNames", "dateOfBirth"],
        "properties": {
            "kind": {"const": "person"},
            "surname": {"type": "string", "minLength": 1, "maxLength": 200},
            "prefix": _SHORT,
            "firstNames": {"type": "string", "minLength": 1, "maxLength": 200},
            "dateOfBirth": {"$ref": "#/$defs/date"},
            "placeOfBirth": _SHORT,
            "bsn": {"type": "string", "maxLength": 20},
            "nationality": _SHORT,
            "address": {"$ref": "#/$defs/address"},
            "phone": {"type": "string", "maxLength": 40},
            "sharePercentage": {"$ref": "#/$defs/percentage"},
        },
    },
    "organisation": {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "name"],
        "properties": {
            "kind": {"const": "organisation"},
            "name": {"type": "string", "minLength": 1, "maxLength": 300},
            "legalForm": {
                "enum": [
                    "eenmanszaak",
                    "vof",
                    "cv",
                    "maatschap",
                    "bv",
                    "nv",
                    "stichting",
                    "vereniging",
                    "cooperatie",
                    "owm",
                    "foreign",
                ]
            },
            "tradeNames": {
                "type": "array",
                "maxItems": 50,
                "items": {"type": "string", "minLength": 1, "maxLength": 300},
            },
            "kvkNumber": {"type": "string", "maxLength": 20},
            "rsin": {"type": "string", "maxLength": 20},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "address": {"$ref": "#/$defs/address"},
            "phone": {"type": "string", "maxLength": 40},
            "foundedOn": {"$ref": "#/$defs/date"},
            "sharePercentage": {"$ref": "#/$defs/percentage"},
            "owners": {"type": "array", "maxItems": 50, "items": {"$ref": "#/$defs/party"}},
        },
    },
    "party": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": ["person", "organisation"]}},
        "if": {"properties": {"kind": {"const": "organisation"}}, "required": ["kind"]},
        "then": {"$ref": "#/$defs/organisation"},
        "else": {"$ref": "#/$defs/person"},
    },
    "attachment": {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "pointer"],
        "properties": {
            "kind": {"type": "string", "pattern": "^[a-z][a-zA-Z0-9]*$", "maxLength": 60},
            "pointer": {"type": "string", "pattern": "^/", "maxLength": 300},
            "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
            "fileName": {"type": "string", "minLength": 1, "maxLength": 255},
            "mediaType": {"type": "string", "maxLength": 100},
            "sizeBytes": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "reference": {"type": "string", "minLength": 1, "maxLength": 500},
            "receivedOn": {"$ref": "#/$defs/date"},
        },
        "anyOf": [{"required": ["fileName"]}, {"required": ["reference"]}],
    },
}

_SCALARS: dict[str, JsonSchema] = {
    "text": {"$ref": "#/$defs/text"},
    "date": {"$ref": "#/$defs/date"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer", "minimum": -(10**9), "maximum": 10**9},
    "money": {"$ref": "#/$defs/money"},
    "percentage": {"$ref": "#/$defs/percentage"},
    "person": {"$ref": "#/$defs/person"},
    "organisation": {"$ref": "#/$defs/organisation"},
    "party": {"$ref": "#/$defs/party"},
    "address": {"$ref": "#/$defs/address"},
    "period": {"$ref": "#/$defs/period"},
}


def condition_schema(condition: Condition) -> JsonSchema:
    """A schema that an answers object satisfies exactly when `condition` holds for it."""
    match condition:
        case All(parts):
            return {"allOf": [condition_schema(p) for p in parts]}
        case AnyOf(parts):
            return {"anyOf": [condition_schema(p) for p in parts]}
        case Equals(question, value):
            return {"properties": {question: {"const": value}}, "required": [question]}
        case NotEquals(question, value):
            return {"properties": {question: {"not": {"const": value}}}, "required": [question]}
        case OneOf(question, values):
            return {"properties": {question: {"enum": list(values)}}, "required": [question]}
        case Contains(question, value):
            return {"properties": {question: {"type": "array", "contains": {"const": value}}}, "required": [question]}
    raise AssertionError(condition)  # pragma: no cover


def value_schema(question: Question) -> JsonSchema:
    """The schema of one answer (one entry, if the question is repeatable)."""
    if question.type == "group":
        single = object_schema(routed_fields(question))
    elif question.type == "choice":
        single = {"enum": [o.value for o in question.options]}
    elif question.type == "multiChoice":
        single = {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": [o.value for o in question.options]},
        }
    else:
        single = dict(_SCALARS[question.type])
    if not question.repeatable:
        return single
    minimum = question.min_items if question.min_items is not None else int(question.required)
    return {"type": "array", "minItems": minimum, "maxItems": MAX_ITEMS, "items": single}


def object_schema(questions: Iterable[tuple[Question, Condition | None]]) -> JsonSchema:
    """An object with one property per question; routing becomes if/then/else per condition."""
    located = list(questions)
    conditional: dict[str, tuple[Condition, list[Question]]] = {}
    for question, condition in located:
        if condition is not None:
            key = json.dumps(condition_schema(condition), sort_keys=True)
            conditional.setdefault(key, (condition, []))[1].append(question)
    schema: JsonSchema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {q.id: value_schema(q) for q, _ in located},
    }
    required = [q.id for q, c in located if c is None and q.required]
    if required:
        schema["required"] = required
    rules = [_routing_rule(condition, group) for condition, group in conditional.values()]
    if rules:
        schema["allOf"] = rules
    return schema


def _routing_rule(condition: Condition, questions: list[Question]) -> JsonSchema:
    rule: JsonSchema = {
        "if": condition_schema(condition),
        "else": {"properties": {q.id: _ABSENT for q in questions}},
    }
    required = [q.id for q in questions if q.required]
    if required:
        rule["then"] = {"required": required}
    return rule


def _module_schema(questionnaire: Questionnaire, section: Section) -> JsonSchema:
    return {
        "type": "array",
        "maxItems": MAX_ITEMS,
        "items": object_schema(questionnaire.module_routing[section.id]),
    }


def answer_schema(questionnaire: Questionnaire) -> JsonSchema:
    """The JSON Schema of an answer document for `questionnaire`, to hand to an e-form platform."""
    modules = questionnaire.modules
    schema: JsonSchema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"answers/{questionnaire.id}/{questionnaire.version}.schema.json",
        "title": f"Antwoorden: {questionnaire.title}",
        "type": "object",
        "additionalProperties": False,
        "required": ["questionnaire", "answeredOn", "answers"],
        "properties": {
            "questionnaire": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "version"],
                "properties": {"id": {"const": questionnaire.id}, "version": {"const": questionnaire.version}},
            },
            "answeredOn": {"$ref": "#/$defs/date"},
            "answers": object_schema(questionnaire.flat_routing),
            "modules": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s.id: _module_schema(questionnaire, s) for s in modules},
            },
            "attachments": {"type": "array", "maxItems": 2000, "items": {"$ref": "#/$defs/attachment"}},
        },
        "$defs": _DEFS,
    }
    rules = [
        {
            "if": {"properties": {"answers": condition_schema(condition)}},
            "else": {"properties": {"modules": {"properties": {s.id: _ABSENT}}}},
        }
        for s in modules
        if (condition := questionnaire.section_conditions[s.id]) is not None
    ]
    if rules:
        schema["allOf"] = rules
    return schema
