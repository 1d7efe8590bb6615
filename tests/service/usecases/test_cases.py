"""The case use cases called directly: open from signals, record steps, link evidence, the agenda."""

from __future__ import annotations

import pytest

from bibob.exceptions import InvalidInputError, NotFoundError
from service.integrations import Integrations
from service.store.errors import StaleVersionError
from service.store.signals import StoredSignal
from service.usecases.cases import agenda, open_case, read_case, record_case_event
from service.usecases.evidence import confirm_evidence, link_evidence
from service.usecases.signals import take_in, weigh
from service.views.inputs import LOCAL
from service.views.signals import intake
from tests.service.api.flow import police_signal
from tests.service.api.test_cases import FINDING
from tests.service.store.conftest import ADVISOR, COORDINATOR, MAYOR, OFFICER
from tests.service.usecases.conftest import NOW, Sessions

NO_ZGW = Integrations()
STEPS = (
    {"decision": "undermining", "reason": "lokale verankering: pand"},
    {"decision": "municipalTask", "reason": "openbare orde, art. 13b Opiumwet"},
    {"decision": "furtherAnalysis", "reason": "concreet en recent"},
    {"type": "sourceChecked", "source": "BRP", "hit": True, "approvedBy": "privacyOfficer-1"},
)


def _researched(session_of: Sessions) -> StoredSignal:
    """The police signal, weighed up to the source research: it can become a case."""
    stored = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    for body in STEPS:
        stored = weigh(session_of(ADVISOR), stored.id, stored.version, body)
    return stored


def test_a_case_from_a_signal_takes_its_subjects_and_is_led_by_the_advisor_from_the_session_moment(
    session_of: Sessions,
) -> None:
    signal = _researched(session_of)
    stored = open_case(session_of(ADVISOR), {"title": "Pand Hamersveldseweg", "signalIds": [signal.id]})

    case = stored.case
    assert (stored.lead, case.signal_ids, case.subjects) == (ADVISOR.user, (signal.id,), signal.signal.subjects)
    assert case.registration.at == NOW and read_case(session_of(ADVISOR), stored.id) == stored


def test_a_case_loaded_with_its_own_id_keeps_it(session_of: Sessions) -> None:
    stored = open_case(session_of(ADVISOR), {"title": "Pand Hamersveldseweg"}, case_id="LEU-C-09")

    assert stored.id == stored.case.id == "LEU-C-09" and read_case(session_of(ADVISOR), "LEU-C-09") == stored


def test_who_may_not_open_cases_hears_nothing_about_the_body(session_of: Sessions) -> None:
    with pytest.raises(NotFoundError):
        open_case(session_of(OFFICER), 42)


def test_a_case_from_an_unknown_signal_names_which(session_of: Sessions) -> None:
    with pytest.raises(InvalidInputError) as refused:
        open_case(session_of(ADVISOR), {"title": "T", "signalIds": ["nope"]})

    assert [(p.pointer, p.code) for p in refused.value.problems] == [("/signalIds/0", "signal.unknown")]


def test_a_step_at_an_old_version_is_stale_and_one_without_need_to_know_not_found(session_of: Sessions) -> None:
    stored = open_case(session_of(ADVISOR), {"title": "T"})
    record_case_event(session_of(ADVISOR), NO_ZGW, stored.id, 1, {"type": "investigationStarted"})
    with pytest.raises(StaleVersionError):
        record_case_event(session_of(ADVISOR), NO_ZGW, stored.id, 1, {"type": "investigationStarted"})
    with pytest.raises(NotFoundError):
        record_case_event(session_of(COORDINATOR), NO_ZGW, stored.id, 2, {"type": "meetingScheduled"})


def test_evidence_linked_by_hand_and_confirmed_is_dated_and_signed_by_the_session(session_of: Sessions) -> None:
    stored = open_case(session_of(ADVISOR), {"title": "T"})
    linked = link_evidence(session_of(ADVISOR), NO_ZGW, stored.id, 1, FINDING)
    (item,) = linked.case.evidence
    confirmed = confirm_evidence(session_of(ADVISOR), NO_ZGW, stored.id, item.id, linked.version, {})

    assert (item.reason, item.status.value) == ("zelfde pand", "linked")
    assert confirmed.case.evidence[0].status.value == "confirmed"
    assert [(event.by, event.at) for event in confirmed.case.history[1:]] == [(ADVISOR.user, NOW)] * 2


def test_a_link_by_hand_without_a_reason_is_refused(session_of: Sessions) -> None:
    stored = open_case(session_of(ADVISOR), {"title": "T"})
    with pytest.raises(InvalidInputError) as refused:
        link_evidence(session_of(ADVISOR), NO_ZGW, stored.id, 1, {**FINDING, "reason": " "})

    assert [p.pointer for p in refused.value.problems] == ["/reason"]


def test_the_agenda_without_a_day_is_for_today_in_dutch_time_and_the_advisors_only(session_of: Sessions) -> None:
    take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    found = agenda(session_of(ADVISOR), None)

    assert found.today == NOW.astimezone(LOCAL).date() and len(found.items) == 1
    with pytest.raises(NotFoundError):
        agenda(session_of(MAYOR), None)


def test_the_agenda_shows_a_signal_weighed_since_the_last_agenda_as_it_is_now(session_of: Sessions) -> None:
    stored = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    before = agenda(session_of(ADVISOR), None)
    weighed = weigh(session_of(ADVISOR), stored.id, stored.version, STEPS[0])
    after = agenda(session_of(ADVISOR), None)

    assert [item.text for item in before.items] != [item.text for item in after.items]
    assert [item.reference for item in after.items] == [weighed.id]


def test_the_agenda_leaves_out_a_signal_weighed_as_no_undermining(session_of: Sessions) -> None:
    stored = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    agenda(session_of(ADVISOR), None)
    weigh(session_of(ADVISOR), stored.id, stored.version, {"decision": "notUndermining", "reason": "geen verband"})

    assert agenda(session_of(ADVISOR), None).items == ()
