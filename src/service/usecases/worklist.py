"""The permit officer's worklist: applications with the applicant, the next deadline and an overdue mark; search.

What is "overdue" follows from the deadlines the library computes (`bibob.terms`): the decision term (Awb 4:13
or the policy's term) has passed while no decision was taken. Nothing here recomputes a term.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from bibob.applications import EVENTS_BY_TYPE, Application, ApplicationState, allowed_events, application_deadlines
from bibob.legal import PermitType
from bibob.parties import Address, Organisation, Person
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import declaration_from_answers
from bibob.terms import DEFAULT_DECISION_TERM, AtwCalendar, Deadline, Term, dutch_date
from service.store import applications
from service.store.applications import StoredApplication
from service.usecases.session import Session

NO_TERM_BASIS = "geen wettelijke beslistermijn in het beleid; redelijke termijn (Awb 4:13)"
DUE_SOON = dt.timedelta(days=7)  # a running term ending within a week is "verloopt binnenkort"
DECISION = "decision"  # the code of the decision term among the library's deadlines
PASSED, RUNNING, SUSPENDED = "passed", "running", "suspended"  # the library's deadline statuses (wire values)
#: The states still waiting for a decision: those in which the lifecycle allows an Awb 4:14 extension.
PENDING = frozenset(state for state in ApplicationState if EVENTS_BY_TYPE["decisionExtended"] in allowed_events(state))
OVERDUE_TEXT = "beslistermijn overschreden"
OVERDUE_EXPLANATION = (
    "De beslistermijn liep af op {due} en er is nog geen besluit. Neem zo snel mogelijk een besluit. "
    "De aanvrager kan de gemeente schriftelijk in gebreke stellen; twee weken na ontvangst van die "
    "ingebrekestelling is een dwangsom verschuldigd voor elke dag dat het besluit uitblijft: € 23 per dag de "
    "eerste 14 dagen, € 35 de volgende 14 dagen en € 45 daarna, hoogstens 42 dagen (samen ten hoogste € 1.442) "
    "(Awb 4:17). De aanvrager kan ook beroep instellen omdat niet tijdig is beslist (Awb 6:2 en 6:12)."
)
LATE_TEXT = "besluit na de beslistermijn"
LATE_EXPLANATION = (
    "Het besluit van {decided} viel na het einde van de beslistermijn op {due}. Was de gemeente in gebreke "
    "gesteld, dan kan over de dagen daarna een dwangsom verschuldigd zijn (Awb 4:17)."
)

Mark = Literal["overdue", "dueSoon"]
MARK_TEXT: dict[str, str] = {"overdue": "termijn verstreken", "dueSoon": "verloopt binnenkort"}
Sort = Literal["deadline", "applicant", "newest"]
SORTS: tuple[str, ...] = ("deadline", "applicant", "newest")


@attrs.frozen
class Lateness:
    """How the decision term stands when it has passed: still undecided (`overdue`), or decided late."""

    overdue: bool
    deadline: Deadline
    text: str
    explanation: str


@attrs.frozen
class Applicant:
    """Who applies, for lists and search: the names and numbers the answers declare ("" before any answer)."""

    name: str = ""
    establishment: str = ""
    names: tuple[str, ...] = ()  # every name to search: the applicant's, the business's, its trade names
    kvk_numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()


@attrs.frozen
class Entry:
    """One row of the worklist."""

    stored: StoredApplication
    application: Application  # the file as the lifecycle replayed it (kind, state), computed once per version
    applicant: Applicant
    next_deadline: Deadline | None
    mark: Mark | None
    lateness: Lateness | None


@attrs.frozen
class Query:
    """What the worklist shows: filters, search (each criterion given must match; `text` matches any), order, page."""

    state: str | None = None
    permit_type: str | None = None
    name: str = ""
    kvk_number: str = ""
    address: str = ""
    text: str = ""
    sort: Sort = "newest"
    limit: int = 50
    offset: int = 0


def decision_term(policy: Policy, permit_type: str) -> tuple[Term, str]:
    """The decision term the policy sets for `permit_type` and its legal basis (else Awb 4:13's reasonable term)."""
    member = PermitType.parse(permit_type)
    rule = policy.screening.get(member) if member is not None else None
    term = rule.decision_term if rule is not None else None
    return (term.term, term.legal_basis) if term is not None else (DEFAULT_DECISION_TERM, NO_TERM_BASIS)


def lateness(application: Application, deadlines: Sequence[Deadline]) -> Lateness | None:
    """Whether the decision term has passed: undecided while pending ("beslistermijn overschreden", Awb 4:17), or
    decided after it; None while it runs, is suspended, or was met."""
    term = next((d for d in deadlines if d.code == DECISION and d.status.value == PASSED), None)
    if term is None:
        return None
    due = dutch_date(term.due)
    if application.decision is None and application.state in PENDING:
        return Lateness(True, term, OVERDUE_TEXT, OVERDUE_EXPLANATION.format(due=due))
    if application.decision is not None:
        decided = dutch_date(application.decision.on)
        return Lateness(False, term, LATE_TEXT, LATE_EXPLANATION.format(decided=decided, due=due))
    return None


def next_deadline(deadlines: Sequence[Deadline], today: dt.date) -> Deadline | None:
    """The running (or suspended) term that ends first, on or after `today`."""
    open_terms = [d for d in deadlines if d.status.value in {RUNNING, SUSPENDED} and d.due >= today]
    return min(open_terms, key=lambda d: d.due, default=None)


def mark(late: Lateness | None, upcoming: Deadline | None, today: dt.date) -> Mark | None:
    """'overdue' when the decision term passed undecided; 'dueSoon' when a running term ends within a week."""
    if late is not None and late.overdue:
        return "overdue"
    if upcoming is not None and upcoming.status.value == RUNNING and upcoming.due - today <= DUE_SOON:
        return "dueSoon"
    return None


def worklist(
    session: Session, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar, query: Query
) -> tuple[tuple[Entry, ...], int]:
    """One page of the applications the principal may see, with applicant and deadlines, searched and ordered;
    and how many matched. Only the applications on the page are audited as listed."""
    versions = applications.visible_versions(
        session.conn, session.principal, state=query.state, permit_type=query.permit_type
    )
    today, term_of = session.today, functools.partial(decision_term, policy)
    days = policy.register_working_days
    keys = {
        identifier: _key(identifier, version, at, today, catalogue, calendar, days)
        for identifier, version, at in versions
    }
    found = {identifier: entry for identifier, key in keys.items() if (entry := _CACHE.get(key)) is not None}
    missing = [identifier for identifier in keys if identifier not in found]
    for stored in applications.visible_by_ids(session.conn, session.principal, missing):
        found[stored.id] = _computed(stored, catalogue, calendar, today, days, *term_of(stored.permit_type))
        _remember(_key(stored.id, stored.version, stored.updated_at, today, catalogue, calendar, days),
                  found[stored.id])  # fmt: skip
    # from `found`, not the cache: another thread (the group commit has several on PostgreSQL) may empty it meanwhile
    entries = [found[identifier] for identifier in keys if identifier in found]
    entries = [entry for entry in entries if _matches(entry.applicant, query)]
    entries.sort(key=_ORDER[query.sort])
    page = tuple(entries[query.offset : query.offset + query.limit])
    applications.audit_listed(session.conn, session.principal, [entry.stored.id for entry in page], session.reason)
    return page, len(entries)


def entry_of(
    stored: StoredApplication, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar, today: dt.date
) -> Entry:
    """The worklist facts of one application already read (its overview page shows the same)."""
    return _entry(stored, catalogue, policy, calendar, today)


# --- the facts of one application, kept per (application, version, day): a list recomputes nothing unchanged.
# The policy is the one the process loaded at start; the key holds its register working days (the decision term is
# read per permit type from the same policy), so a test or a reload with another register term never reads stale facts.

_CACHE: dict[tuple[object, ...], Entry] = {}
_CACHE_SIZE = 10_000


def _key(
    identifier: str,
    version: int,
    updated_at: dt.datetime,
    today: dt.date,
    catalogue: Catalogue,
    calendar: AtwCalendar,
    register_days: int,
) -> tuple[object, ...]:
    return identifier, version, updated_at, today, id(catalogue), id(calendar), register_days


def _remember(key: tuple[object, ...], entry: Entry) -> None:
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = entry


def _entry(
    stored: StoredApplication, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar, today: dt.date
) -> Entry:
    days = policy.register_working_days
    key = _key(stored.id, stored.version, stored.updated_at, today, catalogue, calendar, days)
    found = _CACHE.get(key)
    if found is None:
        found = _computed(stored, catalogue, calendar, today, days, *decision_term(policy, stored.permit_type))
        _remember(key, found)
    return found


def _computed(
    stored: StoredApplication,
    catalogue: Catalogue,
    calendar: AtwCalendar,
    today: dt.date,
    register_days: int,
    term: Term,
    basis: str,
) -> Entry:
    application = stored.application
    try:
        deadlines = application_deadlines(application, today, calendar, term, basis, register_days)
    except OverflowError:  # a day near the end of the calendar: no deadlines to show
        deadlines = ()
    late = lateness(application, deadlines)
    upcoming = late.deadline if late is not None and late.overdue else next_deadline(deadlines, today)
    return Entry(stored, application, applicant_of(stored, catalogue), upcoming, mark(late, upcoming, today), late)


def applicant_of(stored: StoredApplication, catalogue: Catalogue) -> Applicant:
    """The applicant as the answers declare it (through the library's reading of the answers)."""
    questionnaire = catalogue.get(stored.questionnaire_id or "")
    if questionnaire is None or "answers" not in stored.answers:
        return Applicant()
    declaration = declaration_from_answers(questionnaire, stored.answers)
    subject, business = declaration.subject, declaration.business
    name = _name(subject)
    organisations = [party for party in (subject, business) if isinstance(party, Organisation)]
    names = [name, *(o.name for o in organisations), *(t for o in organisations for t in o.trade_names)]
    kvk = [o.kvk_number for o in organisations if o.kvk_number]
    places = [*declaration.premises.addresses, *(o.address for o in organisations if o.address)]
    if isinstance(subject, Person) and subject.address is not None:
        places.append(subject.address)
    trade = next((o.trade_names[0] if o.trade_names else o.name for o in reversed(organisations)), "")
    premises = declaration.premises.addresses[0] if declaration.premises.addresses else None
    establishment = ", ".join(part for part in (trade, _address_line(premises)) if part)
    return Applicant(
        name=name,
        establishment=establishment,
        names=tuple(dict.fromkeys(n for n in names if n)),
        kvk_numbers=tuple(dict.fromkeys(kvk)),
        addresses=tuple(dict.fromkeys(_address_text(place) for place in places)),
    )


def _name(party: object) -> str:
    if isinstance(party, Person):
        return party.display_name
    if isinstance(party, Organisation):
        return party.name
    return ""


def _address_line(address: Address | None) -> str:
    if address is None:
        return ""
    number = f"{address.house_number or ''}{address.house_number_addition}"
    return ", ".join(part for part in (f"{address.street} {number}".strip(), address.city) if part)


def _address_text(address: Address) -> str:
    number = f"{address.house_number or ''}{address.house_number_addition}"
    return f"{address.street} {number} {address.postcode} {address.city}"


# --- search and order ---

_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    """Text as search compares it: case and accents kept apart from spaces and punctuation, which are dropped."""
    return _NOT_WORD.sub("", text.casefold())


def _contains(haystack: Sequence[str], needle: str) -> bool:
    wanted = normalised(needle)
    return bool(wanted) and any(wanted in normalised(item) for item in haystack)


def _matches(applicant: Applicant, query: Query) -> bool:
    criteria = (
        (query.name, applicant.names),
        (query.kvk_number, applicant.kvk_numbers),
        (query.address, applicant.addresses),
    )
    if any(wanted.strip() and not _contains(values, wanted) for wanted, values in criteria):
        return False
    if query.text.strip():
        everything = (*applicant.names, *applicant.kvk_numbers, *applicant.addresses)
        return _contains(everything, query.text)
    return True


_FAR = dt.date.max


def _by_deadline(entry: Entry) -> tuple[int, dt.date, str]:
    overdue = 0 if entry.mark == "overdue" else 1
    due = entry.next_deadline.due if entry.next_deadline is not None else _FAR
    return overdue, due, entry.stored.id


def _by_applicant(entry: Entry) -> tuple[int, str, str]:
    name = entry.applicant.name.casefold()
    return (0 if name else 1), name, entry.stored.id


def _newest(entry: Entry) -> tuple[float, str]:
    return -entry.stored.created_at.timestamp(), entry.stored.id


_ORDER: dict[str, Callable[[Entry], tuple[object, ...]]] = {
    "deadline": _by_deadline,
    "applicant": _by_applicant,
    "newest": _newest,
}
