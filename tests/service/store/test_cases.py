"""Cases, members and evidence in the store: need-to-know by membership, the mayor in the driehoek step."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError
from service.auth import Principal
from service.store.cases import add_member, create_case, get_case, list_cases, remove_member, update_case
from service.store.errors import StaleVersionError
from service.store.evidence import add_evidence, get_evidence, list_evidence, set_evidence_status
from tests.service.store.conftest import (
    ADMIN,
    ADVISOR,
    COORDINATOR,
    MAYOR,
    OFFICER,
    OTHER_ADVISOR,
    PARTNER,
    PRIVACY,
)
from tests.service.store.helpers import audit_rows

DOCUMENT = {"title": "Pand Dorpsstraat", "journal": []}


def _case(conn: Connection, members: tuple[str, ...] = (), status: str = "registered") -> str:
    stored = create_case(
        conn, ADVISOR, status=status, confidentiality="confidential", document=DOCUMENT, members=members
    )
    return stored.id


def test_the_advisor_who_opens_a_case_leads_it_and_is_a_member(conn: Connection) -> None:
    case = get_case(conn, ADVISOR, _case(conn, members=(COORDINATOR.user,)))
    assert (case.lead, case.status, case.confidentiality, case.version) == (
        ADVISOR.user,
        "registered",
        "confidential",
        1,
    )
    assert case.members == tuple(sorted((ADVISOR.user, COORDINATOR.user)))
    assert case.document == DOCUMENT


def test_members_see_a_case_and_everybody_else_gets_not_found(conn: Connection) -> None:
    identifier = _case(conn, members=(COORDINATOR.user,))
    assert get_case(conn, COORDINATOR, identifier).id == identifier
    for principal in (OTHER_ADVISOR, MAYOR, OFFICER, PARTNER, PRIVACY, ADMIN):
        with pytest.raises(NotFoundError):
            get_case(conn, principal, identifier)
    assert list_cases(conn, OTHER_ADVISOR) == ()


@pytest.mark.parametrize(
    "principal", [OFFICER, COORDINATOR, MAYOR, PARTNER, PRIVACY, ADMIN], ids=lambda p: p.role.value
)
def test_only_the_safety_advisor_opens_cases(conn: Connection, principal: Principal) -> None:
    with pytest.raises(NotFoundError):
        create_case(conn, principal, status="registered", confidentiality="internal", document={})


def test_the_mayor_sees_a_case_in_the_driehoek_step_and_changes_it_only_as_a_member(conn: Connection) -> None:
    identifier = _case(conn)
    with pytest.raises(NotFoundError):
        update_case(conn, MAYOR, identifier, 1, status="execution")
    update_case(conn, ADVISOR, identifier, 1, status="triangleAlignment")
    assert [c.id for c in list_cases(conn, MAYOR)] == [identifier]
    with pytest.raises(NotFoundError):  # readable in the driehoek step, but not a member: not theirs to change
        update_case(conn, MAYOR, identifier, 2, confidentiality="public")
    update_case(conn, ADVISOR, identifier, 2, status="execution")
    with pytest.raises(NotFoundError):
        get_case(conn, MAYOR, identifier)
    member = _case(conn, members=(MAYOR.user,))
    with pytest.raises(NotFoundError):  # a member, but the case is not in the driehoek step
        update_case(conn, MAYOR, member, 1, status="execution")
    update_case(conn, ADVISOR, member, 1, status="triangleAlignment")
    approved = update_case(conn, MAYOR, member, 2, status="execution", document=DOCUMENT | {"approvedBy": "mayor"})
    assert approved.version == 3


def test_a_case_update_needs_the_current_version_and_a_known_confidentiality(conn: Connection) -> None:
    identifier = _case(conn)
    assert update_case(conn, ADVISOR, identifier, 1, confidentiality="secret").confidentiality == "secret"
    with pytest.raises(StaleVersionError):
        update_case(conn, ADVISOR, identifier, 1, status="investigation")
    with pytest.raises(InvalidInputError, match="vertrouwelijkheidaanduiding"):
        update_case(conn, ADVISOR, identifier, 2, confidentiality="topsecret")
    with pytest.raises(NotFoundError):
        update_case(conn, ADVISOR, "00000000-0000-4000-8000-000000000000", 1, status="closed")


def test_the_lead_grants_and_revokes_need_to_know_with_immediate_effect(conn: Connection) -> None:
    identifier = _case(conn)
    add_member(conn, ADVISOR, identifier, OTHER_ADVISOR.user)
    add_member(conn, ADVISOR, identifier, OTHER_ADVISOR.user)
    assert get_case(conn, OTHER_ADVISOR, identifier).members == (ADVISOR.user, OTHER_ADVISOR.user)
    with pytest.raises(NotFoundError):
        add_member(conn, OTHER_ADVISOR, identifier, COORDINATOR.user)  # a member, not the lead
    remove_member(conn, ADVISOR, identifier, OTHER_ADVISOR.user)
    with pytest.raises(NotFoundError):
        get_case(conn, OTHER_ADVISOR, identifier)
    with pytest.raises(InvalidInputError, match="casusregisseur"):
        remove_member(conn, ADVISOR, identifier, ADVISOR.user)


def test_evidence_is_added_confirmed_and_listed_by_members_only(conn: Connection) -> None:
    identifier = _case(conn, members=(COORDINATOR.user,))
    item = add_evidence(conn, COORDINATOR, identifier, kind="permitDecision", source_ref="decision:d-1", document={})
    assert (item.status, item.version, item.case_id) == ("proposed", 1, identifier)
    confirmed = set_evidence_status(conn, ADVISOR, item.id, 1, "confirmed")
    assert (confirmed.status, confirmed.version) == ("confirmed", 2)
    assert list_evidence(conn, ADVISOR, identifier) == (confirmed,)
    assert get_evidence(conn, COORDINATOR, item.id) == confirmed
    with pytest.raises(StaleVersionError):
        set_evidence_status(conn, ADVISOR, item.id, 1, "detached")
    for call in (
        lambda: get_evidence(conn, OTHER_ADVISOR, item.id),
        lambda: set_evidence_status(conn, OTHER_ADVISOR, item.id, 2, "detached"),
        lambda: list_evidence(conn, OTHER_ADVISOR, identifier),
        lambda: add_evidence(conn, OTHER_ADVISOR, identifier, kind="finding", source_ref="x", document={}),
        lambda: get_evidence(conn, OFFICER, item.id),
        lambda: get_evidence(conn, ADVISOR, "00000000-0000-4000-8000-000000000000"),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_case_reads_and_writes_are_audited_against_the_case(conn: Connection) -> None:
    identifier = _case(conn)
    get_case(conn, ADVISOR, identifier, reason="voorbereiding overleg")
    add_evidence(conn, ADVISOR, identifier, kind="finding", source_ref="assessment:a-1", document={})
    add_member(conn, ADVISOR, identifier, COORDINATOR.user)
    assert [(action, kind, obj) for _, action, kind, obj in audit_rows(conn)] == [
        ("case.create", "case", identifier),
        ("case.read", "case", identifier),
        ("evidence.create", "case", identifier),
        ("case.member.add", "case", identifier),
    ]
