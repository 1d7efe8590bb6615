"""The legal preconditions of the lifecycle's edges: each returns the Dutch reason when it is unmet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from bibob.applications.events import (
    OBJECTION_EXTENSION,
    CooperationRefused,
    DangerConclusionRegistered,
    DecisionRecorded,
    IntentionKind,
    IntentionSent,
    LbbAdviceCopySent,
    LbbAdviceReceived,
    LbbExtended,
    LbbRequested,
    Levels,
    ObjectionDecisionExtended,
    OwnInvestigationConcluded,
    RegisterConsulted,
    RepairRequested,
    Screening,
    ScreeningDetermined,
    ScreeningTrigger,
    ScreeningTriggered,
    SupplementaryAdviceReceived,
    SupplementaryAdviceRequested,
    WithdrawalRegistered,
    ZienswijzeTermExpired,
)
from bibob.applications.model import Application, ApplicationState, application_deadlines
from bibob.legal import AssessmentSource, DangerLevel, DecisionOutcome, Ground, Track
from bibob.terms import add_term, art31_of, art31_suspends, dutch_date

Outcome = DecisionOutcome
Reason = str | None
_AFTER_ZIENSWIJZE = (ApplicationState.ZIENSWIJZE_RECEIVED, ApplicationState.ZIENSWIJZE_TERM_EXPIRED)
_PROPORTIONALITY_NAMES = {
    "seriousness": "ernst van de feiten",
    "number_and_recency": "aantal en tijdsverloop",
    "link_to_activity": "samenhang met de activiteit",
    "relation_current": "actualiteit van de relatie",
    "applicant_interests": "belangen van de betrokkene",
    "lesser_means_considered": "overwogen lichtere middelen",
    "recorded_by": "opgesteld door",
}


def only_on(track: Track, reason: str) -> Callable[[Application, Any], Reason]:
    """A precondition that holds only on `track`."""

    def check(application: Application, _event: Any) -> Reason:
        return None if application.track is track else reason

    check.__name__ = f"only_on_{track.value}"
    return check


def on_an_application(reason: str) -> Callable[[Application, Any], Reason]:
    """A precondition that holds only where there is an application under the Awb (a permit or a subsidy)."""

    def check(application: Application, _event: Any) -> Reason:
        return None if application.track.has_application else reason

    check.__name__ = "on_an_application"
    return check


def named(field: str, what: str) -> Callable[[Application, Any], Reason]:
    """A precondition that `field` of the event names someone or something (`what`, in Dutch)."""

    def check(_application: Application, event: Any) -> Reason:
        return None if str(getattr(event, field)).strip() else f"vermeld {what}"

    check.__name__ = f"named_{field}"
    return check


# --- general ---------------------------------------------------------------------------------------------------


def decided_by_named(_application: Application, event: Any) -> Reason:
    """A person takes every decision; the software only records it (AVG art. 22)."""
    if str(event.decided_by).strip():
        return None
    return "vermeld wie het besluit nam (decided_by): de software neemt zelf geen besluit"


def motivated(_application: Application, event: OwnInvestigationConcluded) -> Reason:
    """The conclusion of the own investigation carries its motivation."""
    return None if event.motivation.strip() else "de conclusie van het eigen onderzoek moet gemotiveerd zijn"


def levels_unique(_application: Application, event: Any) -> Reason:
    """A ground has one level per conclusion."""
    grounds = [ground for ground, _ in event.levels]
    doubled = sorted({ground.label for ground in grounds if grounds.count(ground) > 1})
    return "mate van gevaar meer dan eens gegeven voor: " + ", ".join(doubled) if doubled else None


def levels_given(_application: Application, event: Any) -> Reason:
    """An advice gives at least one level."""
    return None if event.levels else "het advies noemt geen mate van gevaar per grond"


def levels_cover_a_and_b(_application: Application, event: OwnInvestigationConcluded) -> Reason:
    """The own investigation concludes on both grounds of art. 3 lid 1."""
    given = {ground for ground, _ in event.levels}
    missing = [ground.label for ground in (Ground.A_BENEFIT, Ground.B_OFFENCES) if ground not in given]
    return "de conclusie noemt geen mate van gevaar voor: " + ", ".join(missing) if missing else None


def _mentions_art4(event: Any) -> bool:
    levels: Levels = getattr(event, "levels", ())
    grounds: tuple[Ground, ...] = getattr(event, "grounds", ())
    return (
        isinstance(event, CooperationRefused)
        or Ground.ART4_REFUSAL in grounds
        or any(ground is Ground.ART4_REFUSAL and level is not DangerLevel.NONE for ground, level in levels)
    )


def art4_allowed(application: Application, event: Any) -> Reason:
    """Art. 4 only on the existing-permit track, and not for contract or vastgoed counterparties."""
    if not _mentions_art4(event):
        return None
    if application.track is not Track.EXISTING_PERMIT:
        return "art. 4 geldt alleen bij onderzoek naar een bestaande beschikking; bij een aanvraag geldt Awb 4:5"
    if not application.legal_act.allows_art4:
        return f"art. 4 geldt niet bij een {application.legal_act.label} (opdrachtnemers en vastgoedpartijen)"
    return None


def no_art4_in_advice(_application: Application, event: Any) -> Reason:
    """The LBB advises on art. 3 lid 1 and lid 6, not on art. 4."""
    advised = {ground for ground, _ in event.levels}
    return "het LBB adviseert niet over art. 4" if Ground.ART4_REFUSAL in advised else None


# --- specific edges --------------------------------------------------------------------------------------------


def repair_term_lapsed(application: Application, event: Any) -> Reason:
    """Awb 4:5: not processed only after the repair term lapsed without completion."""
    request = application.last(RepairRequested)
    if request is None or event.on > request.term_end:
        return None
    return f"de aanvultermijn (Awb 4:5) loopt nog tot en met {dutch_date(request.term_end)}"


def screening_required(application: Application, _event: Any) -> Reason:
    """Questionnaire and own investigation follow only when the policy calls for a Bibob screening."""
    determined = application.last(ScreeningDetermined)
    if determined is None or determined.screening is not Screening.NONE:
        return None
    return "volgens de bepaling van de Bibob-toets is geen screening nodig"


def applicant_informed(application: Application, event: LbbRequested) -> Reason:
    """Art. 32: the subject is told in writing that LBB advice was requested (not before there was anything to ask)."""
    if event.applicant_informed_on is None:
        return "de betrokkene moet schriftelijk zijn geïnformeerd over de adviesaanvraag (art. 32 Wet Bibob)"
    if event.applicant_informed_on < application.received:
        received = dutch_date(application.received)
        return f"de betrokkene kan niet over de adviesaanvraag zijn geïnformeerd vóór de ontvangst ({received})"
    return None


def _lbb_term_end(application: Application, on: dt.date) -> dt.date | None:
    """Where the LBB's advice term (art. 15), and so the art. 31 suspension, ends as it stands on `on`."""
    lbb = application.timeline().lbb_request
    return None if lbb is None else art31_of(lbb, on).cap_end


