"""The application lifecycle as an explicit transition table; applying an event checks its legal preconditions."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from bibob import _machine
from bibob.applications.events import (
    ApplicationWithdrawn,
    CooperationRefused,
    DangerConclusionRegistered,
    DecisionAnnounced,
    DecisionExtended,
    DecisionRecorded,
    Event,
    FileClosed,
    IntentionSent,
    InvestigationClosed,
    LbbAdviceCopySent,
    LbbAdviceReceived,
    LbbDataRequested,
    LbbDataSupplied,
    LbbExtended,
    LbbRequested,
    NotProcessedDecided,
    ObjectionDecided,
    ObjectionDecisionExtended,
    ObjectionHearingHeld,
    ObjectionReceived,
    OwnInvestigationConcluded,
    OwnInvestigationStarted,
    QuestionnaireSent,
    RegisterConsulted,
    RegularReviewStarted,
    RepairCompleted,
    RepairRequested,
    ScreeningDetermined,
    ScreeningTriggered,
    SupplementaryAdviceReceived,
    SupplementaryAdviceRequested,
    TipSent,
    WithdrawalRegistered,
    ZienswijzeReceived,
    ZienswijzeTermExpired,
)
from bibob.applications.model import Application, ApplicationState, DangerLevels
from bibob.applications.rules import (
    DECISION_PRECONDITIONS,
    advice_copy_with_warning,
    advice_on_record,
    applicant_informed,
    art4_allowed,
    checklist_done,
    danger_concluded,
    decided_by_named,
    extended_once,
    lbb_suspension_over,
    lbb_term_running,
    levels_cover_a_and_b,
    levels_given,
    levels_unique,
    motivated,
    named,
    no_art4_in_advice,
    objection_extension_allowed,
    objection_possible,
    on_an_application,
    only_on,
    register_hit_on_record,
    repair_term_lapsed,
    screening_required,
    subjects_given,
    supplementary_advice_asked,
    trigger_source_named,
    warning_written,
    withdrawal_after_screening,
    zienswijze_term_lapsed,
)
from bibob.legal import AssessmentSource, Track
from bibob.terms import check_timeline, dutch_date

S = ApplicationState
#: What the lifecycle says of one event: `allowed`, the `target` state, or every `reasons` (Dutch) why not.
Verdict = _machine.Verdict[Application, ApplicationState, type[Event]]
Precondition = _machine.Check[Application, Any]

# States in which an application is still pending a decision (Awb 4:14 extension and withdrawal possible).
PENDING = (
    S.RECEIVED, S.REGULAR_REVIEW, S.SCREENING_DECIDED, S.QUESTIONNAIRE_SENT, S.REPAIR_REQUESTED, S.REPAIR_COMPLETED,
    S.OWN_INVESTIGATION, S.OWN_INVESTIGATION_CONCLUDED, S.LBB_REQUESTED, S.LBB_ADDITIONAL_QUESTIONS, S.LBB_EXTENDED,
    S.LBB_ADVICE_RECEIVED, S.INTENTION_SENT, S.ZIENSWIJZE_RECEIVED, S.ZIENSWIJZE_TERM_EXPIRED,
)  # fmt: skip

# States in which the file is open (everything but a closed file).
OPEN = tuple(state for state in ApplicationState if state is not S.FILE_CLOSED)
# States after an LBB advice may have arrived, in which its copy can be given (art. 28).
AFTER_ADVICE = (
    S.LBB_ADVICE_RECEIVED, S.INTENTION_SENT, S.ZIENSWIJZE_RECEIVED, S.ZIENSWIJZE_TERM_EXPIRED, S.DECIDED, S.ANNOUNCED,
    S.OBJECTION_RECEIVED, S.OBJECTION_DECIDED,
)  # fmt: skip
# States after a decision, in which its danger conclusion is registered.
DECIDED_STATES = (S.DECIDED, S.ANNOUNCED, S.OBJECTION_RECEIVED, S.OBJECTION_DECIDED)
# States from which a file may close, once its checklist is done.
CLOSABLE = (
    S.DECIDED, S.ANNOUNCED, S.OBJECTION_DECIDED, S.NOT_PROCESSED, S.CLOSED_WITHOUT_MEASURE, S.WITHDRAWN_BY_APPLICANT,
)  # fmt: skip

_EDGES: tuple[tuple[ApplicationState, type[Event], ApplicationState], ...] = (
    (S.RECEIVED, RegularReviewStarted, S.REGULAR_REVIEW),
    (S.RECEIVED, RepairRequested, S.REPAIR_REQUESTED),
    (S.REGULAR_REVIEW, ScreeningDetermined, S.SCREENING_DECIDED),
    (S.REGULAR_REVIEW, RepairRequested, S.REPAIR_REQUESTED),
    (S.REGULAR_REVIEW, DecisionRecorded, S.DECIDED),
    (S.SCREENING_DECIDED, QuestionnaireSent, S.QUESTIONNAIRE_SENT),
    (S.SCREENING_DECIDED, OwnInvestigationStarted, S.OWN_INVESTIGATION),
    (S.SCREENING_DECIDED, DecisionRecorded, S.DECIDED),
    (S.EXISTING_PERMIT_REVIEW, QuestionnaireSent, S.QUESTIONNAIRE_SENT),
    (S.EXISTING_PERMIT_REVIEW, OwnInvestigationStarted, S.OWN_INVESTIGATION),
    (S.EXISTING_PERMIT_REVIEW, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.QUESTIONNAIRE_SENT, RepairRequested, S.REPAIR_REQUESTED),
    (S.QUESTIONNAIRE_SENT, OwnInvestigationStarted, S.OWN_INVESTIGATION),
    (S.QUESTIONNAIRE_SENT, CooperationRefused, S.COOPERATION_REFUSED),
    (S.REPAIR_REQUESTED, RepairCompleted, S.REPAIR_COMPLETED),
    (S.REPAIR_REQUESTED, NotProcessedDecided, S.NOT_PROCESSED),
    (S.REPAIR_COMPLETED, RegularReviewStarted, S.REGULAR_REVIEW),
    (S.REPAIR_COMPLETED, ScreeningDetermined, S.SCREENING_DECIDED),
    (S.REPAIR_COMPLETED, OwnInvestigationStarted, S.OWN_INVESTIGATION),
    (S.REPAIR_COMPLETED, RepairRequested, S.REPAIR_REQUESTED),
    (S.REPAIR_COMPLETED, NotProcessedDecided, S.NOT_PROCESSED),  # what came in did not repair the omission
    (S.OWN_INVESTIGATION, OwnInvestigationConcluded, S.OWN_INVESTIGATION_CONCLUDED),
    (S.OWN_INVESTIGATION, RepairRequested, S.REPAIR_REQUESTED),
    (S.OWN_INVESTIGATION, CooperationRefused, S.COOPERATION_REFUSED),
    (S.OWN_INVESTIGATION_CONCLUDED, LbbRequested, S.LBB_REQUESTED),
    (S.OWN_INVESTIGATION_CONCLUDED, IntentionSent, S.INTENTION_SENT),
    (S.OWN_INVESTIGATION_CONCLUDED, DecisionRecorded, S.DECIDED),
    (S.OWN_INVESTIGATION_CONCLUDED, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.LBB_REQUESTED, LbbDataRequested, S.LBB_ADDITIONAL_QUESTIONS),
    (S.LBB_REQUESTED, LbbExtended, S.LBB_EXTENDED),
    (S.LBB_REQUESTED, LbbAdviceReceived, S.LBB_ADVICE_RECEIVED),
    (S.LBB_EXTENDED, LbbDataRequested, S.LBB_ADDITIONAL_QUESTIONS),
    (S.LBB_EXTENDED, LbbAdviceReceived, S.LBB_ADVICE_RECEIVED),
    # art. 31: once the suspension has ended without the advice, the body goes on without it
    *(
        (state, event, target)
        for state in (S.LBB_REQUESTED, S.LBB_EXTENDED)
        for event, target in ((IntentionSent, S.INTENTION_SENT), (DecisionRecorded, S.DECIDED))
    ),
    (S.LBB_ADDITIONAL_QUESTIONS, LbbDataSupplied, S.LBB_REQUESTED),
    (S.LBB_ADDITIONAL_QUESTIONS, CooperationRefused, S.COOPERATION_REFUSED),
    (S.LBB_ADVICE_RECEIVED, IntentionSent, S.INTENTION_SENT),
    (S.LBB_ADVICE_RECEIVED, DecisionRecorded, S.DECIDED),
    (S.LBB_ADVICE_RECEIVED, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.COOPERATION_REFUSED, IntentionSent, S.INTENTION_SENT),
    (S.COOPERATION_REFUSED, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.INTENTION_SENT, ZienswijzeReceived, S.ZIENSWIJZE_RECEIVED),
    (S.INTENTION_SENT, ZienswijzeTermExpired, S.ZIENSWIJZE_TERM_EXPIRED),
    (S.ZIENSWIJZE_RECEIVED, DecisionRecorded, S.DECIDED),
    (S.ZIENSWIJZE_RECEIVED, IntentionSent, S.INTENTION_SENT),
    (S.ZIENSWIJZE_RECEIVED, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.ZIENSWIJZE_TERM_EXPIRED, DecisionRecorded, S.DECIDED),
    (S.ZIENSWIJZE_TERM_EXPIRED, IntentionSent, S.INTENTION_SENT),
    (S.ZIENSWIJZE_TERM_EXPIRED, InvestigationClosed, S.CLOSED_WITHOUT_MEASURE),
    (S.DECIDED, DecisionAnnounced, S.ANNOUNCED),
    (S.NOT_PROCESSED, DecisionAnnounced, S.ANNOUNCED),
    (S.ANNOUNCED, ObjectionReceived, S.OBJECTION_RECEIVED),
    (S.OBJECTION_RECEIVED, ObjectionDecided, S.OBJECTION_DECIDED),
    *((state, DecisionExtended, state) for state in PENDING),
    *((state, ApplicationWithdrawn, S.WITHDRAWN_BY_APPLICANT) for state in PENDING),
    # the objection phase (Awb 7:2, 7:10, vergewisplicht)
    *(
        (S.OBJECTION_RECEIVED, event, S.OBJECTION_RECEIVED)
        for event in (
            ObjectionHearingHeld,
            SupplementaryAdviceRequested,
            SupplementaryAdviceReceived,
            ObjectionDecisionExtended,
        )
    ),
    # the Bibob register and tips (since 1 October 2022), and art. 28's copy of the advice: recorded where they happen
    *((state, event, state) for state in OPEN for event in (ScreeningTriggered, RegisterConsulted, TipSent)),
    *((state, LbbAdviceCopySent, state) for state in AFTER_ADVICE),
    *((state, DangerConclusionRegistered, state) for state in DECIDED_STATES),
    (S.WITHDRAWN_BY_APPLICANT, WithdrawalRegistered, S.WITHDRAWN_BY_APPLICANT),
    *((state, FileClosed, S.FILE_CLOSED) for state in CLOSABLE),
)

TRANSITIONS: Mapping[tuple[ApplicationState, type[Event]], ApplicationState] = _machine.edges(_EDGES)

PRECONDITIONS: Mapping[type[Event], tuple[Precondition, ...]] = MappingProxyType({
    RepairRequested: (
        on_an_application("een aanvulverzoek (Awb 4:5) kan alleen bij een aanvraag; "
                          "bij een bestaande beschikking geldt art. 4 Wet Bibob"),
    ),
    NotProcessedDecided: (decided_by_named, repair_term_lapsed),
    QuestionnaireSent: (screening_required,),
    OwnInvestigationStarted: (screening_required,),
    OwnInvestigationConcluded: (levels_cover_a_and_b, levels_unique, art4_allowed, motivated),
    LbbRequested: (applicant_informed,),
    LbbExtended: (extended_once, lbb_term_running),
    LbbDataRequested: (lbb_term_running,),
    LbbAdviceReceived: (levels_given, levels_unique, no_art4_in_advice),
    CooperationRefused: (art4_allowed,),
    IntentionSent: (lbb_suspension_over, advice_copy_with_warning),
    ZienswijzeTermExpired: (zienswijze_term_lapsed,),
    DecisionRecorded: DECISION_PRECONDITIONS,
    InvestigationClosed: (
        only_on(Track.EXISTING_PERMIT, "afsluiten zonder maatregel kan alleen bij een bestaande beschikking"),
        decided_by_named,
    ),
    DecisionExtended: (on_an_application("verdagen (Awb 4:14) kan alleen bij een aanvraag"),),
    ApplicationWithdrawn: (on_an_application("alleen een aanvraag kan door de aanvrager worden ingetrokken"),),
    ObjectionReceived: (objection_possible,),
    ObjectionDecided: (decided_by_named,),
    ObjectionDecisionExtended: (objection_extension_allowed,),
    SupplementaryAdviceReceived: (supplementary_advice_asked,),
    ScreeningTriggered: (trigger_source_named, register_hit_on_record),
    RegisterConsulted: (named("consulted_by", "wie het Bibob-register raadpleegde (consultedBy)"), subjects_given),
    TipSent: (
        named("sent_by", "wie de tip verstuurde (sentBy)"), named("recipient", "aan welk bestuursorgaan de tip ging"),
    ),
    LbbAdviceCopySent: (advice_on_record, named("sent_by", "wie het afschrift verstrekte (sentBy)"), warning_written),
    DangerConclusionRegistered: (named("registered_by", "wie registreerde (registeredBy)"), danger_concluded),
    WithdrawalRegistered: (named("registered_by", "wie registreerde (registeredBy)"), withdrawal_after_screening),
    FileClosed: (named("closed_by", "wie het dossier sloot (closedBy)"), checklist_done),
})  # fmt: skip


def _in_order(application: Application, event: Event) -> str | None:
    previous = application.history[-1].on if application.history else application.received
    if event.on >= previous:
        return None
    what = "de vorige gebeurtenis" if application.history else "de ontvangst"
    return f"de datum {dutch_date(event.on)} ligt vóór {what} ({dutch_date(previous)})"


def _absorb(levels: DangerLevels, event: Event) -> DangerLevels:
    """Conclusions of own investigation, LBB advice and decision replace the earlier ones of their source."""
    if isinstance(event, OwnInvestigationConcluded):
        source = AssessmentSource.OWN_INVESTIGATION
    elif isinstance(event, LbbAdviceReceived):
        source = AssessmentSource.LBB
    elif isinstance(event, DecisionRecorded):
        source = AssessmentSource.BODY_FINAL
    else:
        return levels
    kept = tuple(entry for entry in levels if entry[0] is not source)
    return (*kept, *((source, ground, level) for ground, level in event.levels))


def _moved(application: Application, event: Event, target: ApplicationState) -> Application:
    decision = event if isinstance(event, DecisionRecorded | NotProcessedDecided) else application.decision
    return attrs.evolve(
        application,
        state=target,
        history=(*application.history, event),
        danger_levels=_absorb(application.danger_levels, event),
        decision=decision,
    )


def _timeline_problems(moved: Application) -> tuple[str, ...]:
    return tuple(problem.message for problem in check_timeline(moved.timeline()))


MACHINE: _machine.Machine[Application, Event, ApplicationState, type[Event]] = _machine.Machine(
    edges=TRANSITIONS,
    preconditions=PRECONDITIONS,
    state_of=lambda application: application.state,
    kind_of=_machine.event_type,
    label_of=lambda event_type: event_type.LABEL,
    move=_moved,
    always=(_in_order,),
    settled=_timeline_problems,
)


def apply_event(application: Application, event: Event) -> Application:
    """The application after `event`: history appended, state moved, levels and decision recorded.

    Raises `TransitionError` when the table has no edge for (state, event), or naming in Dutch every
    unmet legal precondition of that edge, or when the deadlines could no longer be computed.
    """
    return _machine.apply(MACHINE, application, event)


def check_event(application: Application, event: Event) -> Verdict:
    """Whether `event` would be taken now and where it leads, or every Dutch reason it would be refused.

    Asks the same table and preconditions as `apply_event`, and raises nothing: a page shows the reasons before
    anyone clicks.
    """
    return _machine.verdict(MACHINE, application, event)


def replay(application: Application, events: Iterable[Event]) -> Application:
    """`application` after each of `events` in turn."""
    return _machine.replay(MACHINE, application, events)


def unmet_preconditions(application: Application, event: Event) -> tuple[str, ...]:
    """The Dutch reason of every precondition of `event` that `application` does not meet."""
    return _machine.unmet(MACHINE, application, event)


@functools.cache  # the table is fixed: one answer per state
def allowed_events(state: ApplicationState) -> tuple[type[Event], ...]:
    """The event types the table allows in `state`."""
    return _machine.allowed(MACHINE, state)
