"""Completeness of an answer document: which modules apply, what is missing, and the Awb 4:5 status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from bibob.exceptions import Problem
from bibob.labels import LabelledEnum
from bibob.questionnaires.attachments import AttachmentRequirement, requirements
from bibob.questionnaires.model import Questionnaire
from bibob.questionnaires.roster import expected_modules
from bibob.questionnaires.validation import validate_answers
from bibob.questionnaires.walk import AnswerWalk, module_instances, walk

MISSING_CODES = frozenset({"required", "tooFew", "moduleMissing", "attachmentMissing"})


class CompletenessStatus(LabelledEnum):
    """Whether the application can be taken into consideration (Awb 4:5)."""

    COMPLETE = "complete", "volledig"
    INCOMPLETE = "incomplete", "onvolledig: herstel vragen binnen een termijn (Awb 4:5)"


@attrs.frozen
class ModuleNeed:
    """A module section that applies: how many instances the roster asks for and how many were given."""

    section_id: str
    title: str
    expected: int
    given: int


@attrs.frozen
class Completeness:
    """What a permit officer needs to decide on a repair request: all that is missing or wrong."""

    status: CompletenessStatus
    applicable_sections: tuple[str, ...]
    modules: tuple[ModuleNeed, ...]
    attachments: tuple[AttachmentRequirement, ...]
    missing: tuple[Problem, ...]
    invalid: tuple[Problem, ...]


def check_completeness(
    questionnaire: Questionnaire,
    document: object,
    *,
    today: dt.date | None = None,
    registered: Iterable[Mapping[str, Any]] = (),
    walked: AnswerWalk | None = None,
) -> Completeness:
    """The completeness of `document`: complete only when it has no problem at all.

    `registered`: attachments registered apart from the answer document (an application's attachments metadata:
    kind, pointer, year, file name or reference); each counts as a document the answers call for, like one listed in
    the document's own `attachments`. `walked`: the document walked with `relevant_only` already (or its
    `relevant_part`), by a caller that walks it for more than this.
    """
    if walked is None:
        walked = walk(questionnaire, document if isinstance(document, dict) else {}, relevant_only=True)
    needed = tuple(requirements(questionnaire, walked, registered))
    problems = validate_answers(questionnaire, document, today=today, walked=walked, needed=needed)  # one walk
    applicable = tuple(s.id for s in questionnaire.sections if questionnaire.applies(s, walked.answers))
    return Completeness(
        status=CompletenessStatus.INCOMPLETE if problems else CompletenessStatus.COMPLETE,
        applicable_sections=applicable,
        modules=tuple(
            ModuleNeed(
                s.id,
                s.title,
                len(expected_modules(questionnaire, walked, s)),
                len(module_instances(walked.document, s)),
            )
            for s in questionnaire.modules
            if s.id in applicable
        ),
        attachments=needed,
        missing=tuple(p for p in problems if p.code in MISSING_CODES),
        invalid=tuple(p for p in problems if p.code not in MISSING_CODES),
    )
