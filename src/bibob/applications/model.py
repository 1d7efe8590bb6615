"""A permit application under Bibob screening: its kind, lifecycle state, event history and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TypeVar

import attrs

from bibob.applications.events import (
    ApplicationWithdrawn,
    DangerConclusionRegistered,
    Decision,
    DecisionAnnounced,
    DecisionExtended,
    DecisionRecorded,
    Event,
    IntentionSent,
    LbbAdviceReceived,
    LbbDataRequested,
    LbbDataSupplied,
    LbbExtended,
    LbbRequested,
    ObjectionDecided,
    ObjectionDecisionExtended,
    ObjectionReceived,
    OwnInvestigationStarted,
    RepairCompleted,
    RepairRequested,
    WithdrawalRegistered,
)
from bibob.labels import LabelledEnum
from bibob.legal import AssessmentSource, DangerLevel, DecisionOutcome, Ground, LegalAct, PermitType, Track
from bibob.terms import (
    DEFAULT_DECISION_TERM,
    DEFAULT_ZIENSWIJZE_TERM,
    AtwCalendar,
    DataWait,
    Deadline,
    DecisionExtension,
    LbbExtension,
    LbbRequest,
    RegisterDuty,
    RepairInvitation,
    Term,
    Timeline,
    compute_deadlines,
    default_calendar,
)


class ApplicationState(LabelledEnum):
    """Where an application stands in the lifecycle of domain.md §7.2."""

    RECEIVED = "received", "ontvangen"
    REGULAR_REVIEW = "regularReview", "reguliere toets"
    SCREENING_DECIDED = "screeningDecided", "Bibob-toets bepaald"
    EXISTING_PERMIT_REVIEW = "existingPermitReview", "Bibob-onderzoek bestaande beschikking"
    QUESTIONNAIRE_SENT = "questionnaireSent", "vragenformulier uitgezet"
    REPAIR_REQUESTED = "repairRequested", "aanvulling gevraagd (Awb 4:5)"
    REPAIR_COMPLETED = "repairCompleted", "aanvulling ontvangen"
    OWN_INVESTIGATION = "ownInvestigation", "eigen onderzoek"
    OWN_INVESTIGATION_CONCLUDED = "ownInvestigationConcluded", "conclusie eigen onderzoek"
    COOPERATION_REFUSED = "cooperationRefused", "weigering medewerking (art. 4)"
    LBB_REQUESTED = "lbbRequested", "Bibob-advies aangevraagd"
    LBB_ADDITIONAL_QUESTIONS = "lbbAdditionalQuestions", "aanvullende vragen van het LBB"
    LBB_EXTENDED = "lbbExtended", "adviestermijn LBB verlengd"
    LBB_ADVICE_RECEIVED = "lbbAdviceReceived", "Bibob-advies ontvangen"
    INTENTION_SENT = "intentionSent", "voornemen verstuurd"
    ZIENSWIJZE_RECEIVED = "zienswijzeReceived", "zienswijze ontvangen"
    ZIENSWIJZE_TERM_EXPIRED = "zienswijzeTermExpired", "zienswijzetermijn verstreken"
    DECIDED = "decided", "besluit genomen"
    NOT_PROCESSED = "notProcessed", "buiten behandeling gelaten (Awb 4:5)"
    CLOSED_WITHOUT_MEASURE = "closedWithoutMeasure", "afgesloten zonder maatregel"
    WITHDRAWN_BY_APPLICANT = "withdrawnByApplicant", "aanvraag ingetrokken door de aanvrager"
    ANNOUNCED = "announced", "besluit bekendgemaakt"
    OBJECTION_RECEIVED = "objectionReceived", "bezwaar ontvangen"
    OBJECTION_DECIDED = "objectionDecided", "beslissing op bezwaar genomen"
    FILE_CLOSED = "fileClosed", "dossier gesloten"


INITIAL_STATE = {
    Track.APPLICATION: ApplicationState.RECEIVED,
    Track.EXISTING_PERMIT: ApplicationState.EXISTING_PERMIT_REVIEW,
    Track.REAL_ESTATE: ApplicationState.RECEIVED,
    Track.PUBLIC_CONTRACT: ApplicationState.RECEIVED,
    Track.SUBSIDY: ApplicationState.RECEIVED,
}

DangerLevels = tuple[tuple[AssessmentSource, Ground, DangerLevel], ...]
E = TypeVar("E")


@attrs.frozen
class Application:
    """One application (or existing permit under investigation): a value changed only by `apply_event`.

    `received` is the day the application was received, or on the existing-permit track the day the
    investigation started. `danger_levels` holds the latest level per (source, ground).
    """

    id: str
    permit_type: PermitType
    legal_act: LegalAct
    received: dt.date
    track: Track = Track.APPLICATION
    state: ApplicationState = attrs.field()
    history: tuple[Event, ...] = ()
    danger_levels: DangerLevels = ()
    decision: Decision | None = None
    calendar: AtwCalendar = attrs.field(factory=default_calendar, eq=False, repr=False)  # Atw with equated days

    @state.default
    def _initial_state(self) -> ApplicationState:
        return INITIAL_STATE[self.track]

    @property
    def outcome(self) -> DecisionOutcome | None:
        """The recorded decision's outcome, 'aanvraag ingetrokken' after withdrawal, else None."""
        if self.state is ApplicationState.WITHDRAWN_BY_APPLICANT:
            return DecisionOutcome.APPLICATION_WITHDRAWN
        return self.decision.outcome if self.decision else None

    def level(self, ground: Ground, source: AssessmentSource) -> DangerLevel | None:
        """The level `source` concluded for `ground`, or None when it did not."""
        return self.levels(source).get(ground)

    def levels(self, source: AssessmentSource) -> dict[Ground, DangerLevel]:
        """The levels per ground that `source` concluded."""
        return {ground: level for origin, ground, level in self.danger_levels if origin is source}

    def last(self, event_type: type[E]) -> E | None:
        """The most recent event of `event_type`, or None."""
        return next((event for event in reversed(self.history) if isinstance(event, event_type)), None)

    @property
    def danger_concluded(self) -> bool:
        """The recorded decision concluded at least a lesser danger on some ground: the register must hear of it."""
        return isinstance(self.decision, DecisionRecorded) and any(level.rank >= 1 for _, level in self.decision.levels)

    @property
    def screened(self) -> bool:
        """A Bibob screening was under way: an own investigation or an LBB request on record."""
        return any(isinstance(event, OwnInvestigationStarted | LbbRequested) for event in self.history)

    def register_duties(self) -> tuple[RegisterDuty, ...]:
        """What the body owes the Bibob register: a danger conclusion after a decision that found danger, and the
        withdrawal of an application that was being screened."""
        duties = []
        if self.danger_concluded and self.decision is not None:
            done = self.last(DangerConclusionRegistered)
            duties.append(RegisterDuty("dangerConclusion", self.decision.on, done.on if done else None))
        withdrawn = self.last(ApplicationWithdrawn)
        if withdrawn is not None and self.screened:
            done_withdrawal = self.last(WithdrawalRegistered)
            duties.append(RegisterDuty("withdrawal", withdrawn.on, done_withdrawal.on if done_withdrawal else None))
        return tuple(duties)

    def timeline(
        self, decision_term: Term = DEFAULT_DECISION_TERM, decision_term_basis: str = "Awb 4:13",
        register_working_days: int = 5,
    ) -> Timeline:  # fmt: skip
        """The `Timeline` the deadlines depend on, derived from the history; the terms come from policy."""
        intention, announced = self.last(IntentionSent), self.last(DecisionAnnounced)
        objection, objection_decided = self.last(ObjectionReceived), self.last(ObjectionDecided)
        return Timeline(
            received=self.received,
            decision_term=decision_term,
            decision_term_basis=decision_term_basis,
            extensions=tuple(DecisionExtension(e.on, e.term) for e in self.history if isinstance(e, DecisionExtended)),
            repair_invitations=_repair_invitations(self.history),
            lbb_request=_lbb_request(self.history),
            intention_sent=intention.on if intention else None,
            zienswijze_term=intention.zienswijze_term if intention else DEFAULT_ZIENSWIJZE_TERM,
            decided=self.decision.on if self.decision else None,
            announced=announced.on if announced else None,
            objection_received=objection.on if objection else None,
            objection_advisory_committee=objection.advisory_committee if objection else False,
            objection_extensions=tuple(
                DecisionExtension(e.on, e.term) for e in self.history if isinstance(e, ObjectionDecisionExtended)
            ),
            objection_decided=objection_decided.on if objection_decided else None,
            register_duties=self.register_duties(),
            register_working_days=register_working_days,
        )


