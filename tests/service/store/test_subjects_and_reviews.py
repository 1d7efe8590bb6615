"""Subject keys for matching across dossiers, the yes/no known-subject check, and remembered match reviews."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError
from service.store.applications import create_application
from service.store.cases import create_case
from service.store.reviews import latest_review, record_review
from service.store.signals import create_signal
from service.store.subjects import SubjectKey, SubjectOwner, find_owners, known_in_undermining, set_subject_keys
from tests.service.store.conftest import (
    ADMIN,
    ADVISOR,
    COORDINATOR,
    MAYOR,
    OFFICER,
    OTHER_ADVISOR,
    OTHER_OFFICER,
    PARTNER,
)
from tests.service.store.helpers import RECEIVED, audit_rows, new_application

ADDRESS = SubjectKey("address", "3831AB|12|")
PERSON = SubjectKey("person.nameBirth", "jansen|p|1980-02-03")
OTHER = SubjectKey("organisation.kvk", "12345678")


def _case_with(conn: Connection, *keys: SubjectKey) -> str:
    identifier = create_case(conn, ADVISOR, status="registered", confidentiality="confidential", document={}).id
    set_subject_keys(conn, ADVISOR, "case", identifier, keys)
    return identifier


def test_owners_holding_a_key_are_found_only_where_the_principal_may_look(conn: Connection) -> None:
    case = _case_with(conn, ADDRESS, PERSON)
    found = find_owners(conn, ADVISOR, "case", [ADDRESS, OTHER])
    assert found == (SubjectOwner("case", case, ADDRESS),)
    assert find_owners(conn, OTHER_ADVISOR, "case", [ADDRESS]) == ()
    with pytest.raises(NotFoundError):
        find_owners(conn, OFFICER, "case", [ADDRESS])


def test_replacing_keys_needs_update_rights_on_the_owner(conn: Connection) -> None:
    case = _case_with(conn, ADDRESS)
    set_subject_keys(conn, ADVISOR, "case", case, [PERSON, PERSON])
    assert find_owners(conn, ADVISOR, "case", [ADDRESS, PERSON]) == (SubjectOwner("case", case, PERSON),)
    with pytest.raises(NotFoundError):
        set_subject_keys(conn, OTHER_ADVISOR, "case", case, [OTHER])
    with pytest.raises(InvalidInputError, match="onbekend soort dossier"):
        set_subject_keys(conn, ADVISOR, "vehicle", case, [OTHER])


def test_a_permit_officer_learns_only_yes_or_no_about_a_known_subject(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application())
    set_subject_keys(conn, OFFICER, "application", "2026-0001", [PERSON])
    assert known_in_undermining(conn, OFFICER, "2026-0001", [PERSON]) is False
    signal = create_signal(conn, PARTNER, source="police", status="new", received=RECEIVED, document={})
    set_subject_keys(conn, ADVISOR, "signal", signal.id, [PERSON])
    assert known_in_undermining(conn, OFFICER, "2026-0001", [PERSON]) is True
    assert known_in_undermining(conn, COORDINATOR, "2026-0001", [OTHER]) is False
    assert (OFFICER.user, "subject.knownCheck", "application", "2026-0001") in audit_rows(conn)
    for principal in (OTHER_OFFICER, ADVISOR, MAYOR, ADMIN):
        with pytest.raises(NotFoundError):
            known_in_undermining(conn, principal, "2026-0001", [PERSON])


def _case(conn: Connection, *members: str) -> str:
    """A case the advisor leads, with `members` besides."""
    return create_case(conn, ADVISOR, status="registered", confidentiality="internal", document={}, members=members).id


def test_the_latest_review_of_a_pair_in_a_case_counts_whichever_order_it_is_asked_in(conn: Connection) -> None:
    case_id = _case(conn, COORDINATOR.user)
    assert latest_review(conn, ADVISOR, case_id, "a|1", "b|2") is None
    record_review(conn, ADVISOR, case_id, "b|2", "a|1", confirmed=True, reason="zelfde geboortedatum en adres")
    second = record_review(
        conn, COORDINATOR, case_id, "a|1", "b|2", confirmed=False, reason="andere persoon volgens BRP"
    )
    assert latest_review(conn, ADVISOR, case_id, "b|2", "a|1") == second
    assert (second.case_id, second.left_key, second.right_key, second.confirmed, second.reviewer) == (
        case_id,
        "a|1",
        "b|2",
        False,
        COORDINATOR.user,
    )


def test_a_review_made_in_one_case_is_not_the_latest_in_another(conn: Connection) -> None:
    first, second = _case(conn), _case(conn)
    record_review(conn, ADVISOR, first, "a|1", "b|2", confirmed=False, reason="andere persoon")
    assert latest_review(conn, ADVISOR, second, "a|1", "b|2") is None


def test_a_review_needs_a_reason_a_reviewing_role_and_membership_of_the_case(conn: Connection) -> None:
    case_id = _case(conn)
    with pytest.raises(InvalidInputError, match="reden"):
        record_review(conn, ADVISOR, case_id, "a", "b", confirmed=True, reason="  ")
    with pytest.raises(NotFoundError):
        record_review(conn, OFFICER, case_id, "a", "b", confirmed=True, reason="ja")
    with pytest.raises(NotFoundError):
        latest_review(conn, MAYOR, case_id, "a", "b")
    for principal in (OTHER_ADVISOR, COORDINATOR):  # a reviewing role, but no member of this case
        with pytest.raises(NotFoundError):
            record_review(conn, principal, case_id, "a", "b", confirmed=True, reason="ja")
        with pytest.raises(NotFoundError):
            latest_review(conn, principal, case_id, "a", "b")
    with pytest.raises(NotFoundError):
        record_review(conn, ADVISOR, "no-such-case", "a", "b", confirmed=True, reason="ja")


def test_audit_rows_of_reviews_name_the_review_not_the_keys(conn: Connection) -> None:
    case_id = _case(conn)
    review = record_review(conn, ADVISOR, case_id, "jansen|p|1980", "jansen|pj|1980", confirmed=True, reason="BRP")
    rows = [row for row in audit_rows(conn) if row[2] == "matchReview"]
    assert rows == [(ADVISOR.user, "matchReview.create", "matchReview", str(review.id))]
    assert "jansen" not in repr(rows)