def lbb_term_running(application: Application, event: Any) -> Reason:
    """Art. 15: the LBB extends within its 8 weeks (lid 3), asks for data within its term (lid 2); later is no use.

    The last day itself still counts; the Atw moves it off weekends, statutory holidays and the equated
    days of the application's calendar (`calendars/atw-equated-days.json` unless another was given).
    """
    lbb = application.timeline().lbb_request
    if lbb is None:
        return None
    art31 = art31_of(lbb, event.on, application.calendar)
    extension = isinstance(event, LbbExtended)
    end = art31.extension_deadline if extension else art31.advice_due
    if event.on <= end:
        return None
    what = "acht weken" if extension else "adviestermijn"
    return f"de {what} van het LBB (art. 15 Wet Bibob) liep af op {dutch_date(end)}: dit komt te laat"


def extended_once(application: Application, _event: LbbExtended) -> Reason:
    """Art. 15 lid 3: the LBB may extend its advice term once."""
    return (
        "het LBB kan de adviestermijn maar één keer verlengen (art. 15 lid 3)"
        if application.last(LbbExtended)
        else None
    )


AWAITING_LBB = frozenset({ApplicationState.LBB_REQUESTED, ApplicationState.LBB_EXTENDED})


def lbb_suspension_over(application: Application, event: Any) -> Reason:
    """Without the LBB's advice the body goes on once the art. 31 suspension has ended: the advice is optional.

    Art. 31 suspends the decision term; a term that had already lapsed (Awb 4:13, 4:14) when the advice
    was asked is not suspended, the body is in default, and nothing makes it wait out the cap. (The
    lifecycle knows the Awb 4:13 term of eight weeks; a longer term of the permit only waits less.)
    """
    end = _lbb_term_end(application, event.on) if application.state in AWAITING_LBB else None
    if end is None or event.on >= end:
        return None
    if application.track.has_application and not art31_suspends(application.timeline(), event.on, application.calendar):
        return None
    return (
        f"het Bibob-advies is nog niet ontvangen en de beslistermijn is opgeschort tot {dutch_date(end)} "
        "(art. 31 Wet Bibob): wacht het advies af, of die datum"
    )


