"""Retention that runs: destroy what has passed its term, and write one destruction record each to the audit chain.

What is destroyed, and when (the terms come from the municipal policy, `bibob.policy.Retention`):
- a signal weighed "no action": on its `destroy_on` day (12 months after that weighing; CCV model protocol);
- a Bibob dossier (an application with its assessments, investigations, decisions, consultations and subject keys):
  `questionnaire_data` after it reached a final state, unless a legal hold is placed (objection, appeal);
- a closed case (with its evidence, members, subject keys and the signals it took in): `case` after closing;
- idempotency records older than 24 hours (they hold answers) and web sessions past their end.

A destruction record names the kind, the id, the time and the legal basis, never the content. The register of
disclosures (art. 28 Wet Bibob) is kept: it holds no content and accounts for what left the dossier.
The clock is the caller's: tests move it, the service passes its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from bibob.policy import Policy
from bibob.terms import Term, add_term
from service.store import audit
from service.store.idempotency import EXPIRY
from service.store.tables import (
    applications,
    assessments,
    case_members,
    case_signals,
    cases,
    consultations,
    decisions,
    evidence,
    external_jobs,
    idempotency_keys,
    investigations,
    lbb_advices,
    legal_holds,
    letters,
    notifications,
    permit_conditions,
    permit_zaken,
    signals,
    subjects,
    watch_prompts,
    watched_permits,
    web_sessions,
)

if TYPE_CHECKING:
    from service.settings import Settings

DESTROYED = "retention.destroyed"
HOLD_PLACED = "retention.holdPlaced"
HOLD_RELEASED = "retention.holdReleased"
#: The states after which a Bibob dossier's term runs (a decision, or the end without one).
FINAL_STATES = (
    "decided",
    "announced",
    "objectionDecided",
    "notProcessed",
    "closedWithoutMeasure",
    "withdrawnByApplicant",
)
HOLDABLE = ("application", "case")
SIGNAL_BASIS = "AVG art. 5 lid 1 sub e; beleid: signaal 'geen actie' {months} maanden bewaard (CCV-modelprotocol)"
DOSSIER_BASIS = "AVG art. 5 lid 1 sub e; Archiefwet: {category}; bewaartermijn {years} jaar na het besluit"
CASE_BASIS = "AVG art. 5 lid 1 sub e; Archiefwet: {category}; bewaartermijn {years} jaar na afsluiten"


def retention_active(settings: Settings) -> bool:
    """Whether the service runs the retention job itself (`BIBOB_RETENTION_EVERY` > 0); else cron must run
    `bibob retention run`. For texts that promise a destruction date."""
    return settings.retention_every > 0


@attrs.frozen
class Destroyed:
    """What one run destroyed: per kind, the ids (sessions and idempotency records: how many)."""

    signals: tuple[str, ...] = ()
    applications: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    idempotency_records: int = 0
    sessions: int = 0
    held: tuple[str, ...] = ()  # dossiers past their term but kept by a legal hold ("application:<id>")

    @property
    def total(self) -> int:
        return len(self.signals) + len(self.applications) + len(self.cases) + self.idempotency_records + self.sessions


def run(conn: Connection, policy: Policy, now: dt.datetime) -> Destroyed:
    """Destroy everything due at `now`, in the caller's transaction; one audit row per destroyed thing."""
    terms = policy.retention
    today = now.date()
    held = _held(conn)
    destroyed_cases, held_cases = _due_cases(conn, terms.case.amount, now, held)
    destroyed_applications, held_applications = _due_applications(conn, terms.questionnaire_data.amount, now, held)
    case_basis = CASE_BASIS.format(category=terms.case_category, years=terms.case.amount)
    case_signal_ids = _destroy_cases(conn, destroyed_cases)
    _record(conn, "case", destroyed_cases, case_basis)
    signal_ids = _due_signals(conn, today)
    _destroy_signals(conn, signal_ids)
    _record(conn, "signal", signal_ids, SIGNAL_BASIS.format(months=terms.no_action_signal.amount))
    _record(conn, "signal", case_signal_ids, case_basis)
    _destroy_applications(conn, destroyed_applications)
    dossier_basis = DOSSIER_BASIS.format(category=terms.dossier_category, years=terms.questionnaire_data.amount)
    _record(conn, "application", destroyed_applications, dossier_basis)
    idempotent = conn.execute(idempotency_keys.delete().where(idempotency_keys.c.created_at < now - EXPIRY)).rowcount
    sessions = conn.execute(web_sessions.delete().where(web_sessions.c.expires_at <= now)).rowcount
    if idempotent:
        audit.append_system(conn, DESTROYED, "idempotencyRecord", [str(idempotent)], "verlopen na 24 uur")
    if sessions:
        audit.append_system(conn, DESTROYED, "webSession", [str(sessions)], "sessie verlopen")
    return Destroyed(
        signals=tuple(signal_ids) + tuple(case_signal_ids),
        applications=tuple(destroyed_applications),
        cases=tuple(destroyed_cases),
        idempotency_records=idempotent,
        sessions=sessions,
        held=tuple(held_applications + held_cases),
    )


