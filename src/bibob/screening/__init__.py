"""The risk assessment: what an application declares, the own investigation's facts, findings, levels."""

from bibob.screening.assess import assess
from bibob.screening.declaration import Declaration
from bibob.screening.facts import Fact, FactSource, KnownInCase
from bibob.screening.indicators import Finding
from bibob.screening.model import Assessment, AssessmentRequest, Recommendation, RecommendationKind
from bibob.screening.reading import declaration_from_answers, to_party
from bibob.screening.reads import READS, AnswerReads, AnswersRead
from bibob.screening.redaction import CLOSED_NOTICE, for_permit_officer
from bibob.screening.register_checks import kvk_numbers_to_check
from bibob.screening.requests import request_from_json, shared_fact_from_json

__all__ = [
    "CLOSED_NOTICE",
    "READS",
    "AnswerReads",
    "AnswersRead",
    "Assessment",
    "AssessmentRequest",
    "Declaration",
    "Fact",
    "FactSource",
    "Finding",
    "KnownInCase",
    "Recommendation",
    "RecommendationKind",
    "assess",
    "declaration_from_answers",
    "for_permit_officer",
    "kvk_numbers_to_check",
    "request_from_json",
    "shared_fact_from_json",
    "to_party",
]
