"""Signals: anonymous reporters, every weighing edge and precondition, destruction date and JSON."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import attrs
import pytest

from bibob.exceptions import InvalidInputError, TransitionError
from bibob.parties import Address
from bibob.undermining import (
    Assigned,
    Channel,
    Partner,
    ReporterContact,
    Signal,
    SignalSource,
    SignalState,
    SourceChecked,
    Subjects,
    Theme,
    Weighed,
    WeighingDecision,
    apply_signal_event,
    replay_signal,
    signal_from_json,
    signal_to_json,
)
from bibob.undermining.signals import TRANSITIONS, allowed_actions, due_for_destruction
from bibob.undermining.subjects import Vehicle
from tests.conftest import DATA

SIGNALS = DATA / "signals"
TZ = dt.timezone(dt.timedelta(hours=1))
RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
S, D = SignalState, WeighingDecision
ADDRESS = Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")


def at(day: int) -> dt.datetime:
    return RECEIVED + dt.timedelta(days=day)


def signal(source: SignalSource = SignalSource.RESIDENT, reporter: ReporterContact | None = None) -> Signal:
    subjects = Subjects(addresses=(ADDRESS,), vehicles=(Vehicle("12-abc-3"),))
    return Signal("S-1", source, Channel.PHONE, RECEIVED, "Veel bezoek 's nachts", subjects, Theme.DRUGS, reporter)


def weigh(decision: WeighingDecision, day: int = 1, **extra: Any) -> Weighed:
    return Weighed(at(day), "adviseur", decision, "volgens checklist", **extra)


CHECK = SourceChecked(at(4), "adviseur", "BRP", hit=True, approved_by="privacyfunctionaris")
PATHS: dict[SignalState, tuple[Any, ...]] = {
    S.RECEIVED: (),
    S.UNDERMINING: (weigh(D.UNDERMINING),),
    S.MUNICIPAL_TASK: (weigh(D.UNDERMINING), weigh(D.MUNICIPAL_TASK, 2)),
    S.SOURCE_RESEARCH: (weigh(D.UNDERMINING), weigh(D.MUNICIPAL_TASK, 2), weigh(D.FURTHER_ANALYSIS, 3), CHECK),
}
EXTRA: dict[WeighingDecision, dict[str, Any]] = {
    D.REFER_TO_PARTNER: {"partner": Partner.POLICE},
    D.TO_DEPARTMENT: {"department": "handhaving"},
    D.OPEN_CASE: {"reference": "C-1"},
}


def reach(state: SignalState) -> Signal:
    return replay_signal(signal(), PATHS[state])


def valid(action: Any) -> Any:
    if action is Assigned:
        return Assigned(at(9), "adviseur", "safetyAdvisor-2")
    if action is SourceChecked:
        return SourceChecked(at(9), "adviseur", "Kadaster", hit=False, approved_by="privacyfunctionaris")
    return weigh(action, 9, **EXTRA.get(action, {}))


@pytest.mark.parametrize(
    "edge", list(TRANSITIONS), ids=lambda edge: f"{edge[0].value}-{getattr(edge[1], 'value', 'src')}"
)
def test_every_weighing_edge_moves_to_its_target_and_records_decision_and_reason(edge: tuple[SignalState, Any]) -> None:
    event = valid(edge[1])
    moved = apply_signal_event(reach(edge[0]), event)
    assert moved.state is TRANSITIONS[edge]
    assert moved.history[-1] == event


@pytest.mark.parametrize("state", list(S), ids=lambda state: state.value)
def test_every_decision_the_table_lacks_is_refused(state: SignalState) -> None:
    start = reach(state) if state in PATHS else attrs_evolve_state(state)
    for decision in D:
        if (state, decision) in TRANSITIONS:
            continue
        with pytest.raises(TransitionError) as caught:
            apply_signal_event(start, valid(decision))
        assert caught.value.state == state.label


def attrs_evolve_state(state: SignalState) -> Signal:
    return attrs.evolve(signal(), state=state)


def test_a_refusal_in_a_final_state_says_the_weighing_is_done() -> None:
    with pytest.raises(TransitionError, match="de weging is afgerond"):
        apply_signal_event(attrs_evolve_state(S.CASE), weigh(D.UNDERMINING))
    assert allowed_actions(S.CASE) == ()


def test_a_weighing_without_reason_or_actor_is_refused_with_both_reasons() -> None:
    with pytest.raises(TransitionError) as caught:
        apply_signal_event(signal(), Weighed(at(1), " ", D.UNDERMINING, ""))
    assert "vermeld wie" in caught.value.reason and "leg de reden" in caught.value.reason


@pytest.mark.parametrize(
    ("state", "decision", "reason"),
    [
        (S.UNDERMINING, D.REFER_TO_PARTNER, "noem de partner"),
        (S.MUNICIPAL_TASK, D.TO_DEPARTMENT, "noem de afdeling"),
        (S.SOURCE_RESEARCH, D.OPEN_CASE, "noem de casus"),
    ],
)
def test_a_decision_that_names_its_destination_needs_one(
    state: SignalState, decision: WeighingDecision, reason: str
) -> None:
    with pytest.raises(TransitionError, match=reason):
        apply_signal_event(reach(state), weigh(decision, 9))


@pytest.mark.parametrize("decision", [D.TO_DEPARTMENT, D.TO_RIEC, D.OPEN_CASE])
def test_weighing_4_needs_a_source_check_first(decision: WeighingDecision) -> None:
    research = replay_signal(signal(), PATHS[S.SOURCE_RESEARCH][:-1])
    with pytest.raises(TransitionError, match="hit of no-hit"):
        apply_signal_event(research, weigh(decision, 9, **EXTRA.get(decision, {})))


def test_a_source_check_needs_the_privacy_officers_approval_and_a_source() -> None:
    research = reach(S.SOURCE_RESEARCH)
    with pytest.raises(TransitionError, match="privacyfunctionaris"):
        apply_signal_event(research, SourceChecked(at(9), "adviseur", "BRP", hit=True, approved_by=""))
    with pytest.raises(TransitionError, match="noem de geraadpleegde bron"):
        apply_signal_event(research, SourceChecked(at(9), "adviseur", "", hit=True, approved_by="pf"))


def test_a_weighing_dated_before_the_previous_step_is_refused() -> None:
    with pytest.raises(TransitionError, match="ligt vóór de vorige stap"):
        apply_signal_event(reach(S.UNDERMINING), weigh(D.MUNICIPAL_TASK, -2))


@pytest.mark.parametrize("source", [SignalSource.ANONYMOUS, SignalSource.MELD_MISDAAD_ANONIEM])
def test_an_anonymous_signal_with_a_reporter_cannot_be_constructed(source: SignalSource) -> None:
    with pytest.raises(InvalidInputError) as caught:
        signal(source, ReporterContact("Jan", "06-00000000"))
    assert caught.value.problems[0].pointer == "/reporter"


def test_an_anonymous_signal_stores_no_reporter_anywhere() -> None:
    anonymous = signal(SignalSource.MELD_MISDAAD_ANONIEM)
    assert anonymous.reporter is None
    assert "reporter" not in signal_to_json(anonymous)


def test_a_signal_with_no_action_is_destroyed_twelve_months_after_the_decision() -> None:
    kept = replay_signal(reach(S.MUNICIPAL_TASK), (weigh(D.NO_ACTION, 3),))
    assert kept.destroy_on == dt.date(2027, 3, 5)
    assert due_for_destruction([kept, reach(S.RECEIVED)], dt.date(2027, 3, 4)) == ()
    assert due_for_destruction([kept, reach(S.RECEIVED)], dt.date(2027, 3, 5)) == (kept,)
    assert reach(S.UNDERMINING).destroy_on is None


def test_the_retention_of_a_leap_day_decision_ends_on_the_last_day_of_february() -> None:
    leap = Signal("S-2", SignalSource.POLICE, Channel.EMAIL, dt.datetime(2028, 2, 1, tzinfo=TZ), "tekst")
    steps = (D.UNDERMINING, D.MUNICIPAL_TASK, D.NO_ACTION)
    day = dt.datetime(2028, 2, 29, tzinfo=TZ)
    kept = replay_signal(leap, (Weighed(day, "adviseur", decision, "reden") for decision in steps))
    assert kept.destroy_on == dt.date(2029, 2, 28)


def test_vehicles_are_stored_by_normalised_licence_plate() -> None:
    assert signal().subjects.vehicles[0].licence_plate == "12ABC3"


# --- JSON ------------------------------------------------------------------------------------------------------


def document() -> dict[str, Any]:
    return json.loads((SIGNALS / "resident-drug-house.json").read_text("utf-8"))


def test_a_signal_document_replays_to_its_state_and_round_trips() -> None:
    read = signal_from_json(document(), "resident-drug-house.json")
    assert read.state is S.SOURCE_RESEARCH
    assert read.reporter == ReporterContact("M. de Vries", "033-0000002")
    assert signal_from_json(signal_to_json(read)) == read
    assert json.loads(json.dumps(signal_to_json(read))) == signal_to_json(read)


def test_a_weighed_out_signal_round_trips_with_its_destruction_date() -> None:
    kept = replay_signal(reach(S.MUNICIPAL_TASK), (weigh(D.NO_ACTION, 3),))
    written = signal_to_json(kept)
    assert written["destroyOn"] == "2027-03-05"
    assert signal_from_json(written) == kept


def test_bad_signal_json_lists_every_schema_problem_with_its_pointer() -> None:
    bad = document()
    bad["source"] = "buurman"
    bad["received"] = "2 maart"
    del bad["text"]
    bad["subjects"]["persons"] = [{"surname": "X", "bsn": "12"}]
    with pytest.raises(InvalidInputError) as caught:
        signal_from_json(bad)
    pointers = {p.pointer for p in caught.value.problems}
    assert {"/source", "/received", "/text", "/subjects/persons/0/bsn"} <= pointers
    with pytest.raises(InvalidInputError):
        signal_from_json([1, 2])


def test_an_anonymous_signal_document_with_a_reporter_is_refused_at_reporter() -> None:
    bad = document()
    bad["source"] = "meldMisdaadAnoniem"
    with pytest.raises(InvalidInputError) as caught:
        signal_from_json(bad, "x.json")
    assert [(p.pointer, p.code, p.source) for p in caught.value.problems] == [
        ("/reporter", "signal.anonymousReporter", "x.json")
    ]


def test_a_forbidden_weighing_in_a_document_is_refused_at_its_event() -> None:
    bad = document()
    bad["events"][1]["decision"] = "openCase"
    with pytest.raises(InvalidInputError) as caught:
        signal_from_json(bad)
    assert caught.value.problems[0].pointer == "/events/1"
    assert caught.value.problems[0].code == "transition.refused"


def test_a_stated_state_that_differs_from_the_replay_is_refused() -> None:
    bad = copy.deepcopy(document())
    bad["state"] = "case"
    with pytest.raises(InvalidInputError) as caught:
        signal_from_json(bad)
    assert caught.value.problems[0].pointer == "/state"


def test_refusals_name_what_the_state_refuses_before_any_form_is_filled_in() -> None:
    from bibob.undermining import refusals

    fresh = signal()
    assert refusals(fresh, D.UNDERMINING) == ()  # allowed: nothing to say, even without a reason yet
    assert refusals(fresh, D.REFER_TO_PARTNER) == ("mogelijk in deze status: ondermijning, geen ondermijning",)
    researching = replay_signal(fresh, PATHS[S.SOURCE_RESEARCH][:3])
    assert refusals(researching, SourceChecked) == ()
    assert any("bronnenonderzoek" in reason for reason in refusals(researching, D.OPEN_CASE))
    assert refusals(replay_signal(researching, (CHECK,)), D.OPEN_CASE) == ()


@pytest.mark.parametrize("state", list(PATHS), ids=lambda state: state.value)
def test_a_signal_awaiting_a_weighing_can_be_assigned_without_changing_its_state(state: SignalState) -> None:
    assigned = apply_signal_event(reach(state), Assigned(at(9), "adviseur", "safetyAdvisor-2"))
    assert assigned.state is state
    assert assigned.assignee == "safetyAdvisor-2"
    again = apply_signal_event(assigned, Assigned(at(10), "adviseur", "safetyAdvisor-3"))
    assert again.assignee == "safetyAdvisor-3"  # the latest assignment counts


def test_a_signal_never_assigned_has_no_assignee() -> None:
    assert signal().assignee is None


def test_an_assignment_without_an_assignee_is_refused_and_a_weighed_out_signal_cannot_be_assigned() -> None:
    with pytest.raises(TransitionError, match="noem de adviseur"):
        apply_signal_event(signal(), Assigned(at(1), "adviseur", " "))
    weighed_out = apply_signal_event(signal(), weigh(D.NOT_UNDERMINING))
    with pytest.raises(TransitionError, match="de weging is afgerond"):
        apply_signal_event(weighed_out, Assigned(at(2), "adviseur", "safetyAdvisor-2"))
    from bibob.undermining import refusals

    assert refusals(weighed_out, Assigned) == ("de weging is afgerond",)
    assert refusals(signal(), Assigned) == ()


def test_an_assignment_round_trips_through_the_signal_document_and_leaves_the_weighing_as_it_was() -> None:
    assigned = replay_signal(signal(), (Assigned(at(1), "adviseur", "safetyAdvisor-2"), weigh(D.UNDERMINING, 2)))
    document = json.loads(json.dumps(signal_to_json(assigned)))
    assert document["events"][0] == {
        "type": "assigned", "at": at(1).isoformat(), "by": "adviseur", "assignee": "safetyAdvisor-2"
    }  # fmt: skip
    assert signal_from_json(document) == assigned
    assert assigned.decision is not None and assigned.decision.decision is D.UNDERMINING
    from bibob.undermining import refusals

    expected = "mogelijk in deze status: gemeentelijke taak met wettelijke grondslag, geen gemeentelijke taak: "
    assert refusals(assigned, D.UNDERMINING) == (expected + "doorverwijzen naar een partner",)  # weighings only
