"""The Awb and Wet Bibob terms of a permit application, computed from its recorded events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from bibob.exceptions import InvalidInputError
from bibob.labels import LabelledEnum
from bibob.terms.calendar import AtwCalendar, Term, add_term, atw_applies, dutch_date
from bibob.terms.decision import ART31, IN_DEFAULT, DecisionTerm, Suspension, atw_note, decision_term
from bibob.terms.timeline import DEFAULT_DECISION_TERM as DEFAULT_DECISION_TERM
from bibob.terms.timeline import (
    Art31,
    LbbRequest,
    RegisterDuty,
    RepairInvitation,
    Timeline,
    art31_of,
    check_timeline,
)

NOT_PROCESSED_TERM = Term.weeks(4)  # Awb 4:5(4)
LBB_ADVICE_TERM = Term.weeks(8)  # Wet Bibob art. 15(1)
OBJECTION_TERM = Term.weeks(6)  # Awb 6:7
OBJECTION_DECISION_TERM = Term.weeks(6)  # Awb 7:10 lid 1
OBJECTION_DECISION_TERM_COMMITTEE = Term.weeks(12)  # Awb 7:10 lid 1, with an advisory committee (Awb 7:13)
MAX_OBJECTION_EXTENSION_DAYS = 42  # Awb 7:10 lid 3: at most six weeks
REGISTER_LABELS = {
    "dangerConclusion": "Registratie conclusie mate van gevaar in het Bibob-register",
    "withdrawal": "Registratie terugtrekking in het Bibob-register",
}
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
    """One computed term: what it is, its legal basis, its last day, and how it was computed.

    While a suspension it depends on still runs, `due` is the latest possible last day and
    `earliest` the last day if that suspension ended today; otherwise `earliest` is None.
    """

    code: str
    label: str
    legal_basis: str
    due: dt.date
    status: DeadlineStatus
    explanation: str
    warnings: tuple[str, ...] = ()
    earliest: dt.date | None = None


# --- computation ------------------------------------------------------------------------------


def compute_deadlines(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> tuple[Deadline, ...]:
    """Every term that follows from `timeline`, with its status on `today`.

    Statutory forward terms (Awb 4:13/4:5/6:7, Wet Bibob art. 15) get the Atw extension from
    `calendar` where the Atw reaches them (art. 4); retention periods and the zienswijze term set by
    the body do not. Raises `InvalidInputError` listing every problem when the timeline is inconsistent.
    """
    problems = check_timeline(timeline)
    if problems:
        raise InvalidInputError(problems)
    lbb = timeline.lbb_request
    art31 = art31_of(lbb, today, calendar) if lbb else None
    term = decision_term(timeline, today, calendar, art31)
    found = (
        _decision_deadline(timeline, today, term, art31),
        *_repair_deadlines(timeline, today, calendar),
        *(_lbb_deadlines(lbb, art31, calendar, term) if lbb and art31 else ()),
        _zienswijze_deadline(timeline, today),
        _objection_deadline(timeline, today, calendar),
        _objection_decision_deadline(timeline, today, calendar),
        *(
            _register_deadline(duty, timeline.register_working_days, today, calendar)
            for duty in timeline.register_duties
        ),
        _reuse_deadline(timeline, today),
    )
    return tuple(deadline for deadline in found if deadline is not None)


def art31_suspends(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> bool:
    """Whether the LBB request suspends the decision term at all: it does only when it came while the term ran.

    Wet Bibob art. 31 suspends the term "voor de duur van" the advice period; a term that had already
    lapsed (Awb 4:13) cannot be suspended, so the body is in default and need not wait for the cap.
    """
    lbb = timeline.lbb_request
    if lbb is None:
        return False
    art31 = art31_of(lbb, today, calendar)
    return _art31_counts(decision_term(timeline, today, calendar, art31))


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


def _range_note(earliest: dt.date | None, due: dt.date, what: str) -> tuple[str, ...]:
    if earliest is None:
        return ()
    return (
        f"Zolang {what} loopt: op zijn vroegst {dutch_date(earliest)} (als die vandaag eindigt), "
        f"uiterlijk {dutch_date(due)}.",
    )


def _decision_deadline(timeline: Timeline, today: dt.date, term: DecisionTerm, art31: Art31 | None) -> Deadline:
    """Awb 4:13 (or the permit's term) + Awb 4:14 extensions + Awb 4:15 and art. 31 suspensions, in date order."""
    status = _status(term.due, today, timeline.decided)
    if status is DeadlineStatus.RUNNING and term.suspended_on_today:
        status = DeadlineStatus.SUSPENDED
    warnings = list(term.ignored)
    if art31 is not None and art31.lapsed and _art31_counts(term):
        warnings.append(_art31_warning(art31))
    if status is DeadlineStatus.PASSED and timeline.decided is None and not term.ignored:
        warnings.append(f"De beslistermijn is verstreken op {dutch_date(term.due)}: {IN_DEFAULT}.")
    explanation = " ".join((*term.steps, *_range_note(term.earliest, term.due, "de opschorting")))
    return Deadline(
        "decision", "Beslistermijn", timeline.decision_term_basis, term.due, status, explanation,
        tuple(warnings), term.earliest,
    )  # fmt: skip


def _art31_counts(term: DecisionTerm) -> bool:
    """Whether the art. 31 suspension came while the decision term ran (else it suspends nothing)."""
    return any(suspension.basis == ART31 for suspension in term.effective)


def _art31_warning(art31: Art31) -> str:
    late = f" Het advies kwam pas op {dutch_date(art31.advice_received)} binnen." if art31.advice_received else ""
    return (
        "Het Bibob-advies is niet binnen de maximale opschorting ontvangen: de opschorting "
        f"(Wet Bibob art. 31) eindigde met {dutch_date(art31.end)} en de beslistermijn loopt "
        f"sinds {dutch_date(art31.cap_end)} weer.{late}"
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
    """Awb 4:5 lid 4: not processing is decided within 4 weeks after completion, or after the repair term lapsed.

    A completion after the repair term came too late: the four weeks run from the lapse. While
    the repair term runs without completion, `earliest` counts from today.
    """
    base = invitation.resumes
    due = calendar.end_of_term(base, NOT_PROCESSED_TERM)
    plain = add_term(base, NOT_PROCESSED_TERM)
    since = "de aanvulling" if invitation.completed_in_time else "het ongebruikt verstrijken van de aanvultermijn"
    earliest = None
    if invitation.completed is None and today < invitation.term_end:
        earliest = calendar.end_of_term(today, NOT_PROCESSED_TERM)
    steps = (
        f"Vier weken na {dutch_date(base)} ({since}): {dutch_date(plain)}.",
        *atw_note(calendar, plain, due),
        *_range_note(earliest, due, "de aanvultermijn"),
    )
    return Deadline(
        f"notProcessedDecision.{number}", f"Besluit buiten behandeling laten (verzoek {number})",
        "Awb 4:5", due, _status(due, today, decided), " ".join(steps), (), earliest,
    )  # fmt: skip


def _lbb_deadlines(lbb: LbbRequest, art31: Art31, calendar: AtwCalendar, term: DecisionTerm) -> Iterator[Deadline]:
    """Wet Bibob art. 15 (the LBB's advice term) and art. 31 (end of the suspension, when it suspended anything)."""
    plain = art31.cap_end
    steps = (
        f"Advies aangevraagd op {dutch_date(lbb.requested)}; 8 weken plus "
        f"{_days(art31.wait_days)} wachten op gegevens (art. 15 lid 2) plus "
        f"{_days(art31.extension_days)} verlenging (art. 15 lid 3): {dutch_date(plain)}.",
        *atw_note(calendar, plain, art31.advice_due),
    )
    yield Deadline(
        "lbbAdvice", "Bibob-advies van het Landelijk Bureau Bibob", "Wet Bibob art. 15", art31.advice_due,
        _status(art31.advice_due, art31.today, lbb.advice_received), " ".join(steps), art31.ignored,
    )  # fmt: skip
    suspension = next((s for s in term.effective if s.basis == ART31), None)
    if suspension is not None:
        yield _art31_deadline(art31, suspension)


def _art31_deadline(art31: Art31, suspension: Suspension) -> Deadline:
    """The last day the decision term is suspended for the advice: the day it came, or the last day of the cap."""
    if art31.advice_in_time:
        status = DeadlineStatus.MET
    else:
        status = DeadlineStatus.PASSED if art31.lapsed else DeadlineStatus.SUSPENDED
    earliest = art31.today if art31.pending else None
    explanation = (
        f"Opgeschort (Wet Bibob art. 31) vanaf {suspension.act}, die dag inbegrepen, tot en met de dag "
        f"van ontvangst van het advies: {suspension.how} (maximum {_days(art31.cap_days)}: 8 weken, "
        f"{_days(art31.wait_days)} wachten op gegevens, {_days(art31.extension_days)} verlenging).",
        *_range_note(earliest, art31.end, "de opschorting"),
    )
    return Deadline(
        "art31Suspension", "Einde opschorting beslistermijn (Bibob-advies)", "Wet Bibob art. 31",
        art31.end, status, " ".join(explanation), (_art31_warning(art31),) if art31.lapsed else (), earliest,
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
    due = calendar.end_of_term(timeline.announced, OBJECTION_TERM)
    steps = (
        f"Besluit bekendgemaakt op {dutch_date(timeline.announced)}; de termijn begint de dag "
        f"erna (Awb 6:8) en duurt {OBJECTION_TERM}: tot en met {dutch_date(plain)}.",
        *atw_note(calendar, plain, due),
    )
    return Deadline(
        "objection", "Bezwaartermijn", "Awb 6:7", due,
        _status(due, today, timeline.objection_received), " ".join(steps),
    )  # fmt: skip


def _objection_decision_deadline(timeline: Timeline, today: dt.date, calendar: AtwCalendar) -> Deadline | None:
    """Awb 7:10: six weeks (twelve with an advisory committee) from the day after the objection term lapsed.

    Lid 3: postponed once by at most six weeks; a postponement notified after the term lapsed has no
    effect (the body is in default). The Atw applies to the last day (art. 1 and 4).
    """
    if timeline.objection_received is None or timeline.announced is None:
        return None
    start = calendar.end_of_term(timeline.announced, OBJECTION_TERM)
    base = OBJECTION_DECISION_TERM_COMMITTEE if timeline.objection_advisory_committee else OBJECTION_DECISION_TERM
    with_committee = " (met een adviescommissie, Awb 7:13)" if timeline.objection_advisory_committee else ""
    end = add_term(start, base)
    steps = [
        f"De bezwaartermijn verstreek met {dutch_date(start)}; beslissen op bezwaar binnen {base}{with_committee} "
        f"vanaf de dag daarna (Awb 7:10 lid 1): tot en met {dutch_date(end)}."
    ]
    warnings = []
    for extension in sorted(timeline.objection_extensions, key=lambda e: e.notified):
        lapse = _objection_last_day(calendar, start, end, base)
        if extension.notified > lapse:
            warnings.append(
                f"De verdaging van {dutch_date(extension.notified)} kwam na het verstrijken van de termijn "
                f"({dutch_date(lapse)}) en heeft geen gevolg (Awb 7:10 lid 3); {IN_DEFAULT}."
            )
            continue
        end = add_term(end, extension.term)
        steps.append(f"Verdaagd met {extension.term} (Awb 7:10 lid 3, bericht van {dutch_date(extension.notified)}) "
                     f"tot en met {dutch_date(end)}.")  # fmt: skip
    due = _objection_last_day(calendar, start, end, base)
    steps.extend(atw_note(calendar, end, due))
    status = _status(due, today, timeline.objection_decided)
    if status is DeadlineStatus.PASSED and timeline.objection_decided is None:
        warnings.append(f"De termijn voor de beslissing op bezwaar is verstreken op {dutch_date(due)}: {IN_DEFAULT}.")
    return Deadline(
        "objectionDecision", "Beslissing op bezwaar", "Awb 7:10", due, status, " ".join(steps), tuple(warnings),
    )  # fmt: skip


def _objection_last_day(calendar: AtwCalendar, start: dt.date, end: dt.date, base: Term) -> dt.date:
    return calendar.extend(start, end) if atw_applies(base) else end


def _register_deadline(duty: RegisterDuty, working_days: int, today: dt.date, calendar: AtwCalendar) -> Deadline:
    """The Bibob register (since 1 October 2022): a registration 'onverwijld', which the policy sets in working days."""
    due = calendar.working_days_after(duty.since, working_days)
    since = "het besluit" if duty.what == "dangerConclusion" else "de intrekking van de aanvraag"
    explanation = (
        f"Onverwijld registreren na {since} van {dutch_date(duty.since)}; het beleid stelt daarvoor "
        f"{working_days} werkdagen: uiterlijk {dutch_date(due)}."
    )
    return Deadline(
        f"register.{duty.what}", REGISTER_LABELS.get(duty.what, duty.what),
        "Wet Bibob, Bibob-register (sinds 1 oktober 2022); beleidsregel", due, _status(due, today, duty.done),
        explanation,
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
