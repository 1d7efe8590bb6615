"""The network picture of a case: who and what hangs together, as nodes and labelled edges, each with its origin.

Built only from what the case's members may already see: the case's subjects, the signals linked to it and the
Bibob decisions that arrived as evidence. Art. 28 Wet Bibob: a decision node carries only what the evidence link
carries (outcome, date, grounds, permit type, the matched subject and the reference); never findings or advice.
Being a node in a case's picture is not a fact about anyone: it is where the advisor starts asking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from bibob.labels import LabelledEnum
from bibob.matching import Subject, subject_key
from bibob.parties import Address, Organisation, Person
from bibob.terms import dutch_date
from bibob.undermining.cases import Case
from bibob.undermining.evidence import ApplicationSubject, known_key
from bibob.undermining.signals import Signal
from bibob.undermining.subjects import Subjects, Vehicle
from bibob.undermining.vocabulary import EvidenceItem, EvidenceKind, EvidenceStatus


class NodeKind(LabelledEnum):
    """What a node of the network picture is."""

    PERSON = "person", "persoon"
    ORGANISATION = "organisation", "organisatie"
    ADDRESS = "address", "adres"
    VEHICLE = "vehicle", "voertuig"
    PERMIT = "permit", "vergunning (aanvraag)"
    DECISION = "decision", "Bibob-besluit"


class Origin(LabelledEnum):
    """Where a node or edge comes from. `REGISTER` is for what a public register lookup (KvK, BRP) adds; the
    picture has no register source yet, so no node carries it today."""

    SIGNAL = "signal", "melding"
    CASE = "case", "casus"
    APPLICATION = "application", "aanvraag (Bibob-besluit, art. 28)"
    REGISTER = "register", "register"


class EdgeRole(LabelledEnum):
    """How two nodes relate, read from source to target."""

    DIRECTOR = "director", "bestuurder"
    OWNER = "owner", "eigenaar"
    FINANCIER = "financier", "financier"
    LESSOR = "lessor", "verhuurder"
    TENANT = "tenant", "huurder"
    APPLICANT = "applicant", "aanvrager"
    REPORTED_AT = "reportedAt", "gemeld op"
    ESTABLISHED_AT = "establishedAt", "gevestigd op"
    LIVES_AT = "livesAt", "woont op"
    DECISION_ON = "decisionOn", "besluit op"
    INVOLVED = "involved", "betrokken bij"


#: The role a subject has in an application (Dutch, as `ApplicationSubject.role` names it) → the edge to the permit.
APPLICATION_ROLES = {
    "betrokkene": EdgeRole.APPLICANT,
    "onderneming": EdgeRole.APPLICANT,
    "eigenaar eenmanszaak": EdgeRole.OWNER,
    "bestuurder": EdgeRole.DIRECTOR,
    "uiteindelijk leidinggevende": EdgeRole.DIRECTOR,
    "aandeelhouder": EdgeRole.OWNER,
    "uiteindelijk zeggenschaphebbende": EdgeRole.OWNER,
    "uiteindelijk begunstigde": EdgeRole.OWNER,
    "vennoot": EdgeRole.OWNER,
    "financier": EdgeRole.FINANCIER,
    "verhuurder pand": EdgeRole.LESSOR,
    "verhuurder inventaris": EdgeRole.LESSOR,
}


PREMISES, PREMISES_LESSOR = "adres van de inrichting", "verhuurder pand"


@attrs.frozen
class Node:
    """One person, organisation, address, vehicle, permit or decision; `origins` in order of first appearance."""

    id: str
    kind: NodeKind
    label: str
    origins: tuple[Origin, ...]
    detail: str = ""


@attrs.frozen
class Edge:
    """`source` is `role` of `target` (a director of the permit's application, reported at an address, …)."""

    source: str
    target: str
    role: EdgeRole
    origin: Origin

    @property
    def id(self) -> str:
        """A stable id for the edge."""
        return f"{self.source}|{self.role.value}|{self.target}"


@attrs.frozen
class Network:
    """The nodes and edges of a case's picture; every edge's ends are nodes."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}
        self.linked: set[tuple[str, str]] = set()  # (source, target) of every edge, whatever its role

    def node(self, node_id: str, kind: NodeKind, label: str, origin: Origin, detail: str = "") -> str:
        found = self.nodes.get(node_id)
        if found is None:
            self.nodes[node_id] = Node(node_id, kind, label, (origin,), detail)
        elif origin not in found.origins:
            self.nodes[node_id] = attrs.evolve(found, origins=(*found.origins, origin))
        return node_id

    def edge(self, source: str, target: str, role: EdgeRole, origin: Origin) -> None:
        if source != target:
            edge = Edge(source, target, role, origin)
            self.edges.setdefault(edge.id, edge)
            self.linked.add((source, target))

    def subject(self, subject: Subject | Vehicle, origin: Origin) -> str:
        if isinstance(subject, Vehicle):
            detail = subject.description
            return self.node(
                f"vehicle:{subject.licence_plate}", NodeKind.VEHICLE, subject.licence_plate, origin, detail
            )
        key = known_key(subject)
        if isinstance(subject, Person):
            node = self.node(key, NodeKind.PERSON, _person(subject), origin)
            if subject.address is not None:
                self.edge(node, self.subject(subject.address, origin), EdgeRole.LIVES_AT, origin)
            return node
        if isinstance(subject, Organisation):
            node = self.node(key, NodeKind.ORGANISATION, subject.name, origin)
            if subject.address is not None:
                self.edge(node, self.subject(subject.address, origin), EdgeRole.ESTABLISHED_AT, origin)
            return node
        return self.node(key, NodeKind.ADDRESS, _address(subject), origin)

    def subjects(self, subjects: Subjects, origin: Origin) -> tuple[list[str], list[str]]:
        """The node ids of the subjects: (those at an address, the addresses)."""
        found: tuple[Subject | Vehicle, ...] = (*subjects.persons, *subjects.organisations, *subjects.vehicles)
        others = [self.subject(s, origin) for s in found]
        return others, [self.subject(address, origin) for address in subjects.addresses]


def case_network(
    case: Case,
    signals: Iterable[Signal] = (),
    applications: Mapping[str, tuple[ApplicationSubject, ...]] | None = None,
) -> Network:
    """The picture of `case`: its subjects, what its linked `signals` reported (who or what was reported at which
    address), and each Bibob decision that arrived as evidence — detached ones left out — with its permit and
    the case subjects it matched, by their role in the application.

    `applications` maps the id of a decision's application to all its subjects, for a viewer who may read that
    application (the Bibob coordinator); everyone else sees only what art. 28 lets the decision carry.
    """
    build = _Builder()
    for signal in signals:
        if signal.id not in case.signal_ids:
            continue
        others, addresses = build.subjects(signal.subjects, Origin.SIGNAL)
        for node in others:
            for address in addresses:
                if (node, address) not in build.linked:
                    build.edge(node, address, EdgeRole.REPORTED_AT, Origin.SIGNAL)
    build.subjects(case.subjects, Origin.CASE)
    for item in case.evidence:
        if item.kind is EvidenceKind.PERMIT_DECISION and item.status is not EvidenceStatus.DETACHED:
            _decision(build, item)
            same = {m.application_key: m.key for m in item.matched if m.application_key and m.key in build.nodes}
            _application(build, f"permit:{item.reference}", (applications or {}).get(item.reference, ()), same)
    return Network(tuple(build.nodes.values()), tuple(build.edges.values()))


def _decision(build: _Builder, item: EvidenceItem) -> None:
    """The decision (its summary is exactly what art. 28 lets it carry) on its permit, and the matched subjects."""
    origin = Origin.APPLICATION
    permit = build.node(f"permit:{item.reference}", NodeKind.PERMIT, f"Aanvraag {item.reference}", origin)
    status = "" if item.status is EvidenceStatus.LINKED else f" ({item.status.label})"
    label = f"Besluit op aanvraag {item.reference}{status}"
    decision = build.node(f"decision:{item.id}", NodeKind.DECISION, label, origin, item.summary)
    build.edge(decision, permit, EdgeRole.DECISION_ON, origin)
    for matched in item.matched:
        if matched.key not in build.nodes:
            continue  # a subject no longer in the case: the decision says nothing more about anyone
        target = build.nodes[matched.key]
        if target.kind is NodeKind.ADDRESS:
            build.edge(permit, matched.key, EdgeRole.ESTABLISHED_AT, origin)
        else:
            build.edge(matched.key, permit, APPLICATION_ROLES.get(matched.role, EdgeRole.INVOLVED), origin)


def _application(
    build: _Builder, permit: str, subjects: tuple[ApplicationSubject, ...], same: Mapping[str, str]
) -> None:
    """The subjects of an application the viewer may read, by their role there; one the decision matched to a case
    subject (`same`: application key → case node) is that node. The premises' lessor lets the premises (lessor →
    address) to the business, its tenant (business → address); a seat is drawn from its organisation."""
    origin = Origin.APPLICATION

    def node_of(subject: Subject) -> str:
        matched = same.get(subject_key(subject))
        if matched is None:
            return build.subject(subject, origin)
        found = build.nodes[matched]
        if origin not in found.origins:
            build.nodes[matched] = attrs.evolve(found, origins=(*found.origins, origin))
        return matched

    premises = [node_of(i.subject) for i in subjects if i.role == PREMISES]
    let = any(i.role == PREMISES_LESSOR for i in subjects)
    for item in subjects:
        if item.role.startswith("vestigingsadres") or item.role == PREMISES:
            continue
        node = node_of(item.subject)
        if item.role == PREMISES_LESSOR and premises:
            for address in premises:
                build.edge(node, address, EdgeRole.LESSOR, origin)
            continue
        build.edge(node, permit, APPLICATION_ROLES.get(item.role, EdgeRole.INVOLVED), origin)
        if let and APPLICATION_ROLES.get(item.role) is EdgeRole.APPLICANT:
            for address in premises:
                build.edge(node, address, EdgeRole.TENANT, origin)
    for address in premises:
        build.edge(permit, address, EdgeRole.ESTABLISHED_AT, origin)


def _person(person: Person) -> str:
    name = " ".join(part for part in (person.first_names, person.prefix, person.surname) if part)
    return f"{name} ({dutch_date(person.date_of_birth)})" if person.date_of_birth else name


def _address(address: Address) -> str:
    number = f" {address.house_number}{address.house_number_addition}" if address.house_number else ""
    place = f", {address.city}" if address.city else ""
    return f"{address.street}{number}{place}" or address.postcode
