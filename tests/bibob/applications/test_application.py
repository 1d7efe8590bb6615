"""The application lifecycle end to end: the happy paths and the deadlines recomputed from the history."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from bibob.applications import Application, ApplicationState, DecisionRecorded, Event, application_deadlines
from bibob.applications.events import (
    ApplicationWithdrawn,
    CooperationRefused,
    DecisionAnnounced,
    DecisionExtended,
    IntentionKind,
    IntentionSent,
    LbbAdviceCopySent,
    LbbAdviceReceived,
    LbbDataRequested,
    LbbDataSupplied,
    LbbExtended,
    LbbRequested,
    NotProcessedDecided,
    ObjectionDecided,
    ObjectionReceived,
    OwnInvestigationConcluded,
    OwnInvestigationStarted,
    QuestionnaireSent,
    RegularReviewStarted,
    RepairCompleted,
    RepairRequested,
    Screening,
    ScreeningDetermined,
    ZienswijzeReceived,
    ZienswijzeTermExpired,
)
from bibob.applications.lifecycle import replay
from bibob.legal import (
    AssessmentSource,
    DangerLevel,
    DecisionOutcome,
    Ground,
    LegalAct,
    PermitType,
    ProportionalityRecord,
    Track,
)
from bibob.terms import AtwCalendar, Deadline, Term, Timeline, load_calendar
from bibob.terms.deadlines import DeadlineStatus

D = dt.date
S = ApplicationState
A, B, ART3_6, ART4 = Ground.A_BENEFIT, Ground.B_OFFENCES, Ground.ART3_6_OBTAINING, Ground.ART4_REFUSAL
NONE, LESSER, SERIOUS = DangerLevel.NONE, DangerLevel.LESSER, DangerLevel.SERIOUS
PERSON = "mr. J. de Vries, burgemeester"
RECEIVED = D(2026, 3, 2)  # a Monday; 8 weeks end on King's Day, Monday 27 April 2026

# One synthetic case file, dated in lifecycle order, so that any prefix of a path is a valid history.
REVIEW = RegularReviewStarted(D(2026, 3, 3))
SCREEN = ScreeningDetermined(D(2026, 3, 4), Screening.MANDATORY)
SCREEN_NONE = ScreeningDetermined(D(2026, 3, 4), Screening.NONE, "evenement zonder aanleiding")
FORM = QuestionnaireSent(D(2026, 3, 5))
REPAIR = RepairRequested(D(2026, 3, 9), term_end=D(2026, 3, 23))
REPAIRED = RepairCompleted(D(2026, 3, 20))
INVESTIGATE = OwnInvestigationStarted(D(2026, 3, 24))
CONCLUDE_NONE = OwnInvestigationConcluded(D(2026, 4, 7), ((A, NONE), (B, NONE)), "geen aanwijzingen")
CONCLUDE_LESSER = OwnInvestigationConcluded(D(2026, 4, 7), ((A, LESSER), (B, NONE)), "onderhandse lening")
LBB = LbbRequested(D(2026, 4, 8), applicant_informed_on=D(2026, 4, 8))
LBB_DATA = LbbDataRequested(D(2026, 4, 20))
LBB_SUPPLIED = LbbDataSupplied(D(2026, 4, 27))
LBB_EXTENDED = LbbExtended(D(2026, 5, 25), Term.weeks(4))
ADVICE = LbbAdviceReceived(D(2026, 6, 15), ((A, SERIOUS), (B, LESSER)))
WARNING = "U bent verplicht tot geheimhouding van dit advies (art. 28 Wet Bibob); alleen de rechter mag het zien."
COPY = LbbAdviceCopySent(D(2026, 6, 22), "Bibob-coördinator", WARNING)  # art. 28: with the intention
NEGATIVE = IntentionSent(D(2026, 6, 22), IntentionKind.NEGATIVE)  # zienswijze term ends 6 July 2026
CONDITIONS = IntentionSent(D(2026, 6, 22), IntentionKind.CONDITIONS)
VIEW = ZienswijzeReceived(D(2026, 7, 1))
VIEW_LAPSED = ZienswijzeTermExpired(D(2026, 7, 7))
PROPORTIONALITY = ProportionalityRecord(
    seriousness="witwassen via de exploitatie; ernstige feiten",
    number_and_recency="drie feiten in 2024 en 2025",
    link_to_activity="financiering van deze horecazaak",
    relation_current="financier is nog betrokken",
    applicant_interests="huurcontract en investering van € 80.000 gewogen",
    lesser_means_considered="voorschriften onvoldoende: herkomst geld blijft onbekend",
    recorded_by="Bibob-coördinator",
    recorded_on=D(2026, 7, 8),
)
REFUSE = DecisionRecorded(
    D(2026, 7, 10), DecisionOutcome.REFUSED_BIBOB, PERSON, grounds=(A,), levels=((A, SERIOUS), (B, LESSER)),
    proportionality=PROPORTIONALITY,
)  # fmt: skip
GRANT = DecisionRecorded(D(2026, 7, 10), DecisionOutcome.GRANTED, PERSON, levels=((A, NONE), (B, NONE)))
GRANT_WITH_CONDITIONS = DecisionRecorded(
    D(2026, 7, 10), DecisionOutcome.GRANTED_WITH_CONDITIONS, PERSON, levels=((A, LESSER), (B, NONE)),
    conditions=("jaarrekening jaarlijks overleggen", "wijziging financiers melden"),
)  # fmt: skip
NOT_PROCESSED = NotProcessedDecided(D(2026, 3, 30), PERSON)
ANNOUNCE = DecisionAnnounced(D(2026, 7, 13))
OBJECTION = ObjectionReceived(D(2026, 8, 3))
OBJECTION_DECIDED = ObjectionDecided(D(2026, 9, 14), PERSON)
REFUSAL_TO_COOPERATE = CooperationRefused(D(2026, 3, 25), "formulier niet ingevuld na rappel")
WITHDRAW_ART4 = DecisionRecorded(
    D(2026, 7, 10), DecisionOutcome.WITHDRAWN_ART4, PERSON, grounds=(ART4,), levels=((ART4, SERIOUS),),
    proportionality=PROPORTIONALITY,
)  # fmt: skip

SCREENED = (REVIEW, SCREEN, FORM, INVESTIGATE)


def start(track: Track = Track.APPLICATION, legal_act: LegalAct = LegalAct.VERGUNNING) -> Application:
    """A fresh synthetic horeca application (or existing permit) received on `RECEIVED`."""
    return Application("2026-0042", PermitType.EXPLOITATIE_HORECA, legal_act, RECEIVED, track)


def run(*events: Event, track: Track = Track.APPLICATION, legal_act: LegalAct = LegalAct.VERGUNNING) -> Application:
    return replay(start(track, legal_act), events)


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


def _deadline(application: Application, code: str, today: dt.date, calendar: AtwCalendar) -> Deadline:
    return {d.code: d for d in application_deadlines(application, today, calendar)}[code]


# --- happy paths -----------------------------------------------------------------------------------------------


def test_a_screened_application_without_danger_is_granted_and_announced() -> None:
    application = run(*SCREENED, CONCLUDE_NONE, GRANT, ANNOUNCE)
    assert application.state is S.ANNOUNCED
    assert application.decision == GRANT
    assert application.levels(AssessmentSource.OWN_INVESTIGATION) == {A: NONE, B: NONE}
    assert application.levels(AssessmentSource.BODY_FINAL) == {A: NONE, B: NONE}
    assert application.history == (*SCREENED, CONCLUDE_NONE, GRANT, ANNOUNCE)


def test_an_application_without_screening_goes_straight_to_the_decision() -> None:
    application = run(REVIEW, SCREEN_NONE, attrs.evolve(GRANT, on=D(2026, 3, 20), levels=()))
    assert application.state is S.DECIDED
    assert application.decision is not None and application.decision.outcome is DecisionOutcome.GRANTED


def test_lesser_danger_leads_to_conditions_after_a_zienswijze() -> None:
    application = run(*SCREENED, CONCLUDE_LESSER, CONDITIONS, VIEW, GRANT_WITH_CONDITIONS)
    assert application.state is S.DECIDED
    assert application.decision == GRANT_WITH_CONDITIONS
    assert application.level(A, AssessmentSource.BODY_FINAL) is LESSER


def test_an_lbb_advice_of_serious_danger_leads_to_a_refusal_with_proportionality() -> None:
    events = (
        *SCREENED,
        CONCLUDE_LESSER,
        LBB,
        LBB_DATA,
        LBB_SUPPLIED,
        LBB_EXTENDED,
        ADVICE,
        COPY,
        NEGATIVE,
        VIEW_LAPSED,
    )
    application = run(*events, REFUSE, ANNOUNCE, OBJECTION, OBJECTION_DECIDED)
    assert application.state is S.OBJECTION_DECIDED
    assert application.decision == REFUSE
    assert application.level(A, AssessmentSource.LBB) is SERIOUS
    assert application.level(A, AssessmentSource.OWN_INVESTIGATION) is LESSER
    assert application.level(A, AssessmentSource.BODY_FINAL) is SERIOUS


def test_an_application_left_incomplete_after_the_repair_term_is_not_processed() -> None:
    application = run(REVIEW, SCREEN, FORM, REPAIR, NOT_PROCESSED, DecisionAnnounced(D(2026, 3, 31)))
    assert application.state is S.ANNOUNCED
    assert application.decision == NOT_PROCESSED
    assert application.outcome is DecisionOutcome.NOT_PROCESSED


def test_an_application_withdrawn_by_the_applicant_has_that_outcome_and_no_decision() -> None:
    application = run(*SCREENED, ApplicationWithdrawn(D(2026, 3, 25)))
    assert application.state is S.WITHDRAWN_BY_APPLICANT
    assert (application.decision, application.outcome) == (None, DecisionOutcome.APPLICATION_WITHDRAWN)


def test_an_existing_permit_is_withdrawn_under_art_4_after_refusal_to_cooperate() -> None:
    events = (FORM, REFUSAL_TO_COOPERATE, NEGATIVE, VIEW_LAPSED, WITHDRAW_ART4)
    application = run(*events, track=Track.EXISTING_PERMIT)
    assert application.state is S.DECIDED
    assert application.decision == WITHDRAW_ART4
    assert application.level(ART4, AssessmentSource.BODY_FINAL) is SERIOUS


def test_an_existing_permit_starts_in_its_own_state_and_an_application_as_received() -> None:
    assert start().state is S.RECEIVED
    assert start(Track.EXISTING_PERMIT).state is S.EXISTING_PERMIT_REVIEW


def test_applying_an_event_returns_a_new_value_and_leaves_the_old_one_alone() -> None:
    before = run(REVIEW)
    after = replay(before, (SCREEN,))
    assert before.state is S.REGULAR_REVIEW and before.history == (REVIEW,)
    assert after.state is S.SCREENING_DECIDED and after.history == (REVIEW, SCREEN)


def test_a_new_conclusion_replaces_the_earlier_levels_of_the_same_source_only() -> None:
    application = run(*SCREENED, CONCLUDE_LESSER, LBB, ADVICE)
    assert application.danger_levels == (
        (AssessmentSource.OWN_INVESTIGATION, A, LESSER),
        (AssessmentSource.OWN_INVESTIGATION, B, NONE),
        (AssessmentSource.LBB, A, SERIOUS),
        (AssessmentSource.LBB, B, LESSER),
    )


# --- deadlines from the history ---------------------------------------------------------------------------------


def test_the_decision_term_without_suspension_runs_past_kings_day(calendar: AtwCalendar) -> None:
    deadline = _deadline(run(REVIEW), "decision", D(2026, 3, 10), calendar)
    assert deadline.due == D(2026, 4, 28)  # 27 April 2026 is King's Day
    assert deadline.status is DeadlineStatus.RUNNING


def test_a_repair_request_suspends_the_decision_term_until_completion(calendar: AtwCalendar) -> None:
    application = run(REVIEW, SCREEN, FORM, REPAIR, REPAIRED)
    deadline = _deadline(application, "decision", D(2026, 3, 21), calendar)
    assert deadline.due == D(2026, 5, 7)  # 27 April + 10 days suspended (Awb 4:15: 10 up to 20 March)
    assert "Awb 4:15" in deadline.explanation


def test_a_lapsed_repair_term_gives_four_weeks_to_decide_not_to_process(calendar: AtwCalendar) -> None:
    application = run(REVIEW, SCREEN, FORM, REPAIR)
    deadline = _deadline(application, "notProcessedDecision.1", D(2026, 3, 25), calendar)
    assert deadline.due == D(2026, 4, 20)  # 23 March + 4 weeks
    decided = replay(application, (NOT_PROCESSED,))
    assert _deadline(decided, "notProcessedDecision.1", D(2026, 4, 1), calendar).status is DeadlineStatus.MET


def test_an_lbb_request_suspends_the_decision_term_until_the_advice_art_31(calendar: AtwCalendar) -> None:
    application = run(*SCREENED, CONCLUDE_LESSER, LBB, LBB_DATA, LBB_SUPPLIED, LBB_EXTENDED, ADVICE)
    deadlines = {d.code: d for d in application_deadlines(application, D(2026, 6, 16), calendar)}
    assert deadlines["art31Suspension"].due == D(2026, 6, 15)
    assert deadlines["art31Suspension"].status is DeadlineStatus.MET
    assert deadlines["lbbAdvice"].due == D(2026, 7, 8)  # 8 weeks + 7 days waiting + 4 weeks extension
    assert deadlines["decision"].due == D(2026, 7, 6)  # 27 April + 69 days (8 April to 15 June) = Sunday, Atw → Monday
    assert deadlines["adviceReuse"].due == D(2031, 6, 15)


def test_a_pending_lbb_request_shows_the_decision_term_suspended_and_then_running_again(
    calendar: AtwCalendar,
) -> None:
    application = run(*SCREENED, CONCLUDE_LESSER, LBB)
    assert _deadline(application, "decision", D(2026, 5, 1), calendar).status is DeadlineStatus.SUSPENDED
    late = _deadline(application, "decision", D(2026, 6, 10), calendar)
    assert late.warnings and "art. 31" in late.warnings[0]
    assert late.due == D(2026, 6, 22)  # 27 April + 56 days capped suspension


def test_an_awb_4_14_extension_and_the_zienswijze_and_objection_terms_follow_the_history(
    calendar: AtwCalendar,
) -> None:
    extended = DecisionExtended(D(2026, 4, 9), Term.weeks(4))
    application = run(*SCREENED, CONCLUDE_NONE, extended, CONDITIONS)
    assert _deadline(application, "decision", D(2026, 6, 1), calendar).due == D(2026, 5, 26)
    assert _deadline(application, "zienswijze", D(2026, 6, 23), calendar).due == D(2026, 7, 6)
    announced = run(*SCREENED, CONCLUDE_NONE, GRANT, ANNOUNCE)
    assert _deadline(announced, "objection", D(2026, 7, 14), calendar).due == D(2026, 8, 24)


def test_an_existing_permit_has_no_decision_term_but_keeps_the_other_deadlines(calendar: AtwCalendar) -> None:
    application = run(FORM, REFUSAL_TO_COOPERATE, NEGATIVE, track=Track.EXISTING_PERMIT)
    codes = {d.code for d in application_deadlines(application, D(2026, 6, 23), calendar)}
    assert codes == {"zienswijze"}


def test_the_timeline_is_derived_from_the_history_with_the_policy_terms() -> None:
    application = run(REVIEW, SCREEN, FORM, REPAIR, REPAIRED, INVESTIGATE, CONCLUDE_LESSER, LBB, LBB_DATA)
    timeline = application.timeline(Term.weeks(12), "APV art. 2:28")
    assert timeline == Timeline(
        received=RECEIVED, decision_term=Term.weeks(12), decision_term_basis="APV art. 2:28",
        repair_invitations=(timeline.repair_invitations[0],),
        lbb_request=timeline.lbb_request,
    )  # fmt: skip
    assert (timeline.repair_invitations[0].sent, timeline.repair_invitations[0].completed) == (REPAIR.on, REPAIRED.on)
    assert timeline.lbb_request is not None and timeline.lbb_request.data_waits[0].end is None
