"""Normalised subject keys (BSN, KvK, name + birth date, address …) of dossiers, for matching across them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.rows import require_visible
from service.store.tables import applications, cases, signals, subjects

OWNERS: Mapping[str, tuple[sa.Table, Resource]] = {
    "application": (applications, Resource.APPLICATION),
    "signal": (signals, Resource.SIGNAL),
    "case": (cases, Resource.CASE),
}
UNDERMINING = ("signal", "case")


@attrs.frozen
class SubjectKey:
    """One normalised key, e.g. `("person.bsn", "…")` or `("address", "3831AB|12|A")`; made by `bibob.matching`."""

    kind: str
    key: str


@attrs.frozen
class SubjectOwner:
    """A dossier that holds a key."""

    owner_type: str
    owner_id: str
    subject: SubjectKey


def set_subject_keys(
    conn: Connection, principal: Principal, owner_type: str, owner_id: str, keys: Iterable[SubjectKey], reason: str = ""
) -> None:
    """Replace the keys of a dossier the principal may change."""
    table, resource = _owner(owner_type)
    visible = condition(principal, resource, Action.UPDATE, owner_id)
    audit.lock_chain(conn)
    require_visible(conn, table, resource.value, owner_id, visible)
    owned = sa.and_(subjects.c.owner_type == owner_type, subjects.c.owner_id == owner_id)
    conn.execute(subjects.delete().where(owned))
    rows = [{"kind": k.kind, "key": k.key, "owner_type": owner_type, "owner_id": owner_id} for k in _unique(keys)]
    if rows:
        conn.execute(subjects.insert(), rows)
    audit.append(conn, principal, "subjects.update", owner_type, owner_id, reason)


def find_owners(
    conn: Connection, principal: Principal, owner_type: str, keys: Iterable[SubjectKey], reason: str = ""
) -> tuple[SubjectOwner, ...]:
    """The dossiers of `owner_type` that the principal may see and that hold any of `keys` (blocking, not a scan)."""
    table, resource = _owner(owner_type)
    visible = condition(principal, resource, Action.READ)
    audit.lock_chain(conn)
    matches = _matching(owner_type, keys).where(subjects.c.owner_id.in_(sa.select(table.c.id).where(visible)))
    rows = conn.execute(matches.order_by(subjects.c.owner_id, subjects.c.kind, subjects.c.key)).all()
    owners = tuple(SubjectOwner(owner_type, row.owner_id, SubjectKey(row.kind, row.key)) for row in rows)
    audit.append_many(conn, principal, "subject.match", owner_type, sorted({o.owner_id for o in owners}), reason)
    return owners


def known_in_undermining(
    conn: Connection, principal: Principal, application_id: str, keys: Iterable[SubjectKey], reason: str = ""
) -> bool:
    """Whether any key of this application's subjects occurs in a signal or case: a yes/no, never which one."""
    condition(principal, Resource.KNOWN_SUBJECT, Action.READ, application_id)
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    keys = tuple(keys)
    known = any(conn.execute(_matching(owner, keys).limit(1)).first() for owner in UNDERMINING)
    audit.append(conn, principal, "subject.knownCheck", "application", application_id, reason)
    return known


def _matching(owner_type: str, keys: Iterable[SubjectKey]) -> sa.Select[tuple[str, str, str]]:
    pairs = [sa.and_(subjects.c.kind == k.kind, subjects.c.key == k.key) for k in keys]
    query = sa.select(subjects.c.owner_id, subjects.c.kind, subjects.c.key)
    return query.where(subjects.c.owner_type == owner_type, sa.or_(sa.false(), *pairs))


def _owner(owner_type: str) -> tuple[sa.Table, Resource]:
    if owner_type not in OWNERS:
        message = "onbekend soort dossier; kies uit " + ", ".join(OWNERS)
        raise InvalidInputError([Problem("/ownerType", "ownerType.unknown", message)])
    return OWNERS[owner_type]


def _unique(keys: Iterable[SubjectKey]) -> list[SubjectKey]:
    return sorted(set(keys), key=lambda k: (k.kind, k.key))
