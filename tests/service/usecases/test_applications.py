"""The application use cases called directly: register, answers, lifecycle events, the timeline."""

from __future__ import annotations

import json

import pytest

from bibob.exceptions import InvalidInputError, NotFoundError, TransitionError
from bibob.policy import Policy
from bibob.questionnaires import Catalogue, CompletenessStatus
from bibob.terms import AtwCalendar
from service.store.errors import StaleVersionError
from service.usecases.applications import (
    check_answers,
    read_answers,
    read_application,
    record_event,
    replace_attachments,
    store_answers,
    timeline,
)
from tests.service.api.test_applications import COMPLETE, SOLE_TRADER
from tests.service.store.conftest import ADVISOR, MAYOR, OFFICER, OTHER_OFFICER
from tests.service.usecases.conftest import NOW, Sessions, registered


def test_a_registered_application_is_its_officers_with_the_questionnaire_it_names(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)

    assert (stored.owner, stored.version, stored.questionnaire_id) == (OFFICER.user, 1, "bibob-overige-beschikkingen")
    assert read_application(session_of(OFFICER), stored.id) == stored


def test_a_role_without_a_create_rule_registers_nothing(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    with pytest.raises(NotFoundError):
        registered(session_of(ADVISOR), catalogue, policy)


def test_answers_to_another_questionnaire_are_refused_naming_where(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    with pytest.raises(InvalidInputError) as refused:
        store_answers(session_of(OFFICER), catalogue, stored.id, 1, {"questionnaire": {"id": "another-form"}})

    assert [(p.pointer, p.code) for p in refused.value.problems] == [("/questionnaire/id", "questionnaire.mismatch")]


def test_answers_of_another_officers_application_are_not_found(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    with pytest.raises(NotFoundError):
        store_answers(session_of(OTHER_OFFICER), catalogue, stored.id, 1, COMPLETE)


def test_an_event_at_an_old_version_is_stale_before_its_body_is_read(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    record_event(session_of(OFFICER), catalogue, stored.id, 1, {"type": "regularReviewStarted", "on": "2026-10-02"})
    with pytest.raises(StaleVersionError):
        record_event(session_of(OFFICER), catalogue, stored.id, 1, {"type": "no such event"})


def test_an_event_the_lifecycle_refuses_is_a_transition_error(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    with pytest.raises(TransitionError):
        record_event(
            session_of(OFFICER), catalogue, stored.id, 1, {"type": "zienswijzeTermExpired", "on": "2026-10-02"}
        )


def test_a_mayor_reads_applications_but_records_no_events(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    with pytest.raises(NotFoundError):
        record_event(session_of(MAYOR), catalogue, stored.id, 1, {"type": "regularReviewStarted", "on": "2026-10-02"})


def test_the_timeline_without_a_day_is_dated_by_the_sessions_clock(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    found = timeline(session_of(OFFICER), policy, calendar, stored.id, None)

    assert found.on == NOW.astimezone().date() and found.application.id == stored.id
    assert found.deadlines and found.basis


def test_the_answers_state_counts_registered_attachments_and_checking_a_document_stores_nothing(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    document = json.loads(json.dumps(SOLE_TRADER))
    lease = next(a for a in document["attachments"] if a["kind"] == "leaseAgreement")
    document["attachments"].remove(lease)
    store_answers(session_of(OFFICER), catalogue, stored.id, 1, document)
    before = read_answers(session_of(OFFICER), catalogue, stored.id)
    assert before.completeness.status is CompletenessStatus.INCOMPLETE and before.document == document
    item = {"fileName": "huur.pdf", "mediaType": "application/pdf", "size": 3, "kind": "leaseAgreement"}
    replace_attachments(session_of(OFFICER), stored.id, 2, [item | {"pointer": lease["pointer"]}])
    after = read_answers(session_of(OFFICER), catalogue, stored.id)
    assert after.completeness.status is CompletenessStatus.COMPLETE

    checked = check_answers(session_of(OFFICER), catalogue, stored.id, {"questionnaire": document["questionnaire"]})
    assert checked.completeness.status is CompletenessStatus.INCOMPLETE
    assert read_application(session_of(OFFICER), stored.id).version == 3  # nothing stored by the check
    with pytest.raises(NotFoundError):
        read_answers(session_of(OTHER_OFFICER), catalogue, stored.id)