def zienswijze_term_lapsed(application: Application, event: ZienswijzeTermExpired) -> Reason:
    """The term set in the intention has passed."""
    intention = application.last(IntentionSent)
    if intention is None:
        return None
    end = add_term(intention.on, intention.zienswijze_term)
    return None if event.on > end else f"de zienswijzetermijn loopt nog tot en met {dutch_date(end)}"


# --- the decision ----------------------------------------------------------------------------------------------


def outcome_fits_track(application: Application, event: DecisionRecorded) -> Reason:
    """Each track its own outcomes (`Track.outcomes`): refusal on an application, withdrawal on an existing permit,
    not concluding or dissolving a real-estate transaction (art. 5a), not awarding, excluding or dissolving a public
    contract (art. 5), refusing, lowering or withdrawing a subsidy (art. 6 and 2); not-processed has its own event."""
    allowed = application.track.outcomes
    if event.outcome in allowed:
        return None
    names = ", ".join(outcome.label for outcome in allowed)
    return f"'{event.outcome.label}' past niet bij een {application.track.label}; mogelijk: {names}"


def outcome_fits_state(application: Application, event: DecisionRecorded) -> Reason:
    """Before the screening only a regular refusal; a grant without screening only when none is needed."""
    if event.outcome is Outcome.REFUSED_REGULAR:
        return None
    if application.state is ApplicationState.REGULAR_REVIEW:
        return "vanuit de reguliere toets alleen een weigering op reguliere grond; bepaal eerst de Bibob-toets"
    determined = application.last(ScreeningDetermined)
    if (
        application.state is ApplicationState.SCREENING_DECIDED
        and determined
        and determined.screening is not Screening.NONE
    ):
        return f"eerst de Bibob-toets ({determined.screening.label}): vragenformulier en eigen onderzoek"
    return None


def zienswijze_given(application: Application, event: DecisionRecorded) -> Reason:
    """Art. 33: before conditions or a negative decision, the subject may give a view."""
    if not event.outcome.is_bibob_measure or application.state in _AFTER_ZIENSWIJZE:
        return None
    article = "art. 33 lid 3 Wet Bibob" if application.track.is_private_law else "art. 33 Wet Bibob"
    return (
        f"voor '{event.outcome.label}' moet eerst een voornemen zijn verstuurd en de betrokkene gelegenheid "
        f"voor een zienswijze hebben gehad ({article}): zienswijze ontvangen of termijn verstreken"
    )