def place_hold(conn: Connection, dossier_type: str, dossier_id: str, reason: str, now: dt.datetime) -> None:
    """Keep a dossier past its term (objection, appeal, an incident) until `release_hold`; audited."""
    _check_hold(dossier_type, reason)
    exists = {"application": applications, "case": cases}[dossier_type]
    if conn.execute(sa.select(exists.c.id).where(exists.c.id == dossier_id)).first() is None:
        raise InvalidInputError([Problem("/id", "hold.unknownDossier", "geen dossier met dit kenmerk")])
    conn.execute(legal_holds.delete().where(*_hold_key(dossier_type, dossier_id)))
    values = {"dossier_type": dossier_type, "dossier_id": dossier_id, "reason": reason, "placed_at": now}
    conn.execute(legal_holds.insert().values(**values))
    audit.append_system(conn, HOLD_PLACED, dossier_type, [dossier_id], reason)


def release_hold(conn: Connection, dossier_type: str, dossier_id: str, reason: str) -> bool:
    """End a hold (the procedure ended); False when there was none."""
    _check_hold(dossier_type, reason)
    removed = conn.execute(legal_holds.delete().where(*_hold_key(dossier_type, dossier_id))).rowcount
    if removed:
        audit.append_system(conn, HOLD_RELEASED, dossier_type, [dossier_id], reason)
    return bool(removed)


def _check_hold(dossier_type: str, reason: str) -> None:
    problems = []
    if dossier_type not in HOLDABLE:
        problems.append(Problem("/dossierType", "hold.kind", "kies een aanvraag (application) of casus (case)"))
    if not reason.strip() or len(reason) > audit.MAX_REASON:
        problems.append(Problem("/reason", "hold.reason", f"geef een reden van 1 tot {audit.MAX_REASON} tekens"))
    if problems:
        raise InvalidInputError(problems)


def _hold_key(dossier_type: str, dossier_id: str) -> tuple[sa.ColumnElement[bool], ...]:
    return legal_holds.c.dossier_type == dossier_type, legal_holds.c.dossier_id == dossier_id


def _held(conn: Connection) -> set[tuple[str, str]]:
    return {(row.dossier_type, row.dossier_id) for row in conn.execute(sa.select(legal_holds))}


def _due_signals(conn: Connection, today: dt.date) -> list[str]:
    query = sa.select(signals.c.id).where(
        signals.c.status == "noAction", signals.c.destroy_on.is_not(None), signals.c.destroy_on <= today
    )
    return sorted(conn.execute(query).scalars())


