"""Validating answers to a questionnaire: every problem at once, with pointer, code and Dutch text."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema_rs

from bibob.exceptions import Problem
from bibob.identifiers import normalise_bsn, normalise_kvk, normalise_postcode, normalise_rsin
from bibob.questionnaires.answer_schema import answer_schema
from bibob.questionnaires.attachments import AttachmentRequirement, attachment_problems, requirements
from bibob.questionnaires.caching import identity_first
from bibob.questionnaires.messages import escape, schema_problems_fast
from bibob.questionnaires.model import Question, Questionnaire, checkable, field_index
from bibob.questionnaires.roster import module_problems, subject_problems
from bibob.questionnaires.walk import AnswerWalk, Located, entries, parse_date, walk

CASH_THRESHOLD_CENTS = 50_000  # cash under €500 is no asset (Toelichting bij het formulier)
_CHAIN_ENDS = frozenset({"nv", "stichting"})


@identity_first(64)
@functools.lru_cache(maxsize=64)
def compiled_validator(questionnaire: Questionnaire) -> jsonschema_rs.Draft202012Validator:
    """The compiled (jsonschema-rs) validator of the derived answer schema, built once per variant.

    Its error messages mask the answers (`mask`): problems are made from an error's place and kind, never from its
    message, so no answer (a BSN, a name) is copied into a message, and making the errors costs less.
    """
    return jsonschema_rs.Draft202012Validator(answer_schema(questionnaire), validate_formats=True, mask="…")


def validate_answers(
    questionnaire: Questionnaire,
    document: object,
    *,
    today: dt.date | None = None,
    walked: AnswerWalk | None = None,
    needed: Sequence[AttachmentRequirement] | None = None,
) -> tuple[Problem, ...]:
    """Every problem with `document` as answers to `questionnaire`; empty when complete and valid.

    Never raises on any JSON value: schema problems (types, routing, required answers) and the
    rules beyond the schema (identifiers, dates, periods, control chains, modules per person,
    attachments) are all listed, sorted by pointer. A caller that walked the answers or listed the
    required attachments already (completeness) passes them as `walked` and `needed`.
    """
    problems = list(schema_problems_fast(questionnaire, compiled_validator(questionnaire), document))
    if isinstance(document, dict):
        walked = walk(questionnaire, document, relevant_only=True) if walked is None else walked
        needed = requirements(questionnaire, walked) if needed is None else needed
        problems += rule_problems(questionnaire, walked, today or dt.date.today())
        problems += attachment_problems(needed)
    unique = dict.fromkeys(problems)
    return tuple(sorted(unique, key=lambda p: (p.pointer, p.code, p.message)))


# --- rules beyond the schema ----------------------------------------------------------------------------


def rule_problems(questionnaire: Questionnaire, walked: AnswerWalk, today: dt.date) -> list[Problem]:
    """Identifiers, dates, periods, cash, control chains and modules per person (attachments: `requirements`)."""
    problems: list[Problem] = []
    for located in walked.located:
        if not checkable(located.question):
            continue
        for pointer, value in entries(located):
            problems += value_problems(located.question, value, pointer, today)
    problems += subject_problems(walked)
    problems += module_problems(questionnaire, walked)
    return problems


def value_problems(question: Question, value: Any, pointer: str, today: dt.date) -> list[Problem]:
    """Problems inside one answer value, guided by the question's type."""
    kind = question.type
    if kind == "date":
        return _date_problems(value, pointer, today)
    if kind in ("person", "organisation", "party"):
        return _party_problems(value, pointer, today, chain=question.role in ("shareholder", "partner"))
    if kind == "address":
        return _address_problems(value, pointer)
    if kind == "period":
        return _period_problems(value, pointer, today)
    if kind == "group" and isinstance(value, dict):
        return _group_problems(question, value, pointer, today)
    return []