def intention_matches(application: Application, event: DecisionRecorded) -> Reason:
    """The zienswijze was given on an intention of the same kind as the decision."""
    intention = application.last(IntentionSent)
    if not event.outcome.is_bibob_measure or intention is None or application.state not in _AFTER_ZIENSWIJZE:
        return None
    needed = IntentionKind.CONDITIONS if event.outcome is Outcome.GRANTED_WITH_CONDITIONS else IntentionKind.NEGATIVE
    if intention.kind is needed:
        return None
    return f"het voornemen was een {intention.kind.label}; voor '{event.outcome.label}' is een {needed.label} nodig"


def grounds_serious(_application: Application, event: DecisionRecorded) -> Reason:
    """Refusal or withdrawal only on grounds with serious danger; lesser danger allows only conditions."""
    if not event.outcome.is_negative_bibob:
        return None
    if not event.grounds:
        return "noem de grond(en) van de weigering of intrekking"
    levels = dict(event.levels)
    reasons = [_not_serious(ground, levels.get(ground)) for ground in event.grounds]
    return "; ".join(reason for reason in reasons if reason) or None


def _not_serious(ground: Ground, level: DangerLevel | None) -> Reason:
    if level is DangerLevel.SERIOUS:
        return None
    if level is DangerLevel.LESSER:
        return (
            f"bij mindere mate van gevaar ({ground.label}) is alleen verlenen met voorschriften mogelijk (art. 3 lid 7)"
        )
    return f"voor {ground.label} is geen ernstig gevaar vastgesteld (art. 3 lid 1)"


def proportionality_complete(_application: Application, event: DecisionRecorded) -> Reason:
    """Art. 3 lid 5: refusal or withdrawal needs a complete proportionality record."""
    if not event.outcome.is_negative_bibob:
        return None
    if event.proportionality is None:
        return "een weigering of intrekking vereist een evenredigheidstoets (art. 3 lid 5)"
    missing = [_PROPORTIONALITY_NAMES[name] for name in event.proportionality.missing]
    return "evenredigheidstoets onvolledig, ontbreekt: " + ", ".join(missing) if missing else None


def art4_consistent(application: Application, event: DecisionRecorded) -> Reason:
    """An art. 4 withdrawal cites art. 4 and rests on a recorded refusal to cooperate."""
    cited = Ground.ART4_REFUSAL in event.grounds
    if (event.outcome is Outcome.WITHDRAWN_ART4) != cited:
        return "een intrekking wegens art. 4 noemt (alleen dan) de grond art. 4"
    if cited and application.last(CooperationRefused) is None:
        return "art. 4 vereist een vastgelegde weigering van medewerking"
    return None


def _lbb_changes(application: Application, event: DecisionRecorded) -> list[tuple[Ground, DangerLevel, DangerLevel]]:
    advice, own = application.levels(AssessmentSource.LBB), dict(event.levels)
    return [(ground, level, own[ground]) for ground, level in advice.items() if ground in own and own[ground] != level]


def lbb_downgrade_blocks_refusal(application: Application, event: DecisionRecorded) -> Reason:
    """When the body lowers the LBB's serious danger on any ground, Bibob refusal or withdrawal is blocked (§1.4)."""
    if not event.outcome.is_negative_bibob or event.outcome is Outcome.WITHDRAWN_ART4:
        return None
    changes = _lbb_changes(application, event)
    lowered = [ground.label for ground, lbb, _ in changes if lbb is DangerLevel.SERIOUS]
    if not lowered:
        return None
    return (
        "het bestuursorgaan stelt de mate van gevaar lager vast dan het LBB (ernstig gevaar) voor: "
        + ", ".join(lowered)
        + "; weigeren of intrekken op grond van de Wet Bibob is dan niet mogelijk"
    )


def deviation_motivated(application: Application, event: DecisionRecorded) -> Reason:
    """Deviating from the LBB's level on any ground requires a motivation."""
    changes = _lbb_changes(application, event)
    if not changes or event.deviation_motivation.strip():
        return None
    listed = ", ".join(f"{ground.label}: {lbb.label} → {own.label}" for ground, lbb, own in changes)
    return f"het besluit wijkt af van het LBB-advies ({listed}); motiveer de afwijking"


