"""Normalised subject keys (BSN, KvK, name + birth date, address …) of dossiers, for matching across them."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from bibob.matching import Subject, blocking_keys
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition, scope
from service.store.keys import keyring_for
from service.store.rows import require_visible
from service.store.tables import applications, cases, signals, subjects

OWNERS: Mapping[str, tuple[sa.Table, Resource]] = {
    "application": (applications, Resource.APPLICATION),
    "signal": (signals, Resource.SIGNAL),
    "case": (cases, Resource.CASE),
}
UNDERMINING = ("signal", "case")
KEY_LENGTH = 256  # the width of subjects.key


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


@attrs.frozen
class OwnerDocument:
    """A signal or case that holds a searched key, with its JSON document (for the explanation of the match)."""

    owner_type: str
    owner_id: str
    document: Mapping[str, Any]


def stored_key(conn: Connection, key: SubjectKey) -> str:
    """How a subject key is stored and looked up: an HMAC-SHA256 with the subjects key kept outside the database
    (`service.store.keys`), never the BSN, name or address itself. The one place that derives it: call this."""
    material = f"{key.kind}\x00{key.key}".encode()
    return hmac.new(keyring_for(conn).subjects, material, hashlib.sha256).hexdigest()


def _rows(conn: Connection, owner_type: str, owner_id: str, keys: Iterable[SubjectKey]) -> list[dict[str, str]]:
    return [
        {"kind": k.kind, "key": stored_key(conn, k), "owner_type": owner_type, "owner_id": owner_id}
        for k in _unique(keys)
    ]


def keys_of(subjects: Iterable[Subject]) -> tuple[SubjectKey, ...]:
    """The stored keys of subjects: their matching blocks ('P:dob:1980-02-03' → kind 'P:dob', key '1980-02-03')."""
    found = (block.split(":", 2) for subject in subjects for block in blocking_keys(subject))
    return tuple(_unique(SubjectKey(f"{tag}:{kind}", key[:KEY_LENGTH]) for tag, kind, key in found))


def add_keys_of_new_owner(conn: Connection, owner_type: str, owner_id: str, keys: Iterable[SubjectKey]) -> None:
    """Write the keys of a dossier created in this same transaction (its creator may index it, e.g. an intake)."""
    _owner(owner_type)
    rows = _rows(conn, owner_type, owner_id, keys)
    if rows:
        conn.execute(subjects.insert(), rows)


def search_documents(
    conn: Connection, principal: Principal, keys: Iterable[SubjectKey], reason: str = ""
) -> tuple[OwnerDocument, ...]:
    """The signals and cases the principal may read that hold any of `keys`, with their documents.

    Signals count only for who may also weigh them (the intake partner reads nothing back); a
    principal who may read neither gets `NotFoundError`. Each dossier found is audited.
    """
    keys = tuple(keys)
    readable = searchable(principal)
    audit.lock_chain(conn)
    found: list[OwnerDocument] = []
    for owner_type in readable:
        table, resource = OWNERS[owner_type]
        visible = condition(principal, resource, Action.READ)
        holders = _matching(conn, owner_type, keys).with_only_columns(subjects.c.owner_id)
        query = sa.select(table.c.id, table.c.document).where(visible, table.c.id.in_(holders)).order_by(table.c.id)
        rows = conn.execute(query).all()
        found.extend(OwnerDocument(owner_type, row.id, row.document) for row in rows)
        audit.append_many(conn, principal, "subject.search", owner_type, [row.id for row in rows], reason)
    return tuple(found)


def searchable(principal: Principal) -> tuple[str, ...]:
    """The owner types the principal may search; none: `NotFoundError` (ask this before reading a search body)."""
    readable = tuple(owner for owner in UNDERMINING if _may_search(principal, owner))
    if not readable:
        raise NotFoundError("betrokkene", "")
    return readable


def _may_search(principal: Principal, owner_type: str) -> bool:
    _, resource = OWNERS[owner_type]
    readable = scope(principal, resource, Action.READ) is not None
    return readable and (owner_type != "signal" or scope(principal, resource, Action.UPDATE) is not None)


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
    rows = _rows(conn, owner_type, owner_id, keys)
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
    keys = tuple(keys)
    asked = {(k.kind, stored_key(conn, k)): k for k in keys}  # stored hash → the key as asked
    matches = _matching(conn, owner_type, keys).where(subjects.c.owner_id.in_(sa.select(table.c.id).where(visible)))
    rows = conn.execute(matches.order_by(subjects.c.owner_id, subjects.c.kind, subjects.c.key)).all()
    owners = tuple(SubjectOwner(owner_type, row.owner_id, asked[row.kind, row.key]) for row in rows)
    owners = tuple(sorted(owners, key=lambda o: (o.owner_id, o.subject.kind, o.subject.key)))
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
    known = any(conn.execute(_matching(conn, owner, keys).limit(1)).first() for owner in UNDERMINING)
    audit.append(conn, principal, "subject.knownCheck", "application", application_id, reason)
    return known


def _matching(conn: Connection, owner_type: str, keys: Iterable[SubjectKey]) -> sa.Select[tuple[str, str, str]]:
    pairs = [sa.and_(subjects.c.kind == k.kind, subjects.c.key == stored_key(conn, k)) for k in keys]
    query = sa.select(subjects.c.owner_id, subjects.c.kind, subjects.c.key)
    return query.where(subjects.c.owner_type == owner_type, sa.or_(sa.false(), *pairs))


def _owner(owner_type: str) -> tuple[sa.Table, Resource]:
    if owner_type not in OWNERS:
        message = "onbekend soort dossier; kies uit " + ", ".join(OWNERS)
        raise InvalidInputError([Problem("/ownerType", "ownerType.unknown", message)])
    return OWNERS[owner_type]


def _unique(keys: Iterable[SubjectKey]) -> list[SubjectKey]:
    return sorted(set(keys), key=lambda k: (k.kind, k.key))