def _group_problems(question: Question, value: dict[str, Any], pointer: str, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    index = field_index(question)
    for key, answer in value.items():
        found = index.get(key)
        if found is None or not checkable(found[0]) or (found[1] is not None and not found[1](value)):
            continue
        for inner, item in entries(Located(found[0], answer, f"{pointer}/{escape(key)}", value)):
            problems += value_problems(found[0], item, inner, today)
    if question.concept == "assets" and _is_small_cash(value):
        problems.append(
            Problem(
                pointer,
                "notAnAsset",
                "Contant geld onder € 500 is geen bezitting in de zin van dit formulier; laat deze regel weg.",
            )
        )
    return problems


def _is_small_cash(entry: Mapping[str, Any]) -> bool:
    amounts = [v for k, v in entry.items() if k.startswith("waarde") and type(v) is int]
    return entry.get("soort") == "contant" and bool(amounts) and max(amounts) < CASH_THRESHOLD_CENTS


def _date_problems(value: Any, pointer: str, today: dt.date) -> list[Problem]:
    date = parse_date(value)
    if date is not None and date > today:
        return [Problem(pointer, "futureDate", "Deze datum mag niet in de toekomst liggen.")]
    return []


def _period_problems(value: Any, pointer: str, today: dt.date) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    problems = _date_problems(value.get("from"), pointer + "/from", today)
    problems += _date_problems(value.get("to"), pointer + "/to", today)
    start, end = parse_date(value.get("from")), parse_date(value.get("to"))
    if start and end and start > end:
        problems.append(Problem(pointer, "periodReversed", "De begindatum ligt na de einddatum."))
    return problems


def _address_problems(value: Any, pointer: str) -> list[Problem]:
    if not isinstance(value, dict) or value.get("country", "NL") != "NL":
        return []
    postcode = value.get("postcode")
    if isinstance(postcode, str) and normalise_postcode(postcode) is None:
        return [
            Problem(pointer + "/postcode", "invalidPostcode", "Dit is geen geldige Nederlandse postcode (1234 AB).")
        ]
    return []


def _party_problems(value: Any, pointer: str, today: dt.date, *, chain: bool) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    if value.get("kind") == "organisation":
        return _organisation_problems(value, pointer, today, chain=chain)
    problems = _date_problems(value.get("dateOfBirth"), pointer + "/dateOfBirth", today)
    bsn = value.get("bsn")
    if isinstance(bsn, str) and normalise_bsn(bsn) is None:
        problems.append(Problem(pointer + "/bsn", "invalidBsn", "Dit is geen geldig burgerservicenummer (elfproef)."))
    problems += _address_problems(value.get("address"), pointer + "/address")
    return problems


def _organisation_problems(value: dict[str, Any], pointer: str, today: dt.date, *, chain: bool) -> list[Problem]:
    problems = _date_problems(value.get("foundedOn"), pointer + "/foundedOn", today)
    dutch = value.get("country", "NL") == "NL"
    kvk, rsin = value.get("kvkNumber"), value.get("rsin")
    if dutch and isinstance(kvk, str) and normalise_kvk(kvk) is None:
        problems.append(Problem(pointer + "/kvkNumber", "invalidKvk", "Een KvK-nummer bestaat uit acht cijfers."))
    if dutch and isinstance(rsin, str) and normalise_rsin(rsin) is None:
        problems.append(Problem(pointer + "/rsin", "invalidRsin", "Dit is geen geldig RSIN (negen cijfers, elfproef)."))
    problems += _address_problems(value.get("address"), pointer + "/address")
    owners = value.get("owners")
    owners = owners if isinstance(owners, list) else []
    if chain and not owners and value.get("legalForm") not in _CHAIN_ENDS:
        problems.append(
            Problem(
                pointer,
                "chainOpen",
                "De zeggenschapsketen eindigt hier niet bij een natuurlijk persoon: vermeld ook de "
                "aandeelhouders van deze rechtspersoon (alleen een nv of stichting mag de keten afsluiten).",
            )
        )
    for index, owner in enumerate(owners):
        problems += _party_problems(owner, f"{pointer}/owners/{index}", today, chain=chain)
    return problems
