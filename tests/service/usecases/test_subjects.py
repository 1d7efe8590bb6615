"""Subject search and match review called directly: who may search, what a match names, the reviewer's verdict."""

from __future__ import annotations

import pytest

from bibob.exceptions import InvalidInputError, NotFoundError
from service.store.cases import create_case
from service.usecases.signals import take_in
from service.usecases.subjects import review_match, search_subjects
from service.views.signals import intake
from service.views.subjects import search_body
from tests.service.api.flow import police_signal
from tests.service.store.conftest import ADVISOR, OFFICER, PARTNER
from tests.service.usecases.conftest import NOW, Sessions

JANSEN = {"person": {"surname": "Jansen", "firstNames": "P.", "dateOfBirth": "1980-02-03"}}


def test_a_person_in_a_signal_is_found_with_the_signal_that_holds_him(session_of: Sessions) -> None:
    stored = take_in(session_of(PARTNER), intake(police_signal(), NOW))
    found = search_subjects(session_of(ADVISOR), *search_body(JANSEN))

    assert [(owner.owner_type, owner.owner_id) for _, owner in found] == [("signal", stored.id)]
    assert found[0][0].level.value in ("probable", "certain")


def test_a_permit_officer_searches_no_subjects(session_of: Sessions) -> None:
    with pytest.raises(NotFoundError):
        search_subjects(session_of(OFFICER), *search_body(JANSEN))


def test_a_verdict_is_the_reviewers_in_their_case_and_an_unknown_one_is_refused(session_of: Sessions) -> None:
    case_id = create_case(
        session_of(ADVISOR).conn, ADVISOR, status="registered", confidentiality="internal", document={}
    ).id
    verdict = {"caseId": case_id, "leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "zelfde persoon"}
    review = review_match(session_of(ADVISOR), verdict)

    assert (review.reviewer, review.confirmed, review.case_id) == (ADVISOR.user, True, case_id)
    with pytest.raises(InvalidInputError) as refused:
        review_match(session_of(ADVISOR), verdict | {"decision": "maybe"})
    assert [p.pointer for p in refused.value.problems] == ["/decision"]


def test_who_may_not_review_hears_nothing_about_the_body(session_of: Sessions) -> None:
    with pytest.raises(NotFoundError):
        review_match(session_of(OFFICER), [])
