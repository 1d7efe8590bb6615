"""The preconditions of the case lifecycle's edges: each returns the Dutch reason when it is unmet."""

from __future__ import annotations

from typing import Any

from bibob.terms import dutch_date
from bibob.undermining.case_events import (
    CaseClosed,
    CaseReopened,
    ConfidentialityChanged,
    InformationAnswered,
    InformationRequested,
    InterventionUpdated,
    MeetingHeld,
    MeetingScheduled,
    PlanDrafted,
    ReviewScheduled,
    TriangleApproved,
)
from bibob.undermining.cases import Case
from bibob.undermining.evidence_events import EvidenceConfirmed, EvidenceDetached, EvidenceLinked
from bibob.undermining.vocabulary import EvidenceStatus, Partner

Reason = str | None


def in_order(case: Case, event: Any) -> Reason:
    """Events are recorded in time order."""
    previous = case.history[-1].at
    return None if event.at >= previous else f"het tijdstip ligt vóór de vorige gebeurtenis ({dutch_date(previous)})"


def signed(_case: Case, event: Any) -> Reason:
    """Every change names who made it (the journal records it)."""
    return None if event.by.strip() else "vermeld wie de wijziging doet (by)"


def _selected(case: Case, partners: tuple[Partner, ...]) -> Reason:
    allowed = {*case.partners, Partner.MUNICIPALITY}
    others = sorted({p.label for p in partners if p not in allowed})
    return "niet geselecteerd voor deze casus: " + ", ".join(others) if others else None


# --- investigation ---------------------------------------------------------------------------------------------


def request_is_new(case: Case, event: InformationRequested) -> Reason:
    """A request id is used once, for a selected partner, with a question."""
    if any(request.id == event.request_id for request in case.requests):
        return f"informatieverzoek '{event.request_id}' bestaat al"
    if not event.question.strip():
        return "stel een vraag aan de partner"
    return _selected(case, (event.partner,))


def request_is_open(case: Case, event: InformationAnswered) -> Reason:
    """An answer belongs to an unanswered request and summarises the answer."""
    request = next((r for r in case.requests if r.id == event.request_id), None)
    if request is None:
        return f"informatieverzoek '{event.request_id}' bestaat niet"
    if request.answered is not None:
        return f"informatieverzoek '{event.request_id}' is al beantwoord"
    return None if event.answer_summary.strip() else "vat het antwoord samen"


def answered_or_explained(case: Case, event: MeetingScheduled) -> Reason:
    """No meeting before an information request was answered, unless the lead records why."""
    if any(request.answered is not None for request in case.requests):
        return None
    if not event.no_answer_reason.strip():
        return "er is nog geen informatieverzoek beantwoord; de regisseur legt vast waarom het overleg toch nodig is"
    if event.by != case.lead:
        return "alleen de regisseur van de casus kan vastleggen waarom het overleg zonder antwoord plaatsvindt"
    return None


# --- meeting and plan ------------------------------------------------------------------------------------------


def attendees_selected(case: Case, event: MeetingHeld) -> Reason:
    """Only the case's selected partners attend (need-to-know)."""
    return "noem de deelnemende partners" if not event.attendees else _selected(case, event.attendees)


def plan_follows_meeting(case: Case, _event: PlanDrafted) -> Reason:
    """The plan is drawn up together, in a case meeting."""
    return (
        None if case.meetings else "het plan van aanpak wordt in een casusoverleg opgesteld; leg eerst het overleg vast"
    )


def plan_complete(case: Case, event: PlanDrafted) -> Reason:
    """Goals and interventions, each with a unique id, a selected partner, an owner and a due date ahead."""
    ids = [i.id for i in event.interventions]
    reasons = [
        "noem ten minste één doel" if not any(goal.strip() for goal in event.goals) else None,
        "noem ten minste één interventie" if not event.interventions else None,
        "interventie-id's zijn uniek" if len(set(ids)) != len(ids) else None,
        _selected(case, tuple(i.partner for i in event.interventions)),
        "elke interventie heeft een eigenaar" if any(not i.owner.strip() for i in event.interventions) else None,
        "een deadline ligt niet vóór het plan" if any(i.due < event.at.date() for i in event.interventions) else None,
    ]
    return "; ".join(reason for reason in reasons if reason) or None


