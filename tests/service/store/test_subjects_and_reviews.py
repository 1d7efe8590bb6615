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


def test_the_latest_review_of_a_pair_counts_whichever_order_it_is_asked_in(conn: Connection) -> None:
    assert latest_review(conn, ADVISOR, "a|1", "b|2") is None
    record_review(conn, ADVISOR, "b|2", "a|1", confirmed=True, reason="zelfde geboortedatum en adres")
    second = record_review(conn, COORDINATOR, "a|1", "b|2", confirmed=False, reason="andere persoon volgens BRP")
    assert latest_review(conn, ADVISOR, "b|2", "a|1") == second
    assert (second.left_key, second.right_key, second.confirmed, second.reviewer) == (
        "a|1",
        "b|2",
        False,
        COORDINATOR.user,
    )


def test_a_review_needs_a_reason_and_a_reviewing_role(conn: Connection) -> None:
    with pytest.raises(InvalidInputError, match="reden"):
        record_review(conn, ADVISOR, "a", "b", confirmed=True, reason="  ")
    with pytest.raises(NotFoundError):
        record_review(conn, OFFICER, "a", "b", confirmed=True, reason="ja")
    with pytest.raises(NotFoundError):
        latest_review(conn, MAYOR, "a", "b")


def test_audit_rows_of_reviews_name_the_review_not_the_keys(conn: Connection) -> None:
    review = record_review(conn, ADVISOR, "jansen|p|1980", "jansen|pj|1980", confirmed=True, reason="BRP")
    rows = audit_rows(conn)
    assert rows == [(ADVISOR.user, "matchReview.create", "matchReview", str(review.id))]
    assert "jansen" not in repr(rows)
