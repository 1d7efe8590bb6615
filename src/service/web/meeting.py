"""The safety advisor's paper for the local undermining meeting (`/overleg`): what is new since the last meeting,
the signals to weigh, the cases to discuss and the actions past their deadline; printable as the paper the advisor
brings. The same agenda as `GET /api/v1/meeting-agenda` (ids, labels and dates, no personal data)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from bibob.terms import dutch_date
from service.http import in_session
from service.store.accounts import WebSession
from service.store.signals import require_weigher
from service.usecases.meeting import meeting_paper
from service.web.forms import FieldError, typed_day
from service.web.rendering import page

DAY_MESSAGE = "Vul de dag van het overleg in als dag-maand-jaar, bijvoorbeeld 12-03-2026, of laat het veld leeg."


@get("/overleg", name="advisor:meeting")
async def meeting_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], datum: FromQuery[str] = ""
) -> Template:
    """The agenda for the meeting on `datum` (default today), grouped as the advisor discusses it."""
    require_weigher(signed_in.principal)
    day = typed_day(datum) if datum.strip() else None
    if datum.strip() and (day is None or not 1950 <= day.year <= 2200):
        return page(request, "meeting/agenda.html", title="Ondermijningsoverleg", status=400,
                    errors=[FieldError("datum", DAY_MESSAGE)], datum=datum[:40], paper=None)  # fmt: skip
    paper = await in_session(request, signed_in.principal, lambda s: meeting_paper(s, day))
    items = paper.agenda.items
    signals = [item for item in items if item.kind.value == "signalToWeigh"]
    return page(
        request,
        "meeting/agenda.html",
        title="Ondermijningsoverleg",
        datum=datum[:40],
        paper=paper,
        day=dutch_date(paper.agenda.today),
        last=dutch_date(paper.last_meeting) if paper.last_meeting else "",
        new=[item for item in signals if item.reference in paper.new_signals],
        older=[item for item in signals if item.reference not in paper.new_signals],
        cases=[item for item in items if item.kind.value == "caseToDiscuss"],
        overdue=[item for item in items if item.kind.value == "interventionOverdue"],
    )


MEETING_HANDLERS = (meeting_page,)
