"""Differential test: `bibob.terms` against a second implementation written here from the law's text.

The oracle below shares no code with `bibob.terms`: it reads the generated event values and the file of
equated days (data), counts in day numbers (`date.toordinal`) and treats every suspension as a range of
suspended days. What it follows, article by article:

- Atw art. 3 lid 1: Nieuwjaarsdag, Christian second Easter and Whit day, both Christmas days, Ascension,
  "de dag waarop de verjaardag van de Koning wordt gevierd" and 5 May; lid 2: Good Friday equated; lid 3:
  the days equated by royal decree (the calendars/ file). Easter by Gauss's rule.
- Atw art. 1 lid 1: a term ending on a Saturday, Sunday or holiday runs to the next day that is none;
  art. 2: a term of at least three days holds two such days; art. 4 sub a: not for terms of more than
  90 days, 12 weeks or 3 months, nor in years.
- Awb 4:13 and 4:14: the decision term, and an extension only when notified while the term runs.
- Awb 4:15 lid 1 sub a: suspended "met ingang van de dag na die waarop" the applicant is invited "tot de
  dag waarop de aanvraag is aangevuld of de daarvoor gestelde termijn ongebruikt is verstreken".
- Wet Bibob art. 15: eight weeks after the request (lid 1), suspended from the day data is asked for up to
  the day it is received (lid 2), one extension of at most four weeks while the eight weeks run (lid 3);
  art. 31: the decision term suspended for the period that "begint met de dag waarop het advies is
  aangevraagd en eindigt met de dag waarop dat advies is ontvangen", no longer than the art. 15 term plus
  the extension. A suspension or extension that comes when its term has lapsed does nothing.
- Awb 4:5 lid 4: four weeks after completion, or after the repair term lapsed unused; Awb 6:7/6:8: six
  weeks from the day after the bekendmaking.
- Awb 7:10 lid 1: the decision on the objection within six weeks, twelve with an advisory committee,
  "gerekend vanaf de dag na die waarop de termijn voor het indienen van het bezwaarschrift is
  verstreken" (that term as the Atw extends it); lid 3: postponed by at most six weeks, only while the
  term runs. The Atw applies to the last day as it does to the decision term: by the length of the
  term the law sets (6 or 12 weeks, within art. 4).

Extensions and suspensions are taken in date order (a suspension by its first suspended day, before an
extension notified that day). While a suspension runs the oracle computes the end if it stopped today
(earliest) and if it ran its course (latest).
"""

from __future__ import annotations

import calendar as gregorian
import functools
import json
import random
from datetime import date
from typing import Any

import pytest

from bibob.terms import (
    DataWait,
    DecisionExtension,
    LbbExtension,
    LbbRequest,
    RepairInvitation,
    Term,
    TermUnit,
    Timeline,
    compute_deadlines,
    load_calendar,
)
from tests.conftest import ROOT
from tests.figures import report

SEED = 20250612
TIMELINES = 5000
ATW_TERMS = 3000
WEEK = 7
SAT, SUN = 6, 7  # isoweekday
EQUATED = frozenset(
    date.fromisoformat(entry["date"]).toordinal()
    for entry in json.loads((ROOT / "calendars" / "atw-equated-days.json").read_text("utf-8"))["equatedDays"]
)
LONGEST_UNDER_ATW = {"days": 90, "weeks": 12, "months": 3, "years": 0}  # Atw art. 4 sub a
UNITS = {"days": TermUnit.DAYS, "weeks": TermUnit.WEEKS, "months": TermUnit.MONTHS, "years": TermUnit.YEARS}
Vector = dict[str, Any]


# --- the oracle: Atw --------------------------------------------------------------------------------------------


