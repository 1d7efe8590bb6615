"""Letters of an application: which apply now, a preview, making and storing one (.docx and PDF), reading them back.

The motivation comes from the latest assessment, recomputed from its stored input, the decision's own levels, grounds
and proportionality record; the library keeps out what art. 28 Wet Bibob keeps back from the applicant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from bibob.applications import LbbAdviceReceived
from bibob.exceptions import InvalidInputError, Problem
from bibob.letters import (
    LbbRequestInput,
    Letter,
    LetterInput,
    LetterKind,
    Municipality,
    applicable_kinds,
    compose,
    event_date,
    lbb_package,
)
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import Assessment, AssessmentRequest, assess, declaration_from_answers
from bibob.terms import AtwCalendar
from service.letters import to_docx, to_pdf
from service.store import applications
from service.store import letters as stored_letters
from service.store.access import Action, Resource, require, sees_closed_sources
from service.store.applications import StoredApplication
from service.store.assessments import list_assessments
from service.store.letters import StoredLetter
from service.usecases.session import Session
from service.views.application_requests import assessment_request
from service.views.applications import questionnaire_reference
from service.views.inputs import json_object

LETTER_FIELDS = ("kind", "date", "adviceEnclosed", "lbbQuestions", "termEnd", "objectionFounded", "questions",
                 "reason", "art26Message", "riecAdvice", "otherFiles")  # fmt: skip
MAX_ITEMS, MAX_TEXT = 50, 2000  # questions and other files per letter, characters per text
#: Letters whose motivation draws on the full assessment (closed sources, the LBB advice): made and previewed only by
#: who reads the investigation (the coordinator, the mayor); a permit officer makes the procedural letters.
MOTIVATED = frozenset({
    LetterKind.INTENTION, LetterKind.DECISION_GRANT_WITH_CONDITIONS, LetterKind.DECISION_REFUSAL,
    LetterKind.DECISION_WITHDRAWAL, LetterKind.OBJECTION_DECISION, LetterKind.LBB_REQUEST,
})  # fmt: skip
LBB_REQUEST_FIELDS = ("questions", "reason", "art26Message", "riecAdvice", "otherFiles")


@attrs.frozen
class Resources:
    """What composing a letter needs besides the file: the forms, the policy, the calendar and the template."""

    catalogue: Catalogue
    policy: Policy
    calendar: AtwCalendar
    municipality: Municipality


@attrs.frozen
class Choices:
    """The officer's choices for one letter, read from a request body."""

    kind: LetterKind
    date: dt.date | None = None
    advice_enclosed: bool | None = None  # None: enclosed with an intention when an LBB advice was received
    lbb_questions: tuple[str, ...] = ()
    term_end: dt.date | None = None
    objection_founded: bool = False
    lbb_request: LbbRequestInput | None = None


def _texts(data: dict[str, Any], name: str, problems: list[Problem]) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(Problem(f"/{name}", "schema.type", "verwacht: lijst van niet-lege teksten"))
        return ()
    if len(value) > MAX_ITEMS or any(len(item) > MAX_TEXT for item in value):
        problems.append(Problem(f"/{name}", "schema.maxItems", f"hoogstens {MAX_ITEMS} teksten van {MAX_TEXT} tekens"))
        return ()
    return tuple(value)


def choices_from(body: object) -> Choices:
    """The choices in `body`; every problem at once."""
    data = json_object(body, LETTER_FIELDS, ("kind",))
    problems: list[Problem] = []
    kind = LetterKind.parse(data["kind"])
    if kind is None:
        problems.append(
            Problem("/kind", "enum", "onbekende brief, kies uit: " + ", ".join(k.value for k in LetterKind))
        )
    dates = {name: _date(data.get(name), name, problems) for name in ("date", "termEnd")}
    flags = {name: data.get(name) for name in ("adviceEnclosed", "objectionFounded", "art26Message", "riecAdvice")}
    problems += [Problem(f"/{n}", "schema.type", "verwacht: ja/nee-waarde") for n, v in flags.items()
                 if v is not None and not isinstance(v, bool)]  # fmt: skip
    questions, asked = _texts(data, "lbbQuestions", problems), _texts(data, "questions", problems)
    other_files = _texts(data, "otherFiles", problems)
    if not isinstance(data.get("reason", ""), str) or len(data.get("reason", "")) > MAX_TEXT:
        problems.append(Problem("/reason", "schema.type", f"verwacht: tekst van hoogstens {MAX_TEXT} tekens"))
    if kind is not LetterKind.LBB_REQUEST:
        misplaced = [name for name in LBB_REQUEST_FIELDS if name in data]
        problems += [Problem(f"/{n}", "letters.onlyLbbRequest", "alleen bij kind lbbRequest") for n in misplaced]
    if problems:
        raise InvalidInputError(problems)
    assert kind is not None
    request = LbbRequestInput(asked, data.get("reason", ""), bool(flags["art26Message"]), bool(flags["riecAdvice"]),
                              other_files) if kind is LetterKind.LBB_REQUEST else None  # fmt: skip
    return Choices(kind, dates["date"], flags["adviceEnclosed"], questions, dates["termEnd"],
                   bool(flags["objectionFounded"]), request)  # fmt: skip


