"""An application's timeline: the dated events its terms depend on, checked, and read from JSON."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.schemas import schema_problems
from bibob.terms.calendar import Term, TermUnit, add_term, dutch_date

DEFAULT_DECISION_TERM = Term.weeks(8)  # Awb 4:13(2): reasonable term, in any case 8 weeks
DEFAULT_ZIENSWIJZE_TERM = Term.days(14)  # not fixed by law; practice, configurable per policy
ONE_DAY = dt.timedelta(days=1)
LBB_MAX_EXTENSION_DAYS = 28  # Wet Bibob art. 15(3): once, at most 4 weeks


@attrs.frozen
class DecisionExtension:
    """A notice under Awb 4:14 that the decision takes longer, naming the extra term."""

    notified: dt.date
    term: Term


@attrs.frozen
class RepairInvitation:
    """An Awb 4:5 invitation to complete the application within a term (suspends per Awb 4:15)."""

    sent: dt.date
    term_end: dt.date
    completed: dt.date | None = None


@attrs.frozen
class DataWait:
    """A period the LBB waits for missing data (Wet Bibob art. 15(2)); open while `end` is None."""

    start: dt.date
    end: dt.date | None = None


@attrs.frozen
class LbbExtension:
    """The LBB's one-time notice that its advice takes longer, at most 4 weeks (art. 15(3))."""

    notified: dt.date
    term: Term


@attrs.frozen
class LbbRequest:
    """A request for LBB advice; suspends the decision term (Wet Bibob art. 31)."""

    requested: dt.date
    data_waits: tuple[DataWait, ...] = ()
    extension: LbbExtension | None = None
    advice_received: dt.date | None = None


@attrs.frozen
class Timeline:
    """The events of one application that its terms depend on; unknown events are None or ()."""

    received: dt.date
    decision_term: Term = DEFAULT_DECISION_TERM
    decision_term_basis: str = "Awb 4:13"
    extensions: tuple[DecisionExtension, ...] = ()
    repair_invitations: tuple[RepairInvitation, ...] = ()
    lbb_request: LbbRequest | None = None
    intention_sent: dt.date | None = None  # voornemen sent: the zienswijze term starts
    zienswijze_term: Term = DEFAULT_ZIENSWIJZE_TERM
    decided: dt.date | None = None
    announced: dt.date | None = None  # bekendmaking of the decision
    objection_received: dt.date | None = None


@attrs.frozen
class Art31:
    """Wet Bibob art. 31: suspended from request to advice, capped at the art. 15 term."""

    requested: dt.date
    wait_days: int
    extension_days: int
    advice_received: dt.date | None
    today: dt.date

    @property
    def cap_end(self) -> dt.date:
        return self.requested + (56 + self.wait_days + self.extension_days) * ONE_DAY

    @property
    def advice_in_time(self) -> bool:
        return self.advice_received is not None and self.advice_received <= self.cap_end

    @property
    def end(self) -> dt.date:
        return self.advice_received if self.advice_received and self.advice_in_time else self.cap_end

    @property
    def lapsed(self) -> bool:
        return not self.advice_in_time and self.today >= self.cap_end


def art31_of(lbb: LbbRequest, today: dt.date) -> Art31:
    """The art. 31 suspension of an LBB request as it stands on `today` (open data waits count up to today)."""
    waits = sum(((wait.end or max(today, wait.start)) - wait.start).days for wait in lbb.data_waits)
    extension = lbb.extension
    extra = (add_term(lbb.requested, extension.term) - lbb.requested).days if extension else 0
    return Art31(lbb.requested, waits, extra, lbb.advice_received, today)


def check_timeline(timeline: Timeline) -> tuple[Problem, ...]:
    """Every reason `timeline` cannot be computed: events out of order, ends before starts, …"""
    return (
        *_term_problems(timeline),
        *_repair_problems(timeline),
        *_lbb_problems(timeline),
        *_decision_problems(timeline),
        *_overlap_problems(timeline),
    )


