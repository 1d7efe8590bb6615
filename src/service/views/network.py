"""The network picture of a case on the wire: typed, so the OpenAPI document describes every field."""

from __future__ import annotations

from dataclasses import dataclass

from bibob.undermining import Network


@dataclass(frozen=True)
class NetworkNode:
    """A person, organisation, address, vehicle, permit or decision of the case's picture."""

    id: str
    kind: str  # person | organisation | address | vehicle | permit | decision
    kindLabel: str
    label: str
    origins: list[str]  # signal | case | application | register, in order of first appearance
    originLabels: list[str]
    detail: str  # a vehicle's description; a decision's outcome, date, grounds, permit type and reference (art. 28)


@dataclass(frozen=True)
class NetworkEdge:
    """`source` is `role` of `target`: director, owner, financier, lessor, tenant, applicant, reportedAt, …"""

    id: str
    source: str
    target: str
    role: str
    roleLabel: str
    origin: str


@dataclass(frozen=True)
class CaseNetwork:
    """The nodes and labelled edges of one case, each with where it comes from."""

    caseId: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def network_view(case_id: str, network: Network) -> CaseNetwork:
    """The picture as the API answers it."""
    nodes = [
        NetworkNode(n.id, n.kind.value, n.kind.label, n.label, [o.value for o in n.origins],
                    [o.label for o in n.origins], n.detail)
        for n in network.nodes
    ]  # fmt: skip
    edges = [NetworkEdge(e.id, e.source, e.target, e.role.value, e.role.label, e.origin.value) for e in network.edges]
    return CaseNetwork(case_id, nodes, edges)