def _date(value: Any, name: str, problems: list[Problem]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad(value)
    except ValueError:
        problems.append(Problem(f"/{name}", "schema.format", "ongeldige waarde, verwacht: datum JJJJ-MM-DD"))
        return None


def _bad(value: Any) -> dt.date:
    raise ValueError(value)


def _assessed(
    session: Session, resources: Resources, stored: StoredApplication
) -> tuple[Assessment, AssessmentRequest] | None:
    """The latest assessment, recomputed from its stored input (the register check is not repeated)."""
    records = list_assessments(session.conn, session.principal, stored.id, session.reason)
    if not records:
        return None
    document = records[-1].document
    body = {**document.get("input", {}), "referenceDate": document.get("referenceDate")}
    request = assessment_request(body, stored, resources.catalogue, session.today)
    return assess(request, resources.policy), request


def letter_input(session: Session, resources: Resources, stored: StoredApplication, choices: Choices) -> LetterInput:
    """Everything the letter of `choices` is made from, read in the session (audited reads)."""
    application = stored.application
    questionnaire = resources.catalogue.get(questionnaire_reference(stored))
    declaration = declaration_from_answers(questionnaire, dict(stored.answers)) if questionnaire else None
    applicant = (declaration.business or declaration.subject) if declaration else None
    found = _assessed(session, resources, stored)
    assessment, request = found if found else (None, None)
    has_advice = application.last(LbbAdviceReceived) is not None
    enclosed = choices.advice_enclosed
    if enclosed is None:
        enclosed = has_advice and choices.kind is LetterKind.INTENTION
    return LetterInput(
        application, resources.municipality, resources.calendar,
        choices.date or event_date(choices.kind, application) or session.today, applicant,
        assessment, request.facts if request else (), request.proportionality if request else None, enclosed,
        choices.lbb_questions, choices.term_end, choices.objection_founded, declaration=declaration,
        lbb_request=choices.lbb_request,
    )  # fmt: skip


def may_make(session: Session, kind: LetterKind, application_id: str) -> None:
    """`NotFoundError` when the letter draws on closed sources the principal may not read."""
    if kind in MOTIVATED:
        require(session.principal, Resource.INVESTIGATION, Action.READ, application_id)


def preview(session: Session, resources: Resources, application_id: str, choices: Choices) -> Letter:
    """The letter as it would be made now, not stored."""
    may_make(session, choices.kind, application_id)
    stored = applications.get_application(session.conn, session.principal, application_id, session.reason)
    return compose(choices.kind, letter_input(session, resources, stored, choices))


def applicable(session: Session, application_id: str) -> tuple[LetterKind, ...]:
    """The letters that apply to the application in its current state and that the principal may make."""
    stored = applications.get_application(session.conn, session.principal, application_id, session.reason)
    kinds = applicable_kinds(stored.application)
    return kinds if sees_closed_sources(session.principal) else tuple(k for k in kinds if k not in MOTIVATED)


def make_letter(session: Session, resources: Resources, application_id: str, body: object) -> StoredLetter:
    """Compose the letter `body` asks for, write it as .docx and PDF and store both with the application."""
    stored_letters.require_changeable(session.conn, session.principal, application_id)
    choices = choices_from(body)
    may_make(session, choices.kind, application_id)
    stored = applications.get_application(session.conn, session.principal, application_id, session.reason)
    source = letter_input(session, resources, stored, choices)
    letter = compose(choices.kind, source)
    files = (to_docx(letter), to_pdf(letter))
    document: dict[str, Any] = {
        "subject": letter.subject, "date": letter.date.isoformat(), "reference": letter.reference,
        "adviceEnclosed": source.advice_enclosed, "enclosures": list(letter.enclosures),
        "sections": [s.name for s in letter.sections],
    }  # fmt: skip
    if choices.kind is LetterKind.LBB_REQUEST:
        document["package"] = lbb_package(source)
    return stored_letters.add_letter(
        session.conn, session.principal, application_id, letter.kind.value, letter.file_stem, files, document,
        session.reason,
    )  # fmt: skip


def list_letters(session: Session, application_id: str) -> tuple[StoredLetter, ...]:
    """The stored letters of an application the principal may read."""
    return stored_letters.list_letters(session.conn, session.principal, application_id, session.reason)


def letter_file(session: Session, application_id: str, letter_id: str, file_format: str) -> tuple[StoredLetter, bytes]:
    """One stored letter's file ('docx' or 'pdf')."""
    return stored_letters.letter_file(
        session.conn, session.principal, application_id, letter_id, file_format, session.reason
    )
