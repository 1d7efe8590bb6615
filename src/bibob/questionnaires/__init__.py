"""The Bibob questionnaires: definitions, selections, answer schemas, validation and completeness."""

from bibob.questionnaires.answer_schema import answer_schema
from bibob.questionnaires.catalogue import Catalogue, apply_selection, load_catalogue
from bibob.questionnaires.completeness import Completeness, CompletenessStatus, check_completeness
from bibob.questionnaires.conditions import All, AnyOf, Condition, Contains, Equals, NotEquals, OneOf
from bibob.questionnaires.messages import describe
from bibob.questionnaires.model import AttachmentRule, Question, Questionnaire, Section
from bibob.questionnaires.parse import load_questionnaire, parse_questionnaire
from bibob.questionnaires.validation import validate_answers
from bibob.questionnaires.walk import Located, entries, parse_date, walk

__all__ = [
    "All",
    "AnyOf",
    "AttachmentRule",
    "Catalogue",
    "Completeness",
    "CompletenessStatus",
    "Condition",
    "Contains",
    "Equals",
    "Located",
    "NotEquals",
    "OneOf",
    "Question",
    "Questionnaire",
    "Section",
    "answer_schema",
    "apply_selection",
    "check_completeness",
    "describe",
    "entries",
    "load_catalogue",
    "load_questionnaire",
    "parse_date",
    "parse_questionnaire",
    "validate_answers",
    "walk",
]
