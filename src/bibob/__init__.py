"""bibob: Wet Bibob integrity screening — the official questionnaires as data, answer validation, completeness."""

from __future__ import annotations

from bibob.answer_schema import answer_schema
from bibob.answers import validate_answers
from bibob.catalogue import Catalogue, apply_selection, load_catalogue
from bibob.completeness import Completeness, CompletenessStatus, check_completeness
from bibob.exceptions import (
    BibobError,
    DefinitionError,
    InvalidInputError,
    NotFoundError,
    Problem,
    TransitionError,
    UpstreamError,
)
from bibob.questionnaire import Questionnaire, load_questionnaire, parse_questionnaire

__all__ = [
    "BibobError",
    "Catalogue",
    "Completeness",
    "CompletenessStatus",
    "DefinitionError",
    "InvalidInputError",
    "NotFoundError",
    "Problem",
    "Questionnaire",
    "TransitionError",
    "UpstreamError",
    "answer_schema",
    "apply_selection",
    "check_completeness",
    "load_catalogue",
    "load_questionnaire",
    "parse_questionnaire",
    "validate_answers",
]
