"""An undermining case (casus): its state, its event history and what that history says about it."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.labels import LabelledEnum
from bibob.undermining.case_events import (
    CaseClosed,
    CaseEvent,
    CaseRegistered,
    ConfidentialityChanged,
    InformationAnswered,
    InformationRequested,
    InterventionUpdated,
    MeetingHeld,
    MeetingScheduled,
    MembersChanged,
    PartnersSelected,
    PlanDrafted,
    ReviewScheduled,
    SubjectsAdded,
    TriangleApproved,
)
from bibob.undermining.evidence_events import EvidenceConfirmed, EvidenceDetached, EvidenceLinked
from bibob.undermining.subjects import Subjects
from bibob.undermining.vocabulary import (
    ActionPlan,
    Confidentiality,
    EvidenceItem,
    EvidenceStatus,
    InformationRequest,
    Intervention,
    JournalEntry,
    Meeting,
    Partner,
    Theme,
    TriangleApproval,
)

E = TypeVar("E")


class CaseState(LabelledEnum):
    """Where a case stands in the seed process (domain.md §6.5, §7.3)."""

    REGISTERED = "registered", "geregistreerd"
    INVESTIGATION = "investigation", "onderzoek (informatiebeeld)"
    CASE_MEETING = "caseMeeting", "casusoverleg"
    ACTION_PLAN = "actionPlan", "plan van aanpak (concept)"
    TRIANGLE_ALIGNMENT = "triangleAlignment", "afstemming in de driehoek"
    EXECUTION = "execution", "uitvoering en monitoring"
    CLOSED = "closed", "afgesloten"

    @property
    def is_open(self) -> bool:
        """Whether the case is still open."""
        return self is not CaseState.CLOSED


@attrs.frozen
class Case:
    """A case file: a value changed only by `case_lifecycle.apply_case_event`; the rest derives from its history.

    The first event is always the `CaseRegistered` that `register_case` makes.
    """

    id: str
    history: tuple[CaseEvent, ...]
    state: CaseState = CaseState.REGISTERED

    @property
    def registration(self) -> CaseRegistered:
        """The registration the history starts with."""
        first = self.history[0]
        assert isinstance(first, CaseRegistered)  # register_case guarantees it
        return first

    def last(self, event_type: type[E]) -> E | None:
        """The most recent event of `event_type`, or None."""
        return next((event for event in reversed(self.history) if isinstance(event, event_type)), None)

    def of_type(self, event_type: type[E]) -> tuple[E, ...]:
        """Every event of `event_type`, in order."""
        return tuple(event for event in self.history if isinstance(event, event_type))

    @property
    def title(self) -> str:
        """The case's title."""
        return self.registration.title

    @property
    def theme(self) -> Theme:
        """The phenomenon the case is about."""
        return self.registration.theme

    @property
    def lead(self) -> str:
        """The user name of the advisor leading the case (regisseur)."""
        return self.registration.lead

    @property
    def members(self) -> tuple[str, ...]:
        """The user names with need-to-know besides the lead."""
        changed = self.last(MembersChanged)
        return changed.members if changed else self.registration.members

    @property
    def partners(self) -> tuple[Partner, ...]:
        """The partners selected for this case."""
        selected = self.last(PartnersSelected)
        return selected.partners if selected else self.registration.partners

    @property
    def confidentiality(self) -> Confidentiality:
        """The current confidentiality level."""
        changed = self.last(ConfidentialityChanged)
        return changed.confidentiality if changed else self.registration.confidentiality

    @property
    def subjects(self) -> Subjects:
        """Every subject of the case."""
        subjects = self.registration.subjects
        for added in self.of_type(SubjectsAdded):
            subjects = subjects.merged(added.subjects)
        return subjects

    @property
    def signal_ids(self) -> tuple[str, ...]:
        """The signals linked to the case."""
        added = (signal for event in self.of_type(SubjectsAdded) for signal in event.signal_ids)
        return tuple(dict.fromkeys((*self.registration.signal_ids, *added)))

    @property
    def requests(self) -> tuple[InformationRequest, ...]:
        """The information requests with their answers."""
        requests: dict[str, InformationRequest] = {}
        for event in self.history:
            if isinstance(event, InformationRequested):
                requests[event.request_id] = InformationRequest(
                    event.request_id, event.partner, event.question, event.at
                )
            elif isinstance(event, InformationAnswered) and event.request_id in requests:
                answered = attrs.evolve(
                    requests[event.request_id], answered=event.at, answer_summary=event.answer_summary
                )
                requests[event.request_id] = answered
        return tuple(requests.values())

    @property
    def no_answer_reason(self) -> str:
        """Why the case went to the meeting before any request was answered, if the lead recorded it."""
        scheduled = self.last(MeetingScheduled)
        return scheduled.no_answer_reason if scheduled else ""

    @property
    def meetings(self) -> tuple[Meeting, ...]:
        """The case meetings held."""
        return tuple(Meeting(e.at, e.attendees, e.agenda, e.decisions) for e in self.of_type(MeetingHeld))

    @property
    def plan(self) -> ActionPlan | None:
        """The latest plan of action with the progress on its interventions, or None."""
        drafted = self.last(PlanDrafted)
        if drafted is None:
            return None
        updates = self.history[self.history.index(drafted) :]
        interventions = tuple(_progressed(i, updates) for i in drafted.interventions)
        return ActionPlan(drafted.goals, interventions)

    @property
    def approval(self) -> TriangleApproval | None:
        """The driehoek approval of the latest plan, or None."""
        drafted, approved = self.last(PlanDrafted), self.last(TriangleApproved)
        if approved is None or drafted is None or self.history.index(approved) < self.history.index(drafted):
            return None
        return TriangleApproval(approved.at, approved.mayor, approved.notes)

    @property
    def review_on(self) -> dt.date | None:
        """The next review date, or None."""
        scheduled = self.last(ReviewScheduled)
        return scheduled.review_on if scheduled else None

    @property
    def result(self) -> str:
        """The result the case was closed with; empty while open."""
        closed = self.last(CaseClosed)
        return closed.result if closed and self.state is CaseState.CLOSED else ""

    @property
    def evidence(self) -> tuple[EvidenceItem, ...]:
        """The evidence items with their current status."""
        items: dict[str, EvidenceItem] = {}
        for event in self.history:
            if isinstance(event, EvidenceLinked):
                items[event.item.id] = event.item
            elif isinstance(event, EvidenceConfirmed) and event.evidence_id in items:
                items[event.evidence_id] = attrs.evolve(items[event.evidence_id], status=EvidenceStatus.CONFIRMED)
            elif isinstance(event, EvidenceDetached) and event.evidence_id in items:
                detached = attrs.evolve(items[event.evidence_id], status=EvidenceStatus.DETACHED)
                items[event.evidence_id] = attrs.evolve(detached, detach_reason=event.reason)
        return tuple(items.values())

    def evidence_item(self, evidence_id: str) -> EvidenceItem | None:
        """The evidence item with `evidence_id`, or None."""
        return next((item for item in self.evidence if item.id == evidence_id), None)

    @property
    def journal(self) -> tuple[JournalEntry, ...]:
        """The journal: one entry per change — when, who, what."""
        return tuple(JournalEntry(event.at, event.by, event.describe()) for event in self.history)


def _progressed(intervention: Intervention, events: tuple[CaseEvent, ...]) -> Intervention:
    updates = [e for e in events if isinstance(e, InterventionUpdated) and e.intervention_id == intervention.id]
    return attrs.evolve(intervention, status=updates[-1].status) if updates else intervention


def register_case(case_id: str, registered: CaseRegistered) -> Case:
    """A new case in state 'registered'; `InvalidInputError` lists every missing essential."""
    required = (("id", case_id), ("title", registered.title), ("lead", registered.lead), ("by", registered.by))
    problems = [
        Problem(f"/{name}", "case.required", "verplicht veld ontbreekt of is leeg")
        for name, value in required
        if not value.strip()
    ]
    if registered.lead in registered.members:
        problems.append(Problem("/members", "case.leadIsMember", "de regisseur staat al als regisseur in de casus"))
    if problems:
        raise InvalidInputError(problems)
    return Case(case_id, (registered,))