def conditions_given(_application: Application, event: DecisionRecorded) -> Reason:
    """Conditions belong to a grant with conditions, and such a grant names them."""
    with_conditions = event.outcome is Outcome.GRANTED_WITH_CONDITIONS
    if with_conditions and not any(condition.strip() for condition in event.conditions):
        return "noem de voorschriften die aan de beschikking worden verbonden (art. 3 lid 7)"
    if event.conditions and not with_conditions:
        return f"voorschriften horen niet bij '{event.outcome.label}'"
    return None


def conditions_need_danger(_application: Application, event: DecisionRecorded) -> Reason:
    """Art. 3 lid 7: conditions are meant to remove or limit a (lesser) danger."""
    if event.outcome is not Outcome.GRANTED_WITH_CONDITIONS:
        return None
    if any(level.rank >= 1 for _, level in event.levels):
        return None
    return "voorschriften vereisen ten minste een mindere mate van gevaar op een grond (art. 3 lid 7)"


DECISION_PRECONDITIONS: tuple[Callable[[Application, DecisionRecorded], Reason], ...] = (
    decided_by_named, outcome_fits_track, outcome_fits_state, lbb_suspension_over, levels_unique, art4_allowed,
    art4_consistent, zienswijze_given, intention_matches, grounds_serious, lbb_downgrade_blocks_refusal,
    deviation_motivated, proportionality_complete, conditions_given, conditions_need_danger,
)  # fmt: skip


# --- the Bibob register, tips and art. 28 -----------------------------------------------------------------------

ADVICE_COPY_MISSING = (
    "een voornemen tot weigering of intrekking na een Bibob-advies vereist eerst dat de betrokkene een afschrift "
    "van het advies kreeg met een schriftelijke waarschuwing over de geheimhoudingsplicht (art. 28 Wet Bibob): "
    "leg 'afschrift Bibob-advies met geheimhoudingswaarschuwing verstrekt' vast"
)


def advice_copy_with_warning(application: Application, event: IntentionSent) -> Reason:
    """Art. 28: with an LBB advice on record, the intention to refuse follows a copy of it with a written warning."""
    if event.kind is not IntentionKind.NEGATIVE or application.last(LbbAdviceReceived) is None:
        return None
    copy = application.last(LbbAdviceCopySent)
    return None if copy is not None and copy.on <= event.on else ADVICE_COPY_MISSING


def advice_on_record(application: Application, _event: LbbAdviceCopySent) -> Reason:
    """Only an advice that was received can be copied."""
    if application.last(LbbAdviceReceived) is not None:
        return None
    return "er is geen Bibob-advies ontvangen waarvan een afschrift kan worden verstrekt"


def warning_written(_application: Application, event: LbbAdviceCopySent) -> Reason:
    """Art. 28: the warning of the secrecy duty is given in writing, so its text is on record."""
    if event.secrecy_warning.strip():
        return None
    return "neem de tekst op van de schriftelijke waarschuwing over de geheimhoudingsplicht (art. 28 Wet Bibob)"


def subjects_given(_application: Application, event: RegisterConsulted) -> Reason:
    """A consultation of the register names the subjects it was about."""
    if any(subject.strip() for subject in event.subjects):
        return None
    return "noem de betrokkenen naar wie in het Bibob-register is gezocht"


def trigger_source_named(_application: Application, event: ScreeningTriggered) -> Reason:
    """A tip (OM art. 26, LBB, another body) or an RIEC advice names where it came from."""
    if not event.trigger.needs_source or event.source.strip():
        return None
    return f"noem van wie de aanleiding kwam ({event.trigger.label})"