def gauss_easter(year: int) -> date:
    """Easter Sunday by Gauss's rule with its two exceptions (Gregorian calendar)."""
    a, b, c = year % 19, year % 4, year % 7
    k = year // 100
    p, q = (13 + 8 * k) // 25, k // 4
    m, n = (15 - p + k - q) % 30, (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return date(year, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return date(year, 4, 18)
    return date.fromordinal(date(year, 3, 22).toordinal() + d + e)


def monarchs_day(year: int) -> int:
    """Koningsdag 27 April (26th if Sunday) from 2014; before, 30 April: the 29th if Sunday from 1980, else 1 May."""
    if year >= 2014:
        day, off_sunday = date(year, 4, 27), -1
    else:
        day, off_sunday = date(year, 4, 30), (-1 if year >= 1980 else 1)
    return day.toordinal() + (off_sunday if day.isoweekday() == SUN else 0)


@functools.cache
def holidays(year: int) -> frozenset[int]:
    easter = gauss_easter(year).toordinal()
    fixed = (date(year, 1, 1), date(year, 5, 5), date(year, 12, 25), date(year, 12, 26))
    around_easter = (easter - 2, easter + 1, easter + 39, easter + 50)
    return frozenset((*(day.toordinal() for day in fixed), *around_easter, monarchs_day(year)))


def free(day: int) -> bool:
    """A Saturday, Sunday, holiday (art. 3 lid 1-2) or equated day (art. 3 lid 3)."""
    as_date = date.fromordinal(day)
    return as_date.isoweekday() in (SAT, SUN) or day in holidays(as_date.year) or day in EQUATED


def under_atw(amount: int, unit: str) -> bool:
    return amount <= LONGEST_UNDER_ATW[unit]


def atw(start: int, end: int, applies: bool = True) -> int:
    """The last day of a term running from the day after `start` to `end`: Atw art. 1 lid 1 and art. 2."""
    if not applies:
        return end
    last = end
    while free(last) or (end - start >= 3 and not two_working_days(start, last)):
        last += 1
    return last


def two_working_days(start: int, last: int) -> bool:
    working = 0
    for day in range(start + 1, last + 1):
        working += not free(day)
        if working == 2:
            return True
    return False


def plus(day: int, amount: int, unit: str) -> int:
    """`amount` units after `day`; a month ends on the same day number, or the last day of a shorter month."""
    if unit == "days":
        return day + amount
    if unit == "weeks":
        return day + WEEK * amount
    start = date.fromordinal(day)
    months = start.month - 1 + amount * (12 if unit == "years" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    return date(year, month, min(start.day, gregorian.monthrange(year, month)[1])).toordinal()


# --- the oracle: the terms of one timeline --------------------------------------------------------------------


def oracle(v: Vector) -> tuple[dict[str, tuple[Any, ...]], dict[str, int]]:
    """(code → (due, status, earliest)), and the number of acts that came too late per code."""
    today, found, late = v["today"], {}, {}
    lbb = oracle_lbb(v["lbb"], today) if v["lbb"] else None
    acts = [repair_act(r, today) for r in v["repairs"]] + ([lbb["act"]] if lbb else [])
    due, ineffective, effective = decision_walk(v, acts, earliest=False)
    pending = [act for act in effective if len(act["earliest"]) != len(act["latest"])]
    earliest = decision_walk(v, acts, earliest=True)[0] if pending else None
    if v["decided"] is not None:
        status = "met" if v["decided"] <= due else "passed"
    elif today > due:
        status = "passed"
    else:
        status = "suspended" if any(today in act["latest"] for act in effective) else "running"
    found["decision"], late["decision"] = (due, status, earliest), ineffective
    for number, repair in enumerate(v["repairs"], start=1):
        found.update(repair_deadlines(number, repair, v["decided"], today))
    if lbb:
        found["lbbAdvice"], late["lbbAdvice"] = lbb["advice"], lbb["ignored"]
        if lbb["act"] in effective:
            found["art31Suspension"] = lbb["art31"]
    if v["announced"] is not None:
        objection_due = atw(v["announced"], v["announced"] + 6 * WEEK)
        found["objection"] = (objection_due, done_status(objection_due, today, v["objection"]), None)
        if v["objection"] is not None:
            found["objectionDecision"], late["objectionDecision"] = objection_decision(v, objection_due)
    return found, late


def objection_decision(v: Vector, lapsed: int) -> tuple[tuple[Any, ...], int]:
    """Awb 7:10: from the day after the objection term lapsed; lid 3 only while the term runs."""
    end, ext, late = lapsed + (12 if v["committee"] else 6) * WEEK, v["objection_ext"], 0
    if ext is not None and ext["on"] <= atw(lapsed, end):
        end += ext["weeks"] * WEEK
    elif ext is not None:
        late = 1
    due = atw(lapsed, end)
    return (due, done_status(due, v["today"], v["objection_decided"]), None), late


def done_status(due: int, today: int, done: int | None) -> str:
    if done is not None:
        return "met" if done <= due else "passed"
    return "passed" if today > due else "running"


def repair_act(repair: Vector, today: int) -> Vector:
    """Awb 4:15 lid 1 sub a: the days from the day after the invitation up to (not including) the day it ends."""
    sent, term_end, completed = repair["sent"], repair["term_end"], repair["completed"]
    ends = completed if completed is not None and completed <= term_end else term_end
    open_now = completed is None and today < term_end
    latest = range(sent + 1, ends)
    return {"first": sent + 1, "latest": latest, "earliest": range(sent + 1, today) if open_now else latest}


def repair_deadlines(number: int, repair: Vector, decided: int | None, today: int) -> dict[str, tuple[Any, ...]]:
    term_end, completed = repair["term_end"], repair["completed"]
    since = completed if completed is not None and completed <= term_end else term_end  # Awb 4:5 lid 4
    due = atw(since, since + 4 * WEEK)
    earliest = atw(today, today + 4 * WEEK) if completed is None and today < term_end else None
    return {
        f"repairTerm.{number}": (term_end, done_status(term_end, today, completed), None),
        f"notProcessedDecision.{number}": (due, done_status(due, today, decided), earliest),
    }


def oracle_lbb(lbb: Vector, today: int) -> Vector:
    """Wet Bibob art. 15 (the LBB's term, its suspensions and extension) and art. 31 (the decision term waits)."""
    asked = lbb["requested"]
    waits: list[range] = []
    extra, ignored = 0, 0
    extension = [(lbb["ext"]["on"], 1, lbb["ext"])] if lbb["ext"] else []
    steps = sorted([(w["start"], 0, w) for w in lbb["waits"]] + extension, key=lambda step: step[:2])
    for day, kind, step in steps:
        waited = sum(len(w) for w in waits)
        if kind == 0 and day <= atw(asked, asked + 8 * WEEK + waited + extra):
            waits.append(range(step["start"], step["end"] if step["end"] is not None else max(today, step["start"])))
        elif kind == 1 and day <= atw(asked, asked + 8 * WEEK + waited):
            extra = plus(asked, step["amount"], step["unit"]) - asked
        else:
            ignored += 1
    longest = 8 * WEEK + sum(len(w) for w in waits) + extra
    advice_due = atw(asked, asked + longest)
    whole = range(asked, asked + longest)  # art. 31: at most this many days, counting the day of the request
    advice = lbb["advice"]
    if advice is not None and advice in whole:
        suspended = earliest = range(asked, advice + 1)
        art31 = (advice, "met", None)
    elif advice is None and today in whole:
        suspended, earliest = whole, range(asked, today + 1)
        art31 = (whole[-1], "suspended", today)
    else:
        suspended = earliest = whole
        art31 = (whole[-1], "passed", None)
    return {
        "act": {"first": asked, "latest": suspended, "earliest": earliest},
        "advice": (advice_due, done_status(advice_due, today, advice), None),
        "art31": art31,
        "ignored": ignored,
    }


def decision_walk(v: Vector, acts: list[Vector], *, earliest: bool) -> tuple[int, int, list[Vector]]:
    """Awb 4:13 with 4:14 extensions and 4:15/art. 31 suspensions in date order, each only while the term runs."""
    amount, unit = v["term"]
    applies = under_atw(amount, unit)
    end = plus(v["received"], amount, unit)
    suspending = [(a["first"], 0, i, a) for i, a in enumerate(acts)]
    extending = [(e["on"], 1, i, e) for i, e in enumerate(v["extensions"])]
    ordered = sorted(suspending + extending, key=lambda entry: entry[:3])
    ineffective, effective = 0, []
    for day, kind, _, act in ordered:
        if day > atw(v["received"], end, applies):
            ineffective += 1
        elif kind == 0:
            end += len(act["earliest"] if earliest else act["latest"])
            effective.append(act)
        else:
            end = plus(end, act["amount"], act["unit"])
    return atw(v["received"], end, applies), ineffective, effective


# --- generated timelines -----------------------------------------------------------------------------------------

DECISION_TERMS = (
    (8, "weeks"), (8, "weeks"), (8, "weeks"), (12, "weeks"), (13, "weeks"), (26, "weeks"), (6, "weeks"),
    (42, "days"), (90, "days"), (100, "days"), (3, "months"), (4, "months"), (1, "years"),
)  # fmt: skip
EXTENSION_TERMS = ((4, "weeks"), (8, "weeks"), (10, "days"), (1, "months"), (2, "months"), (13, "weeks"))
LBB_EXTENSIONS = ((4, "weeks"), (2, "weeks"), (28, "days"), (10, "days"), (1, "days"))


def generate(rng: random.Random) -> Vector:
    """One application's events, sequential where the law makes them so, often too late on purpose."""
    received = date(2000, 1, 1).toordinal() + rng.randrange(60 * 365)
    clock, repairs = received, []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        sent = clock + rng.randrange(70)
        term_end = sent + rng.randrange(1, 29)
        completed = rng.choice((None, sent + rng.randrange(term_end - sent + 8)))
        repairs.append({"sent": sent, "term_end": term_end, "completed": completed})
        clock = term_end
    extensions = [
        dict(zip(("amount", "unit"), rng.choice(EXTENSION_TERMS), strict=True)) | {"on": received + rng.randrange(120)}
        for _ in range(rng.choice((0, 0, 1, 2)))
    ]
    lbb = generate_lbb(rng, clock + rng.randrange(70)) if rng.random() < 0.6 else None
    decided = received + rng.randrange(300) if rng.random() < 0.4 else None
    announced = decided + rng.randrange(10) if decided is not None and rng.random() < 0.7 else None
    objection = announced + rng.randrange(60) if announced is not None and rng.random() < 0.5 else None
    committee, objection_ext, objection_decided = rng.random() < 0.3, None, None
    if objection is not None:
        if rng.random() < 0.4:
            objection_ext = {"on": objection + rng.randrange(120), "weeks": rng.randrange(1, 7)}
        objection_decided = objection + rng.randrange(160) if rng.random() < 0.5 else None
    vector = {
        "received": received, "term": rng.choice(DECISION_TERMS), "repairs": repairs, "extensions": extensions,
        "lbb": lbb, "decided": decided, "announced": announced, "objection": objection, "committee": committee,
        "objection_ext": objection_ext, "objection_decided": objection_decided,
        "today": received + rng.randrange(400),
    }  # fmt: skip
    return as_of_today(vector)


def generate_lbb(rng: random.Random, asked: int) -> Vector:
    waits, clock = [], asked
    for _ in range(rng.choice((0, 1, 1, 2))):
        start = clock + rng.randrange(60)
        end = start + rng.randrange(30)
        waits.append({"start": start, "end": end})
        clock = end
    ext = None
    if rng.random() < 0.5:
        ext = dict(zip(("amount", "unit"), rng.choice(LBB_EXTENSIONS), strict=True)) | {"on": asked + rng.randrange(90)}
    advice = asked + rng.randrange(130) if rng.random() < 0.8 else None
    return {"requested": asked, "waits": waits, "ext": ext, "advice": advice}


def as_of_today(v: Vector) -> Vector:
    """Only what happened by `today`: later events are dropped, later ends left open."""
    today = v["today"]

    def by_today(day: int | None) -> int | None:
        return day if day is not None and day <= today else None

    v["repairs"] = [r | {"completed": by_today(r["completed"])} for r in v["repairs"] if r["sent"] <= today]
    v["extensions"] = [e for e in v["extensions"] if e["on"] <= today]
    lbb = v["lbb"]
    if lbb is not None and lbb["requested"] > today:
        v["lbb"] = None
    elif lbb is not None:
        lbb["waits"] = [w | {"end": by_today(w["end"])} for w in lbb["waits"] if w["start"] <= today]
        lbb["ext"] = lbb["ext"] if lbb["ext"] is not None and lbb["ext"]["on"] <= today else None
        lbb["advice"] = by_today(lbb["advice"])
    v["decided"] = by_today(v["decided"])
    v["announced"] = by_today(v["announced"]) if v["decided"] is not None else None
    v["objection"] = by_today(v["objection"]) if v["announced"] is not None else None
    ext = v["objection_ext"]
    v["objection_ext"] = ext if v["objection"] is not None and ext is not None and ext["on"] <= today else None
    v["objection_decided"] = by_today(v["objection_decided"]) if v["objection"] is not None else None
    return v


# --- the production side: the same events as `bibob.terms` values ------------------------------------------------


def day(number: int | None) -> date | None:
    return None if number is None else date.fromordinal(number)


def term(amount: int, unit: str) -> Term:
    return Term(amount, UNITS[unit])


def timeline(v: Vector) -> Timeline:
    lbb = v["lbb"]
    request = None
    if lbb is not None:
        waits = tuple(DataWait(date.fromordinal(w["start"]), day(w["end"])) for w in lbb["waits"])
        ext = lbb["ext"]
        extension = LbbExtension(date.fromordinal(ext["on"]), term(ext["amount"], ext["unit"])) if ext else None
        request = LbbRequest(date.fromordinal(lbb["requested"]), waits, extension, day(lbb["advice"]))
    return Timeline(
        received=date.fromordinal(v["received"]),
        decision_term=term(*v["term"]),
        extensions=tuple(
            DecisionExtension(date.fromordinal(e["on"]), term(e["amount"], e["unit"])) for e in v["extensions"]
        ),
        repair_invitations=tuple(
            RepairInvitation(date.fromordinal(r["sent"]), date.fromordinal(r["term_end"]), day(r["completed"]))
            for r in v["repairs"]
        ),
        lbb_request=request,
        decided=day(v["decided"]),
        announced=day(v["announced"]),
        objection_received=day(v["objection"]),
        objection_advisory_committee=v["committee"],
        objection_extensions=(
            (DecisionExtension(date.fromordinal(v["objection_ext"]["on"]), Term.weeks(v["objection_ext"]["weeks"])),)
            if v["objection_ext"] else ()
        ),
        objection_decided=day(v["objection_decided"]),
    )  # fmt: skip


MODELLED = ("decision", "repairTerm.", "notProcessedDecision.", "lbbAdvice", "art31Suspension", "objection")


def production(v: Vector, calendar: Any) -> tuple[dict[str, tuple[Any, ...]], dict[str, int]]:
    deadlines = compute_deadlines(timeline(v), date.fromordinal(v["today"]), calendar)
    found = {
        d.code: (d.due.toordinal(), d.status.value, d.earliest.toordinal() if d.earliest else None)
        for d in deadlines
        if d.code.startswith(MODELLED)
    }
    warnings = {d.code: d.warnings for d in deadlines}
    late = {"decision": sum(w.startswith("De beslistermijn was al verstreken") for w in warnings["decision"])}
    if "lbbAdvice" in warnings:
        late["lbbAdvice"] = len(warnings["lbbAdvice"])
    if "objectionDecision" in warnings:
        late["objectionDecision"] = sum(w.startswith("De verdaging van") for w in warnings["objectionDecision"])
    return found, late


# --- the test -----------------------------------------------------------------------------------------------------


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> Any:
    return load_calendar()


def test_the_terms_agree_with_an_independent_implementation_from_the_law(calendar: Any) -> None:
    rng = random.Random(SEED)
    disagreements: list[str] = []
    for year in range(1950, 2201):
        expected = holidays(year) | {d for d in EQUATED if date.fromordinal(d).year == year}
        if {d.toordinal() for d, _ in calendar.holidays(year)} != expected:
            disagreements.append(f"holidays {year}")
    for _ in range(ATW_TERMS):
        start = date(1950, 1, 1).toordinal() + rng.randrange(250 * 365)
        amount, unit = rng.randrange(1, 121), rng.choice(("days", "weeks", "months", "years"))
        amount = amount if unit == "days" else (amount % 20 + 1 if unit != "years" else amount % 4 + 1)
        got = calendar.end_of_term(date.fromordinal(start), term(amount, unit)).toordinal()
        if got != atw(start, plus(start, amount, unit), under_atw(amount, unit)):
            disagreements.append(f"Atw term {date.fromordinal(start)} + {amount} {unit}")
    kinds = {"open suspension": 0, "too late": 0, "objection": 0}
    for _ in range(TIMELINES):
        vector = generate(rng)
        expected, expected_late = oracle(vector)
        got, got_late = production(vector, calendar)
        kinds["open suspension"] += expected["decision"][2] is not None
        kinds["too late"] += bool(
            expected_late["decision"] or expected_late.get("lbbAdvice") or expected_late.get("objectionDecision")
        )
        kinds["objection"] += "objectionDecision" in expected
        if (got, got_late) != (expected, expected_late):
            disagreements.append(f"{vector}: production {got, got_late}, oracle {expected, expected_late}")
    total = TIMELINES + ATW_TERMS + (2201 - 1950)
    report(
        "terms differential",
        f"{total} vectors ({TIMELINES} timelines, of which {kinds['open suspension']} with a running suspension "
        f"and {kinds['too late']} with a late act, {kinds['objection']} with an objection (Awb 7:10); "
        f"{ATW_TERMS} Atw terms; {2201 - 1950} years), "
        f"{len(disagreements)} disagree",
    )
    assert not disagreements, disagreements[:3]
    assert kinds["open suspension"] > 100 and kinds["too late"] > 100 and kinds["objection"] > 100
