"""An application's timeline: the dated events its terms depend on, checked, and read from JSON."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.schemas import schema_problems
from bibob.terms.calendar import AtwCalendar, Term, TermUnit, add_term, dutch_date

DEFAULT_DECISION_TERM = Term.weeks(8)  # Awb 4:13(2): reasonable term, in any case 8 weeks
DEFAULT_ZIENSWIJZE_TERM = Term.days(14)  # not fixed by law; practice, configurable per policy
ONE_DAY = dt.timedelta(days=1)
LBB_MAX_EXTENSION_DAYS = 28  # Wet Bibob art. 15(3): once, at most 4 weeks
LBB_ADVICE_DAYS = 56  # Wet Bibob art. 15(1): eight weeks after the request


@attrs.frozen
class DecisionExtension:
    """A notice under Awb 4:14 that the decision takes longer, naming the extra term."""

    notified: dt.date
    term: Term


@attrs.frozen
class RepairInvitation:
    """An Awb 4:5 invitation to complete the application within a term (suspends per Awb 4:15).

    Awb 4:15 lid 1 sub a: the decision term is suspended "met ingang van de dag na die waarop" the
    applicant is invited "tot de dag waarop de aanvraag is aangevuld of de daarvoor gestelde termijn
    ongebruikt is verstreken": from the day after `sent` up to, not including, the day of completion
    or `term_end`, the day the repair term lapses. A completion after `term_end` came too late: the
    term had lapsed unused.
    """

    sent: dt.date
    term_end: dt.date
    completed: dt.date | None = None

    @property
    def completed_in_time(self) -> bool:
        """The application was completed on or before the last day of the repair term."""
        return self.completed is not None and self.completed <= self.term_end

    @property
    def resumes(self) -> dt.date:
        """The day the decision term runs again: the completion in time, or else the lapse of the term."""
        return self.completed if self.completed is not None and self.completed_in_time else self.term_end

    def suspended_days(self, resumes: dt.date | None = None) -> int:
        """The days from the day after `sent` up to `resumes` (default: as recorded), never negative."""
        return max(0, ((resumes or self.resumes) - self.sent).days - 1)


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
class RegisterDuty:
    """A registration the body owes the Bibob register without delay since `since` (done on `done`, if done).

    `what` is 'dangerConclusion' (a danger conclusion of a decision) or 'withdrawal' (an application
    withdrawn while it was screened).
    """

    what: str
    since: dt.date
    done: dt.date | None = None


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
    objection_advisory_committee: bool = False  # Awb 7:13: the decision term on the objection is 12 weeks
    objection_extensions: tuple[DecisionExtension, ...] = ()  # Awb 7:10 lid 3
    objection_decided: dt.date | None = None
    register_duties: tuple[RegisterDuty, ...] = ()
    register_working_days: int = 5  # 'onverwijld': the working days the policy allows


@attrs.frozen
class Art31:
    """Wet Bibob art. 15 and 31 for one LBB request, as it stands on `today`.

    Art. 15 lid 1: the advice within eight weeks after the request. Lid 2: that term is suspended
    "met ingang van de dag waarop" data is asked for "tot de dag waarop die gegevens zijn
    ontvangen" (the day of receipt runs again). Lid 3: one extension of at most four weeks, notified
    when the advice cannot come within the eight weeks, so while they run. Art. 31: the decision
    term is suspended "voor de duur van de periode die begint met de dag waarop het advies is
    aangevraagd en eindigt met de dag waarop dat advies is ontvangen" (both days inside), for no
    longer than the art. 15 term plus the extension. An extension or data request that comes after
    the LBB's term lapsed changes nothing and is listed in `ignored`.
    """

    requested: dt.date
    wait_days: int
    extension_days: int
    advice_received: dt.date | None
    today: dt.date
    extension_deadline: dt.date  # art. 15 lid 3: the last day the LBB can still notify an extension
    advice_due: dt.date  # the last day of the LBB's term (Atw applied when computed with a calendar)
    ignored: tuple[str, ...] = ()

    @property
    def cap_days(self) -> int:
        """The longest the decision term stays suspended: the art. 15 term with its suspensions and extension."""
        return LBB_ADVICE_DAYS + self.wait_days + self.extension_days

    @property
    def cap_end(self) -> dt.date:
        """The day the decision term runs again at the latest: the first day after the longest suspension."""
        return self.requested + self.cap_days * ONE_DAY

    @property
    def advice_in_time(self) -> bool:
        """The advice came on a day the decision term was still suspended."""
        return self.advice_received is not None and self.advice_received < self.cap_end

    @property
    def pending(self) -> bool:
        """No advice yet and the suspension still runs on `today`."""
        return self.advice_received is None and self.today < self.cap_end

    @property
    def lapsed(self) -> bool:
        """The suspension ran to its maximum without (timely) advice by `today`."""
        return not self.advice_in_time and self.today >= self.cap_end

    @property
    def suspended_days(self) -> int:
        """The days the decision term is suspended; while pending, the most it can become."""
        if self.advice_received is not None and self.advice_in_time:
            return (self.advice_received - self.requested).days + 1
        return self.cap_days

    @property
    def earliest_days(self) -> int:
        """The days suspended if the advice came `today` (the suspension ends with that day)."""
        return max(0, (self.today - self.requested).days + 1) if self.pending else self.suspended_days

    @property
    def end(self) -> dt.date:
        """The last suspended day (the latest possible while pending)."""
        return self.requested + (self.suspended_days - 1) * ONE_DAY


def art31_of(lbb: LbbRequest, today: dt.date, calendar: AtwCalendar | None = None) -> Art31:
    """The art. 15/31 terms of an LBB request on `today`; open data waits count up to today.

    Data requests and the extension are taken in date order, each only when the LBB's term still
    ran on its day (the Atw applied to that term when `calendar` is given).
    """
    waits, extension, ignored = 0, 0, []
    for day, item in sorted(_lbb_steps(lbb), key=lambda step: (step[0], isinstance(step[1], LbbExtension))):
        if isinstance(item, DataWait):
            last = _lbb_last_day(lbb.requested, LBB_ADVICE_DAYS + waits + extension, calendar)
            if day <= last:
                waits += ((item.end or max(today, item.start)) - item.start).days
                continue
            ignored.append(
                f"Het verzoek van het LBB om gegevens van {dutch_date(day)} kwam na het einde van de "
                f"adviestermijn ({dutch_date(last)}) en schort die niet op (Wet Bibob art. 15 lid 2)."
            )
        else:
            last = _lbb_last_day(lbb.requested, LBB_ADVICE_DAYS + waits, calendar)
            if day <= last:
                extension = (add_term(lbb.requested, item.term) - lbb.requested).days
                continue
            ignored.append(
                f"De verlenging door het LBB, gemeld op {dutch_date(day)}, kwam na de acht weken van de "
                f"adviestermijn ({dutch_date(last)}) en verlengt niets (Wet Bibob art. 15 lid 3)."
            )
    return Art31(
        lbb.requested, waits, extension, lbb.advice_received, today,
        _lbb_last_day(lbb.requested, LBB_ADVICE_DAYS + waits, calendar),
        _lbb_last_day(lbb.requested, LBB_ADVICE_DAYS + waits + extension, calendar), tuple(ignored),
    )  # fmt: skip


def _lbb_steps(lbb: LbbRequest) -> Iterator[tuple[dt.date, DataWait | LbbExtension]]:
    yield from ((wait.start, wait) for wait in lbb.data_waits)
    if lbb.extension is not None:
        yield lbb.extension.notified, lbb.extension


def _lbb_last_day(requested: dt.date, days: int, calendar: AtwCalendar | None) -> dt.date:
    end = requested + days * ONE_DAY
    return calendar.extend(requested, end) if calendar is not None else end


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
        yield invitation.sent + ONE_DAY, invitation.resumes, f"/repairInvitations/{index}/sent"
    lbb = timeline.lbb_request
    if lbb is not None:
        art31 = art31_of(lbb, lbb.requested)
        yield lbb.requested, art31.end + ONE_DAY, "/lbbRequest/requested"


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
