"""One transition-table engine for every state machine: where an event leads, or every reason it may not."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from bibob.exceptions import TransitionError
from bibob.labels import LabelledEnum

T = TypeVar("T")  # the thing that moves: an application, a case, a signal
E = TypeVar("E")  # its events
S = TypeVar("S", bound=LabelledEnum)  # its states
K = TypeVar("K")  # the kind of event the table is keyed by: an event type, a weighing decision

#: A precondition: the Dutch reason why the thing may not take the event, or None when it may.
Check = Callable[[T, E], str | None]
Edges = Mapping[tuple[S, K], S]


def edges(triples: Iterable[tuple[S, K, S]]) -> Edges[S, K]:
    """The table of `(state, kind, next state)` triples as a read-only mapping, in their order.

    Raises `ValueError` when one (state, kind) is given two next states: the table would be ambiguous.
    """
    table: dict[tuple[S, K], S] = {}
    for source, kind, target in triples:
        if table.setdefault((source, kind), target) is not target:
            raise ValueError(f"two next states for ({source!r}, {kind!r}): {table[source, kind]!r} and {target!r}")
    return MappingProxyType(table)


def event_type(event: E) -> type[E]:
    """The kind of an event when the table is keyed by event type."""
    return type(event)


def only_after(machine: Machine[Any, Any, S, K], _state: S, kind: K) -> str:
    """The usual refusal when the table has no edge: the states an event of `kind` may follow."""
    label = machine.label_of(kind)
    after = sources(machine, kind)
    if not after:
        return f"'{label}' komt in deze levenscyclus niet voor"
    return f"'{label}' kan alleen volgen op: " + ", ".join(state.label for state in after)


def _sound(_subject: object) -> tuple[str, ...]:
    return ()


@attrs.frozen
class Machine(Generic[T, E, S, K]):
    """A state machine: its table and the preconditions of its kinds, and how to read and move what it governs.

    `always` is checked before every edge's own preconditions; `settled` names what is wrong with the
    thing after the move (asked only when every precondition holds); `refusal` is the Dutch reason when
    the table has no edge for (state, kind).
    """

    edges: Edges[S, K]
    preconditions: Mapping[K, tuple[Check[T, E], ...]] = attrs.field()
    state_of: Callable[[T], S]
    kind_of: Callable[[E], K]
    label_of: Callable[[K], str]
    move: Callable[[T, E, S], T]
    always: tuple[Check[T, E], ...] = ()
    refusal: Callable[[Machine[T, E, S, K], S, K], str] = only_after
    settled: Callable[[T], tuple[str, ...]] = _sound

    @preconditions.validator
    def _kinds_in_table(self, _attribute: object, value: Mapping[K, object]) -> None:
        known = {kind for _, kind in self.edges}
        stray = [kind for kind in value if kind not in known]
        if stray:
            raise ValueError(f"preconditions for kinds the table never uses: {stray!r}")


@attrs.frozen
class Verdict(Generic[T, S, K]):
    """What a machine says of one event: where it leads and the thing after it, or every reason it is refused."""

    state: S
    kind: K
    label: str  # the Dutch name of the event, as a refusal names it
    target: S | None  # None when the table has no edge for (state, kind)
    reasons: tuple[str, ...] = ()  # every reason, in order; empty when the event is allowed
    after: T | None = None  # the thing after the event, when allowed

    @property
    def allowed(self) -> bool:
        """Whether the event would be taken."""
        return not self.reasons

    def error(self) -> TransitionError:
        """The refusal as the error `apply` raises."""
        return TransitionError(self.state.label, self.label, "; ".join(self.reasons))


def allowed(machine: Machine[Any, Any, S, K], state: S) -> tuple[K, ...]:
    """The kinds of event the table allows in `state`, in table order (preconditions not yet asked)."""
    return tuple(kind for (source, kind) in machine.edges if source is state)


def sources(machine: Machine[Any, Any, S, K], kind: K) -> tuple[S, ...]:
    """The states from which the table allows an event of `kind`, in table order."""
    return tuple(source for (source, of) in machine.edges if of == kind)


def unmet(machine: Machine[T, E, Any, Any], subject: T, event: E) -> tuple[str, ...]:
    """The Dutch reason of every unmet precondition of `event`: `always` first, then those of its kind."""
    checks = (*machine.always, *machine.preconditions.get(machine.kind_of(event), ()))
    return tuple(reason for check in checks if (reason := check(subject, event)) is not None)


def verdict(machine: Machine[T, E, S, K], subject: T, event: E) -> Verdict[T, S, K]:
    """Where `event` would take `subject`, or every reason it would be refused; raises nothing of its own."""
    state, kind = machine.state_of(subject), machine.kind_of(event)
    label, target = machine.label_of(kind), machine.edges.get((state, kind))
    if target is None:
        return Verdict(state, kind, label, None, (machine.refusal(machine, state, kind),))
    reasons = unmet(machine, subject, event)
    if reasons:
        return Verdict(state, kind, label, target, reasons)
    after = machine.move(subject, event, target)
    unsound = machine.settled(after)
    return Verdict(state, kind, label, target, unsound, None if unsound else after)


def apply(machine: Machine[T, E, S, K], subject: T, event: E) -> T:
    """`subject` after `event`; raises `TransitionError` naming in Dutch every reason of its refusal."""
    found = verdict(machine, subject, event)
    if found.after is None:
        raise found.error()
    return found.after


def replay(machine: Machine[T, E, Any, Any], subject: T, events: Iterable[E]) -> T:
    """`subject` after each of `events` in turn."""
    for event in events:
        subject = apply(machine, subject, event)
    return subject