def _due_applications(
    conn: Connection, years: int, now: dt.datetime, held: set[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """Applications in a final state whose last change lies `years` back (or more); and those held."""
    query = sa.select(applications.c.id, applications.c.updated_at).where(applications.c.state.in_(FINAL_STATES))
    return _split(((row.id, row.updated_at) for row in conn.execute(query)), years, now, held, "application")


def _due_cases(
    conn: Connection, years: int, now: dt.datetime, held: set[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    query = sa.select(cases.c.id, cases.c.updated_at).where(cases.c.status == "closed")
    return _split(((row.id, row.updated_at) for row in conn.execute(query)), years, now, held, "case")


def _split(
    found: Iterable[tuple[str, dt.datetime]], years: int, now: dt.datetime, held: set[tuple[str, str]], kind: str
) -> tuple[list[str], list[str]]:
    due: list[str] = []
    kept: list[str] = []
    for identifier, since in found:
        if add_term(since.date(), Term.years(years)) > now.date():
            continue
        (kept if (kind, identifier) in held else due).append(identifier)
    return sorted(due), [f"{kind}:{identifier}" for identifier in sorted(kept)]


def _destroy_signals(conn: Connection, ids: list[str]) -> None:
    if not ids:
        return
    conn.execute(subjects.delete().where(subjects.c.owner_type == "signal", subjects.c.owner_id.in_(ids)))
    conn.execute(case_signals.delete().where(case_signals.c.signal_id.in_(ids)))
    _forget_notices(conn, "signal", ids)
    conn.execute(signals.delete().where(signals.c.id.in_(ids)))


def _destroy_cases(conn: Connection, ids: list[str]) -> list[str]:
    """Destroy the cases and the signals they took in (unless another case still holds one); those signals' ids."""
    if not ids:
        return []
    linked = set(conn.execute(sa.select(case_signals.c.signal_id).where(case_signals.c.case_id.in_(ids))).scalars())
    elsewhere = sa.select(case_signals.c.signal_id).where(
        case_signals.c.signal_id.in_(linked), case_signals.c.case_id.not_in(ids)
    )
    only_here = sorted(linked - set(conn.execute(elsewhere).scalars()))
    conn.execute(case_signals.delete().where(case_signals.c.case_id.in_(ids)))
    conn.execute(case_members.delete().where(case_members.c.case_id.in_(ids)))
    conn.execute(evidence.delete().where(evidence.c.case_id.in_(ids)))
    conn.execute(external_jobs.delete().where(external_jobs.c.object_id.in_(ids)))
    conn.execute(subjects.delete().where(subjects.c.owner_type == "case", subjects.c.owner_id.in_(ids)))
    _forget_notices(conn, "case", ids)
    conn.execute(cases.delete().where(cases.c.id.in_(ids)))
    _destroy_signals(conn, only_here)
    return only_here


def _destroy_applications(conn: Connection, ids: list[str]) -> None:
    if not ids:
        return
    advices = sa.select(lbb_advices.c.id).where(lbb_advices.c.application_id.in_(ids))
    conn.execute(subjects.delete().where(subjects.c.owner_type == "lbbAdvice", subjects.c.owner_id.in_(advices)))
    owned = (assessments, investigations, decisions, consultations, letters, permit_zaken, watched_permits,
             watch_prompts, permit_conditions, lbb_advices)  # fmt: skip
    for table in owned:  # everything that hangs on the dossier goes with it
        conn.execute(table.delete().where(table.c.application_id.in_(ids)))
    conn.execute(
        subjects.delete().where(subjects.c.owner_type.in_(("application", "permit")), subjects.c.owner_id.in_(ids))
    )
    _forget_notices(conn, "application", ids)
    conn.execute(applications.delete().where(applications.c.id.in_(ids)))


def _forget_notices(conn: Connection, object_type: str, ids: list[str]) -> None:
    """The notices about destroyed dossiers go with them (they name the dossier)."""
    about = (notifications.c.object_type == object_type) & notifications.c.object_id.in_(ids)
    conn.execute(notifications.delete().where(about))


def _record(conn: Connection, kind: str, ids: list[str], basis: str) -> None:
    if ids:
        audit.append_system(conn, DESTROYED, kind, ids, basis[: audit.MAX_REASON])
