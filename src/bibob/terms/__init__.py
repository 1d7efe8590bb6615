"""Statutory terms on the Algemene termijnenwet calendar: an application's timeline and deadlines."""

from bibob.terms.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    AtwCalendar,
    Term,
    TermUnit,
    add_term,
    default_calendar,
    dutch_date,
    load_calendar,
)
from bibob.terms.deadlines import DEFAULT_DECISION_TERM, OBJECTION_TERM, Deadline, art31_suspends, compute_deadlines
from bibob.terms.timeline import (
    DEFAULT_ZIENSWIJZE_TERM,
    DataWait,
    DecisionExtension,
    LbbExtension,
    LbbRequest,
    RegisterDuty,
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
    "RegisterDuty",
    "RepairInvitation",
    "Term",
    "TermUnit",
    "Timeline",
    "add_term",
    "art31_of",
    "art31_suspends",
    "check_timeline",
    "compute_deadlines",
    "default_calendar",
    "dutch_date",
    "load_calendar",
]
