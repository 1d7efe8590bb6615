"""Applications, assessments and decisions in the store: need-to-know, versions and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Connection, Engine

from bibob.applications import apply_event
from bibob.applications.events import RegularReviewStarted
from bibob.exceptions import InvalidInputError, NotFoundError
from service.auth import Principal
from service.store.applications import (
    create_application,
    get_application,
    list_applications,
    questionnaire_of,
    update_application,
)
from service.store.assessments import add_assessment, list_assessments, list_decisions, record_decision
from service.store.errors import StaleVersionError
from tests.service.store.conftest import ADMIN, ADVISOR, COORDINATOR, MAYOR, OFFICER, OTHER_OFFICER, PARTNER, PRIVACY
from tests.service.store.helpers import audit_rows, decided_application, new_application

ANSWERS = {"1.1": {"value": "De Gouden Leeuw B.V."}}
ATTACHMENTS = [{"name": "uittreksel-kvk.pdf", "sha256": "ab" * 32, "size": 1234}]


def test_a_stored_application_reads_back_with_its_history_answers_and_attachments(conn: Connection) -> None:
    application = decided_application()
    created = create_application(conn, OFFICER, application, answers=ANSWERS, attachments=ATTACHMENTS)
    read = get_application(conn, OFFICER, application.id)
    assert read == created
    assert read.application == application
    assert (read.version, read.owner, read.state) == (1, OFFICER.user, application.state.value)
    assert (read.answers, read.attachments) == (ANSWERS, ATTACHMENTS)
    assert read.created_at.tzinfo is not None and read.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_the_questionnaire_follows_the_answers_and_the_answers_are_decoded_only_when_used(conn: Connection) -> None:
    first = {"questionnaire": {"id": "bibob-overige-beschikkingen", "version": "1.0.0"}, "answers": {"1A": "x"}}
    created = create_application(conn, OFFICER, new_application(), answers=first)
    assert created.questionnaire_id == "bibob-overige-beschikkingen"
    read = get_application(conn, OFFICER, created.id)
    assert (read.questionnaire_id, read.answers) == ("bibob-overige-beschikkingen", first)
    second = {"questionnaire": {"id": "bibob-omgevingsvergunning-bouw", "version": "1.0.0"}}
    updated = update_application(conn, OFFICER, created.id, 1, answers=second)
    attached = update_application(conn, OFFICER, created.id, 2, attachments=[{"fileName": "a.pdf"}])
    assert (updated.questionnaire_id, attached.questionnaire_id) == ("bibob-omgevingsvergunning-bouw",) * 2
    unnamed = update_application(conn, OFFICER, created.id, 3, answers={"questionnaire": {"id": ["no"]}})
    assert unnamed.questionnaire_id is None


def test_the_questionnaire_of_an_application_is_told_to_who_may_update_it_and_is_not_audited(
    conn: Connection,
) -> None:
    answers = {"questionnaire": {"id": "bibob-overige-beschikkingen", "version": "1.0.0"}}
    created = create_application(conn, OFFICER, new_application(), answers=answers)
    before = audit_rows(conn)
    assert questionnaire_of(conn, OFFICER, created.id) == "bibob-overige-beschikkingen"
    assert questionnaire_of(conn, COORDINATOR, created.id) == "bibob-overige-beschikkingen"
    for outsider in (OTHER_OFFICER, MAYOR, ADVISOR):
        with pytest.raises(NotFoundError):
            questionnaire_of(conn, outsider, created.id)
    with pytest.raises(NotFoundError):
        questionnaire_of(conn, OFFICER, "2026-9999")
    assert audit_rows(conn) == before


def test_an_unknown_application_is_not_found(conn: Connection) -> None:
    with pytest.raises(NotFoundError) as raised:
        get_application(conn, COORDINATOR, "2099-9999")
    assert raised.value.kind == "aanvraag"


def test_another_officers_application_looks_exactly_like_an_unknown_one(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application("2026-0001"))
    errors = []
    for identifier in ("2026-0001", "2026-0404"):
        with pytest.raises(NotFoundError) as raised:
            get_application(conn, OTHER_OFFICER, identifier)
        errors.append((type(raised.value), raised.value.kind))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("principal", [ADVISOR, PARTNER, PRIVACY, ADMIN], ids=lambda p: p.role.value)
def test_roles_without_need_to_know_get_not_found_for_applications(conn: Connection, principal: Principal) -> None:
    create_application(conn, OFFICER, new_application())
    with pytest.raises(NotFoundError):
        get_application(conn, principal, "2026-0001")
    with pytest.raises(NotFoundError):
        list_applications(conn, principal)
    with pytest.raises(NotFoundError):
        create_application(conn, principal, new_application("2026-0002"))
    with pytest.raises(NotFoundError):
        list_assessments(conn, principal, "2026-0001")


def test_the_coordinator_and_the_mayor_see_every_application_but_only_the_coordinator_changes_them(
    conn: Connection,
) -> None:
    create_application(conn, OFFICER, new_application())
    assert get_application(conn, COORDINATOR, "2026-0001").owner == OFFICER.user
    assert get_application(conn, MAYOR, "2026-0001").version == 1
    assert update_application(conn, COORDINATOR, "2026-0001", 1, answers=ANSWERS).version == 2
    with pytest.raises(NotFoundError):
        update_application(conn, MAYOR, "2026-0001", 2, answers={})


def test_a_permit_officer_lists_only_their_own_applications(conn: Connection) -> None:
    for identifier, officer in (("2026-0001", OFFICER), ("2026-0002", OTHER_OFFICER), ("2026-0003", OFFICER)):
        create_application(conn, officer, new_application(identifier))
    assert {a.id for a in list_applications(conn, OFFICER)} == {"2026-0001", "2026-0003"}
    assert len(list_applications(conn, COORDINATOR)) == 3
    assert list_applications(conn, COORDINATOR, state="regularReview") == ()
    assert len(list_applications(conn, COORDINATOR, limit=2)) == 2


def test_an_update_with_the_current_version_replaces_the_file_and_bumps_the_version(conn: Connection) -> None:
    stored = create_application(conn, OFFICER, new_application())
    moved = apply_event(stored.application, RegularReviewStarted(on=dt.date(2026, 10, 2)))
    updated = update_application(conn, OFFICER, stored.id, 1, application=moved, attachments=ATTACHMENTS)
    assert (updated.version, updated.state, updated.attachments) == (2, "regularReview", ATTACHMENTS)
    assert updated.application == moved
    assert updated.updated_at >= stored.updated_at


def test_an_update_with_a_stale_version_is_refused_and_changes_nothing(engine: Engine) -> None:
    with engine.begin() as conn:
        create_application(conn, OFFICER, new_application())
        update_application(conn, OFFICER, "2026-0001", 1, answers=ANSWERS)
    with pytest.raises(StaleVersionError) as raised, engine.begin() as conn:
        update_application(conn, OFFICER, "2026-0001", 1, answers={})
    assert raised.value.expected == 1
    assert "niet meer actueel" in str(raised.value)
    with engine.begin() as conn:
        assert get_application(conn, OFFICER, "2026-0001").answers == ANSWERS


def test_a_stale_update_on_an_invisible_application_is_not_found_rather_than_stale(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application())
    with pytest.raises(NotFoundError):
        update_application(conn, OTHER_OFFICER, "2026-0001", 7, answers={})


def test_bad_input_is_refused_with_dutch_problems(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application())
    with pytest.raises(InvalidInputError, match="bestaat al"):
        create_application(conn, OFFICER, new_application())
    with pytest.raises(InvalidInputError, match="wijkt af"):
        update_application(conn, OFFICER, "2026-0001", 1, application=new_application("2026-0002"))


def test_assessments_and_decisions_follow_the_applications_access(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application())
    assessment = add_assessment(conn, OFFICER, "2026-0001", {"recommendation": "conditions"})
    decision = record_decision(conn, COORDINATOR, "2026-0001", "refusedBibob", {"grounds": ["aBenefit"]})
    assert list_assessments(conn, OFFICER, "2026-0001") == (assessment,)
    assert list_decisions(conn, MAYOR, "2026-0001") == (decision,)
    assert (decision.outcome, decision.created_by) == ("refusedBibob", COORDINATOR.user)
    signed = record_decision(conn, MAYOR, "2026-0001", "granted", {})  # the mayor decides on permits
    assert signed.created_by == MAYOR.user
    for call in (
        lambda: add_assessment(conn, OTHER_OFFICER, "2026-0001", {}),
        lambda: list_decisions(conn, OTHER_OFFICER, "2026-0001"),
        lambda: record_decision(conn, OTHER_OFFICER, "2026-0001", "granted", {}),
        lambda: add_assessment(conn, MAYOR, "2026-0001", {}),  # the mayor decides; the file is the officers'
        lambda: add_assessment(conn, OFFICER, "2099-0404", {}),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_every_read_and_write_of_an_application_is_audited_with_ids_only(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application(), answers={"1.1": {"value": "CANARY-Jansen"}}, reason="intake")
    get_application(conn, OFFICER, "2026-0001")
    update_application(conn, OFFICER, "2026-0001", 1, answers={})
    list_applications(conn, COORDINATOR)
    add_assessment(conn, OFFICER, "2026-0001", {"text": "CANARY-Jansen"})
    list_decisions(conn, COORDINATOR, "2026-0001")
    assert audit_rows(conn) == [
        (OFFICER.user, "application.create", "application", "2026-0001"),
        (OFFICER.user, "application.read", "application", "2026-0001"),
        (OFFICER.user, "application.update", "application", "2026-0001"),
        (COORDINATOR.user, "application.list", "application", "2026-0001"),
        (OFFICER.user, "assessment.create", "application", "2026-0001"),
        (COORDINATOR.user, "decision.list", "application", "2026-0001"),
    ]


def test_refused_access_writes_no_audit_row_and_reads_nothing(conn: Connection) -> None:
    create_application(conn, OFFICER, new_application())
    with pytest.raises(NotFoundError):
        get_application(conn, OTHER_OFFICER, "2026-0001")
    assert [row[1] for row in audit_rows(conn)] == ["application.create"]
