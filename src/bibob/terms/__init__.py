"""Statutory terms on the Algemene termijnenwet calendar: an application's timeline and deadlines."""

from bibob.terms.calendar import FIRST_YEAR, LAST_YEAR, AtwCalendar, Term, TermUnit, add_term, dutch_date, load_calendar
from bibob.terms.deadlines import DEFAULT_DECISION_TERM, OBJECTION_TERM, Deadline, compute_deadlines
from bibob.terms.timeline import (
    DEFAULT_ZIENSWIJZE_TERM,
    DataWait,
    DecisionExtension,
    LbbExtension,
    LbbRequest,
    RepairInvitation,
    Timeline,
    art31_of,
    check_timeline,
)

__all__ = [
    "DEFAULT_DECISION_TERM",
    "DEFAULT_ZIENSWIJZE_TERM",
    "FIRST_YEAR",
    "LAST_YEAR",
    "OBJECTION_TERM",
    "AtwCalendar",
    "DataWait",
    "Deadline",
    "DecisionExtension",
    "LbbExtension",
    "LbbRequest",
    "RepairInvitation",
    "Term",
    "TermUnit",
    "Timeline",
    "add_term",
    "art31_of",
    "check_timeline",
    "compute_deadlines",
    "dutch_date",
    "load_calendar",
]
