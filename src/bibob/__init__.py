"""bibob: Wet Bibob integrity screening — questionnaires, answer validation, assessment, deadlines, matching."""

from __future__ import annotations

from bibob.answer_schema import answer_schema
from bibob.answers import validate_answers
from bibob.application import Application, ApplicationState, Track, application_deadlines
from bibob.application_json import application_from_json, application_to_json
from bibob.assessment import Assessment, AssessmentRequest, Recommendation, RecommendationKind, assess
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
from bibob.grounds import DangerLevel, DecisionOutcome, Ground, ProportionalityRecord
from bibob.lifecycle import apply_event
from bibob.permits import LegalAct, PermitType
from bibob.policy import Policy, load_policy
from bibob.questionnaire import Questionnaire
from bibob.questionnaire_json import load_questionnaire, parse_questionnaire
from bibob.reading import declaration_from_answers
from bibob.requests import request_from_json

__all__ = [
    "Application",
    "ApplicationState",
    "Assessment",
    "AssessmentRequest",
    "BibobError",
    "Catalogue",
    "Completeness",
    "CompletenessStatus",
    "DangerLevel",
    "DecisionOutcome",
    "DefinitionError",
    "Ground",
    "InvalidInputError",
    "LegalAct",
    "NotFoundError",
    "PermitType",
    "Policy",
    "Problem",
    "ProportionalityRecord",
    "Questionnaire",
    "Recommendation",
    "RecommendationKind",
    "Track",
    "TransitionError",
    "UpstreamError",
    "answer_schema",
    "application_deadlines",
    "application_from_json",
    "application_to_json",
    "apply_event",
    "apply_selection",
    "assess",
    "check_completeness",
    "declaration_from_answers",
    "load_catalogue",
    "load_policy",
    "load_questionnaire",
    "parse_questionnaire",
    "request_from_json",
    "validate_answers",
]
