"""The questionnaires on the wire: definitions, completeness and problems as JSON (camelCase)."""

from __future__ import annotations

from typing import Any

from bibob.exceptions import Problem
from bibob.questionnaires import (
    All,
    AnyOf,
    AttachmentRule,
    Completeness,
    Condition,
    Contains,
    Equals,
    NotEquals,
    OneOf,
    Question,
    Questionnaire,
    Section,
)


def questionnaire_summary(questionnaire: Questionnaire) -> dict[str, Any]:
    """The list entry of a questionnaire."""
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "formVersion": questionnaire.official_form.form_version,
        "legalActs": list(questionnaire.legal_acts),
        "permitTypes": list(questionnaire.permit_types),
        "base": questionnaire.base,
    }


def questionnaire_view(questionnaire: Questionnaire) -> dict[str, Any]:
    """A questionnaire definition in the shape of questionnaire.schema.json."""
    form = questionnaire.official_form
    return {
        **questionnaire_summary(questionnaire),
        "description": questionnaire.description,
        "officialForm": {
            "regulation": form.regulation,
            "annex": form.annex,
            "formVersion": form.form_version,
            "officialIds": list(form.official_ids),
            **({"legalBasis": form.legal_basis} if form.legal_basis else {}),
            **({"validFrom": form.valid_from.isoformat()} if form.valid_from else {}),
            **({"validUntil": form.valid_until.isoformat()} if form.valid_until else {}),
        },
        "lookBack": {
            "rolesYears": questionnaire.roles_years,
            "antecedentsYears": questionnaire.antecedents_years,
            "bookYears": questionnaire.book_years,
        },
        "sections": [section_view(s) for s in questionnaire.sections],
    }


def section_view(section: Section) -> dict[str, Any]:
    """A section with its questions."""
    view: dict[str, Any] = {
        "id": section.id,
        "title": section.title,
        "questions": [question_view(q) for q in section.questions],
    }
    if section.intro:
        view["intro"] = section.intro
    if section.when is not None:
        view["when"] = condition_view(section.when)
    if section.repeat is not None:
        view["repeat"] = {
            "per": section.repeat.per,
            "subjectQuestion": section.repeat.subject_question,
            "excludeCoveredBy": list(section.repeat.exclude_covered_by),
        }
    return view


def question_view(question: Question) -> dict[str, Any]:
    """A question, omitting defaults."""
    view: dict[str, Any] = {
        "id": question.id,
        "officialId": question.official_id,
        "text": question.text,
        "type": question.type,
        "required": question.required,
    }
    optional = {
        "help": question.help or None,
        "repeatable": question.repeatable or None,
        "minItems": question.min_items,
        "when": condition_view(question.when) if question.when else None,
        "options": [{"value": o.value, "label": o.label} for o in question.options] or None,
        "fields": [question_view(f) for f in question.fields] or None,
        "role": question.role,
        "concept": question.concept,
        "attachments": [attachment_view(a) for a in question.attachments] or None,
    }
    view.update({key: value for key, value in optional.items() if value is not None})
    return view


def attachment_view(rule: AttachmentRule) -> dict[str, Any]:
    """An attachment rule."""
    view: dict[str, Any] = {
        "kind": rule.kind,
        "label": rule.label,
        "perEntry": rule.per_entry,
        "perBookYear": rule.per_book_year,
    }
    if rule.when is not None:
        view["when"] = condition_view(rule.when)
    return view


def condition_view(condition: Condition) -> dict[str, Any]:
    """A routing condition in the definition's JSON form."""
    match condition:
        case All(parts):
            return {"all": [condition_view(p) for p in parts]}
        case AnyOf(parts):
            return {"any": [condition_view(p) for p in parts]}
        case Equals(question, value):
            return {"question": question, "equals": value}
        case NotEquals(question, value):
            return {"question": question, "notEquals": value}
        case OneOf(question, values):
            return {"question": question, "in": list(values)}
        case Contains(question, value):
            return {"question": question, "contains": value}
    raise AssertionError(condition)  # pragma: no cover


def problem_view(problem: Problem) -> dict[str, str]:
    """A problem as the wire shows it (the invalidParams shape)."""
    return {"name": problem.pointer, "code": problem.code, "reason": problem.message}


def completeness_view(completeness: Completeness) -> dict[str, Any]:
    """The completeness of an answer document."""
    return {
        "status": completeness.status.value,
        "statusLabel": completeness.status.label,
        "applicableSections": list(completeness.applicable_sections),
        "modules": [
            {"section": m.section_id, "title": m.title, "expected": m.expected, "given": m.given}
            for m in completeness.modules
        ],
        "attachments": [
            {"kind": a.kind, "label": a.label, "pointer": a.pointer, "year": a.year, "present": a.present}
            for a in completeness.attachments
        ],
        "missing": [problem_view(p) for p in completeness.missing],
        "invalid": [problem_view(p) for p in completeness.invalid],
    }
