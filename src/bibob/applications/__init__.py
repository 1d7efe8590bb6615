"""A permit application's Bibob lifecycle: its events, legal preconditions and JSON documents."""

from bibob.applications.documents import application_from_json, application_to_json, event_from_json, event_to_json
from bibob.applications.events import (
    EVENTS_BY_TYPE,
    DecisionAnnounced,
    DecisionRecorded,
    Event,
    IntentionSent,
    LbbAdviceReceived,
    LbbRequested,
    ObjectionDecided,
    ObjectionReceived,
    RepairRequested,
    ScreeningTrigger,
    TipSent,
    ZienswijzeReceived,
    ZienswijzeTermExpired,
)
from bibob.applications.lifecycle import Verdict, allowed_events, apply_event, check_event
from bibob.applications.model import Application, ApplicationState, application_deadlines

__all__ = [
    "EVENTS_BY_TYPE",
    "Application",
    "ApplicationState",
    "DecisionAnnounced",
    "DecisionRecorded",
    "Event",
    "IntentionSent",
    "LbbAdviceReceived",
    "LbbRequested",
    "ObjectionDecided",
    "ObjectionReceived",
    "RepairRequested",
    "ScreeningTrigger",
    "TipSent",
    "Verdict",
    "ZienswijzeReceived",
    "ZienswijzeTermExpired",
    "allowed_events",
    "application_deadlines",
    "application_from_json",
    "application_to_json",
    "apply_event",
    "check_event",
    "event_from_json",
    "event_to_json",
]
