"""The decision term of Awb 4:13: its extensions and suspensions taken in date order, each only while the term runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from bibob.terms.calendar import AtwCalendar, Term, add_term, atw_applies, dutch_date
from bibob.terms.timeline import ONE_DAY, Art31, DecisionExtension, RepairInvitation, Timeline

IN_DEFAULT = "het bestuursorgaan heeft niet tijdig beslist en is in gebreke (Awb 4:17)"
ART31 = "Wet Bibob art. 31"
AWB_4_15 = "Awb 4:15"


@attrs.frozen
class Suspension:
    """A suspension of the decision term: its first suspended day and how many days it lasts.

    `days` is what the record says, or while it still runs the most it can become; `earliest_days`
    is what it would be if it ended today. `describe` writes it in Dutch for a number of days.
    """

    basis: str
    act: str  # what suspended the term, in Dutch: 'het aanvulverzoek van 3 maart 2025'
    start: dt.date
    days: int
    earliest_days: int
    how: str  # how it ended, in Dutch

    @property
    def open(self) -> bool:
        """Whether it still runs, so that its length is not yet known."""
        return self.days != self.earliest_days

    def runs_on(self, day: dt.date) -> bool:
        """Whether `day` is a suspended day."""
        return self.start <= day < self.start + self.days * ONE_DAY


@attrs.frozen
class DecisionTerm:
    """The decision term as computed: its last day (latest and, while a suspension runs, earliest)."""

    due: dt.date
    earliest: dt.date | None
    steps: tuple[str, ...]  # the computation, in Dutch
    ignored: tuple[str, ...]  # extensions and suspensions that came after the term lapsed
    effective: tuple[Suspension, ...]  # the suspensions that came while the term ran
    suspended_on_today: bool


@attrs.frozen
class _Walk:
    due: dt.date
    steps: tuple[str, ...]
    ignored: tuple[str, ...]
    effective: tuple[Suspension, ...]


def suspensions(timeline: Timeline, today: dt.date, art31: Art31 | None) -> tuple[Suspension, ...]:
    """The Awb 4:15 and Wet Bibob art. 31 suspensions on record, as they stand on `today`."""
    repairs = tuple(_repair_suspension(invitation, today) for invitation in timeline.repair_invitations)
    return (*repairs, _art31_suspension(art31)) if art31 is not None else repairs


def decision_term(timeline: Timeline, today: dt.date, calendar: AtwCalendar, art31: Art31 | None) -> DecisionTerm:
    """The decision term with every Awb 4:14 extension and every suspension that came while it ran.

    Steps are taken in date order (a suspension by its first suspended day, an extension by the day
    it was notified; on one day the suspension first). A step counts only when the term still ran
    on its day, the Atw applied; a later one has no effect: the body was already in default. While a
    suspension runs, `earliest` is the end if it stopped today and `due` the end if it runs its course.
    """
    found = suspensions(timeline, today, art31)
    latest = _walk(timeline, calendar, found, earliest=False)
    pending = any(suspension.open for suspension in latest.effective)
    earliest = _walk(timeline, calendar, found, earliest=True).due if pending else None
    on_today = any(suspension.runs_on(today) for suspension in latest.effective)
    return DecisionTerm(latest.due, earliest, latest.steps, latest.ignored, latest.effective, on_today)


def _walk(timeline: Timeline, calendar: AtwCalendar, found: tuple[Suspension, ...], *, earliest: bool) -> _Walk:
    end = add_term(timeline.received, timeline.decision_term)
    steps = [
        f"Aanvraag ontvangen op {dutch_date(timeline.received)}; beslistermijn "
        f"{timeline.decision_term} ({timeline.decision_term_basis}) tot en met {dutch_date(end)}."
    ]
    ignored: list[str] = []
    effective: list[Suspension] = []
    for day, step in _in_date_order(timeline.extensions, found):
        lapse = _last_day(timeline, calendar, end)
        if day > lapse:
            ignored.append(_too_late(step, lapse))
        elif isinstance(step, Suspension):
            days = step.earliest_days if earliest else step.days
            end += days * ONE_DAY
            effective.append(step)
            steps.append(f"{_suspension_text(step, days)}; nieuwe einddatum {dutch_date(end)}.")
        else:
            end = add_term(end, step.term)
            steps.append(
                f"Verdaagd met {step.term} (Awb 4:14, bericht van {dutch_date(step.notified)}) tot {dutch_date(end)}."
            )
    due = _last_day(timeline, calendar, end)
    steps.extend(atw_note(calendar, end, due))
    return _Walk(due, tuple(steps), tuple(ignored), tuple(effective))


def _in_date_order(
    extensions: tuple[DecisionExtension, ...], found: tuple[Suspension, ...]
) -> Iterator[tuple[dt.date, Suspension | DecisionExtension]]:
    ordered = sorted(
        [(s.start, 0, index, s) for index, s in enumerate(found)]
        + [(e.notified, 1, index, e) for index, e in enumerate(extensions)],
        key=lambda entry: entry[:3],
    )
    return ((day, step) for day, _, _, step in ordered)


def _last_day(timeline: Timeline, calendar: AtwCalendar, end: dt.date) -> dt.date:
    """The last day of the term ending at `end`, the Atw applied when the term is within its reach (art. 4)."""
    return calendar.extend(timeline.received, end) if atw_applies(timeline.decision_term) else end


def _too_late(step: Suspension | DecisionExtension, lapse: dt.date) -> str:
    if isinstance(step, Suspension):
        what = f"{step.act} schort de beslistermijn niet op ({step.basis})"
    else:
        what = f"de verdaging van {dutch_date(step.notified)} heeft geen gevolg (Awb 4:14)"
    return f"De beslistermijn was al verstreken op {dutch_date(lapse)}: {what}; {IN_DEFAULT}."


def _suspension_text(suspension: Suspension, days: int) -> str:
    text = f"Opgeschort met {Term.days(days)} ({suspension.basis}) na {suspension.act}"
    if days == 0:
        return f"{text}, {suspension.how}"
    last = suspension.start + (days - 1) * ONE_DAY
    return f"{text}: {dutch_date(suspension.start)} tot en met {dutch_date(last)}, {suspension.how}"


def _repair_suspension(invitation: RepairInvitation, today: dt.date) -> Suspension:
    """Awb 4:15 lid 1 sub a: from the day after the invitation up to completion or the lapse of the repair term."""
    act = f"het aanvulverzoek van {dutch_date(invitation.sent)}"
    start, days = invitation.sent + ONE_DAY, invitation.suspended_days()
    if invitation.completed is not None and invitation.completed_in_time:
        return Suspension(AWB_4_15, act, start, days, days, f"aangevuld op {dutch_date(invitation.completed)}")
    if invitation.completed is None and today < invitation.term_end:
        how = f"aanvultermijn loopt nog tot en met {dutch_date(invitation.term_end)}"
        return Suspension(AWB_4_15, act, start, days, invitation.suspended_days(today), how)
    how = f"aanvultermijn ongebruikt verstreken op {dutch_date(invitation.term_end)}"
    return Suspension(AWB_4_15, act, start, days, days, how)


def _art31_suspension(art31: Art31) -> Suspension:
    """Wet Bibob art. 31: from the day of the request up to and including the day the advice is received, capped."""
    if art31.advice_in_time:
        how = f"advies ontvangen op {dutch_date(art31.end)}"
    elif art31.pending:
        how = f"advies nog niet ontvangen; uiterlijk tot en met {dutch_date(art31.end)}"
    else:
        how = f"maximum van {Term.days(art31.cap_days)} bereikt zonder tijdig advies"
    act = f"de adviesaanvraag aan het LBB van {dutch_date(art31.requested)}"
    return Suspension(ART31, act, art31.requested, art31.suspended_days, art31.earliest_days, how)


def atw_note(calendar: AtwCalendar, plain: dt.date, due: dt.date) -> tuple[str, ...]:
    """Why the Atw moved `plain` to `due`, in Dutch; nothing when it did not."""
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
