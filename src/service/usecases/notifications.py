"""Notifications inside the product: the hooks the use cases call where an event happens (one call each), and a
user's own list with the Bibob terms ending soon computed when read. Texts hold ids and labels only: what the
recipient may already open (a case they are a member of, the shared inbox, the mayor's desk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.terms import AtwCalendar, dutch_date
from bibob.undermining import Case
from service.auth import Role
from service.store import notifications
from service.store.notifications import (
    DECISION_WAITING,
    NEW_EVIDENCE,
    NEW_SIGNAL,
    SIGNAL_ASSIGNED,
    TERM_ENDING,
    Notification,
)
from service.usecases.session import Session
from service.usecases.worklist import RUNNING, Query, worklist

SOON = 5  # working days (Algemene termijnenwet) within which an ending term is announced


# --- the hooks ------------------------------------------------------------------------------------------------------


def evidence_arrived(session: Session, cases: Iterable[Case]) -> None:
    """New evidence in each case: its lead and members are told (the actor, if one of them, is not)."""
    for case in cases:
        members = [user for user in (case.lead, *case.members) if user != session.principal.user]
        text = f"Nieuw bewijs in casus {case.id}: bekijk en beoordeel het op de casuspagina."
        notifications.notify(session.conn, members, NEW_EVIDENCE, "case", case.id, text, session.now)


def signal_arrived(session: Session, signal_id: str) -> None:
    """A new signal in the shared inbox: every safety advisor but the one who registered it is told."""
    advisors = notifications.accounts_in_role(session.conn, Role.SAFETY_ADVISOR)
    advisors = tuple(user for user in advisors if user != session.principal.user)
    text = f"Nieuwe melding {signal_id} in de inbox: nog te wegen."
    notifications.notify(session.conn, advisors, NEW_SIGNAL, "signal", signal_id, text, session.now)


def signal_assigned(session: Session, signal_id: str, assignee: str) -> None:
    """A signal assigned to one advisor: they are told (not when they assigned it to themselves)."""
    if assignee != session.principal.user:
        text = f"Melding {signal_id} is aan u toegewezen: nog te wegen."
        notifications.notify(session.conn, (assignee,), SIGNAL_ASSIGNED, "signal", signal_id, text, session.now)


def decision_waiting(session: Session, application_id: str) -> None:
    """A decision proposal written for the mayor: every mayor account is told it waits for their signature."""
    mayors = notifications.accounts_in_role(session.conn, Role.MAYOR)
    text = f"Besluitvoorstel voor aanvraag {application_id} wacht op uw ondertekening."
    notifications.notify(session.conn, mayors, DECISION_WAITING, "application", application_id, text, session.now)


# --- reading --------------------------------------------------------------------------------------------------------


def my_notifications(
    session: Session, *, unread_only: bool, limit: int, offset: int
) -> tuple[tuple[Notification, ...], int]:
    """The principal's own notifications, newest first, and their total."""
    return notifications.notifications_of(
        session.conn, session.principal.user, unread_only=unread_only, limit=limit, offset=offset
    )


def unread(session: Session) -> int:
    """The number on the bell."""
    return notifications.unread_count(session.conn, session.principal.user)


def mark_read(session: Session, ids: Iterable[str] | None) -> int:
    """Mark the principal's own notifications read (all when `ids` is None); returns how many changed."""
    return notifications.mark_read(session.conn, session.principal.user, ids, session.now)


def terms_ending(
    deadlines: Iterable[tuple[str, str, dt.date]], today: dt.date, calendar: AtwCalendar
) -> tuple[Notification, ...]:
    """(application id, term label, last day) → a notification for each term ending within `SOON` working days
    from `today` (today included), soonest first. Computed when read, never stored."""
    horizon = working_days_after(today, SOON, calendar)
    ending = sorted((due, app, label) for app, label, due in deadlines if today <= due <= horizon)
    at = dt.datetime.combine(today, dt.time(), dt.UTC)
    return tuple(
        Notification(f"{TERM_ENDING}:{app}:{label}", TERM_ENDING, "application", app,
                     f"De {label} van aanvraag {app} eindigt op {dutch_date(due)}.", at)
        for due, app, label in ending
    )  # fmt: skip


def working_days_after(day: dt.date, count: int, calendar: AtwCalendar) -> dt.date:
    """The day `count` working days after `day` (weekends and the Atw's general holidays do not count)."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= calendar.is_business_day(day)
    return day


TERM_ROLES = frozenset({Role.PERMIT_OFFICER, Role.BIBOB_COORDINATOR, Role.MAYOR})
TERMS_LOOKED_AT = 20  # the applications with the soonest next deadline that are looked at


def my_ending_terms(
    session: Session, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> tuple[Notification, ...]:
    """The running terms of the applications the principal may see that end within `SOON` working days, from the
    worklist's own deadlines (so listed, and audited as listed); other roles have none."""
    if session.principal.role not in TERM_ROLES:
        return ()
    entries, _ = worklist(session, catalogue, policy, calendar, Query(sort="deadline", limit=TERMS_LOOKED_AT))
    deadlines = [
        (entry.stored.id, entry.next_deadline.label, entry.next_deadline.due)
        for entry in entries
        if entry.next_deadline is not None and entry.next_deadline.status.value == RUNNING
    ]
    return terms_ending(deadlines, session.today, calendar)
