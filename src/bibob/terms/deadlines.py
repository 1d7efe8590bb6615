"""The Awb and Wet Bibob terms of a permit application, computed from its recorded events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from bibob.exceptions import InvalidInputError
from bibob.labels import LabelledEnum
from bibob.terms.calendar import AtwCalendar, Term, add_term, dutch_date
from bibob.terms.timeline import DEFAULT_DECISION_TERM as DEFAULT_DECISION_TERM
from bibob.terms.timeline import ONE_DAY, Art31, LbbRequest, RepairInvitation, Timeline, art31_of, check_timeline

NOT_PROCESSED_TERM = Term.weeks(4)  # Awb 4:5(4)
LBB_ADVICE_TERM = Term.weeks(8)  # Wet Bibob art. 15(1)
OBJECTION_TERM = Term.weeks(6)  # Awb 6:7
ADVICE_REUSE_TERM = Term.years(5)  # Wet Bibob art. 29, since 1 August 2020
SIGNAL_RETENTION_TERM = Term.months(12)  # CCV Modelprotocol ondermijning, stap 2


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
class _Suspension:
    start: dt.date
    end: dt.date  # the latest possible end while the suspension is still running
    text: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


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
    art31 = art31_of(lbb, today) if lbb else None
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


def _decision_deadline(timeline: Timeline, today: dt.date, calendar: AtwCalendar, art31: Art31 | None) -> Deadline:
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


def _suspensions(timeline: Timeline, today: dt.date, art31: Art31 | None) -> tuple[_Suspension, ...]:
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


def _art31_suspension(art31: Art31) -> _Suspension:
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


def _art31_warning(art31: Art31) -> str:
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


def _lbb_deadlines(lbb: LbbRequest, art31: Art31, calendar: AtwCalendar) -> Iterator[Deadline]:
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


def _art31_deadline(art31: Art31) -> Deadline:
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