def _repair_invitations(history: tuple[Event, ...]) -> tuple[RepairInvitation, ...]:
    """Each Awb 4:5 request with the completion that followed it, if any."""
    invitations: list[RepairInvitation] = []
    for event in history:
        if isinstance(event, RepairRequested):
            invitations.append(RepairInvitation(event.on, event.term_end))
        elif isinstance(event, RepairCompleted) and invitations and invitations[-1].completed is None:
            invitations[-1] = attrs.evolve(invitations[-1], completed=event.on)
    return tuple(invitations)


def _lbb_request(history: tuple[Event, ...]) -> LbbRequest | None:
    """The LBB request with its data waits, extension and advice (art. 15 and 31)."""
    requested = next((e for e in history if isinstance(e, LbbRequested)), None)
    if requested is None:
        return None
    extension = next((LbbExtension(e.on, e.term) for e in history if isinstance(e, LbbExtended)), None)
    advice = next((e.on for e in history if isinstance(e, LbbAdviceReceived)), None)
    return LbbRequest(requested.on, tuple(_data_waits(history)), extension, advice)


def _data_waits(history: tuple[Event, ...]) -> Iterator[DataWait]:
    start: dt.date | None = None
    for event in history:
        if isinstance(event, LbbDataRequested):
            start = event.on
        elif isinstance(event, LbbDataSupplied) and start is not None:
            yield DataWait(start, event.on)
            start = None
    if start is not None:
        yield DataWait(start)


_NO_DECISION_TERM = ("decision", "notProcessedDecision", "art31Suspension", "repairTerm")
_NO_OBJECTION = ("objection",)  # both the objection term and the decision on it


def application_deadlines(
    application: Application,
    today: dt.date,
    calendar: AtwCalendar,
    decision_term: Term = DEFAULT_DECISION_TERM,
    decision_term_basis: str = "Awb 4:13",
    register_working_days: int = 5,
) -> tuple[Deadline, ...]:
    """Every running and passed deadline of `application` on `today`, recomputed from its history.

    Only an application (a permit or a subsidy) has a decision term: on the other tracks the decision,
    Awb 4:5 and art. 31 deadlines are left out. A real-estate transaction or a public contract is no
    besluit, so it has no objection term either. `register_working_days` is the policy's 'onverwijld'.
    """
    timeline = application.timeline(decision_term, decision_term_basis, register_working_days)
    deadlines = compute_deadlines(timeline, today, calendar)
    left_out: tuple[str, ...] = () if application.track.has_application else _NO_DECISION_TERM
    left_out += _NO_OBJECTION if application.track.is_private_law else ()
    return tuple(d for d in deadlines if not d.code.startswith(left_out)) if left_out else deadlines
