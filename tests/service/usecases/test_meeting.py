"""The paper for the local undermining meeting: the agenda, the last meeting held, and what came in since."""

from __future__ import annotations

import datetime as dt

import pytest

from bibob.exceptions import NotFoundError
from service.integrations import Integrations
from service.usecases import Session
from service.usecases.cases import agenda, open_case, record_case_event
from service.usecases.meeting import meeting_paper
from service.usecases.signals import take_in
from service.views.signals import intake
from tests.service.api.flow import police_signal
from tests.service.store.conftest import ADVISOR, OFFICER
from tests.service.usecases.conftest import NOW, Sessions

TO_MEETING = (
    {"type": "investigationStarted"},
    {"type": "informationRequested", "requestId": "V1", "partner": "police", "question": "Bekend pand?"},
    {"type": "informationAnswered", "requestId": "V1", "answerSummary": "ja"},
    {"type": "meetingScheduled", "agenda": ["pand"]},
    {"type": "meetingHeld", "attendees": ["police", "municipality"], "decisions": ["plan opstellen"]},
)


def test_without_a_meeting_held_every_signal_to_weigh_is_new(session_of: Sessions) -> None:
    signal = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    paper = meeting_paper(session_of(ADVISOR), None)
    assert paper.last_meeting is None and paper.new_signals == {signal.id}
    assert paper.agenda == agenda(session_of(ADVISOR), None)


def test_only_signals_received_after_the_last_meeting_are_new(session_of: Sessions) -> None:
    older = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    stored = open_case(session_of(ADVISOR), {"title": "Pand", "partners": ["police"]})
    for version, event in enumerate(TO_MEETING, start=1):
        stored = record_case_event(session_of(ADVISOR), Integrations(), stored.id, version, event)
    later = NOW + dt.timedelta(days=2)
    tomorrow = Session(session_of(ADVISOR).conn, ADVISOR, "toets", later)
    newer = take_in(tomorrow, intake(police_signal() | {"received": (NOW + dt.timedelta(days=1)).isoformat()}, later))
    paper = meeting_paper(tomorrow, None)
    assert paper.last_meeting == NOW.date()
    assert paper.new_signals == {newer.id} and older.id not in paper.new_signals
    assert {item.reference for item in paper.agenda.items} >= {older.id, newer.id}


def test_a_meeting_paper_is_the_advisors_only(session_of: Sessions) -> None:
    with pytest.raises(NotFoundError):
        meeting_paper(session_of(OFFICER), None)
