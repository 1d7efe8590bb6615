"""The transition-table engine on a small door machine: moves, refusals with every reason, bad tables and input."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import pytest

from bibob import _machine
from bibob.applications import lifecycle
from bibob.exceptions import TransitionError
from bibob.labels import LabelledEnum
from bibob.undermining import case_lifecycle, signals


class Door(LabelledEnum):
    CLOSED = "closed", "dicht"
    OPEN = "open", "open"
    LOCKED = "locked", "op slot"
    BRICKED = "bricked", "dichtgemetseld"  # no edge leads here or away


class Alarm(LabelledEnum):
    RINGING = "ringing", "gaat af"  # a state of another machine


@attrs.frozen
class Opened:
    LABEL: ClassVar[str] = "geopend"
    by: str


@attrs.frozen
class Closed:
    LABEL: ClassVar[str] = "gesloten"
    by: str


@attrs.frozen
class Locked:
    LABEL: ClassVar[str] = "op slot gedaan"
    by: str
    key: str = ""


@attrs.frozen
class Painted:
    LABEL: ClassVar[str] = "geschilderd"  # no edge takes it
    by: str


DoorEvent = Opened | Closed | Locked | Painted


@attrs.frozen
class House:
    state: Any  # a Door, or a foreign state in the bad-input tests
    history: tuple[DoorEvent, ...] = ()


def signed(_house: House, event: DoorEvent) -> str | None:
    return None if event.by.strip() else "vermeld wie het deed"


def not_too_busy(house: House, _event: DoorEvent) -> str | None:
    return "de deur is al te vaak bewogen" if len(house.history) >= 3 else None


def key_given(_house: House, event: Locked) -> str | None:
    return None if event.key else "noem de sleutel"


def key_known(_house: House, event: Locked) -> str | None:
    return None if event.key in ("", "A") else f"sleutel '{event.key}' past niet"


def moved(house: House, event: DoorEvent, target: Door) -> House:
    return attrs.evolve(house, state=target, history=(*house.history, event))


EDGES = _machine.edges((
    (Door.CLOSED, Opened, Door.OPEN),
    (Door.OPEN, Closed, Door.CLOSED),
    (Door.CLOSED, Locked, Door.LOCKED),
    (Door.OPEN, Locked, Door.LOCKED),
))  # fmt: skip
Machine = _machine.Machine[House, DoorEvent, Door, type[DoorEvent]]


def machine(settled: Any = None, refusal: Any = None) -> Machine:
    extra = {"settled": settled} if settled else {}
    extra |= {"refusal": refusal} if refusal else {}
    return _machine.Machine(
        edges=EDGES,
        preconditions={Locked: (key_given, key_known)},
        state_of=lambda house: house.state,
        kind_of=_machine.event_type,
        label_of=lambda kind: kind.LABEL,
        move=moved,
        always=(signed, not_too_busy),
        **extra,
    )


DOOR = machine()


def refused(house: House, event: DoorEvent, on: Machine = DOOR) -> TransitionError:
    with pytest.raises(TransitionError) as caught:
        _machine.apply(on, house, event)
    return caught.value


def test_an_allowed_event_moves_the_thing_along_its_edge_and_records_it() -> None:
    house = _machine.apply(DOOR, House(Door.CLOSED), Opened("anna"))

    assert House(Door.OPEN, (Opened("anna"),)) == house


def test_every_unmet_precondition_is_named_at_once_the_general_ones_first() -> None:
    busy = House(Door.OPEN, (Opened("a"), Closed("a"), Opened("a")))

    error = refused(busy, Locked(" ", key="B"))

    assert (error.state, error.event) == ("open", "op slot gedaan")
    assert error.reason == "vermeld wie het deed; de deur is al te vaak bewogen; sleutel 'B' past niet"
    assert str(error).startswith("'op slot gedaan' is niet toegestaan in status 'open': vermeld wie")


def test_preconditions_of_one_kind_do_not_apply_to_another() -> None:
    assert _machine.unmet(DOOR, House(Door.CLOSED), Opened("anna")) == ()
    assert _machine.unmet(DOOR, House(Door.CLOSED), Locked("anna")) == ("noem de sleutel",)


def test_an_event_without_an_edge_in_this_state_names_the_states_it_may_follow() -> None:
    error = refused(House(Door.CLOSED), Closed("anna"))

    assert (error.state, error.event) == ("dicht", "gesloten")
    assert error.reason == "'gesloten' kan alleen volgen op: open"


def test_a_missing_edge_is_refused_before_any_precondition_is_asked() -> None:
    error = refused(House(Door.LOCKED), Locked(" ", key="B"))

    assert error.reason == "'op slot gedaan' kan alleen volgen op: dicht, open"


def test_an_unknown_event_type_is_refused_as_no_part_of_the_lifecycle() -> None:
    error = refused(House(Door.CLOSED), Painted("anna"))

    assert error.reason == "'geschilderd' komt in deze levenscyclus niet voor"
    assert _machine.sources(DOOR, Painted) == ()


def test_a_state_without_edges_allows_nothing_and_refuses_every_event() -> None:
    assert _machine.allowed(DOOR, Door.BRICKED) == ()

    error = refused(House(Door.BRICKED), Opened("anna"))

    assert (error.state, error.reason) == ("dichtgemetseld", "'geopend' kan alleen volgen op: dicht")


def test_a_state_of_another_machine_is_refused_under_its_own_label() -> None:
    assert _machine.allowed(DOOR, Alarm.RINGING) == ()

    error = refused(House(Alarm.RINGING), Opened("anna"))

    assert error.state == "gaat af"


def test_the_machine_may_word_its_own_refusal() -> None:
    def refusal(on: Machine, state: Door, _kind: type[DoorEvent]) -> str:
        return "mogelijk: " + ", ".join(kind.LABEL for kind in _machine.allowed(on, state))

    error = refused(House(Door.CLOSED), Closed("anna"), machine(refusal=refusal))

    assert error.reason == "mogelijk: geopend, op slot gedaan"


def test_allowed_lists_the_kinds_of_a_state_in_table_order() -> None:
    assert (Opened, Locked) == _machine.allowed(DOOR, Door.CLOSED)
    assert (Closed, Locked) == _machine.allowed(DOOR, Door.OPEN)
    assert _machine.sources(DOOR, Locked) == (Door.CLOSED, Door.OPEN)


def test_a_verdict_raises_nothing_and_says_where_an_allowed_event_leads() -> None:
    verdict = _machine.verdict(DOOR, House(Door.OPEN), Locked("anna", key="A"))

    assert verdict.allowed
    assert (verdict.state, verdict.kind, verdict.label) == (Door.OPEN, Locked, "op slot gedaan")
    assert (verdict.target, verdict.reasons) == (Door.LOCKED, ())
    assert verdict.after == House(Door.LOCKED, (Locked("anna", key="A"),))


def test_a_verdict_on_a_refused_event_gives_its_edge_and_every_reason_but_no_result() -> None:
    verdict = _machine.verdict(DOOR, House(Door.OPEN), Locked(""))

    assert not verdict.allowed
    assert verdict.target is Door.LOCKED
    assert verdict.reasons == ("vermeld wie het deed", "noem de sleutel")
    assert verdict.after is None


def test_a_verdict_without_an_edge_has_no_target() -> None:
    verdict = _machine.verdict(DOOR, House(Door.CLOSED), Closed("anna"))

    assert (verdict.target, verdict.after, verdict.allowed) == (None, None, False)


def test_the_check_after_the_move_is_asked_only_when_every_precondition_holds() -> None:
    asked: list[House] = []

    def settled(house: House) -> tuple[str, ...]:
        asked.append(house)
        return ("de deur klemt",) if house.state is Door.LOCKED else ()

    door = machine(settled=settled)

    assert refused(House(Door.OPEN), Locked(" ", key="A"), door).reason == "vermeld wie het deed"
    assert asked == []
    assert refused(House(Door.OPEN), Locked("anna", key="A"), door).reason == "de deur klemt"
    assert [House(Door.LOCKED, (Locked("anna", key="A"),))] == asked
    assert Door.CLOSED is _machine.apply(door, House(Door.OPEN), Closed("anna")).state


@pytest.mark.parametrize("state", list(Door), ids=lambda state: state.value)
@pytest.mark.parametrize("event", [Opened("a"), Closed("a"), Locked("a", key="A"), Locked("a"), Painted("a")])
def test_apply_refuses_exactly_what_the_verdict_refuses_with_the_same_reasons(state: Door, event: DoorEvent) -> None:
    verdict = _machine.verdict(DOOR, House(state), event)

    if verdict.allowed:
        assert verdict.after == _machine.apply(DOOR, House(state), event)
    else:
        assert "; ".join(verdict.reasons) == refused(House(state), event).reason


def test_replay_applies_each_event_in_turn_and_stops_at_the_first_refusal() -> None:
    house = _machine.replay(DOOR, House(Door.CLOSED), (Opened("a"), Closed("a"), Locked("a", key="A")))

    assert Door.LOCKED is house.state
    assert len(house.history) == 3
    with pytest.raises(TransitionError, match="'geopend' kan alleen volgen op: dicht"):
        _machine.replay(DOOR, House(Door.CLOSED), (Opened("a"), Opened("a"), Closed("a")))


def test_a_table_with_two_next_states_for_one_edge_is_refused() -> None:
    with pytest.raises(ValueError, match="two next states"):
        _machine.edges(((Door.CLOSED, Opened, Door.OPEN), (Door.CLOSED, Opened, Door.LOCKED)))


def test_a_repeated_edge_with_the_same_next_state_is_one_edge() -> None:
    edges = _machine.edges(((Door.CLOSED, Opened, Door.OPEN), (Door.CLOSED, Opened, Door.OPEN)))

    assert {(Door.CLOSED, Opened): Door.OPEN} == dict(edges)


def test_the_table_cannot_be_changed_after_it_is_built() -> None:
    with pytest.raises(TypeError):
        EDGES[Door.LOCKED, Opened] = Door.OPEN


def test_preconditions_for_a_kind_the_table_never_uses_are_refused() -> None:
    with pytest.raises(ValueError, match="never uses"):
        attrs.evolve(DOOR, preconditions={Painted: (signed,)})


@pytest.mark.parametrize(
    ("module", "states"),
    [(lifecycle, lifecycle.ApplicationState), (case_lifecycle, case_lifecycle.CaseState), (signals, signals.S)],
    ids=["application", "case", "signal"],
)
def test_each_lifecycle_runs_its_own_table_on_the_engine(module: Any, states: Any) -> None:
    assert module.TRANSITIONS is module.MACHINE.edges
    assert module.PRECONDITIONS is module.MACHINE.preconditions
    for state in states:
        assert tuple(k for (s, k) in module.TRANSITIONS if s is state) == _machine.allowed(module.MACHINE, state)
