"""bibob: Wet Bibob integrity screening — questionnaires, answer validation, assessment, deadlines, matching."""

from __future__ import annotations

from bibob.applications import (
    Application,
    ApplicationState,
    application_deadlines,
    application_from_json,
    application_to_json,
    apply_event,
)
from bibob.exceptions import (
    BibobError,
    DefinitionError,
    InvalidInputError,
    NotFoundError,
    Problem,
    TransitionError,
    UpstreamError,
)
from bibob.legal import DangerLevel, DecisionOutcome, Ground, LegalAct, PermitType, ProportionalityRecord, Track
from bibob.policy import Policy, load_policy
from bibob.questionnaires import (
    Catalogue,
    Completeness,
    CompletenessStatus,
    Questionnaire,
    answer_schema,
    apply_selection,
    check_completeness,
    load_catalogue,
    load_questionnaire,
    parse_questionnaire,
    validate_answers,
)
from bibob.screening import (
    Assessment,
    AssessmentRequest,
    Recommendation,
    RecommendationKind,
    assess,
    declaration_from_answers,
    request_from_json,
)

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
