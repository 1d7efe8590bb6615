"""Cases: every lifecycle edge and precondition, the journal, JSON, and the meeting agenda."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from bibob.exceptions import InvalidInputError, TransitionError
from bibob.parties import Address, Person
from bibob.undermining import (
    Case,
    CaseEvent,
    CaseRegistered,
    CaseState,
    Channel,
    Confidentiality,
    EvidenceItem,
    EvidenceKind,
    EvidenceLinked,
    InformationAnswered,
    InformationRequested,
    Intervention,
    InterventionKind,
    InvestigationStarted,
    MeetingHeld,
    MeetingScheduled,
    MembersChanged,
    Partner,
    PlanDrafted,
    Signal,
    SignalSource,
    Subjects,
    Theme,
    TriangleAlignmentRequested,
    apply_case_event,
    case_from_json,
    case_to_json,
    meeting_agenda,
    register_case,
    replay_case,
)
from bibob.undermining.agenda import AgendaItemKind
from bibob.undermining.case_events import (
    CASE_EVENT_TYPES,
    CaseClosed,
    CaseReopened,
    ConfidentialityChanged,
    EvidenceConfirmed,
    EvidenceDetached,
    InterventionUpdated,
    PartnersSelected,
    PlanAdopted,
    ReviewScheduled,
    SubjectsAdded,
    TriangleApproved,
)
from bibob.undermining.case_lifecycle import TRANSITIONS
from bibob.undermining.vocabulary import InterventionStatus

TZ = dt.timezone(dt.timedelta(hours=1))
OPENED = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
S = CaseState
LEAD = "adviseur"
SUBJECTS = Subjects(
    persons=(Person("Jansen", "Kees", date_of_birth=dt.date(1988, 5, 30)),),
    addresses=(Address("Hamersveldseweg", 12, "", "3833GP", "Leusden"),),
)


def at(day: int) -> dt.datetime:
    return OPENED + dt.timedelta(days=day)


def registered(**changes: Any) -> CaseRegistered:
    base = CaseRegistered(
        OPENED, LEAD, "Pand Hamersveldseweg", Theme.DRUGS, LEAD, Confidentiality.CONFIDENTIAL, ("collega",),
        (Partner.POLICE, Partner.HOUSING_CORPORATION), SUBJECTS, ("S-2026-001", "S-2026-002"), "RIEC-convenant",
    )  # fmt: skip
    return attrs.evolve(base, **changes)


def new_case() -> Case:
    return register_case("C-2026-001", registered())


POLICE_ACTION = Intervention(
    "I-1", Partner.POLICE, InterventionKind.CRIMINAL, "doorzoeking", "politie-1", dt.date(2026, 6, 1)
)
CLOSURE = Intervention("I-2", Partner.MUNICIPALITY, InterventionKind.CLOSURE_13B, "sluiting", LEAD, dt.date(2026, 5, 1))
ASK = InformationRequested(at(1), LEAD, "IR-1", Partner.POLICE, "Is het pand bekend?")
ANSWER = InformationAnswered(at(2), LEAD, "IR-1", "Bekend: twee meldingen hennepgeur")
MEETING = MeetingScheduled(at(3), LEAD, ("casus Hamersveldseweg",))
HELD = MeetingHeld(at(4), LEAD, (Partner.POLICE, Partner.MUNICIPALITY), ("bespreking",), ("plan opstellen",))
PLAN = PlanDrafted(at(5), LEAD, ("hennepteelt stoppen",), (POLICE_ACTION, CLOSURE))
MUNICIPAL_PLAN = PlanDrafted(at(5), LEAD, ("pand sluiten",), (CLOSURE,))
TRIANGLE = TriangleAlignmentRequested(at(6), LEAD)
APPROVED = TriangleApproved(at(7), LEAD, "burgemeester", "akkoord")
DONE = (
    InterventionUpdated(at(8), LEAD, "I-1", InterventionStatus.DONE),
    InterventionUpdated(at(8), LEAD, "I-2", InterventionStatus.DONE),
)
CLOSED = CaseClosed(at(9), LEAD, "pand gesloten, teelt opgerold")
ITEM = EvidenceItem("E-1", EvidenceKind.DOCUMENT_REFERENCE, "politie", "PV-1", "proces-verbaal", Confidentiality.SECRET,
                    reason="bewijs van teelt")  # fmt: skip
START = (InvestigationStarted(at(0), LEAD),)
PATHS: dict[CaseState, tuple[CaseEvent, ...]] = {
    S.REGISTERED: (),
    S.INVESTIGATION: START,
    S.CASE_MEETING: (*START, ASK, ANSWER, MEETING),
    S.ACTION_PLAN: (*START, ASK, ANSWER, MEETING, HELD, PLAN),
    S.TRIANGLE_ALIGNMENT: (*START, ASK, ANSWER, MEETING, HELD, PLAN, TRIANGLE),
    S.EXECUTION: (*START, ASK, ANSWER, MEETING, HELD, PLAN, TRIANGLE, APPROVED),
    S.CLOSED: (*START, ASK, ANSWER, MEETING, HELD, PLAN, TRIANGLE, APPROVED, *DONE, CLOSED),
}


def reach(state: CaseState) -> Case:
    return replay_case(new_case(), PATHS[state])


DEFAULTS: dict[type[Any], Callable[[dt.datetime], CaseEvent]] = {
    CaseRegistered: lambda when: attrs.evolve(registered(), at=when),
    SubjectsAdded: lambda when: SubjectsAdded(when, LEAD, Subjects(), ("S-3",)),
    PartnersSelected: lambda when: PartnersSelected(when, LEAD, (Partner.POLICE,)),
    MembersChanged: lambda when: MembersChanged(when, LEAD, ("collega", "jurist")),
    ConfidentialityChanged: lambda when: ConfidentialityChanged(when, LEAD, Confidentiality.SECRET, "politie-info"),
    InvestigationStarted: lambda when: InvestigationStarted(when, LEAD),
    InformationRequested: lambda when: InformationRequested(when, LEAD, "IR-9", Partner.POLICE, "vraag"),
    InformationAnswered: lambda when: InformationAnswered(when, LEAD, "IR-1", "antwoord"),
    MeetingScheduled: lambda when: MeetingScheduled(when, LEAD, ("agenda",)),
    MeetingHeld: lambda when: attrs.evolve(HELD, at=when),
    PlanDrafted: lambda when: attrs.evolve(PLAN, at=when),
    PlanAdopted: lambda when: PlanAdopted(when, LEAD),
    TriangleAlignmentRequested: lambda when: TriangleAlignmentRequested(when, LEAD),
    TriangleApproved: lambda when: attrs.evolve(APPROVED, at=when),
    InterventionUpdated: lambda when: InterventionUpdated(when, LEAD, "I-1", InterventionStatus.IN_PROGRESS),
    ReviewScheduled: lambda when: ReviewScheduled(when, LEAD, dt.date(2026, 9, 1)),
    CaseClosed: lambda when: CaseClosed(when, LEAD, "resultaat"),
    CaseReopened: lambda when: CaseReopened(when, LEAD, "nieuw signaal"),
    EvidenceLinked: lambda when: EvidenceLinked(when, LEAD, ITEM),
    EvidenceConfirmed: lambda when: EvidenceConfirmed(when, LEAD, "E-1"),
    EvidenceDetached: lambda when: EvidenceDetached(when, LEAD, "E-1", "onjuist"),
}
NEEDS_ITEM = (EvidenceConfirmed, EvidenceDetached)
# Paths that differ from the default for an edge.
SPECIAL: dict[tuple[CaseState, type[Any]], tuple[CaseEvent, ...]] = {
    (S.INVESTIGATION, InformationAnswered): (*START, ASK),
    (S.INVESTIGATION, MeetingScheduled): (*START, ASK, ANSWER),
    (S.INVESTIGATION, CaseClosed): START,
    (S.CASE_MEETING, PlanDrafted): (*START, ASK, ANSWER, MEETING, HELD),
    (S.ACTION_PLAN, PlanAdopted): (*START, ASK, ANSWER, MEETING, HELD, MUNICIPAL_PLAN),
    (S.EXECUTION, CaseClosed): (*PATHS[S.EXECUTION], *DONE),
}


def edge_case(state: CaseState, kind: type[Any]) -> tuple[Case, CaseEvent]:
    case = replay_case(new_case(), SPECIAL.get((state, kind), PATHS[state]))
    if kind in NEEDS_ITEM and state.is_open:
        case = apply_case_event(case, EvidenceLinked(case.history[-1].at, LEAD, ITEM))
    open_request = any(r.answered is None for r in case.requests)
    if kind is InformationAnswered and (state, InformationRequested) in TRANSITIONS and not open_request:
        case = apply_case_event(case, InformationRequested(case.history[-1].at, LEAD, "IR-1b", Partner.POLICE, "q"))
        return case, InformationAnswered(case.history[-1].at + dt.timedelta(hours=1), LEAD, "IR-1b", "antwoord")
    return case, DEFAULTS[kind](case.history[-1].at + dt.timedelta(hours=1))


@pytest.mark.parametrize("edge", list(TRANSITIONS), ids=lambda edge: f"{edge[0].value}-{edge[1].TYPE}")
def test_every_edge_of_the_case_table_moves_to_its_target_and_journals_the_change(
    edge: tuple[CaseState, type[Any]],
) -> None:
    case, event = edge_case(*edge)
    moved = apply_case_event(case, event)
    assert moved.state is TRANSITIONS[edge]
    assert len(moved.journal) == len(case.journal) + 1
    assert moved.journal[-1].by == LEAD and moved.journal[-1].at == event.at


@pytest.mark.parametrize("state", list(S), ids=lambda state: state.value)
def test_every_event_without_an_edge_is_refused_naming_where_it_may_follow(state: CaseState) -> None:
    for kind in CASE_EVENT_TYPES:
        if (state, kind) in TRANSITIONS:
            continue
        case, event = edge_case(state, kind)
        with pytest.raises(TransitionError) as caught:
            apply_case_event(case, event)
        assert caught.value.state == state.label


def refused(state_or_case: CaseState | Case, event: CaseEvent, reason: str) -> None:
    case = reach(state_or_case) if isinstance(state_or_case, CaseState) else state_or_case
    with pytest.raises(TransitionError) as caught:
        apply_case_event(case, event)
    assert reason in caught.value.reason


def test_no_meeting_before_an_answer_unless_the_lead_records_why() -> None:
    asked = replay_case(new_case(), (*START, ASK))
    refused(asked, MeetingScheduled(at(3), LEAD), "nog geen informatieverzoek beantwoord")
    refused(asked, MeetingScheduled(at(3), "collega", no_answer_reason="spoed"), "alleen de regisseur")
    moved = apply_case_event(asked, MeetingScheduled(at(3), LEAD, no_answer_reason="spoed: acuut gevaar"))
    assert moved.state is S.CASE_MEETING and moved.no_answer_reason == "spoed: acuut gevaar"


def test_information_requests_go_to_selected_partners_once_and_answers_to_open_requests() -> None:
    investigating = reach(S.INVESTIGATION)
    refused(investigating, InformationRequested(at(1), LEAD, "IR-1", Partner.UWV, "vraag"), "niet geselecteerd")
    refused(investigating, InformationRequested(at(1), LEAD, "IR-1", Partner.POLICE, " "), "stel een vraag")
    asked = apply_case_event(investigating, ASK)
    refused(asked, attrs.evolve(ASK, at=at(2)), "bestaat al")
    refused(asked, InformationAnswered(at(2), LEAD, "IR-7", "x"), "'IR-7' bestaat niet")
    refused(asked, InformationAnswered(at(2), LEAD, "IR-1", ""), "vat het antwoord samen")
    answered = apply_case_event(asked, ANSWER)
    refused(answered, attrs.evolve(ANSWER, at=at(3)), "al beantwoord")
    assert answered.requests[0].answered == at(2)


def test_meeting_attendees_are_limited_to_the_selected_partners() -> None:
    refused(
        S.CASE_MEETING,
        attrs.evolve(HELD, attendees=(Partner.POLICE, Partner.FIOD)),
        "niet geselecteerd voor deze casus: FIOD",
    )
    refused(S.CASE_MEETING, attrs.evolve(HELD, attendees=()), "noem de deelnemende partners")


def test_a_plan_follows_a_meeting_and_names_goals_partners_owners_and_due_dates() -> None:
    refused(S.CASE_MEETING, PLAN, "leg eerst het overleg vast")
    held = apply_case_event(reach(S.CASE_MEETING), HELD)
    late = attrs.evolve(CLOSURE, id="I-1", owner="", due=dt.date(2026, 1, 1), partner=Partner.NVWA)
    refused(held, PlanDrafted(at(5), LEAD, (), (POLICE_ACTION, late)), "noem ten minste één doel")
    for reason in ("uniek", "NVWA", "eigenaar", "deadline"):
        refused(held, PlanDrafted(at(5), LEAD, ("doel",), (POLICE_ACTION, late)), reason)
    refused(held, PlanDrafted(at(5), LEAD, ("doel",), ()), "ten minste één interventie")


def test_a_plan_with_police_interventions_needs_the_driehoek_and_the_mayor() -> None:
    refused(S.ACTION_PLAN, PlanAdopted(at(6), LEAD), "eerst afstemming in de driehoek")
    refused(S.TRIANGLE_ALIGNMENT, attrs.evolve(APPROVED, mayor=""), "vermeld de burgemeester")
    approved = reach(S.EXECUTION)
    assert approved.approval is not None and approved.approval.mayor == "burgemeester"


def test_no_driehoek_approval_or_adoption_without_a_plan() -> None:
    planless = attrs.evolve(reach(S.CASE_MEETING), state=S.TRIANGLE_ALIGNMENT)
    refused(planless, APPROVED, "er is geen plan van aanpak")
    refused(S.CASE_MEETING, APPROVED, "kan alleen volgen op: afstemming in de driehoek")


def test_a_municipal_plan_is_adopted_without_the_driehoek() -> None:
    adopted = replay_case(new_case(), (*SPECIAL[(S.ACTION_PLAN, PlanAdopted)], PlanAdopted(at(6), LEAD)))
    assert adopted.state is S.EXECUTION and adopted.approval is None


def test_closing_needs_a_result_and_finished_interventions_and_reopening_a_reason() -> None:
    refused(S.EXECUTION, CaseClosed(at(9), LEAD, "resultaat"), "nog lopende interventies: I-1, I-2")
    refused(S.INVESTIGATION, CaseClosed(at(9), LEAD, " "), "leg het resultaat")
    refused(S.EXECUTION, InterventionUpdated(at(8), LEAD, "I-9", InterventionStatus.DONE), "staat niet in het plan")
    closed = reach(S.CLOSED)
    assert closed.result == "pand gesloten, teelt opgerold"
    refused(closed, CaseReopened(at(10), LEAD, ""), "vermeld de reden")
    reopened = apply_case_event(closed, CaseReopened(at(10), LEAD, "nieuw signaal"))
    assert reopened.state is S.INVESTIGATION and reopened.result == ""


def test_changes_are_signed_dated_in_order_and_reviews_lie_ahead() -> None:
    refused(S.INVESTIGATION, InformationRequested(at(1), " ", "IR-1", Partner.POLICE, "vraag"), "vermeld wie")
    refused(S.INVESTIGATION, InformationRequested(at(-1), LEAD, "IR-1", Partner.POLICE, "vraag"), "ligt vóór")
    refused(S.INVESTIGATION, ReviewScheduled(at(1), LEAD, dt.date(2026, 1, 1)), "in het verleden")
    refused(S.INVESTIGATION, ConfidentialityChanged(at(1), LEAD, Confidentiality.SECRET, ""), "vermeld de reden")


def test_evidence_preconditions_name_unknown_and_repeated_links() -> None:
    linked = apply_case_event(reach(S.INVESTIGATION), EvidenceLinked(at(1), LEAD, ITEM))
    refused(linked, EvidenceLinked(at(1), LEAD, ITEM), "al gekoppeld")
    refused(linked, EvidenceLinked(at(1), LEAD, attrs.evolve(ITEM, id="E-2", reason="")), "reden van de handmatige")
    refused(linked, EvidenceConfirmed(at(1), LEAD, "E-9"), "'E-9' bestaat niet")
    refused(linked, EvidenceDetached(at(1), LEAD, "E-9", "x"), "'E-9' bestaat niet")
    detached = apply_case_event(linked, EvidenceDetached(at(2), LEAD, "E-1", "onjuist"))
    refused(detached, EvidenceConfirmed(at(3), LEAD, "E-1"), "al ontkoppeld")
    refused(detached, EvidenceDetached(at(3), LEAD, "E-1", "x"), "al ontkoppeld")


def test_registration_needs_an_id_a_title_and_a_lead_who_is_not_also_a_member() -> None:
    with pytest.raises(InvalidInputError) as caught:
        register_case(" ", registered(title="", lead="x", members=("x",)))
    assert {p.pointer for p in caught.value.problems} == {"/id", "/title", "/members"}


def test_the_journal_names_what_changed_without_questions_answers_or_subjects() -> None:
    case = reach(S.CLOSED)
    texts = " ".join(entry.text for entry in case.journal)
    assert len(case.journal) == len(case.history)
    assert case.journal[0].text.startswith("Casus geregistreerd")
    assert "Informatieverzoek IR-1 uitgezet aan politie" in texts
    for secret in ("Is het pand bekend", "hennepgeur", "Jansen", "Hamersveldseweg", "teelt opgerold", "burgemeester,"):
        assert secret not in texts


def test_derived_views_follow_the_history() -> None:
    case = apply_case_event(reach(S.EXECUTION), SubjectsAdded(at(8), LEAD, Subjects(), ("S-3",)))
    assert case.signal_ids == ("S-2026-001", "S-2026-002", "S-3")
    assert case.subjects == SUBJECTS and case.members == ("collega",)
    assert case.plan is not None and case.plan.needs_triangle and len(case.meetings) == 1


# --- JSON ------------------------------------------------------------------------------------------------------


def test_a_case_round_trips_through_json_with_its_journal_and_evidence() -> None:
    case = apply_case_event(reach(S.CLOSED), CaseReopened(at(10), LEAD, "nieuw signaal"))
    case = apply_case_event(case, EvidenceLinked(at(11), LEAD, ITEM))
    document = json.loads(json.dumps(case_to_json(case)))
    assert case_from_json(document, "case.json") == case
    assert document["evidence"][0]["status"] == "linked" and document["journal"][-1]["by"] == LEAD


def test_bad_case_json_is_refused_with_pointers() -> None:
    document = case_to_json(reach(S.ACTION_PLAN))
    bad = json.loads(json.dumps(document))
    bad["events"][0]["confidentiality"] = "geheim"
    bad["events"][5]["at"] = "gisteren"
    with pytest.raises(InvalidInputError) as caught:
        case_from_json(bad)
    assert {"/events/0/confidentiality", "/events/5/at"} <= {p.pointer for p in caught.value.problems}
    with pytest.raises(InvalidInputError) as caught:
        case_from_json({"id": "C-1", "events": []})
    assert caught.value.problems[0].pointer == "/events"


def test_a_case_document_must_start_with_its_registration_and_keep_order() -> None:
    document = case_to_json(reach(S.ACTION_PLAN))
    with pytest.raises(InvalidInputError) as caught:
        case_from_json({"id": "C-1", "events": document["events"][1:]})
    assert caught.value.problems[0].pointer == "/events/0/type"
    swapped = {"id": "C-1", "events": [document["events"][0], document["events"][3]]}
    with pytest.raises(InvalidInputError) as caught:
        case_from_json(swapped)
    assert caught.value.problems[0].pointer == "/events/1"


def test_stated_derived_fields_must_agree_with_the_events() -> None:
    document = case_to_json(reach(S.ACTION_PLAN))
    document["state"] = "closed"
    document["journal"] = []
    with pytest.raises(InvalidInputError) as caught:
        case_from_json(document)
    assert {p.pointer for p in caught.value.problems} == {"/state", "/journal"}


def test_an_empty_registration_in_json_is_refused_at_its_field() -> None:
    document = case_to_json(new_case())
    document["events"][0]["lead"] = ""
    del document["lead"]
    with pytest.raises(InvalidInputError) as caught:
        case_from_json(document)
    assert caught.value.problems[0].pointer == "/events/0/lead"


# --- the agenda ------------------------------------------------------------------------------------------------


def test_the_agenda_lists_signals_to_weigh_cases_due_and_overdue_interventions() -> None:
    waiting = Signal("S-9", SignalSource.POLICE, Channel.EMAIL, at(0), "tekst", SUBJECTS, Theme.DRUGS)
    meeting = replay_case(register_case("C-2", registered()), PATHS[S.CASE_MEETING])
    executing = apply_case_event(reach(S.EXECUTION), ReviewScheduled(at(8), LEAD, dt.date(2026, 4, 1)))
    agenda = meeting_agenda([waiting], [executing, meeting, reach(S.CLOSED)], dt.date(2026, 5, 15))
    kinds = [(item.kind, item.reference) for item in agenda.items]
    assert kinds == [
        (AgendaItemKind.SIGNAL_TO_WEIGH, "S-9"),
        (AgendaItemKind.CASE_TO_DISCUSS, "C-2"),
        (AgendaItemKind.CASE_TO_DISCUSS, "C-2026-001"),
        (AgendaItemKind.INTERVENTION_OVERDUE, "C-2026-001"),
    ]
    assert agenda.items[0].text.endswith("weging 1: gaat het om ondermijning?")
    assert "evaluatiemoment van 1 april 2026 is bereikt" in agenda.items[2].text
    assert "Interventie I-2" in agenda.items[3].text and "deadline 1 mei 2026 verstreken" in agenda.items[3].text
    assert "Jansen" not in " ".join(item.text for item in agenda.items)


def test_an_empty_agenda_when_nothing_is_due() -> None:
    assert meeting_agenda([], [reach(S.INVESTIGATION)], dt.date(2026, 3, 12)).items == ()