def _not_before(
    pointer: str, day: dt.date | None, earliest: dt.date | None, what: str, code: str = "outOfOrder"
) -> Iterator[Problem]:
    if day is not None and earliest is not None and day < earliest:
        message = f"{dutch_date(day)} ligt vóór {what} ({dutch_date(earliest)})"
        yield Problem(pointer, code, message)


def _term_problems(timeline: Timeline) -> Iterator[Problem]:
    terms = [
        ("/decisionTerm", timeline.decision_term),
        ("/zienswijzeTerm", timeline.zienswijze_term),
    ]
    terms += [(f"/extensions/{i}/term", e.term) for i, e in enumerate(timeline.extensions)]
    for pointer, term in terms:
        if term.amount < 1:
            yield Problem(f"{pointer}/amount", "termNotPositive", "een termijn is minstens 1")
    for index, extension in enumerate(timeline.extensions):
        pointer = f"/extensions/{index}/notified"
        yield from _not_before(pointer, extension.notified, timeline.received, "de ontvangst")


def _repair_problems(timeline: Timeline) -> Iterator[Problem]:
    for index, invitation in enumerate(timeline.repair_invitations):
        base = f"/repairInvitations/{index}"
        yield from _not_before(f"{base}/sent", invitation.sent, timeline.received, "de ontvangst")
        yield from _not_before(
            f"{base}/termEnd",
            invitation.term_end,
            invitation.sent,
            "het aanvulverzoek",
            "endBeforeStart",
        )
        yield from _not_before(f"{base}/completed", invitation.completed, invitation.sent, "het aanvulverzoek")


def _lbb_problems(timeline: Timeline) -> Iterator[Problem]:
    lbb = timeline.lbb_request
    if lbb is None:
        return
    yield from _not_before("/lbbRequest/requested", lbb.requested, timeline.received, "de ontvangst")
    for index, wait in enumerate(lbb.data_waits):
        base = f"/lbbRequest/dataWaits/{index}"
        yield from _not_before(f"{base}/start", wait.start, lbb.requested, "de adviesaanvraag")
        yield from _not_before(f"{base}/end", wait.end, wait.start, "het begin", "endBeforeStart")
    yield from _not_before("/lbbRequest/adviceReceived", lbb.advice_received, lbb.requested, "de adviesaanvraag")
    if lbb.extension is not None:
        yield from _lbb_extension_problems(lbb.requested, lbb.extension)


def _lbb_extension_problems(requested: dt.date, extension: LbbExtension) -> Iterator[Problem]:
    """Wet Bibob art. 15(3): one extension of at most 4 weeks, in days or weeks."""
    pointer = "/lbbRequest/extension"
    yield from _not_before(f"{pointer}/notified", extension.notified, requested, "de adviesaanvraag")
    term = extension.term
    if term.unit not in (TermUnit.DAYS, TermUnit.WEEKS):
        yield Problem(f"{pointer}/term/unit", "extensionUnit", "verlenging in dagen of weken opgeven")
    elif term.amount < 1:
        yield Problem(f"{pointer}/term/amount", "termNotPositive", "een termijn is minstens 1")
    elif (add_term(requested, term) - requested).days > LBB_MAX_EXTENSION_DAYS:
        message = f"verlenging van {term} is langer dan 4 weken (Wet Bibob art. 15 lid 3)"
        yield Problem(f"{pointer}/term", "extensionTooLong", message)


def _decision_problems(timeline: Timeline) -> Iterator[Problem]:
    received = timeline.received
    yield from _not_before("/intentionSent", timeline.intention_sent, received, "de ontvangst")
    yield from _not_before("/decided", timeline.decided, received, "de ontvangst")
    yield from _not_before("/announced", timeline.announced, timeline.decided, "het besluit")
    yield from _not_before("/objectionReceived", timeline.objection_received, timeline.announced, "de bekendmaking")
    if timeline.announced is not None and timeline.decided is None:
        yield Problem("/decided", "missingEvent", "bekendmaking zonder datum van het besluit")
    if timeline.objection_received is not None and timeline.announced is None:
        yield Problem("/announced", "missingEvent", "bezwaar zonder datum van bekendmaking")