def register_hit_on_record(application: Application, event: ScreeningTriggered) -> Reason:
    """A register hit as the trigger rests on a recorded consultation of the register with a hit."""
    if event.trigger is not ScreeningTrigger.REGISTER_HIT:
        return None
    if any(isinstance(e, RegisterConsulted) and e.hit for e in application.history):
        return None
    return "een treffer in het Bibob-register als aanleiding vereist een vastgelegde raadpleging met treffer"


def danger_concluded(application: Application, _event: DangerConclusionRegistered) -> Reason:
    """The register holds danger conclusions: the recorded decision found at least a lesser danger."""
    if application.last(DangerConclusionRegistered) is not None:
        return "de conclusie over de mate van gevaar is al geregistreerd in het Bibob-register"
    if application.danger_concluded:
        return None
    return "het besluit stelt geen mate van gevaar vast: er is geen conclusie om in het Bibob-register te registreren"


def withdrawal_after_screening(application: Application, _event: WithdrawalRegistered) -> Reason:
    """A withdrawal is registered when the application was being screened (own investigation or LBB request)."""
    if application.last(WithdrawalRegistered) is not None:
        return "de terugtrekking is al geregistreerd in het Bibob-register"
    if application.screened:
        return None
    return (
        "de aanvraag werd niet gescreend (geen eigen onderzoek of adviesaanvraag): er is geen terugtrekking te melden"
    )


def closing_checklist(application: Application) -> tuple[tuple[str, bool], ...]:
    """What must be done before the file closes, as (Dutch item, done): the Bibob register's registrations."""
    items = {
        "dangerConclusion": "conclusie mate van gevaar geregistreerd in het Bibob-register",
        "withdrawal": "terugtrekking van de aanvraag geregistreerd in het Bibob-register",
    }
    return tuple((items[duty.what], duty.done is not None) for duty in application.register_duties())


def checklist_done(application: Application, _event: Any) -> Reason:
    """The file closes only when every checklist item is done."""
    open_items = [item for item, done in closing_checklist(application) if not done]
    return "het dossier kan nog niet worden gesloten; open: " + "; ".join(open_items) if open_items else None


# --- the objection phase ----------------------------------------------------------------------------------------


def objection_possible(application: Application, _event: Any) -> Reason:
    """A real-estate transaction or public contract is no besluit (Awb 1:3): no objection lies against it."""
    if not application.track.is_private_law:
        return None
    return (
        f"tegen een beslissing over een {application.track.label} staat geen bezwaar open: de gemeente handelt als "
        "rechtspersoon en neemt geen besluit (Awb 1:3); de weg is de burgerlijke rechter"
    )


def objection_extension_allowed(application: Application, event: ObjectionDecisionExtended) -> Reason:
    """Awb 7:10 lid 3: postponed once, by at most six weeks, while the term still runs."""
    if application.last(ObjectionDecisionExtended) is not None:
        return "de beslissing op bezwaar kan maar één keer met ten hoogste zes weken worden verdaagd (Awb 7:10 lid 3)"
    if (add_term(event.on, event.term) - event.on).days > (add_term(event.on, OBJECTION_EXTENSION) - event.on).days:
        return f"verdagen kan met ten hoogste zes weken, niet met {event.term} (Awb 7:10 lid 3)"
    due = next(
        (d.due for d in application_deadlines(application, event.on, application.calendar)
         if d.code == "objectionDecision"), None,
    )  # fmt: skip
    if due is None or event.on <= due:
        return None
    return (
        f"de termijn voor de beslissing op bezwaar verstreek op {dutch_date(due)}: een verdaging daarna heeft "
        "geen gevolg (Awb 7:10 lid 3)"
    )


def supplementary_advice_asked(application: Application, _event: SupplementaryAdviceReceived) -> Reason:
    """A supplementary advice arrives only after it was asked and not yet received."""
    waiting = False
    for event in application.history:
        if isinstance(event, SupplementaryAdviceRequested | SupplementaryAdviceReceived):
            waiting = isinstance(event, SupplementaryAdviceRequested)
    if waiting:
        return None
    return "er is geen aanvullend Bibob-advies gevraagd dat nog moet binnenkomen"
