"""The agenda of the next local undermining meeting, so undermining stays structurally on the agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from bibob.labels import LabelledEnum
from bibob.terms import dutch_date
from bibob.undermining.cases import Case, CaseState
from bibob.undermining.signals import Signal

_STEPS = {
    1: "weging 1: gaat het om ondermijning?",
    2: "weging 2: gemeentelijke taak en wettelijke grondslag?",
    3: "weging 3: zwaarte van het signaal",
    4: "weging 4: uitkomst van het bronnenonderzoek",
}


class AgendaItemKind(LabelledEnum):
    """Why something is on the agenda."""

    SIGNAL_TO_WEIGH = "signalToWeigh", "signaal te wegen"
    CASE_TO_DISCUSS = "caseToDiscuss", "casus te bespreken"
    INTERVENTION_OVERDUE = "interventionOverdue", "interventie over de deadline"


@attrs.frozen
class AgendaItem:
    """One item: what kind, which signal or case, and the Dutch text (ids and labels, no personal data)."""

    kind: AgendaItemKind
    reference: str
    text: str


@attrs.frozen
class Agenda:
    """The agenda for the meeting on or after `today`: signals first, then cases, then overdue interventions."""

    today: dt.date
    items: tuple[AgendaItem, ...]


def meeting_agenda(signals: Iterable[Signal], cases: Iterable[Case], today: dt.date) -> Agenda:
    """The agenda: signals awaiting weighing, cases due for discussion, interventions past their due date."""
    open_cases = sorted((case for case in cases if case.state.is_open), key=lambda case: case.id)
    waiting = sorted((s for s in signals if s.state.awaiting_weighing), key=lambda s: (s.received, s.id))
    overdue = sorted(_overdue(open_cases, today), key=lambda pair: pair[0])
    return Agenda(
        today,
        (
            *(_signal_item(signal) for signal in waiting),
            *(item for case in open_cases if (item := _case_item(case, today)) is not None),
            *(item for _, item in overdue),
        ),
    )


def _signal_item(signal: Signal) -> AgendaItem:
    step = _STEPS[signal.state.step or 1]
    text = (
        f"Signaal {signal.id} ({signal.theme.label}; bron: {signal.source.label}, ontvangen "
        f"{dutch_date(signal.received.date())}): {step}"
    )
    return AgendaItem(AgendaItemKind.SIGNAL_TO_WEIGH, signal.id, text)


def _case_item(case: Case, today: dt.date) -> AgendaItem | None:
    if case.state is CaseState.CASE_MEETING:
        why = "bespreken in het casusoverleg en plan van aanpak opstellen"
    elif case.review_on is not None and case.review_on <= today:
        why = f"evaluatiemoment van {dutch_date(case.review_on)} is bereikt"
    else:
        return None
    text = f"Casus {case.id} ({case.theme.label}; status: {case.state.label}): {why}"
    return AgendaItem(AgendaItemKind.CASE_TO_DISCUSS, case.id, text)


def _overdue(cases: Iterable[Case], today: dt.date) -> Iterator[tuple[tuple[dt.date, str, str], AgendaItem]]:
    for case in cases:
        for i in case.plan.interventions if case.plan else ():
            if i.status.is_open and i.due < today:
                text = (
                    f"Interventie {i.id} in casus {case.id} ({i.kind.label}, {i.partner.label}; eigenaar {i.owner}): "
                    f"deadline {dutch_date(i.due)} verstreken, status '{i.status.label}'"
                )
                yield (i.due, case.id, i.id), AgendaItem(AgendaItemKind.INTERVENTION_OVERDUE, case.id, text)
