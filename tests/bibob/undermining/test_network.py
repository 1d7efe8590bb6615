"""The network picture of a case: subjects, what signals reported, and Bibob decisions with their permit."""

from __future__ import annotations

import datetime as dt

from bibob.legal import DecisionOutcome, Ground, PermitType
from bibob.matching import ReviewLedger
from bibob.parties import Address, Organisation, Person
from bibob.undermining import (
    CaseRegistered,
    Channel,
    Confidentiality,
    EdgeRole,
    Network,
    NodeKind,
    Origin,
    Partner,
    Signal,
    SignalSource,
    Subjects,
    Theme,
    case_from_json,
    case_network,
    case_to_json,
    detach,
    known_key,
    link_decision,
    register_case,
)
from bibob.undermining.evidence import ApplicationSubject, RecordedDecision
from bibob.undermining.subjects import Vehicle

TZ = dt.timezone(dt.timedelta(hours=1))
AT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
PREMISES = Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")
HOME = Address("Dorpsstraat", 3, "", "3831AB", "Leusden")
DIRECTOR = Person("Backer", "P.J.", date_of_birth=dt.date(1975, 9, 2), address=HOME)
CAFE = Organisation("Eetcafé Het Hoekje", kvk_number="12345678", address=PREMISES)
VAN = Vehicle("12-ABC-3", "donkere bestelbus")


def _signal(signal_id: str, subjects: Subjects) -> Signal:
    return Signal(signal_id, SignalSource.RESIDENT, Channel.PHONE, AT, "veel bezoek 's nachts", subjects)


SIGNAL = _signal("S-1", Subjects(persons=(DIRECTOR,), addresses=(PREMISES,), vehicles=(VAN,)))


def _case(signal_ids: tuple[str, ...] = ("S-1",)) -> object:
    subjects = Subjects((DIRECTOR,), (CAFE,), (PREMISES,), (VAN,))
    registered = CaseRegistered(AT, "adviseur", "Pand", Theme.HOSPITALITY, "adviseur", Confidentiality.CONFIDENTIAL,
                                partners=(Partner.POLICE,), subjects=subjects, signal_ids=signal_ids)  # fmt: skip
    return register_case("C-1", registered)


def _refusal(case: object) -> object:
    decision = RecordedDecision(
        "A-1", DecisionOutcome.REFUSED_BIBOB, dt.date(2026, 6, 15), (Ground.A_BENEFIT,),
        (ApplicationSubject(CAFE, "onderneming"), ApplicationSubject(DIRECTOR, "bestuurder"),
         ApplicationSubject(PREMISES, "adres van de inrichting")),
        PermitType.EXPLOITATIE_HORECA,
    )  # fmt: skip
    links = link_decision(decision, [case], [], ReviewLedger(), AT + dt.timedelta(days=100))  # type: ignore[list-item]
    (changed,) = links.cases
    return changed


def _edges(network: Network) -> set[tuple[str, str, str]]:
    labels = {node.id: node.label for node in network.nodes}
    return {(labels[e.source], e.role.value, labels[e.target]) for e in network.edges}


def test_the_case_subjects_are_nodes_with_their_seat_and_home_as_edges() -> None:
    network = case_network(_case(()))  # type: ignore[arg-type]
    kinds = {node.label: node.kind for node in network.nodes}
    assert kinds == {
        "P.J. Backer (2 september 1975)": NodeKind.PERSON,
        "Dorpsstraat 3, Leusden": NodeKind.ADDRESS,
        "Eetcafé Het Hoekje": NodeKind.ORGANISATION,
        "Hamersveldseweg 12, Leusden": NodeKind.ADDRESS,
        "12ABC3": NodeKind.VEHICLE,
    }
    assert all(node.origins == (Origin.CASE,) for node in network.nodes)
    assert _edges(network) == {
        ("P.J. Backer (2 september 1975)", "livesAt", "Dorpsstraat 3, Leusden"),
        ("Eetcafé Het Hoekje", "establishedAt", "Hamersveldseweg 12, Leusden"),
    }


def test_what_a_linked_signal_reported_at_an_address_is_an_edge_from_the_signal() -> None:
    other = _signal("S-2", Subjects(persons=(Person("Elders"),), addresses=(HOME,)))
    network = case_network(_case(), [SIGNAL, other])  # type: ignore[arg-type]
    assert ("12ABC3", "reportedAt", "Hamersveldseweg 12, Leusden") in _edges(network)
    assert ("P.J. Backer (2 september 1975)", "reportedAt", "Hamersveldseweg 12, Leusden") in _edges(network)
    assert "Elders" not in {node.label for node in network.nodes}  # a signal not linked to the case stays out
    van = next(node for node in network.nodes if node.kind is NodeKind.VEHICLE)
    assert van.origins == (Origin.SIGNAL, Origin.CASE) and van.detail == "donkere bestelbus"
    reported = next(e for e in network.edges if e.role is EdgeRole.REPORTED_AT)
    assert reported.origin is Origin.SIGNAL


