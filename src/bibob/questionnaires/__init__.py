"""The Bibob questionnaires: definitions, selections, answer schemas, validation and completeness."""

from bibob.questionnaires.answer_schema import answer_schema
from bibob.questionnaires.catalogue import Catalogue, apply_selection, load_catalogue
from bibob.questionnaires.completeness import Completeness, CompletenessStatus, check_completeness
from bibob.questionnaires.conditions import All, AnyOf, Condition, Contains, Equals, NotEquals, OneOf
from bibob.questionnaires.messages import describe
from bibob.questionnaires.model import AttachmentRule, Question, Questionnaire, Section
from bibob.questionnaires.parse import load_questionnaire, parse_questionnaire
from bibob.questionnaires.roster import ModulePerson, module_roster
from bibob.questionnaires.validation import validate_answers
from bibob.questionnaires.validity import FormValidity, form_in_force
from bibob.questionnaires.walk import (
    AnswerWalk,
    Located,
    entries,
    field_applies,
    parse_date,
    question_applies,
    relevant_part,
    walk,
)

__all__ = [
    "All",
    "AnswerWalk",
    "AnyOf",
    "AttachmentRule",
    "Catalogue",
    "Completeness",
    "CompletenessStatus",
    "Condition",
    "Contains",
    "Equals",
    "FormValidity",
    "Located",
    "ModulePerson",
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
    "field_applies",
    "form_in_force",
    "load_catalogue",
    "load_questionnaire",
    "module_roster",
    "parse_date",
    "parse_questionnaire",
    "question_applies",
    "relevant_part",
    "validate_answers",
    "walk",
]