def has_plan(case: Case, _event: Any) -> Reason:
    """No driehoek and no execution without a plan of action."""
    return None if case.plan is not None else "er is geen plan van aanpak"


def triangle_not_needed(case: Case, _event: Any) -> Reason:
    """A plan with police or public-prosecutor interventions is aligned in the driehoek first."""
    if case.plan is None or not case.plan.needs_triangle:
        return None
    return "het plan bevat interventies van politie of OM: eerst afstemming in de driehoek en goedkeuring burgemeester"


def mayor_named(_case: Case, event: TriangleApproved) -> Reason:
    """The approval records the mayor."""
    return None if event.mayor.strip() else "vermeld de burgemeester die het plan goedkeurde"


def intervention_exists(case: Case, event: InterventionUpdated) -> Reason:
    """Progress is recorded on an intervention of the plan."""
    ids = {i.id for i in case.plan.interventions} if case.plan else set()
    return None if event.intervention_id in ids else f"interventie '{event.intervention_id}' staat niet in het plan"


def review_ahead(_case: Case, event: ReviewScheduled) -> Reason:
    """A review lies ahead."""
    return None if event.review_on >= event.at.date() else "het evaluatiemoment ligt in het verleden"


# --- closing ---------------------------------------------------------------------------------------------------


def result_given(_case: Case, event: CaseClosed) -> Reason:
    """Closing records the result."""
    return None if event.result.strip() else "leg het resultaat van de casus vast"


def interventions_finished(case: Case, _event: CaseClosed) -> Reason:
    """Every intervention is done or cancelled before the case closes."""
    running = [i.id for i in case.plan.interventions if i.status.is_open] if case.plan else []
    return "nog lopende interventies: " + ", ".join(running) if running else None


def reason_given(_case: Case, event: CaseReopened | ConfidentialityChanged | EvidenceDetached) -> Reason:
    """Reopening, changing confidentiality and detaching evidence record why."""
    return None if event.reason.strip() else "vermeld de reden"


# --- evidence --------------------------------------------------------------------------------------------------


def evidence_is_new(case: Case, event: EvidenceLinked) -> Reason:
    """An evidence id is used once; a link is explained by a match or by a reason given by hand."""
    if case.evidence_item(event.item.id) is not None:
        return f"bewijsstuk '{event.item.id}' is al gekoppeld"
    if not (event.item.match_explanation.strip() or event.item.reason.strip()):
        return "een koppeling vermeldt de overeenkomst van betrokkenen of de reden van de handmatige koppeling"
    return None


def evidence_confirmable(case: Case, event: EvidenceConfirmed) -> Reason:
    """Only a linked or to-review item can be confirmed; one derived from this case's own information never is."""
    item = case.evidence_item(event.evidence_id)
    if item is None:
        return f"bewijsstuk '{event.evidence_id}' bestaat niet"
    if item.status is EvidenceStatus.DERIVED:
        return f"bewijsstuk '{event.evidence_id}' berust alleen op informatie uit deze casus (geen zelfstandig bewijs)"
    if item.status in (EvidenceStatus.CONFIRMED, EvidenceStatus.DETACHED):
        return f"bewijsstuk '{event.evidence_id}' is al {item.status.label}"
    return None


def evidence_attached(case: Case, event: EvidenceDetached) -> Reason:
    """Only an item still attached can be detached."""
    item = case.evidence_item(event.evidence_id)
    if item is None:
        return f"bewijsstuk '{event.evidence_id}' bestaat niet"
    return f"bewijsstuk '{event.evidence_id}' is al ontkoppeld" if item.status is EvidenceStatus.DETACHED else None