def _overlap_problems(timeline: Timeline) -> Iterator[Problem]:
    """Suspensions (Awb 4:15, art. 31) may not overlap: a day is suspended only once."""
    periods = sorted(_periods(timeline))
    for (_, earlier_end, _), (start, _, pointer) in itertools.pairwise(periods):
        if start < earlier_end:
            yield Problem(pointer, "overlap", "opschorting overlapt met een eerdere opschorting")


def _periods(timeline: Timeline) -> Iterable[tuple[dt.date, dt.date, str]]:
    for index, invitation in enumerate(timeline.repair_invitations):
        end = min(invitation.completed or invitation.term_end, invitation.term_end)
        yield invitation.sent, end, f"/repairInvitations/{index}/sent"
    lbb = timeline.lbb_request
    if lbb is not None:
        cap = art31_of(lbb, lbb.requested).cap_end
        yield lbb.requested, min(lbb.advice_received or cap, cap), "/lbbRequest/requested"


# --- JSON -------------------------------------------------------------------------------------


def timeline_from_json(data: object) -> Timeline:
    """A `Timeline` from a JSON document (camelCase, `schemas/timeline.schema.json`).

    Raises `InvalidInputError` listing every schema problem, or else every problem that
    `check_timeline` finds, each with its JSON pointer.
    """
    problems = schema_problems("timeline.schema.json", data)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(data, Mapping)  # the schema demands an object
    timeline = _timeline(data)
    problems = check_timeline(timeline)
    if problems:
        raise InvalidInputError(problems)
    return timeline


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _maybe_day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


_UNITS = {unit.value: unit for unit in TermUnit}


def _term(value: Mapping[str, Any]) -> Term:
    return Term(value["amount"], _UNITS[value["unit"]])


def _maybe_term(value: Mapping[str, Any] | None, default: Term) -> Term:
    return default if value is None else _term(value)


def _timeline(doc: Mapping[str, Any]) -> Timeline:
    lbb = doc.get("lbbRequest")
    return Timeline(
        received=_day(doc["received"]),
        decision_term=_maybe_term(doc.get("decisionTerm"), DEFAULT_DECISION_TERM),
        decision_term_basis=doc.get("decisionTermBasis", "Awb 4:13"),
        extensions=tuple(DecisionExtension(_day(e["notified"]), _term(e["term"])) for e in doc.get("extensions", ())),
        repair_invitations=tuple(
            RepairInvitation(_day(r["sent"]), _day(r["termEnd"]), _maybe_day(r.get("completed")))
            for r in doc.get("repairInvitations", ())
        ),
        lbb_request=_lbb_request(lbb) if lbb is not None else None,
        intention_sent=_maybe_day(doc.get("intentionSent")),
        zienswijze_term=_maybe_term(doc.get("zienswijzeTerm"), DEFAULT_ZIENSWIJZE_TERM),
        decided=_maybe_day(doc.get("decided")),
        announced=_maybe_day(doc.get("announced")),
        objection_received=_maybe_day(doc.get("objectionReceived")),
    )


def _lbb_request(doc: Mapping[str, Any]) -> LbbRequest:
    extension = doc.get("extension")
    return LbbRequest(
        requested=_day(doc["requested"]),
        data_waits=tuple(DataWait(_day(w["start"]), _maybe_day(w.get("end"))) for w in doc.get("dataWaits", ())),
        extension=(
            LbbExtension(_day(extension["notified"]), _term(extension["term"])) if extension is not None else None
        ),
        advice_received=_maybe_day(doc.get("adviceReceived")),
    )
