"""Every edge of the lifecycle's transition table is taken once, and every missing edge is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

from bibob.applications import Application, ApplicationState, DecisionRecorded, Event, allowed_events, apply_event
from bibob.applications.events import (
    EVENT_TYPES,
    ApplicationWithdrawn,
    CooperationRefused,
    DangerConclusionRegistered,
    DecisionAnnounced,
    DecisionExtended,
    FileClosed,
    IntentionKind,
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
    Screening,
    ScreeningDetermined,
    ScreeningTrigger,
    ScreeningTriggered,
    SupplementaryAdviceReceived,
    SupplementaryAdviceRequested,
    TipSent,
    WithdrawalRegistered,
    ZienswijzeReceived,
    ZienswijzeTermExpired,
)
from bibob.applications.lifecycle import PENDING, TRANSITIONS, replay
from bibob.exceptions import TransitionError
from bibob.legal import DecisionOutcome, Track
from bibob.terms import Term
from tests.bibob.applications.test_application import (
    ADVICE,
    ANNOUNCE,
    CONCLUDE_LESSER,
    COPY,
    FORM,
    GRANT,
    INVESTIGATE,
    LBB,
    LBB_DATA,
    LBB_EXTENDED,
    NEGATIVE,
    NOT_PROCESSED,
    OBJECTION,
    OBJECTION_DECIDED,
    PERSON,
    REFUSAL_TO_COOPERATE,
    REFUSE,
    REPAIR,
    REPAIRED,
    REVIEW,
    SCREEN,
    SCREEN_NONE,
    VIEW,
    VIEW_LAPSED,
    WARNING,
    start,
)

S = ApplicationState
ONE_DAY = dt.timedelta(days=1)

# A history that reaches each state on the application track (existing-permit paths drop the first two steps).
INVESTIGATED = (REVIEW, SCREEN, FORM, INVESTIGATE, CONCLUDE_LESSER)
PATHS: dict[ApplicationState, tuple[Event, ...]] = {
    S.RECEIVED: (),
    S.REGULAR_REVIEW: (REVIEW,),
    S.SCREENING_DECIDED: (REVIEW, SCREEN),
    S.EXISTING_PERMIT_REVIEW: (),
    S.QUESTIONNAIRE_SENT: (REVIEW, SCREEN, FORM),
    S.REPAIR_REQUESTED: (REVIEW, SCREEN, FORM, REPAIR),
    S.REPAIR_COMPLETED: (REVIEW, SCREEN, FORM, REPAIR, REPAIRED),
    S.OWN_INVESTIGATION: (REVIEW, SCREEN, FORM, INVESTIGATE),
    S.OWN_INVESTIGATION_CONCLUDED: INVESTIGATED,
    S.COOPERATION_REFUSED: (FORM, REFUSAL_TO_COOPERATE),
    S.LBB_REQUESTED: (*INVESTIGATED, LBB),
    S.LBB_ADDITIONAL_QUESTIONS: (*INVESTIGATED, LBB, LBB_DATA),
    S.LBB_EXTENDED: (*INVESTIGATED, LBB, LBB_EXTENDED),
    S.LBB_ADVICE_RECEIVED: (*INVESTIGATED, LBB, ADVICE, COPY),
    S.INTENTION_SENT: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE),
    S.ZIENSWIJZE_RECEIVED: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE, VIEW),
    S.ZIENSWIJZE_TERM_EXPIRED: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE, VIEW_LAPSED),
    S.DECIDED: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE, VIEW, REFUSE),
    S.NOT_PROCESSED: (REVIEW, SCREEN, FORM, REPAIR, NOT_PROCESSED),
    S.CLOSED_WITHOUT_MEASURE: (InvestigationClosed(dt.date(2026, 3, 3), PERSON),),
    S.WITHDRAWN_BY_APPLICANT: (ApplicationWithdrawn(dt.date(2026, 3, 3)),),
    S.ANNOUNCED: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE, VIEW, REFUSE, ANNOUNCE),
    S.OBJECTION_RECEIVED: (*INVESTIGATED, LBB, ADVICE, COPY, NEGATIVE, VIEW, REFUSE, ANNOUNCE, OBJECTION),
    S.OBJECTION_DECIDED: (
        *INVESTIGATED,
        LBB,
        ADVICE,
        COPY,
        NEGATIVE,
        VIEW,
        REFUSE,
        ANNOUNCE,
        OBJECTION,
        OBJECTION_DECIDED,
    ),
    S.FILE_CLOSED: (ApplicationWithdrawn(dt.date(2026, 3, 3)), FileClosed(dt.date(2026, 3, 4), PERSON)),
}
REGISTERED = DangerConclusionRegistered(dt.date(2026, 7, 13), PERSON)
WITHDRAWN_WHILE_SCREENED = (REVIEW, SCREEN, FORM, INVESTIGATE, ApplicationWithdrawn(dt.date(2026, 3, 25)))
EXISTING_ONLY = {S.EXISTING_PERMIT_REVIEW, S.COOPERATION_REFUSED, S.CLOSED_WITHOUT_MEASURE}

# A valid event of each type, dated the day after the path ends.
DEFAULT_EVENTS: dict[type[Event], Callable[[dt.date], Event]] = {
    RegularReviewStarted: RegularReviewStarted,
    ScreeningDetermined: lambda day: ScreeningDetermined(day, Screening.MANDATORY),
    QuestionnaireSent: QuestionnaireSent,
    RepairRequested: lambda day: RepairRequested(day, day + 14 * ONE_DAY),
    RepairCompleted: RepairCompleted,
    NotProcessedDecided: lambda day: NotProcessedDecided(max(day, dt.date(2026, 3, 24)), PERSON),
    OwnInvestigationStarted: OwnInvestigationStarted,
    OwnInvestigationConcluded: lambda day: attrs.evolve(CONCLUDE_LESSER, on=day),
    LbbRequested: lambda day: LbbRequested(day, day),
    LbbDataRequested: LbbDataRequested,
    LbbDataSupplied: LbbDataSupplied,
    LbbExtended: lambda day: LbbExtended(day, Term.weeks(4)),
    LbbAdviceReceived: lambda day: attrs.evolve(ADVICE, on=day),
    CooperationRefused: CooperationRefused,
    IntentionSent: lambda day: IntentionSent(day, IntentionKind.NEGATIVE),
    ZienswijzeReceived: ZienswijzeReceived,
    ZienswijzeTermExpired: lambda day: ZienswijzeTermExpired(max(day, dt.date(2026, 7, 7))),
    DecisionRecorded: lambda day: attrs.evolve(GRANT, on=day),
    InvestigationClosed: lambda day: InvestigationClosed(day, PERSON),
    DecisionExtended: lambda day: DecisionExtended(day, Term.weeks(4)),
    ApplicationWithdrawn: ApplicationWithdrawn,
    DecisionAnnounced: DecisionAnnounced,
    ObjectionReceived: ObjectionReceived,
    ObjectionDecided: lambda day: ObjectionDecided(day, PERSON),
    ObjectionHearingHeld: ObjectionHearingHeld,
    SupplementaryAdviceRequested: SupplementaryAdviceRequested,
    SupplementaryAdviceReceived: SupplementaryAdviceReceived,
    ObjectionDecisionExtended: ObjectionDecisionExtended,
    ScreeningTriggered: lambda day: ScreeningTriggered(day, ScreeningTrigger.POLICY),
    RegisterConsulted: lambda day: RegisterConsulted(day, PERSON, ("Horeca Vries B.V.",), hit=False),
    DangerConclusionRegistered: lambda day: DangerConclusionRegistered(day, PERSON),
    WithdrawalRegistered: lambda day: WithdrawalRegistered(day, PERSON),
    TipSent: lambda day: TipSent(day, PERSON, "burgemeester van Amersfoort"),
    LbbAdviceCopySent: lambda day: LbbAdviceCopySent(day, PERSON, WARNING),
    FileClosed: lambda day: FileClosed(day, PERSON),
}
EXISTING_PERMIT_EDGES = {
    (S.QUESTIONNAIRE_SENT, CooperationRefused),
    (S.OWN_INVESTIGATION, CooperationRefused),
    (S.LBB_ADDITIONAL_QUESTIONS, CooperationRefused),
    *((state, InvestigationClosed) for state, kind in TRANSITIONS if kind is InvestigationClosed),
}
# Edges whose valid event differs from the default: a path variant and/or the event itself.
SPECIAL: dict[tuple[ApplicationState, type[Event]], tuple[tuple[Event, ...], Callable[[dt.date], Event]]] = {
    (S.REGULAR_REVIEW, DecisionRecorded): (
        (REVIEW,),
        lambda day: DecisionRecorded(day, DecisionOutcome.REFUSED_REGULAR, PERSON, motivation="bestemmingsplan"),
    ),
    (S.SCREENING_DECIDED, DecisionRecorded): ((REVIEW, SCREEN_NONE), lambda day: attrs.evolve(GRANT, on=day)),
    (S.LBB_ADVICE_RECEIVED, DecisionRecorded): (
        PATHS[S.LBB_ADVICE_RECEIVED],
        lambda day: attrs.evolve(GRANT, on=day, levels=ADVICE.levels),
    ),
    (S.ZIENSWIJZE_RECEIVED, DecisionRecorded): (PATHS[S.ZIENSWIJZE_RECEIVED], lambda day: attrs.evolve(REFUSE, on=day)),
    # without the LBB's advice only after the art. 31 suspension (8 weeks, 4 more when extended) has ended
    **{
        (state, kind): (PATHS[state], make)
        for state in (S.LBB_REQUESTED, S.LBB_EXTENDED)
        for kind, make in (
            (IntentionSent, lambda day: IntentionSent(day + 13 * 7 * ONE_DAY, IntentionKind.NEGATIVE)),
            (DecisionRecorded, lambda day: attrs.evolve(GRANT, on=day + 13 * 7 * ONE_DAY)),
        )
    },
    (S.ZIENSWIJZE_TERM_EXPIRED, DecisionRecorded): (
        PATHS[S.ZIENSWIJZE_TERM_EXPIRED],
        lambda day: attrs.evolve(REFUSE, on=day),
    ),
    (S.WITHDRAWN_BY_APPLICANT, WithdrawalRegistered): (WITHDRAWN_WHILE_SCREENED, DEFAULT_EVENTS[WithdrawalRegistered]),
    (S.OBJECTION_RECEIVED, SupplementaryAdviceReceived): (
        (*PATHS[S.OBJECTION_RECEIVED], SupplementaryAdviceRequested(dt.date(2026, 8, 4))),
        SupplementaryAdviceReceived,
    ),
    # a refusal concluded a danger: the register hears of it before the file closes
    **{
        (state, FileClosed): (
            (*PATHS[state], attrs.evolve(REGISTERED, on=PATHS[state][-1].on)),
            DEFAULT_EVENTS[FileClosed],
        )
        for state in (S.DECIDED, S.ANNOUNCED, S.OBJECTION_DECIDED)
    },
}


def _track(state: ApplicationState, event_type: type[Event]) -> Track:
    existing = state in EXISTING_ONLY or (state, event_type) in EXISTING_PERMIT_EDGES
    return Track.EXISTING_PERMIT if existing else Track.APPLICATION


def _reach(state: ApplicationState, track: Track, path: tuple[Event, ...] | None = None) -> Application:
    events = PATHS[state] if path is None else path
    if track is Track.EXISTING_PERMIT:
        events = tuple(event for event in events if not isinstance(event, RegularReviewStarted | ScreeningDetermined))
    return replay(start(track), events)


def _edge_case(state: ApplicationState, event_type: type[Event]) -> tuple[Application, Event]:
    path, make = SPECIAL.get((state, event_type), (None, DEFAULT_EVENTS[event_type]))
    application = _reach(state, _track(state, event_type), path)
    last = application.history[-1].on if application.history else application.received
    return application, make(last + ONE_DAY)


def _edge_id(edge: tuple[ApplicationState, type[Event]]) -> str:
    return f"{edge[0].value}-{edge[1].TYPE}"


@pytest.mark.parametrize("edge", list(TRANSITIONS), ids=_edge_id)
def test_every_edge_of_the_table_moves_to_its_target_and_records_the_event(
    edge: tuple[ApplicationState, type[Event]],
) -> None:
    application, event = _edge_case(*edge)
    assert application.state is edge[0]
    moved = apply_event(application, event)
    assert moved.state is TRANSITIONS[edge]
    assert moved.history == (*application.history, event)


@pytest.mark.parametrize("state", list(S), ids=lambda state: state.value)
def test_every_event_without_an_edge_is_refused_naming_where_it_may_follow(state: ApplicationState) -> None:
    refused = [event_type for event_type in EVENT_TYPES if (state, event_type) not in TRANSITIONS]
    for event_type in refused:
        application, event = _edge_case(state, event_type)
        with pytest.raises(TransitionError) as caught:
            apply_event(application, event)
        assert caught.value.state == state.label
        assert caught.value.reason.startswith(f"'{event_type.LABEL}' kan alleen volgen op: ")


def test_the_table_reaches_every_state_and_every_event_type_has_an_edge() -> None:
    targets = set(TRANSITIONS.values()) | {S.RECEIVED, S.EXISTING_PERMIT_REVIEW}
    assert targets == set(S)
    assert {event_type for _, event_type in TRANSITIONS} == set(EVENT_TYPES)


RECORD_KEEPING = {ScreeningTriggered, RegisterConsulted, TipSent}


def test_final_states_allow_nothing_but_announcement_objection_record_keeping_and_closing_the_file() -> None:
    assert set(allowed_events(S.WITHDRAWN_BY_APPLICANT)) == {*RECORD_KEEPING, WithdrawalRegistered, FileClosed}
    assert set(allowed_events(S.CLOSED_WITHOUT_MEASURE)) == {*RECORD_KEEPING, FileClosed}
    assert set(allowed_events(S.OBJECTION_DECIDED)) == {
        *RECORD_KEEPING, LbbAdviceCopySent, DangerConclusionRegistered, FileClosed,
    }  # fmt: skip
    assert set(allowed_events(S.DECIDED)) == {
        DecisionAnnounced, *RECORD_KEEPING, LbbAdviceCopySent, DangerConclusionRegistered, FileClosed,
    }  # fmt: skip
    assert allowed_events(S.FILE_CLOSED) == ()


def test_an_extension_keeps_the_state_and_withdrawal_is_possible_in_every_pending_state() -> None:
    for state in PENDING:
        assert TRANSITIONS[(state, DecisionExtended)] is state
        assert TRANSITIONS[(state, ApplicationWithdrawn)] is S.WITHDRAWN_BY_APPLICANT


def test_an_lbb_request_in_the_middle_of_the_own_investigation_names_the_concluded_state() -> None:
    application = _reach(S.OWN_INVESTIGATION, Track.APPLICATION)
    with pytest.raises(TransitionError, match="conclusie eigen onderzoek"):
        apply_event(application, LbbRequested(dt.date(2026, 3, 25), dt.date(2026, 3, 25)))


def test_the_error_message_is_dutch_and_names_state_event_and_reason() -> None:
    with pytest.raises(TransitionError) as caught:
        apply_event(start(), NOT_PROCESSED)
    assert str(caught.value) == (
        "'besluit buiten behandeling laten' is niet toegestaan in status 'ontvangen': "
        "'besluit buiten behandeling laten' kan alleen volgen op: aanvulling gevraagd (Awb 4:5), aanvulling ontvangen"
    )


@pytest.mark.parametrize("event_type", [IntentionSent, DecisionRecorded], ids=lambda kind: kind.TYPE)
def test_without_the_lbb_advice_the_body_goes_on_once_the_art31_suspension_has_ended(event_type: type[Event]) -> None:
    waiting = _reach(S.LBB_REQUESTED, Track.APPLICATION)
    requested = waiting.last(LbbRequested)
    assert requested is not None
    end = requested.on + 56 * ONE_DAY  # eight weeks, no data waits, no extension
    make = DEFAULT_EVENTS[event_type] if event_type is IntentionSent else (lambda day: attrs.evolve(GRANT, on=day))
    with pytest.raises(TransitionError) as caught:
        apply_event(waiting, make(end - ONE_DAY))
    assert "art. 31 Wet Bibob" in caught.value.reason and "wacht het advies af" in caught.value.reason
    assert apply_event(waiting, make(end)).state is TRANSITIONS[S.LBB_REQUESTED, event_type]
