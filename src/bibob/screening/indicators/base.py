"""The shape of an indicator (rode vlag): what it looks at, what it yields, and how a finding is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from bibob.exceptions import Problem
from bibob.legal import Ground, PermitType, Track
from bibob.parties import Organisation, Party, Person, RelationType
from bibob.policy import IndicatorParameters
from bibob.screening.declaration import Declaration
from bibob.screening.facts import Fact


@attrs.frozen
class Evidence:
    """What a finding rests on: an answer (JSON pointer), a fact, a case, a signal or a register response."""

    kind: str  # "answer", "fact", "case", "signal", "register"
    ref: str

    @property
    def label(self) -> str:
        """A Dutch reference a coordinator can quote."""
        names = {"answer": "antwoord", "fact": "bevinding", "case": "casus", "signal": "signaal"}
        return f"{names.get(self.kind, self.kind)} {self.ref}"


@attrs.frozen
class IndicatorContext:
    """Everything an indicator may look at: the declaration, the own-investigation facts, the application."""

    declaration: Declaration
    reference_date: dt.date
    parameters: IndicatorParameters  # the policy's knobs
    permit_type: PermitType | None = None
    track: Track = Track.APPLICATION
    facts: tuple[Fact, ...] = ()
    missing: tuple[Problem, ...] = ()  # what the answers still lack (completeness)


@attrs.frozen
class Hit:
    """One occurrence of a red flag, before weighting."""

    explanation: str
    evidence: tuple[Evidence, ...]
    subjects: tuple[Party, ...] = ()
    factor: float = 1.0  # 0..1: link to the activity, time elapsed, strength of the source
    unverified: bool = False  # rests on suspicion or on one unconfirmed source: a reason to ask the LBB
    grounds: tuple[Ground, ...] = ()  # when empty, the indicator's own grounds


Detector = Callable[[IndicatorContext], Iterable[Hit]]


@attrs.frozen
class Indicator:
    """A red flag of domain.md §4.2 with its legal ground, relation type and default weight."""

    code: str
    title: str
    explanation: str
    grounds: tuple[Ground, ...]
    relation: RelationType
    default_weight: float
    detect: Detector = attrs.field(eq=False, repr=False)


def relation_of(declaration: Declaration, party: Party | None, default: RelationType) -> RelationType:
    """How `party` relates to the subject (art. 3 lid 4): self, manager, controller, financier, associate."""
    if party is None:
        return default
    if party == declaration.subject:
        return RelationType.SELF
    for involvement in declaration.involvements:
        if involvement.party == party:
            return involvement.relation
    return default


def describe_party(declaration: Declaration, party: Party | None) -> str:
    """A Dutch description of a party by its role, never by name (findings travel further than dossiers)."""
    if party is None:
        return "de aanvraag"
    if party == declaration.subject:
        return "de aanvrager"
    for involvement in declaration.involvements:
        if involvement.party == party:
            return f"de {involvement.role.label} ({involvement.pointer})"
    return "een derde" if isinstance(party, Person | Organisation) else "onbekend"


def euro(cents: int | None) -> str:
    """An amount in euro cents as Dutch money text: 'EUR 150.000'."""
    if cents is None:
        return "onbekend bedrag"
    whole = f"{cents // 100:,}".replace(",", ".")
    return f"EUR {whole}" + (f",{cents % 100:02d}" if cents % 100 else "")
