"""The case lifecycle as an explicit transition table; applying an event checks its preconditions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from bibob import _machine
from bibob.undermining import case_rules as rules
from bibob.undermining.case_events import (
    CaseClosed,
    CaseEvent,
    CaseRegistered,
    CaseReopened,
    ConfidentialityChanged,
    InformationAnswered,
    InformationRequested,
    InterventionUpdated,
    InvestigationStarted,
    MeetingHeld,
    MeetingScheduled,
    MembersChanged,
    PartnersSelected,
    PlanAdopted,
    PlanDrafted,
    ReviewScheduled,
    SubjectsAdded,
    TriangleAlignmentRequested,
    TriangleApproved,
)
from bibob.undermining.cases import Case, CaseState
from bibob.undermining.evidence_events import EvidenceConfirmed, EvidenceDetached, EvidenceLinked

S = CaseState
Precondition = _machine.Check[Case, Any]
OPEN = tuple(state for state in CaseState if state.is_open)
#: Events that record something without moving the case, allowed in every open state.
RECORDING: tuple[type[CaseEvent], ...] = (
    SubjectsAdded, PartnersSelected, MembersChanged, ConfidentialityChanged, ReviewScheduled,
    EvidenceLinked, EvidenceConfirmed, EvidenceDetached,
)  # fmt: skip
_ASKING = (S.INVESTIGATION, S.CASE_MEETING, S.EXECUTION)

_EDGES: tuple[tuple[CaseState, type[CaseEvent], CaseState], ...] = (
    (S.REGISTERED, InvestigationStarted, S.INVESTIGATION),
    *((state, InformationRequested, state) for state in _ASKING),
    *((state, InformationAnswered, state) for state in _ASKING),
    (S.INVESTIGATION, MeetingScheduled, S.CASE_MEETING),
    (S.CASE_MEETING, MeetingHeld, S.CASE_MEETING),
    (S.EXECUTION, MeetingHeld, S.EXECUTION),
    (S.CASE_MEETING, PlanDrafted, S.ACTION_PLAN),
    (S.ACTION_PLAN, PlanDrafted, S.ACTION_PLAN),
    (S.TRIANGLE_ALIGNMENT, PlanDrafted, S.ACTION_PLAN),
    (S.ACTION_PLAN, PlanAdopted, S.EXECUTION),
    (S.ACTION_PLAN, TriangleAlignmentRequested, S.TRIANGLE_ALIGNMENT),
    (S.TRIANGLE_ALIGNMENT, TriangleApproved, S.EXECUTION),
    (S.EXECUTION, InterventionUpdated, S.EXECUTION),
    (S.INVESTIGATION, CaseClosed, S.CLOSED),
    (S.CASE_MEETING, CaseClosed, S.CLOSED),
    (S.EXECUTION, CaseClosed, S.CLOSED),
    (S.CLOSED, CaseReopened, S.INVESTIGATION),
    *((state, kind, state) for state in OPEN for kind in RECORDING),
)

TRANSITIONS: Mapping[tuple[CaseState, type[CaseEvent]], CaseState] = _machine.edges(_EDGES)

PRECONDITIONS: Mapping[type[CaseEvent], tuple[Precondition, ...]] = MappingProxyType({
    InformationRequested: (rules.request_is_new,),
    InformationAnswered: (rules.request_is_open,),
    MeetingScheduled: (rules.answered_or_explained,),
    MeetingHeld: (rules.attendees_selected,),
    PlanDrafted: (rules.plan_follows_meeting, rules.plan_complete),
    PlanAdopted: (rules.has_plan, rules.triangle_not_needed),
    TriangleAlignmentRequested: (rules.has_plan,),
    TriangleApproved: (rules.has_plan, rules.mayor_named),
    InterventionUpdated: (rules.intervention_exists,),
    ReviewScheduled: (rules.review_ahead,),
    CaseClosed: (rules.result_given, rules.interventions_finished),
    CaseReopened: (rules.reason_given,),
    ConfidentialityChanged: (rules.reason_given,),
    EvidenceLinked: (rules.evidence_is_new,),
    EvidenceConfirmed: (rules.evidence_confirmable,),
    EvidenceDetached: (rules.evidence_attached, rules.reason_given),
})  # fmt: skip


def _refusal(
    machine: _machine.Machine[Case, CaseEvent, CaseState, type[CaseEvent]],
    state: CaseState,
    event_type: type[CaseEvent],
) -> str:
    if event_type is CaseRegistered:
        return "een casus wordt één keer geregistreerd (register_case)"
    return _machine.only_after(machine, state, event_type)


def _moved(case: Case, event: CaseEvent, target: CaseState) -> Case:
    return attrs.evolve(case, state=target, history=(*case.history, event))


MACHINE: _machine.Machine[Case, CaseEvent, CaseState, type[CaseEvent]] = _machine.Machine(
    edges=TRANSITIONS,
    preconditions=PRECONDITIONS,
    state_of=lambda case: case.state,
    kind_of=_machine.event_type,
    label_of=lambda event_type: event_type.LABEL,
    move=_moved,
    always=(rules.in_order, rules.signed),
    refusal=_refusal,
)


def apply_case_event(case: Case, event: CaseEvent) -> Case:
    """The case after `event`: history (and so journal) appended, state moved.

    Raises `TransitionError` when the table has no edge for (state, event), or naming in Dutch every
    unmet precondition of that edge.
    """
    return _machine.apply(MACHINE, case, event)


def replay_case(case: Case, events: Iterable[CaseEvent]) -> Case:
    """`case` after each of `events` in turn."""
    return _machine.replay(MACHINE, case, events)


def unmet_preconditions(case: Case, event: CaseEvent) -> tuple[str, ...]:
    """The Dutch reason of every precondition of `event` that `case` does not meet."""
    return _machine.unmet(MACHINE, case, event)


def allowed_events(state: CaseState) -> tuple[type[CaseEvent], ...]:
    """The event types the table allows in `state`."""
    return _machine.allowed(MACHINE, state)