def test_a_refusal_arrives_as_a_decision_on_its_permit_with_each_matched_subject_by_its_application_role() -> None:
    case = _refusal(_case())
    network = case_network(case, [SIGNAL])  # type: ignore[arg-type]
    decision = next(node for node in network.nodes if node.kind is NodeKind.DECISION)
    (item,) = case.evidence  # type: ignore[attr-defined]
    assert decision.detail == item.summary  # art. 28: outcome, date, grounds, permit type and reference only
    assert decision.origins == (Origin.APPLICATION,)
    edges = _edges(network)
    assert ("Besluit op aanvraag A-1", "decisionOn", "Aanvraag A-1") in edges
    assert ("Eetcafé Het Hoekje", "applicant", "Aanvraag A-1") in edges
    assert ("P.J. Backer (2 september 1975)", "director", "Aanvraag A-1") in edges
    assert ("Aanvraag A-1", "establishedAt", "Hamersveldseweg 12, Leusden") in edges
    assert {m.key for m in item.matched} == {known_key(CAFE), known_key(DIRECTOR), known_key(PREMISES)}


def test_a_detached_decision_leaves_the_picture_and_every_edge_joins_two_nodes() -> None:
    case = _refusal(_case())
    (item,) = case.evidence  # type: ignore[attr-defined]
    detached = detach(case, item.id, "adviseur", "andere onderneming", at=AT + dt.timedelta(days=101))  # type: ignore[arg-type]
    network = case_network(detached, [SIGNAL])
    assert not any(node.kind in (NodeKind.DECISION, NodeKind.PERMIT) for node in network.nodes)
    for built in (network, case_network(case, [SIGNAL])):  # type: ignore[arg-type]
        ids = {node.id for node in built.nodes}
        assert len(ids) == len(built.nodes)
        assert all(edge.source in ids and edge.target in ids for edge in built.edges)


def test_the_matched_subjects_of_a_decision_survive_the_case_document() -> None:
    case = _refusal(_case())
    again = case_from_json(case_to_json(case))  # type: ignore[arg-type]
    assert again.evidence == case.evidence  # type: ignore[attr-defined]
    assert case_network(again, [SIGNAL]) == case_network(case, [SIGNAL])  # type: ignore[arg-type]


def test_who_may_read_the_application_sees_all_its_subjects_by_role_and_no_one_else_does() -> None:
    lessor = Organisation("Vastgoed Heiligenbergerbeek B.V.", kvk_number="87654321")
    seat = Address("Kerkstraat", 1, "", "3831AA", "Leusden")
    subjects = (
        ApplicationSubject(CAFE, "betrokkene"),
        ApplicationSubject(DIRECTOR, "bestuurder"),
        ApplicationSubject(lessor, "verhuurder pand"),
        ApplicationSubject(seat, "vestigingsadres (onderneming)"),
        ApplicationSubject(Person("Wit", "Anna", "de"), "aandeelhouder"),
        ApplicationSubject(PREMISES, "adres van de inrichting"),
    )
    case = _refusal(_case())
    full = case_network(case, [SIGNAL], {"A-1": subjects, "A-2": subjects})  # type: ignore[arg-type]
    edges = _edges(full)
    assert ("Vastgoed Heiligenbergerbeek B.V.", "lessor", "Hamersveldseweg 12, Leusden") in edges
    assert ("Eetcafé Het Hoekje", "tenant", "Hamersveldseweg 12, Leusden") in edges
    assert ("Anna de Wit", "owner", "Aanvraag A-1") in edges
    assert ("Aanvraag A-1", "establishedAt", "Hamersveldseweg 12, Leusden") in edges  # the premises it matched
    assert "Kerkstraat 1, Leusden" not in {node.label for node in full.nodes}  # a seat is drawn from its organisation
    lessor_node = next(node for node in full.nodes if node.label == "Vastgoed Heiligenbergerbeek B.V.")
    assert lessor_node.origins == (Origin.APPLICATION,)
    cafe = next(node for node in full.nodes if node.label == "Eetcafé Het Hoekje")
    assert cafe.origins == (Origin.CASE, Origin.APPLICATION)  # the same organisation, one node
    same_name = Organisation("Eetcafé Het Hoekje", kvk_number="12345678", rsin="800123451", address=PREMISES)
    other = case_network(case, [SIGNAL], {"A-1": (ApplicationSubject(same_name, "onderneming"),)})  # type: ignore[arg-type]
    assert [n.label for n in other.nodes].count("Eetcafé Het Hoekje") == 2  # not matched: two subjects, two nodes
    assert "Aanvraag A-2" not in {node.label for node in full.nodes}  # only the decisions in the case
    limited = case_network(case, [SIGNAL])  # type: ignore[arg-type]
    assert "Vastgoed Heiligenbergerbeek B.V." not in {node.label for node in limited.nodes}
