"""The shape of an indicator (rode vlag): what it looks at, what it yields, and how a finding is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from bibob.exceptions import Problem
from bibob.legal import Ground, PermitType, Track
from bibob.parties import Party, RelationType
from bibob.policy import IndicatorParameters
from bibob.screening.declaration import Declaration
from bibob.screening.facts import Fact, RelationFact
from bibob.screening.relations import Relation, RelationKind, declared_relation, same_party


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
    factor: float = 1.0  # a multiplier: link to the activity, time elapsed, evidence, severity, relation
    unverified: bool = False  # rests on suspicion, one unconfirmed source or a relation not shown: verify first
    grounds: tuple[Ground, ...] = ()  # when empty, the indicator's own grounds
    relation: RelationType | None = None  # when set, the relation the hit's subject was weighed with
    relation_ended: bool = False  # the subject's relation with the applicant has ended (art. 3(4): 'had')
    potential: float | None = None  # the factor if the fact were proven and the relation shown; None: `factor`


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
    """How `party` relates to the subject (art. 3 lid 4); a party the answers do not name has no shown relation."""
    if party is None:
        return default
    relation = declared_relation(declaration, party)
    return relation.kind.relation_type if relation is not None else RelationType.NOT_SHOWN


def fact_relation(context: IndicatorContext, party: Party | None, claimed: Relation | None = None) -> Relation:
    """The relation a fact's subject has: as recorded with the fact, as the investigation found, or as the form says.

    Nobody defaults to the applicant: a party neither the fact, a relation fact nor the form ties to the applicant
    has a relation that is alleged, not shown. A fact about the application as a whole concerns the applicant.
    """
    if claimed is not None:
        return claimed
    if party is None:
        return Relation(RelationKind.SELF)
    found = (f.content.relation for f in context.facts
             if isinstance(f.content, RelationFact) and same_party(f.subject, party))  # fmt: skip
    return next(found, None) or declared_relation(context.declaration, party) or Relation(RelationKind.ALLEGED)


def relation_factor(context: IndicatorContext, relation: Relation) -> float:
    """How much a fact about a party weighs through its relation: kind, indirect, ended (policy weighing)."""
    weighing = context.parameters.weighing
    factor = weighing.relations.get(relation.kind.value, 1.0)
    if relation.indirect:
        factor *= weighing.indirect_relation_factor
    if relation.ended(context.reference_date):
        factor *= weighing.ended_relation_factor
    return factor


def describe_party(declaration: Declaration, party: Party | None) -> str:
    """A Dutch description of a party by its role, never by name (findings travel further than dossiers)."""
    if party is None:
        return "de aanvraag"
    if same_party(party, declaration.subject):
        return "de aanvrager"
    for involvement in declaration.involvements:
        if same_party(involvement.party, party):
            via = f" van de {involvement.via.label}" if involvement.via is not None else ""
            return f"de {involvement.role.label}{via} ({involvement.pointer})"
    return "een derde die niet op het formulier staat"


def euro(cents: int | None) -> str:
    """An amount in euro cents as Dutch money text: 'EUR 150.000'."""
    if cents is None:
        return "onbekend bedrag"
    whole = f"{cents // 100:,}".replace(",", ".")
    return f"EUR {whole}" + (f",{cents % 100:02d}" if cents % 100 else "")
