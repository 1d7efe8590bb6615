"""Every legal precondition of the lifecycle, unmet once: the event is refused with the Dutch reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from bibob.applications import Application, DecisionRecorded, Event, apply_event
from bibob.applications.events import (
    ApplicationWithdrawn,
    CooperationRefused,
    DangerConclusionRegistered,
    DecisionAnnounced,
    DecisionExtended,
    FileClosed,
    InvestigationClosed,
    LbbAdviceCopySent,
    LbbAdviceReceived,
    LbbExtended,
    LbbRequested,
    NotProcessedDecided,
    ObjectionDecided,
    ObjectionDecisionExtended,
    ObjectionReceived,
    OwnInvestigationConcluded,
    OwnInvestigationStarted,
    QuestionnaireSent,
    RegisterConsulted,
    RegularReviewStarted,
    RepairRequested,
    ScreeningTrigger,
    ScreeningTriggered,
    SupplementaryAdviceReceived,
    TipSent,
    WithdrawalRegistered,
    ZienswijzeTermExpired,
)
from bibob.applications.lifecycle import PRECONDITIONS, unmet_preconditions
from bibob.exceptions import TransitionError
from bibob.legal import DecisionOutcome, LegalAct, Track
from bibob.terms import Term
from tests.bibob.applications.test_application import (
    ADVICE,
    ANNOUNCE,
    ART3_6,
    ART4,
    CONCLUDE_LESSER,
    CONCLUDE_NONE,
    CONDITIONS,
    COPY,
    FORM,
    GRANT,
    GRANT_WITH_CONDITIONS,
    INVESTIGATE,
    LBB,
    LBB_DATA,
    LBB_EXTENDED,
    LBB_SUPPLIED,
    LESSER,
    NEGATIVE,
    NONE,
    OBJECTION,
    PERSON,
    PROPORTIONALITY,
    REFUSAL_TO_COOPERATE,
    REFUSE,
    REPAIR,
    REVIEW,
    SCREEN,
    SCREEN_NONE,
    SCREENED,
    SERIOUS,
    VIEW,
    VIEW_LAPSED,
    WARNING,
    WITHDRAW_ART4,
    A,
    B,
    run,
)

D = dt.date
EXISTING = Track.EXISTING_PERMIT
Outcome = DecisionOutcome
AFTER_ADVICE = (*SCREENED, CONCLUDE_LESSER, LBB, ADVICE, COPY)
EXISTING_AFTER_VIEW = (FORM, REFUSAL_TO_COOPERATE, NEGATIVE, VIEW)
OBJECTED = (*AFTER_ADVICE, NEGATIVE, VIEW, REFUSE, ANNOUNCE, OBJECTION)
WITHDRAWN_UNSCREENED = (REVIEW, ApplicationWithdrawn(D(2026, 3, 4)))
# a real-estate transaction the municipality concluded without a screening, and made known
CONCLUDED_TRANSACTION = (
    REVIEW, SCREEN_NONE, DecisionRecorded(D(2026, 3, 10), Outcome.CONCLUDED, PERSON), DecisionAnnounced(D(2026, 3, 11)),
)  # fmt: skip
WAITED_AFTER_EXTENSION = (attrs.evolve(LBB_DATA, on=D(2026, 5, 26)), attrs.evolve(LBB_SUPPLIED, on=D(2026, 5, 27)))


def _app(*events: Event, track: Track = Track.APPLICATION, legal_act: LegalAct = LegalAct.VERGUNNING) -> Application:
    return run(*events, track=track, legal_act=legal_act)


def _decision(**changes: Any) -> DecisionRecorded:
    return attrs.evolve(REFUSE, **changes)


# (event type, precondition name) → the application, the event, and a fragment of the expected reason.
CASES: list[tuple[str, str, Application, Event, str]] = [
    ("repairRequested", "on_an_application", _app(FORM, track=EXISTING),
     RepairRequested(D(2026, 3, 9), D(2026, 3, 23)),
     "bij een bestaande beschikking geldt art. 4"),
    ("notProcessedDecided", "decided_by_named", _app(REVIEW, SCREEN, FORM, REPAIR),
     NotProcessedDecided(D(2026, 3, 30), " "), "vermeld wie het besluit nam"),
    ("notProcessedDecided", "repair_term_lapsed", _app(REVIEW, SCREEN, FORM, REPAIR),
     NotProcessedDecided(D(2026, 3, 23), "burgemeester"), "aanvultermijn (Awb 4:5) loopt nog tot en met 23 maart 2026"),
    ("questionnaireSent", "screening_required", _app(REVIEW, SCREEN_NONE), QuestionnaireSent(D(2026, 3, 5)),
     "geen screening nodig"),
    ("ownInvestigationStarted", "screening_required", _app(REVIEW, SCREEN_NONE), OwnInvestigationStarted(D(2026, 3, 5)),
     "geen screening nodig"),
    ("ownInvestigationConcluded", "levels_cover_a_and_b", _app(*SCREENED),
     OwnInvestigationConcluded(D(2026, 4, 7), ((A, LESSER),), "m"), "geen mate van gevaar voor: art. 3 lid 1 sub b"),
    ("ownInvestigationConcluded", "levels_unique", _app(*SCREENED),
     OwnInvestigationConcluded(D(2026, 4, 7), ((A, LESSER), (B, NONE), (A, NONE)), "m"), "meer dan eens gegeven"),
    ("ownInvestigationConcluded", "art4_allowed", _app(*SCREENED),
     attrs.evolve(CONCLUDE_NONE, levels=((A, NONE), (B, NONE), (ART4, SERIOUS))),
     "art. 4 geldt alleen bij onderzoek naar een bestaande beschikking"),
    ("ownInvestigationConcluded", "motivated", _app(*SCREENED), attrs.evolve(CONCLUDE_NONE, motivation=""),
     "moet gemotiveerd zijn"),
    ("lbbRequested", "applicant_informed", _app(*SCREENED, CONCLUDE_LESSER), LbbRequested(D(2026, 4, 8), None),
     "schriftelijk zijn geïnformeerd over de adviesaanvraag (art. 32"),
    ("lbbRequested", "applicant_informed", _app(*SCREENED, CONCLUDE_LESSER), LbbRequested(D(2026, 4, 8), D(2020, 1, 1)),
     "vóór de ontvangst"),
    ("lbbExtended", "lbb_term_running", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     LbbExtended(LBB.on + dt.timedelta(days=57), Term.weeks(4)), "dit komt te laat"),
    ("lbbDataRequested", "lbb_term_running", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     attrs.evolve(LBB_DATA, on=LBB.on + dt.timedelta(days=60)), "liep af op"),
    ("lbbExtended", "extended_once", _app(*SCREENED, CONCLUDE_LESSER, LBB, LBB_EXTENDED, *WAITED_AFTER_EXTENSION),
     LbbExtended(D(2026, 5, 28), Term.days(3)), "maar één keer verlengen"),
    ("lbbAdviceReceived", "levels_given", _app(*SCREENED, CONCLUDE_LESSER, LBB), LbbAdviceReceived(D(2026, 6, 15), ()),
     "noemt geen mate van gevaar"),
    ("lbbAdviceReceived", "levels_unique", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     LbbAdviceReceived(D(2026, 6, 15), ((A, LESSER), (A, SERIOUS))), "meer dan eens gegeven voor: art. 3 lid 1 sub a"),
    ("lbbAdviceReceived", "no_art4_in_advice", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     LbbAdviceReceived(D(2026, 6, 15), ((ART4, SERIOUS),)), "adviseert niet over art. 4"),
    ("cooperationRefused", "art4_allowed", _app(REVIEW, SCREEN, FORM), CooperationRefused(D(2026, 3, 25)),
     "bij een aanvraag geldt Awb 4:5"),
    ("intentionSent", "lbb_suspension_over", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     attrs.evolve(NEGATIVE, on=LBB.on + dt.timedelta(days=55)), "opgeschort tot"),
    ("decisionRecorded", "lbb_suspension_over", _app(*SCREENED, CONCLUDE_LESSER, LBB),
     attrs.evolve(GRANT, on=LBB.on + dt.timedelta(days=55)), "wacht het advies af"),
    ("zienswijzeTermExpired", "zienswijze_term_lapsed", _app(*AFTER_ADVICE, NEGATIVE),
     ZienswijzeTermExpired(D(2026, 7, 6)),
     "loopt nog tot en met 6 juli 2026"),
    ("investigationClosed", "only_on_existingPermit", _app(*SCREENED, CONCLUDE_NONE),
     InvestigationClosed(D(2026, 4, 8), "burgemeester"), "alleen bij een bestaande beschikking"),
    ("investigationClosed", "decided_by_named", _app(track=EXISTING), InvestigationClosed(D(2026, 3, 3), ""),
     "vermeld wie het besluit nam"),
    ("decisionExtended", "on_an_application", _app(FORM, track=EXISTING),
     DecisionExtended(D(2026, 3, 6), Term.weeks(4)),
     "Awb 4:14) kan alleen bij een aanvraag"),
    ("applicationWithdrawn", "on_an_application", _app(FORM, track=EXISTING), ApplicationWithdrawn(D(2026, 3, 6)),
     "alleen een aanvraag kan door de aanvrager worden ingetrokken"),
    ("objectionDecided", "decided_by_named", _app(*AFTER_ADVICE, NEGATIVE, VIEW, REFUSE, ANNOUNCE, OBJECTION),
     ObjectionDecided(D(2026, 9, 1), ""), "vermeld wie het besluit nam"),
    # art. 28: the copy of the advice with a written secrecy warning before the intention to refuse
    ("intentionSent", "advice_copy_with_warning", _app(*SCREENED, CONCLUDE_LESSER, LBB, ADVICE), NEGATIVE,
     "met een schriftelijke waarschuwing over de geheimhoudingsplicht (art. 28 Wet Bibob)"),
    ("lbbAdviceCopySent", "advice_on_record", _app(*SCREENED, CONCLUDE_LESSER, CONDITIONS, VIEW, GRANT_WITH_CONDITIONS),
     LbbAdviceCopySent(D(2026, 7, 11), PERSON, WARNING), "er is geen Bibob-advies ontvangen"),
    ("lbbAdviceCopySent", "named_sent_by", _app(*SCREENED, CONCLUDE_LESSER, LBB, ADVICE),
     LbbAdviceCopySent(D(2026, 6, 16), " ", WARNING), "vermeld wie het afschrift verstrekte"),
    ("lbbAdviceCopySent", "warning_written", _app(*SCREENED, CONCLUDE_LESSER, LBB, ADVICE),
     LbbAdviceCopySent(D(2026, 6, 16), PERSON, ""), "tekst op van de schriftelijke waarschuwing"),
    # the Bibob register and tips (since 1 October 2022)
    ("screeningTriggered", "trigger_source_named", _app(), ScreeningTriggered(D(2026, 3, 2), ScreeningTrigger.OM_TIP),
     "noem van wie de aanleiding kwam (tip van het Openbaar Ministerie (art. 26 Wet Bibob))"),
    ("screeningTriggered", "register_hit_on_record", _app(),
     ScreeningTriggered(D(2026, 3, 2), ScreeningTrigger.REGISTER_HIT),
     "vereist een vastgelegde raadpleging met treffer"),
    ("registerConsulted", "named_consulted_by", _app(), RegisterConsulted(D(2026, 3, 2), "", ("Horeca B.V.",), False),
     "vermeld wie het Bibob-register raadpleegde"),
    ("registerConsulted", "subjects_given", _app(), RegisterConsulted(D(2026, 3, 2), PERSON, (" ",), False),
     "noem de betrokkenen"),
    ("tipSent", "named_sent_by", _app(), TipSent(D(2026, 3, 2), "", "burgemeester van Amersfoort"),
     "vermeld wie de tip verstuurde"),
    ("tipSent", "named_recipient", _app(), TipSent(D(2026, 3, 2), PERSON, " "),
     "vermeld aan welk bestuursorgaan de tip ging"),
    ("dangerConclusionRegistered", "named_registered_by", _app(*OBJECTED),
     DangerConclusionRegistered(D(2026, 8, 4), ""), "vermeld wie registreerde"),
    ("dangerConclusionRegistered", "danger_concluded", _app(*SCREENED, CONCLUDE_NONE, GRANT),
     DangerConclusionRegistered(D(2026, 7, 11), PERSON), "het besluit stelt geen mate van gevaar vast"),
    ("withdrawalRegistered", "named_registered_by", _app(*SCREENED, ApplicationWithdrawn(D(2026, 3, 25))),
     WithdrawalRegistered(D(2026, 3, 26), ""), "vermeld wie registreerde"),
    ("withdrawalRegistered", "withdrawal_after_screening", _app(*WITHDRAWN_UNSCREENED),
     WithdrawalRegistered(D(2026, 3, 5), PERSON), "er is geen terugtrekking te melden"),
    ("fileClosed", "named_closed_by", _app(*WITHDRAWN_UNSCREENED), FileClosed(D(2026, 3, 5), ""),
     "vermeld wie het dossier sloot"),
    ("fileClosed", "checklist_done", _app(*AFTER_ADVICE, NEGATIVE, VIEW, REFUSE, ANNOUNCE),
     FileClosed(D(2026, 9, 1), PERSON),
     "open: conclusie mate van gevaar geregistreerd in het Bibob-register"),
    # the objection phase (Awb 7:10) and the other tracks
    ("objectionReceived", "objection_possible", _app(*CONCLUDED_TRANSACTION, track=Track.REAL_ESTATE),
     ObjectionReceived(D(2026, 3, 20)), "staat geen bezwaar open"),
    ("objectionDecisionExtended", "objection_extension_allowed",
     _app(*OBJECTED, ObjectionDecisionExtended(D(2026, 8, 10))), ObjectionDecisionExtended(D(2026, 8, 11)),
     "maar één keer met ten hoogste zes weken worden verdaagd (Awb 7:10 lid 3)"),
    ("supplementaryAdviceReceived", "supplementary_advice_asked", _app(*OBJECTED),
     SupplementaryAdviceReceived(D(2026, 8, 10)), "er is geen aanvullend Bibob-advies gevraagd"),
    # the decision
    ("decisionRecorded", "decided_by_named", _app(*AFTER_ADVICE, NEGATIVE, VIEW), _decision(decided_by=""),
     "de software neemt zelf geen besluit"),
    ("decisionRecorded", "outcome_fits_track", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(outcome=Outcome.WITHDRAWN_BIBOB), "past niet bij een aanvraag"),
    ("decisionRecorded", "outcome_fits_track", _app(*EXISTING_AFTER_VIEW, track=EXISTING), _decision(),
     "past niet bij een bestaande beschikking"),
    ("decisionRecorded", "outcome_fits_state", _app(REVIEW), attrs.evolve(GRANT, on=D(2026, 3, 4)),
     "vanuit de reguliere toets alleen een weigering op reguliere grond"),
    ("decisionRecorded", "outcome_fits_state", _app(REVIEW, SCREEN), attrs.evolve(GRANT, on=D(2026, 3, 5)),
     "eerst de Bibob-toets (altijd Bibob-toets volgens beleid)"),
    ("decisionRecorded", "levels_unique", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(levels=((A, SERIOUS), (B, LESSER), (A, SERIOUS)), deviation_motivation="m"), "meer dan eens gegeven"),
    ("decisionRecorded", "art4_allowed", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(levels=((A, SERIOUS), (B, LESSER), (ART4, SERIOUS))), "art. 4 geldt alleen bij onderzoek"),
    ("cooperationRefused", "art4_allowed", _app(FORM, track=EXISTING, legal_act=LegalAct.VASTGOEDTRANSACTIE),
     REFUSAL_TO_COOPERATE, "art. 4 geldt niet bij een vastgoedtransactie"),
    ("decisionRecorded", "art4_consistent", _app(*EXISTING_AFTER_VIEW, track=EXISTING),
     attrs.evolve(WITHDRAW_ART4, grounds=(A,), levels=((A, SERIOUS),)), "noemt (alleen dan) de grond art. 4"),
    ("decisionRecorded", "art4_consistent", _app(FORM, INVESTIGATE, CONCLUDE_LESSER, NEGATIVE, VIEW, track=EXISTING),
     WITHDRAW_ART4, "vereist een vastgelegde weigering van medewerking"),
    ("decisionRecorded", "zienswijze_given", _app(*AFTER_ADVICE), _decision(), "art. 33 Wet Bibob"),
    ("decisionRecorded", "zienswijze_given", _app(*SCREENED, CONCLUDE_LESSER), GRANT_WITH_CONDITIONS,
     "voor 'verleend met voorschriften (art. 3 lid 7)' moet eerst een voornemen zijn verstuurd"),
    ("decisionRecorded", "intention_matches", _app(*AFTER_ADVICE, CONDITIONS, VIEW), _decision(),
     "is een voornemen tot weigering of intrekking nodig"),
    ("decisionRecorded", "grounds_serious", _app(*AFTER_ADVICE, NEGATIVE, VIEW), _decision(grounds=()),
     "noem de grond(en)"),
    ("decisionRecorded", "grounds_serious", _app(*AFTER_ADVICE, NEGATIVE, VIEW), _decision(grounds=(B,)),
     "bij mindere mate van gevaar (art. 3 lid 1 sub b: plegen van strafbare feiten) is alleen verlenen met"),
    ("decisionRecorded", "grounds_serious", _app(*SCREENED, CONCLUDE_LESSER, NEGATIVE, VIEW),
     _decision(grounds=(ART3_6,)), "voor art. 3 lid 6: strafbaar feit"),
    ("decisionRecorded", "lbb_downgrade_blocks_refusal", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(grounds=(B,), levels=((A, LESSER), (B, SERIOUS)), deviation_motivation="nieuwe feiten over B"),
     "lager vast dan het LBB (ernstig gevaar) voor: art. 3 lid 1 sub a"),
    ("decisionRecorded", "deviation_motivated", _app(*AFTER_ADVICE, CONDITIONS, VIEW),
     attrs.evolve(GRANT_WITH_CONDITIONS, levels=((A, LESSER), (B, LESSER))),
     "wijkt af van het LBB-advies (art. 3 lid 1 sub a: benutten van uit strafbare feiten verkregen voordelen: "
     "ernstig gevaar → mindere mate van gevaar); motiveer de afwijking"),
    ("decisionRecorded", "proportionality_complete", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(proportionality=None),
     "vereist een evenredigheidstoets (art. 3 lid 5)"),
    ("decisionRecorded", "proportionality_complete", _app(*AFTER_ADVICE, NEGATIVE, VIEW),
     _decision(proportionality=attrs.evolve(PROPORTIONALITY, lesser_means_considered=" ", relation_current="")),
     "onvolledig, ontbreekt: actualiteit van de relatie, overwogen lichtere middelen"),
    ("decisionRecorded", "conditions_given", _app(*SCREENED, CONCLUDE_LESSER, CONDITIONS, VIEW),
     attrs.evolve(GRANT_WITH_CONDITIONS, conditions=()), "noem de voorschriften"),
    ("decisionRecorded", "conditions_given", _app(*SCREENED, CONCLUDE_NONE),
     attrs.evolve(GRANT, conditions=("personeelslijst bijhouden",)), "voorschriften horen niet bij 'verleend'"),
    ("decisionRecorded", "conditions_need_danger", _app(*SCREENED, CONCLUDE_LESSER, CONDITIONS, VIEW_LAPSED),
     attrs.evolve(GRANT_WITH_CONDITIONS, levels=((A, NONE), (B, NONE))), "ten minste een mindere mate van gevaar"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("event_type", "precondition", "application", "event", "reason"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_an_unmet_precondition_refuses_the_event_with_its_dutch_reason(
    event_type: str, precondition: str, application: Application, event: Event, reason: str
) -> None:
    assert event_type == event.TYPE
    with pytest.raises(TransitionError) as caught:
        apply_event(application, event)
    assert reason in caught.value.reason
    assert caught.value.state == application.state.label
    assert caught.value.event == event.LABEL


def test_every_precondition_of_the_table_has_a_case_where_it_is_unmet() -> None:
    required = {(event_type.TYPE, check.__name__) for event_type, checks in PRECONDITIONS.items() for check in checks}
    assert required == {(case[0], case[1]) for case in CASES}


def test_all_unmet_preconditions_are_named_at_once() -> None:
    application = _app(*AFTER_ADVICE, NEGATIVE, VIEW)
    reasons = unmet_preconditions(application, _decision(decided_by="", proportionality=None, grounds=()))
    assert len(reasons) == 3
    assert [r[:20] for r in reasons] == ["vermeld wie het besl", "noem de grond(en) va", "een weigering of int"]


def test_an_event_dated_before_the_previous_one_is_refused() -> None:
    application = _app(REVIEW, SCREEN, FORM)
    with pytest.raises(TransitionError, match=r"4 maart 2026 ligt vóór de vorige gebeurtenis \(5 maart 2026\)"):
        apply_event(application, OwnInvestigationStarted(D(2026, 3, 4)))


def test_an_event_dated_before_the_application_was_received_is_refused() -> None:
    with pytest.raises(TransitionError, match="ligt vóór de ontvangst"):
        apply_event(_app(), RegularReviewStarted(D(2026, 3, 1)))


def test_an_lbb_extension_longer_than_four_weeks_is_refused_by_the_deadline_rules() -> None:
    application = _app(*SCREENED, CONCLUDE_LESSER, LBB)
    with pytest.raises(TransitionError, match="langer dan 4 weken"):
        apply_event(application, LbbExtended(D(2026, 5, 25), Term.weeks(5)))


def test_a_repair_term_ending_before_the_request_is_refused_by_the_deadline_rules() -> None:
    with pytest.raises(TransitionError, match="ligt vóór het aanvulverzoek"):
        apply_event(_app(REVIEW, SCREEN, FORM), RepairRequested(D(2026, 3, 9), D(2026, 3, 8)))


def test_a_serious_level_found_by_the_body_against_a_lesser_lbb_advice_allows_refusal_with_motivation() -> None:
    application = _app(*AFTER_ADVICE, NEGATIVE, VIEW)
    upgraded = _decision(grounds=(A, B), levels=((A, SERIOUS), (B, SERIOUS)))
    with pytest.raises(TransitionError, match="motiveer de afwijking"):
        apply_event(application, upgraded)
    decided = apply_event(application, attrs.evolve(upgraded, deviation_motivation="nieuwe veroordeling na het advies"))
    assert decided.decision == attrs.evolve(upgraded, deviation_motivation="nieuwe veroordeling na het advies")


def test_conditions_instead_of_refusal_are_possible_on_serious_danger() -> None:
    application = _app(*AFTER_ADVICE, CONDITIONS, VIEW_LAPSED)
    decided = apply_event(application, attrs.evolve(GRANT_WITH_CONDITIONS, levels=ADVICE.levels))
    assert decided.decision is not None and decided.decision.outcome is Outcome.GRANTED_WITH_CONDITIONS


def test_a_new_intention_after_the_zienswijze_needs_its_own_zienswijze() -> None:
    application = _app(*AFTER_ADVICE, NEGATIVE, VIEW, attrs.evolve(CONDITIONS, on=D(2026, 7, 2)))
    with pytest.raises(TransitionError) as caught:
        apply_event(application, attrs.evolve(GRANT_WITH_CONDITIONS, levels=ADVICE.levels))
    assert caught.value.reason.endswith("zienswijze ontvangen, zienswijzetermijn verstreken")


def test_wet_bibob_art_15_lid_3_the_lbb_may_extend_on_the_last_day_of_its_eight_weeks_atw_applied() -> None:
    last_day = LBB.on + dt.timedelta(days=56)
    on_time = apply_event(_app(*SCREENED, CONCLUDE_LESSER, LBB), LbbExtended(last_day, Term.weeks(4)))
    assert on_time.last(LbbExtended) is not None
    # requested Saturday 11 April 2026: eight weeks end on Saturday 6 June, the Atw keeps them open to Monday 8 June
    saturday = _app(*SCREENED, CONCLUDE_LESSER, attrs.evolve(LBB, on=D(2026, 4, 11)))
    assert apply_event(saturday, LbbExtended(D(2026, 6, 8), Term.weeks(4))).last(LbbExtended) is not None
    with pytest.raises(TransitionError, match=r"de acht weken van het LBB .* liep af op 8 juni 2026: dit komt te laat"):
        apply_event(saturday, LbbExtended(D(2026, 6, 9), Term.weeks(4)))
