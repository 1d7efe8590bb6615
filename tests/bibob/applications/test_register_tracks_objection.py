"""The Bibob register and tips, art. 28's copy of the advice, the other tracks and the objection phase (Awb 7:10)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from bibob.applications import Application, DecisionRecorded, application_deadlines, apply_event
from bibob.applications.documents import application_from_json, application_to_json
from bibob.applications.events import (
    ApplicationWithdrawn,
    DangerConclusionRegistered,
    DecisionAnnounced,
    FileClosed,
    IntentionKind,
    IntentionSent,
    LbbExtended,
    LbbRequested,
    ObjectionDecided,
    ObjectionDecisionExtended,
    ObjectionHearingHeld,
    ObjectionOutcome,
    ObjectionReceived,
    OwnInvestigationConcluded,
    OwnInvestigationStarted,
    QuestionnaireSent,
    RegisterConsulted,
    RegularReviewStarted,
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
)
from bibob.applications.lifecycle import check_event, replay
from bibob.applications.rules import closing_checklist
from bibob.exceptions import TransitionError
from bibob.legal import DecisionOutcome, LegalAct, PermitType, Track
from bibob.terms import AtwCalendar, Deadline, Term, load_calendar
from bibob.terms.deadlines import DeadlineStatus
from tests.bibob.applications.test_application import (
    ADVICE,
    ANNOUNCE,
    CONCLUDE_LESSER,
    CONCLUDE_NONE,
    CONDITIONS,
    COPY,
    GRANT,
    LBB,
    NEGATIVE,
    PERSON,
    PROPORTIONALITY,
    REFUSE,
    SCREENED,
    SERIOUS,
    VIEW,
    A,
    B,
    run,
)

D = dt.date
Outcome = DecisionOutcome
AFTER_ADVICE = (*SCREENED, CONCLUDE_LESSER, LBB, ADVICE)
REFUSED = (*AFTER_ADVICE, COPY, NEGATIVE, VIEW, REFUSE)  # decided on 10 July 2026, a Friday


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


def _deadline(application: Application, code: str, today: dt.date, calendar: AtwCalendar, days: int = 5) -> Deadline:
    found = {d.code: d for d in application_deadlines(application, today, calendar, register_working_days=days)}
    return found[code]


# --- art. 28: the copy of the advice with a written secrecy warning -------------------------------------------------


def test_art28_an_intention_to_refuse_after_an_lbb_advice_is_refused_until_the_copy_with_its_warning_is_recorded() -> (
    None
):
    advised = run(*AFTER_ADVICE)
    verdict = check_event(advised, NEGATIVE)
    assert not verdict.allowed
    assert any("art. 28 Wet Bibob" in reason and "geheimhoudingsplicht" in reason for reason in verdict.reasons)
    assert check_event(run(*AFTER_ADVICE, COPY), NEGATIVE).allowed


def test_art28_an_intention_to_attach_conditions_or_to_refuse_without_an_advice_needs_no_copy() -> None:
    assert check_event(run(*AFTER_ADVICE), CONDITIONS).allowed
    without_advice = run(*SCREENED, CONCLUDE_LESSER)
    assert check_event(without_advice, attrs.evolve(NEGATIVE, on=D(2026, 4, 8))).allowed


# --- the Bibob register (since 1 October 2022) ----------------------------------------------------------------------


def test_bibob_register_a_danger_conclusion_is_due_onverwijld_within_the_policys_working_days(
    calendar: AtwCalendar,
) -> None:
    refused = run(*REFUSED)
    due = _deadline(refused, "register.dangerConclusion", D(2026, 7, 13), calendar)
    assert (due.due, due.status) == (D(2026, 7, 17), DeadlineStatus.RUNNING)  # five working days after Fri 10 July
    assert _deadline(refused, "register.dangerConclusion", D(2026, 7, 13), calendar, days=2).due == D(2026, 7, 14)
    registered = apply_event(refused, DangerConclusionRegistered(D(2026, 7, 16), PERSON))
    assert _deadline(registered, "register.dangerConclusion", D(2026, 8, 1), calendar).status is DeadlineStatus.MET


def test_bibob_register_working_days_skip_atw_holidays_and_equated_days(calendar: AtwCalendar) -> None:
    # Ascension Day 2025 is Thursday 29 May, the Friday after it an equated day: Wednesday 28 May + 1 → Monday 2 June
    assert calendar.working_days_after(D(2025, 5, 28), 1) == D(2025, 6, 2)
    assert AtwCalendar().working_days_after(D(2025, 5, 28), 1) == D(2025, 5, 30)


def test_bibob_register_a_decision_without_danger_owes_the_register_nothing(calendar: AtwCalendar) -> None:
    granted = run(*SCREENED, CONCLUDE_NONE, attrs.evolve(GRANT, on=D(2026, 4, 8)))
    assert closing_checklist(granted) == ()
    assert not [d for d in application_deadlines(granted, D(2026, 4, 9), calendar) if d.code.startswith("register")]
    with pytest.raises(TransitionError, match="geen mate van gevaar"):
        apply_event(granted, DangerConclusionRegistered(D(2026, 4, 9), PERSON))


def test_bibob_register_the_file_closes_only_once_the_danger_conclusion_is_registered() -> None:
    announced = run(*REFUSED, ANNOUNCE)
    assert closing_checklist(announced) == (("conclusie mate van gevaar geregistreerd in het Bibob-register", False),)
    with pytest.raises(TransitionError, match="open: conclusie mate van gevaar geregistreerd"):
        apply_event(announced, FileClosed(D(2026, 9, 1), PERSON))
    registered = apply_event(announced, DangerConclusionRegistered(D(2026, 7, 14), PERSON))
    closed = apply_event(registered, FileClosed(D(2026, 9, 1), PERSON))
    assert closed.state.value == "fileClosed"
    with pytest.raises(TransitionError, match="al geregistreerd"):
        apply_event(registered, DangerConclusionRegistered(D(2026, 7, 15), PERSON))


def test_bibob_register_a_withdrawal_while_screened_is_registered_before_the_file_closes(calendar: AtwCalendar) -> None:
    withdrawn = run(*SCREENED, ApplicationWithdrawn(D(2026, 4, 1)))  # Wednesday before Easter
    due = _deadline(withdrawn, "register.withdrawal", D(2026, 4, 2), calendar)
    assert due.due == D(2026, 4, 10)  # Good Friday 3 April and Easter Monday 6 April are Atw holidays (art. 3)
    with pytest.raises(TransitionError, match="terugtrekking van de aanvraag"):
        apply_event(withdrawn, FileClosed(D(2026, 4, 2), PERSON))
    registered = apply_event(withdrawn, WithdrawalRegistered(D(2026, 4, 2), PERSON))
    assert apply_event(registered, FileClosed(D(2026, 4, 3), PERSON)).state.value == "fileClosed"


def test_bibob_register_a_withdrawal_before_any_screening_has_nothing_to_register() -> None:
    withdrawn = run(RegularReviewStarted(D(2026, 3, 3)), ApplicationWithdrawn(D(2026, 3, 4)))
    assert closing_checklist(withdrawn) == ()
    assert apply_event(withdrawn, FileClosed(D(2026, 3, 5), PERSON)).state.value == "fileClosed"


def test_bibob_register_a_consultation_records_by_whom_the_subjects_and_a_hit_and_a_hit_may_then_be_the_trigger() -> (
    None
):
    consulted = RegisterConsulted(D(2026, 3, 2), PERSON, ("Horeca De Linde B.V.", "J. Jansen"), hit=True)
    application = run(consulted)
    assert application.state.value == "received"  # record-keeping: the state does not move
    triggered = apply_event(application, ScreeningTriggered(D(2026, 3, 2), ScreeningTrigger.REGISTER_HIT))
    assert triggered.last(ScreeningTriggered) is not None
    missed = run(attrs.evolve(consulted, hit=False))
    with pytest.raises(TransitionError, match="raadpleging met treffer"):
        apply_event(missed, ScreeningTriggered(D(2026, 3, 2), ScreeningTrigger.REGISTER_HIT))


@pytest.mark.parametrize("trigger", list(ScreeningTrigger), ids=lambda trigger: trigger.value)
def test_typed_triggers_each_record_and_a_tip_or_riec_advice_names_where_it_came_from(
    trigger: ScreeningTrigger,
) -> None:
    before = run(RegisterConsulted(D(2026, 3, 2), PERSON, ("Horeca De Linde B.V.",), hit=True))
    named = apply_event(before, ScreeningTriggered(D(2026, 3, 2), trigger, source="OvJ Midden-Nederland"))
    assert named.last(ScreeningTriggered) == ScreeningTriggered(D(2026, 3, 2), trigger, "OvJ Midden-Nederland")
    unnamed = check_event(before, ScreeningTriggered(D(2026, 3, 2), trigger))
    assert unnamed.allowed is not trigger.needs_source
    assert trigger.needs_source is (trigger.value in {"omTip", "lbbTip", "otherBodyTip", "riecAdvice"})


def test_an_outbound_tip_and_the_register_events_round_trip_through_the_json_file() -> None:
    application = run(
        RegisterConsulted(D(2026, 3, 2), PERSON, ("Horeca De Linde B.V.",), hit=True),
        ScreeningTriggered(D(2026, 3, 2), ScreeningTrigger.OM_TIP, "OvJ Midden-Nederland", "art. 26-tip"),
        TipSent(D(2026, 3, 3), PERSON, "burgemeester van Amersfoort", "dezelfde exploitant vraagt daar een vergunning"),
    )
    document = application_to_json(application)
    assert document["events"][0] == {
        "type": "registerConsulted", "on": "2026-03-02", "consultedBy": PERSON, "subjects": ["Horeca De Linde B.V."],
        "hit": True,
    }  # fmt: skip
    assert application_from_json(document) == application


# --- the other tracks: real estate (art. 5a), public contracts (art. 5), subsidies (art. 6) ------------------------


def _start(track: Track, permit: PermitType, act: LegalAct) -> Application:
    return Application("2026-0077", permit, act, D(2026, 3, 2), track)


SCREENED_ON_INDICATION = (
    RegularReviewStarted(D(2026, 3, 3)), ScreeningDetermined(D(2026, 3, 4), Screening.ON_INDICATION),
    QuestionnaireSent(D(2026, 3, 5)), OwnInvestigationStarted(D(2026, 3, 24)),
    OwnInvestigationConcluded(D(2026, 4, 7), ((A, SERIOUS), (B, SERIOUS)), "witwasveroordeling van de bestuurder"),
)  # fmt: skip
TRACKS = {
    Track.REAL_ESTATE: (PermitType.VASTGOEDTRANSACTIE, LegalAct.VASTGOEDTRANSACTIE),
    Track.PUBLIC_CONTRACT: (PermitType.OVERHEIDSOPDRACHT, LegalAct.OVERHEIDSOPDRACHT),
    Track.SUBSIDY: (PermitType.SUBSIDIE, LegalAct.SUBSIDIE),
}
NEGATIVE_OUTCOMES = [
    (Track.REAL_ESTATE, Outcome.NOT_CONCLUDED, "art. 5a"),
    (Track.REAL_ESTATE, Outcome.TRANSACTION_DISSOLVED, "art. 5a"),
    (Track.PUBLIC_CONTRACT, Outcome.NOT_AWARDED, "art. 5"),
    (Track.PUBLIC_CONTRACT, Outcome.EXCLUDED, "art. 5"),
    (Track.PUBLIC_CONTRACT, Outcome.CONTRACT_DISSOLVED, "art. 5"),
    (Track.SUBSIDY, Outcome.SUBSIDY_REFUSED, "art. 6"),
    (Track.SUBSIDY, Outcome.SUBSIDY_LOWERED, "art. 2"),
    (Track.SUBSIDY, Outcome.SUBSIDY_WITHDRAWN, "art. 6"),
]


def _measure(outcome: DecisionOutcome, on: dt.date) -> DecisionRecorded:
    return DecisionRecorded(on, outcome, PERSON, grounds=(A,), levels=((A, SERIOUS), (B, SERIOUS)),
                            proportionality=PROPORTIONALITY)  # fmt: skip


@pytest.mark.parametrize(("track", "outcome", "article"), NEGATIVE_OUTCOMES, ids=lambda v: getattr(v, "value", v))
def test_each_track_has_its_negative_outcomes_with_their_legal_basis_and_each_needs_a_zienswijze_first(
    track: Track, outcome: DecisionOutcome, article: str
) -> None:
    assert outcome in track.outcomes and outcome.is_negative_bibob and article in outcome.legal_basis
    concluded = replay(_start(track, *TRACKS[track]), SCREENED_ON_INDICATION)
    early = check_event(concluded, _measure(outcome, D(2026, 4, 8)))
    zienswijze = "art. 33 lid 3 Wet Bibob" if track.is_private_law else "art. 33 Wet Bibob"
    assert any(zienswijze in reason for reason in early.reasons)
    heard = replay(
        concluded, (IntentionSent(D(2026, 4, 8), IntentionKind.NEGATIVE), ZienswijzeReceived(D(2026, 4, 15)))
    )
    assert apply_event(heard, _measure(outcome, D(2026, 4, 20))).outcome is outcome
    without_record = check_event(heard, attrs.evolve(_measure(outcome, D(2026, 4, 20)), proportionality=None))
    assert "een weigering of intrekking vereist een evenredigheidstoets (art. 3 lid 5)" in without_record.reasons


def test_a_permit_refusal_does_not_fit_a_real_estate_transaction_and_the_message_names_its_outcomes() -> None:
    heard = replay(_start(Track.REAL_ESTATE, *TRACKS[Track.REAL_ESTATE]),
                   (*SCREENED_ON_INDICATION, IntentionSent(D(2026, 4, 8), IntentionKind.NEGATIVE),
                    ZienswijzeReceived(D(2026, 4, 15))))  # fmt: skip
    verdict = check_event(heard, _measure(Outcome.REFUSED_BIBOB, D(2026, 4, 20)))
    assert any("vastgoedtransactie niet aangegaan" in reason for reason in verdict.reasons)


def test_real_estate_and_contracts_have_no_decision_term_no_awb_4_5_and_no_objection_but_a_subsidy_has(
    calendar: AtwCalendar,
) -> None:
    for track, (permit, act) in TRACKS.items():
        application = replay(_start(track, permit, act), SCREENED_ON_INDICATION[:1])
        codes = {d.code for d in application_deadlines(application, D(2026, 3, 10), calendar)}
        assert ("decision" in codes) is (track is Track.SUBSIDY)
        repair = check_event(application, RepairRequested(D(2026, 3, 5), D(2026, 3, 19)))
        assert repair.allowed is (track is Track.SUBSIDY)


@pytest.mark.parametrize("track", [Track.REAL_ESTATE, Track.PUBLIC_CONTRACT], ids=lambda track: track.value)
def test_no_objection_lies_against_a_private_law_act_of_the_municipality(track: Track) -> None:
    permit, act = TRACKS[track]
    positive = track.outcomes[0]
    done = replay(_start(track, permit, act), (
        RegularReviewStarted(D(2026, 3, 3)), ScreeningDetermined(D(2026, 3, 4), Screening.NONE),
        DecisionRecorded(D(2026, 3, 10), positive, PERSON), DecisionAnnounced(D(2026, 3, 11)),
    ))  # fmt: skip
    verdict = check_event(done, ObjectionReceived(D(2026, 3, 20)))
    assert any("staat geen bezwaar open" in reason and "Awb 1:3" in reason for reason in verdict.reasons)


# --- the objection phase: Awb 7:10 ---------------------------------------------------------------------------------


def _objected(announced: dt.date, *, committee: bool = False) -> Application:
    return run(*REFUSED, DecisionAnnounced(announced), ObjectionReceived(announced + dt.timedelta(days=14), committee))


def test_awb_7_10_six_weeks_run_from_the_day_after_the_objection_term_lapsed(calendar: AtwCalendar) -> None:
    objected = _objected(D(2026, 7, 13))  # objection term: to Monday 24 August 2026
    deadline = _deadline(objected, "objectionDecision", D(2026, 8, 1), calendar)
    assert (deadline.due, deadline.legal_basis, deadline.status) == (D(2026, 10, 5), "Awb 7:10", DeadlineStatus.RUNNING)


def test_awb_7_10_twelve_weeks_with_an_advisory_committee(calendar: AtwCalendar) -> None:
    objected = _objected(D(2026, 7, 13), committee=True)
    assert _deadline(objected, "objectionDecision", D(2026, 8, 1), calendar).due == D(2026, 11, 16)


def test_awb_7_10_the_last_day_on_christmas_moves_to_the_next_working_day(calendar: AtwCalendar) -> None:
    objected = _objected(D(2026, 10, 2))  # objection term to Fri 13 Nov; six weeks end on Fri 25 Dec 2026
    deadline = _deadline(objected, "objectionDecision", D(2026, 11, 1), calendar)
    assert deadline.due == D(2026, 12, 28)
    assert "25 december 2026" in deadline.explanation


def test_awb_7_10_lid_3_postponed_once_by_six_weeks_within_the_term(calendar: AtwCalendar) -> None:
    objected = _objected(D(2026, 7, 13))
    extended = apply_event(objected, ObjectionDecisionExtended(D(2026, 9, 30)))
    assert _deadline(extended, "objectionDecision", D(2026, 10, 1), calendar).due == D(2026, 11, 16)
    with pytest.raises(TransitionError, match="ten hoogste zes weken"):
        apply_event(objected, ObjectionDecisionExtended(D(2026, 9, 30), Term.weeks(8)))
    with pytest.raises(TransitionError, match="verstreek op 5 oktober 2026"):
        apply_event(objected, ObjectionDecisionExtended(D(2026, 10, 6)))


def test_awb_7_10_a_decision_on_the_objection_after_the_term_leaves_the_body_in_default(calendar: AtwCalendar) -> None:
    objected = _objected(D(2026, 7, 13))
    late = _deadline(objected, "objectionDecision", D(2026, 10, 6), calendar)
    assert late.status is DeadlineStatus.PASSED and any("5 oktober 2026" in w for w in late.warnings)
    decided = apply_event(objected, ObjectionDecided(D(2026, 10, 1), PERSON, result=ObjectionOutcome.UNFOUNDED))
    assert _deadline(decided, "objectionDecision", D(2026, 10, 6), calendar).status is DeadlineStatus.MET


def test_the_objection_phase_hears_the_objector_and_may_ask_a_supplementary_lbb_advice() -> None:
    objected = _objected(D(2026, 7, 13))
    heard = replay(objected, (
        ObjectionHearingHeld(D(2026, 8, 31)), SupplementaryAdviceRequested(D(2026, 9, 1)),
        SupplementaryAdviceReceived(D(2026, 9, 20), ((A, SERIOUS),)),
        ObjectionDecided(D(2026, 9, 28), PERSON, result=ObjectionOutcome.UNFOUNDED),
    ))  # fmt: skip
    assert heard.state.value == "objectionDecided"
    assert application_from_json(application_to_json(heard)) == heard


# --- leftovers: the lifecycle on the calendar with equated days; art. 31 after a lapsed term ------------------------


def _lbb_2025() -> Application:
    start = Application("2025-0011", PermitType.EXPLOITATIE_HORECA, LegalAct.VERGUNNING, D(2025, 3, 3))
    return replay(start, (
        RegularReviewStarted(D(2025, 3, 4)), ScreeningDetermined(D(2025, 3, 5), Screening.MANDATORY),
        QuestionnaireSent(D(2025, 3, 6)), OwnInvestigationStarted(D(2025, 3, 20)),
        OwnInvestigationConcluded(D(2025, 4, 3), ((A, SERIOUS), (B, SERIOUS)), "m"),
        LbbRequested(D(2025, 4, 4), D(2025, 4, 4)),
    ))  # fmt: skip


def test_art_15_lid_3_the_lbb_extension_on_the_monday_after_an_equated_friday_still_counts() -> None:
    # eight weeks from Fri 4 April 2025 end on Fri 30 May, the equated day after Ascension: the term runs to Mon 2 June
    extension = LbbExtended(D(2025, 6, 2), Term.weeks(4))
    assert apply_event(_lbb_2025(), extension).state.value == "lbbExtended"
    without_equated_days = attrs.evolve(_lbb_2025(), calendar=AtwCalendar())
    with pytest.raises(TransitionError, match="dit komt te laat"):
        apply_event(without_equated_days, extension)


def test_art31_suspends_only_a_running_decision_term_so_after_its_lapse_the_body_need_not_wait_out_the_cap() -> None:
    # received 2 March 2026: the eight weeks (Awb 4:13) lapsed on Tue 28 April, before the LBB request of 4 May
    late = run(*SCREENED, CONCLUDE_LESSER, LbbRequested(D(2026, 5, 4), D(2026, 5, 4)))
    assert apply_event(late, IntentionSent(D(2026, 5, 11), IntentionKind.NEGATIVE)).state.value == "intentionSent"
    timely = run(*SCREENED, CONCLUDE_LESSER, LBB)  # requested 8 April, while the term ran
    refused = check_event(timely, IntentionSent(D(2026, 5, 11), IntentionKind.NEGATIVE))
    assert any("art. 31 Wet Bibob" in reason for reason in refused.reasons)
