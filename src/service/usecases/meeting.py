"""The paper for the local undermining meeting: the agenda (`service.usecases.cases.agenda_sources`, the same
reading as `GET /api/v1/meeting-agenda`), the day of the last meeting held, and which signals came in since."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.undermining import Agenda, meeting_agenda
from service.usecases.cases import agenda_sources
from service.usecases.session import Session
from service.views.inputs import LOCAL


@attrs.frozen
class MeetingPaper:
    """The agenda, the last meeting held in a case the principal sees (None: none yet), and the agenda's signals
    received after it (all of them when there was no meeting)."""

    agenda: Agenda
    last_meeting: dt.date | None
    new_signals: frozenset[str]


def meeting_paper(session: Session, day: dt.date | None) -> MeetingPaper:
    """The paper for the meeting on `day` (default: today in Dutch time)."""
    waiting, open_cases = agenda_sources(session)
    today = day or session.now.astimezone(LOCAL).date()
    held = [meeting.held for case in open_cases for meeting in case.meetings if meeting.held.date() <= today]
    last = max(held, default=None)
    new = frozenset(signal.id for signal in waiting if last is None or signal.received > last)
    agenda = meeting_agenda(waiting, open_cases, today)
    return MeetingPaper(agenda, last.astimezone(LOCAL).date() if last else None, new)
