"""The Awb and Wet Bibob terms of a permit application, computed from its recorded events."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from bibob.calendar import AtwCalendar, Term, TermUnit, add_term, dutch_date
from bibob.exceptions import InvalidInputError, Problem
from bibob.labels import LabelledEnum
from bibob.schemas import schema_problems

DEFAULT_DECISION_TERM = Term.weeks(8)  # Awb 4:13(2): reasonable term, in any case 8 weeks
DEFAULT_ZIENSWIJZE_TERM = Term.days(14)  # not fixed by law; practice, configurable per policy
NOT_PROCESSED_TERM = Term.weeks(4)  # Awb 4:5(4)
LBB_ADVICE_TERM = Term.weeks(8)  # Wet Bibob art. 15(1)
LBB_MAX_EXTENSION_DAYS = 28  # Wet Bibob art. 15(3): once, at most 4 weeks
OBJECTION_TERM = Term.weeks(6)  # Awb 6:7
ADVICE_REUSE_TERM = Term.years(5)  # Wet Bibob art. 29, since 1 August 2020
SIGNAL_RETENTION_TERM = Term.months(12)  # CCV Modelprotocol ondermijning, stap 2
ONE_DAY = dt.timedelta(days=1)


class DeadlineStatus(LabelledEnum):
    """Where a deadline stands on the day of computation."""

    RUNNING = "running", "lopend"
    PASSED = "passed", "verstreken"
    MET = "met", "gehaald"
    SUSPENDED = "suspended", "opgeschort"


@attrs.frozen
class Deadline:
    """One computed term: what it is, its legal basis, its last day, and how it was computed."""

    code: str
    label: str
    legal_basis: str
    due: dt.date
    status: DeadlineStatus
    explanation: str
    warnings: tuple[str, ...] = ()


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
class _Suspension:
    start: dt.date
    end: dt.date  # the latest possible end while the suspension is still running
    text: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@attrs.frozen
class _Art31:
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


# --- computation ------------------------------------------------------------------------------


def compute_deadlines(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> tuple[Deadline, ...]:
    """Every term that follows from `timeline`, with its status on `today`.

    Statutory forward terms (Awb 4:13/4:5/6:7, Wet Bibob art. 15) get the Atw extension from
    `calendar`; retention periods and the zienswijze term set by the body do not. Raises
    `InvalidInputError` listing every problem when the timeline is inconsistent.
    """
    problems = check_timeline(timeline)
    if problems:
        raise InvalidInputError(problems)
    lbb = timeline.lbb_request
    art31 = _art31(lbb, today) if lbb else None
    found = (
        _decision_deadline(timeline, today, calendar, art31),
        *_repair_deadlines(timeline, today, calendar),
        *(_lbb_deadlines(lbb, art31, calendar) if lbb and art31 else ()),
        _zienswijze_deadline(timeline, today),
        _objection_deadline(timeline, today, calendar),
        _reuse_deadline(timeline, today),
    )
    return tuple(deadline for deadline in found if deadline is not None)


def signal_destruction(decided: dt.date, today: dt.date, destroyed: dt.date | None = None) -> Deadline:
    """When a signal decided 'geen actie' must be destroyed: 12 months after that decision."""
    due = add_term(decided, SIGNAL_RETENTION_TERM)
    explanation = (
        f"Besluit 'geen actie' op {dutch_date(decided)}; het signaal wordt versleuteld bewaard "
        f"en na {SIGNAL_RETENTION_TERM} vernietigd, uiterlijk op {dutch_date(due)}."
    )
    return Deadline(
        "signalDestruction", "Vernietiging signaal zonder actie",
        "CCV Modelprotocol ondermijning (stap 2); AVG art. 5 lid 1 sub e",
        due, _status(due, today, destroyed), explanation,
    )  # fmt: skip


def _status(due: dt.date, today: dt.date, done: dt.date | None = None) -> DeadlineStatus:
    if done is not None:
        return DeadlineStatus.MET if done <= due else DeadlineStatus.PASSED
    return DeadlineStatus.PASSED if today > due else DeadlineStatus.RUNNING


def _days(count: int) -> str:
    return str(Term.days(count))


def _atw_note(calendar: AtwCalendar, plain: dt.date, due: dt.date) -> tuple[str, ...]:
    if due == plain:
        return ()
    name = calendar.holiday_name(plain)
    why = f"valt op {name}" if name else "valt in het weekend"
    if calendar.is_business_day(plain):
        why = "zou minder dan twee werkdagen bevatten"
    return (
        f"De einddatum {dutch_date(plain, weekday=True)} {why}; verlengd tot "
        f"{dutch_date(due, weekday=True)} (Algemene termijnenwet).",
    )


def _decision_deadline(timeline: Timeline, today: dt.date, calendar: AtwCalendar, art31: _Art31 | None) -> Deadline:
    """Awb 4:13 (or the permit's term) + Awb 4:14 extensions + Awb 4:15 and art. 31 suspensions."""
    end = add_term(timeline.received, timeline.decision_term)
    steps = [
        f"Aanvraag ontvangen op {dutch_date(timeline.received)}; beslistermijn "
        f"{timeline.decision_term} ({timeline.decision_term_basis}) tot {dutch_date(end)}."
    ]
    for extension in timeline.extensions:
        end = add_term(end, extension.term)
        steps.append(
            f"Verdaagd met {extension.term} (Awb 4:14, bericht van "
            f"{dutch_date(extension.notified)}) tot {dutch_date(end)}."
        )
    suspensions = _suspensions(timeline, today, art31)
    for suspension in suspensions:
        end += suspension.days * ONE_DAY
        steps.append(f"{suspension.text}; nieuwe einddatum {dutch_date(end)}.")
    due = calendar.extend(timeline.received, end)
    steps.extend(_atw_note(calendar, end, due))
    status = _status(due, today, timeline.decided)
    if status is DeadlineStatus.RUNNING and any(s.start <= today < s.end for s in suspensions):
        status = DeadlineStatus.SUSPENDED
    warnings = (_art31_warning(art31),) if art31 and art31.lapsed else ()
    return Deadline(
        "decision", "Beslistermijn", timeline.decision_term_basis, due, status, " ".join(steps),
        warnings,
    )  # fmt: skip


def _suspensions(timeline: Timeline, today: dt.date, art31: _Art31 | None) -> tuple[_Suspension, ...]:
    repairs = tuple(_repair_suspension(invitation, today) for invitation in timeline.repair_invitations)
    return (*repairs, _art31_suspension(art31)) if art31 else repairs


def _repair_suspension(invitation: RepairInvitation, today: dt.date) -> _Suspension:
    """Awb 4:15(1)(a): from the 4:5 invitation until completion or until the repair term lapses."""
    completed = invitation.completed
    if completed is not None and completed <= invitation.term_end:
        end, how = completed, f"aangevuld op {dutch_date(completed)}"
    elif completed is None and today < invitation.term_end:
        end, how = invitation.term_end, "aanvultermijn loopt nog; gerekend tot het einde daarvan"
    else:
        end, how = invitation.term_end, "aanvultermijn ongebruikt verstreken"
    days = (end - invitation.sent).days
    text = f"Opgeschort met {_days(days)} (Awb 4:15) vanaf het aanvulverzoek van "
    return _Suspension(invitation.sent, end, f"{text}{dutch_date(invitation.sent)}, {how}")


def _art31(lbb: LbbRequest, today: dt.date) -> _Art31:
    waits = sum(((wait.end or max(today, wait.start)) - wait.start).days for wait in lbb.data_waits)
    extension = lbb.extension
    extra = (add_term(lbb.requested, extension.term) - lbb.requested).days if extension else 0
    return _Art31(lbb.requested, waits, extra, lbb.advice_received, today)


def _art31_suspension(art31: _Art31) -> _Suspension:
    if art31.advice_in_time:
        how = f"advies ontvangen op {dutch_date(art31.end)}"
    elif art31.lapsed:
        how = "maximum bereikt zonder tijdig advies"
    else:
        how = "advies nog niet ontvangen; gerekend tot het maximum"
    text = (
        f"Opgeschort met {_days((art31.end - art31.requested).days)} (Wet Bibob art. 31) vanaf "
        f"de adviesaanvraag van {dutch_date(art31.requested)}, {how} (maximum "
        f"{_days(56 + art31.wait_days + art31.extension_days)}: 8 weken, "
        f"{_days(art31.wait_days)} wachten op gegevens, {_days(art31.extension_days)} verlenging)"
    )
    return _Suspension(art31.requested, art31.end, text)


def _art31_warning(art31: _Art31) -> str:
    late = f" Het advies kwam pas op {dutch_date(art31.advice_received)} binnen." if art31.advice_received else ""
    return (
        "Het Bibob-advies is niet binnen de maximale opschorting ontvangen: de opschorting "
        f"(Wet Bibob art. 31) eindigde op {dutch_date(art31.cap_end)} en de beslistermijn loopt "
        f"sindsdien weer.{late}"
    )


def _repair_deadlines(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> Iterator[Deadline]:
    """Per Awb 4:5 invitation: the repair term, and the 4 weeks to decide not to process."""
    for number, invitation in enumerate(timeline.repair_invitations, start=1):
        yield Deadline(
            f"repairTerm.{number}", f"Aanvultermijn (verzoek {number})", "Awb 4:5",
            invitation.term_end, _status(invitation.term_end, today, invitation.completed),
            f"Aanvulverzoek verstuurd op {dutch_date(invitation.sent)} met termijn tot en met "
            f"{dutch_date(invitation.term_end)}.",
        )  # fmt: skip
        yield _not_processed_deadline(number, invitation, timeline.decided, today, calendar)


def _not_processed_deadline(
    number: int, invitation: RepairInvitation, decided: dt.date | None, today: dt.date,
    calendar: AtwCalendar,
) -> Deadline:  # fmt: skip
    """Awb 4:5(4): the decision not to process is sent within 4 weeks after completion or lapse."""
    base = max(invitation.completed or invitation.term_end, invitation.term_end)
    plain = add_term(base, NOT_PROCESSED_TERM)
    due = calendar.extend(base, plain)
    steps = (
        f"Vier weken na {dutch_date(base)} (de latere van aanvulling en einde aanvultermijn): {dutch_date(plain)}.",
        *_atw_note(calendar, plain, due),
    )
    return Deadline(
        f"notProcessedDecision.{number}", f"Besluit buiten behandeling laten (verzoek {number})",
        "Awb 4:5", due, _status(due, today, decided), " ".join(steps),
    )  # fmt: skip


def _lbb_deadlines(lbb: LbbRequest, art31: _Art31, calendar: AtwCalendar) -> Iterator[Deadline]:
    """Wet Bibob art. 15 (the LBB's advice term) and art. 31 (end of the suspension)."""
    plain = art31.cap_end
    due = calendar.extend(lbb.requested, plain)
    steps = (
        f"Advies aangevraagd op {dutch_date(lbb.requested)}; 8 weken plus "
        f"{_days(art31.wait_days)} wachten op gegevens (art. 15 lid 2) plus "
        f"{_days(art31.extension_days)} verlenging (art. 15 lid 3): {dutch_date(plain)}.",
        *_atw_note(calendar, plain, due),
    )
    yield Deadline(
        "lbbAdvice", "Bibob-advies van het Landelijk Bureau Bibob", "Wet Bibob art. 15", due,
        _status(due, art31.today, lbb.advice_received), " ".join(steps),
    )  # fmt: skip
    yield _art31_deadline(art31)


def _art31_deadline(art31: _Art31) -> Deadline:
    if art31.advice_in_time:
        status = DeadlineStatus.MET
    else:
        status = DeadlineStatus.PASSED if art31.lapsed else DeadlineStatus.SUSPENDED
    warnings = (_art31_warning(art31),) if art31.lapsed else ()
    return Deadline(
        "art31Suspension", "Einde opschorting beslistermijn (Bibob-advies)", "Wet Bibob art. 31",
        art31.end, status, _art31_suspension(art31).text + ".", warnings,
    )  # fmt: skip


def _zienswijze_deadline(timeline: Timeline, today: dt.date) -> Deadline | None:
    """Wet Bibob art. 33 / Awb 4:8: the term the body sets for a view on the intended decision."""
    if timeline.intention_sent is None:
        return None
    due = add_term(timeline.intention_sent, timeline.zienswijze_term)
    explanation = (
        f"Voornemen verstuurd op {dutch_date(timeline.intention_sent)}; zienswijzetermijn "
        f"{timeline.zienswijze_term} (gesteld door het bestuursorgaan) tot en met "
        f"{dutch_date(due)}."
    )
    return Deadline(
        "zienswijze", "Termijn voor zienswijze", "Wet Bibob art. 33; Awb 4:8", due,
        _status(due, today), explanation,
    )  # fmt: skip


def _objection_deadline(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> Deadline | None:
    """Awb 6:7 and 6:8: six weeks, starting the day after the bekendmaking."""
    if timeline.announced is None:
        return None
    plain = add_term(timeline.announced, OBJECTION_TERM)
    due = calendar.extend(timeline.announced, plain)
    steps = (
        f"Besluit bekendgemaakt op {dutch_date(timeline.announced)}; de termijn begint de dag "
        f"erna (Awb 6:8) en duurt {OBJECTION_TERM}: tot en met {dutch_date(plain)}.",
        *_atw_note(calendar, plain, due),
    )
    return Deadline(
        "objection", "Bezwaartermijn", "Awb 6:7", due,
        _status(due, today, timeline.objection_received), " ".join(steps),
    )  # fmt: skip


def _reuse_deadline(timeline: Timeline, today: dt.date) -> Deadline | None:
    """Wet Bibob art. 29: an LBB advice may be used for other decisions for 5 years."""
    lbb = timeline.lbb_request
    if lbb is None or lbb.advice_received is None:
        return None
    due = add_term(lbb.advice_received, ADVICE_REUSE_TERM)
    explanation = (
        f"Advies ontvangen op {dutch_date(lbb.advice_received)}; bruikbaar voor andere besluiten "
        f"tot en met {dutch_date(due)} ({ADVICE_REUSE_TERM}); nieuwe feiten blijven meewegen."
    )
    return Deadline(
        "adviceReuse", "Hergebruik Bibob-advies", "Wet Bibob art. 29", due,
        _status(due, today), explanation,
    )  # fmt: skip


# --- validation -------------------------------------------------------------------------------


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
        cap = _art31(lbb, lbb.requested).cap_end
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
