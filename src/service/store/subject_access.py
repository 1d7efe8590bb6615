"""What is stored about one person (AVG art. 15), for the privacy officer: which dossiers hold them, of what kind,
what categories of data, until when — and what art. 28 Wet Bibob or a restriction of the right of access withholds.

Found through the keyed subject keys (`sealed_key`), in every kind of dossier, whatever the privacy officer's
need-to-know elsewhere: the report names dossiers and categories, never their content. Each dossier found is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.subjects import SubjectKey, sealed_key
from service.store.tables import applications, cases, signals, subjects

ACTION = "subject.accessReport"
CATEGORIES = {
    "application": "vragenformulier (persoonsgegevens, zeggenschap, financiering), beoordeling, onderzoek, besluit",
    "signal": "tekst van de melding, melder, betrokkenen",
    "case": "journaal, betrokkenen, bewijsstukken",
}
WITHHELD = {
    "application": (
        "art. 28 Wet Bibob: de beschikking is aan betrokkene bekendgemaakt; bevindingen, gegevens over derden en het "
        "LBB-advies alleen voor zover art. 28 lid 2 het verstrekken toestaat"
    ),
    "signal": (
        "beperking van het inzagerecht (AVG art. 23, UAVG art. 41): niet verstrekken zolang dat de voorkoming of "
        "opsporing van strafbare feiten of de melder schaadt; de functionaris gegevensbescherming weegt dit af"
    ),
    "case": (
        "beperking van het inzagerecht (AVG art. 23, UAVG art. 41) en de afspraken met de bronnen (convenant): "
        "niet verstrekken zolang dat de aanpak schaadt; de functionaris gegevensbescherming weegt dit af"
    ),
}


@attrs.frozen
class Holding:
    """One dossier that holds the person: kind, id, status, since, destruction date if set, and what is withheld."""

    owner_type: str
    owner_id: str
    status: str
    since: dt.datetime
    destroy_on: dt.date | None
    matched: tuple[str, ...]  # the kinds of key that matched (e.g. P:bsn), never their values
    categories: str
    withheld: str


def holdings(
    conn: Connection,
    principal: Principal,
    keys: Iterable[SubjectKey],
    needles: tuple[str, ...] = (),
    reason: str = "",
) -> tuple[Holding, ...]:
    """Every dossier holding any of `keys` (signals and cases, by their subject keys), and every application whose
    sealed answers contain all of `needles` (e.g. the BSN, or surname and birth date: answers are not indexed, so
    they are opened and read one batch at a time). Only the privacy officer asks (anyone else: `NotFoundError`)."""
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    audit.lock_chain(conn)
    keys = tuple(keys)
    pairs = [sa.and_(subjects.c.kind == k.kind, subjects.c.key == sealed_key(conn, k).key) for k in keys]
    query = sa.select(subjects.c.owner_type, subjects.c.owner_id, subjects.c.kind).where(sa.or_(sa.false(), *pairs))
    matched: dict[tuple[str, str], set[str]] = {}
    for owner_type, owner_id, kind in conn.execute(query):
        matched.setdefault((owner_type, owner_id), set()).add(kind)
    for application_id in _applications_naming(conn, needles):
        matched.setdefault(("application", application_id), set()).add("answers")
    found = [_holding(conn, owner_type, owner_id, kinds) for (owner_type, owner_id), kinds in sorted(matched.items())]
    present = [holding for holding in found if holding is not None]
    for owner_type in ("application", "signal", "case"):
        ids = [h.owner_id for h in present if h.owner_type == owner_type]
        audit.append_many(conn, principal, ACTION, owner_type, ids, reason)
    return tuple(present)


def _applications_naming(conn: Connection, needles: tuple[str, ...], batch: int = 200) -> list[str]:
    if not needles:
        return []
    found: list[str] = []
    after = ""
    while True:
        query = sa.select(applications.c.id, applications.c.answers).where(applications.c.id > after)
        rows = conn.execute(query.order_by(applications.c.id).limit(batch)).all()
        for identifier, answers in rows:
            text = json.dumps(answers, ensure_ascii=False).casefold()
            if all(needle.casefold() in text for needle in needles):
                found.append(identifier)
        if len(rows) < batch:
            return found
        after = rows[-1][0]


def _holding(conn: Connection, owner_type: str, owner_id: str, kinds: set[str]) -> Holding | None:
    if owner_type == "application":
        query = sa.select(applications.c.state, applications.c.created_at, sa.null()).where(
            applications.c.id == owner_id
        )
    elif owner_type == "signal":
        query = sa.select(signals.c.status, signals.c.created_at, signals.c.destroy_on).where(signals.c.id == owner_id)
    elif owner_type == "case":
        query = sa.select(cases.c.status, cases.c.created_at, sa.null()).where(cases.c.id == owner_id)
    else:
        return None
    row = conn.execute(query).first()
    if row is None:
        return None
    return Holding(
        owner_type, owner_id, row[0], row[1], row[2], tuple(sorted(kinds)), CATEGORIES[owner_type], WITHHELD[owner_type]
    )
