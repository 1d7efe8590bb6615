"""Normalised subject keys (BSN, KvK, name + birth date, address …) of dossiers, for matching across them."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from bibob.matching import MAX_CANDIDATES, Subject, blocking_keys, query_blocks
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
    "permit": (applications, Resource.PERMIT_WATCH),  # a granted permit's subjects, for the watch
    "lbbAdvice": (applications, Resource.PERMIT_WATCH),  # the subjects an LBB advice was about (five-year reuse)
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


@attrs.frozen
class Lookup:
    """The keys one subject is looked up under: identifiers (always read), then the others (smallest block first)."""

    identifiers: tuple[SubjectKey, ...]
    others: tuple[SubjectKey, ...]


def stored_key(block: str) -> SubjectKey:
    """The one place a matching block becomes the key stored and looked up ('P:dob:1980-02-03' → 'P:dob', '1980-…').

    Every write (`keys_of`) and every lookup (`lookups_of`) goes through here; the database holds it sealed
    (`sealed_key`).
    """
    tag, kind, key = block.split(":", 2)
    return SubjectKey(f"{tag}:{kind}", key[:KEY_LENGTH])


def sealed_key(conn: Connection, key: SubjectKey) -> SubjectKey:
    """The key as the database holds it: its kind, and an HMAC-SHA256 of kind and key with the subjects key kept
    outside the database (`service.store.keys`), never the BSN, name or address itself. Every write and lookup of
    the subject-key table goes through here."""
    return _sealed(keyring_for(conn).subjects, key)


def _sealed(secret: bytes, key: SubjectKey) -> SubjectKey:
    material = f"{key.kind}\x00{key.key}".encode()
    return SubjectKey(key.kind, hmac.new(secret, material, hashlib.sha256).hexdigest())


def _sealed_lookup(secret: bytes, lookup: Lookup) -> Lookup:
    return Lookup(
        tuple(_sealed(secret, k) for k in lookup.identifiers), tuple(_sealed(secret, k) for k in lookup.others)
    )


def _rows(conn: Connection, owner_type: str, owner_id: str, keys: Iterable[SubjectKey]) -> list[dict[str, str]]:
    secret = keyring_for(conn).subjects
    sealed = _unique(_sealed(secret, k) for k in keys)
    return [{"kind": k.kind, "key": k.key, "owner_type": owner_type, "owner_id": owner_id} for k in sealed]


def keys_of(subjects: Iterable[Subject]) -> tuple[SubjectKey, ...]:
    """The stored keys of subjects: their matching blocks."""
    return tuple(_unique(stored_key(block) for subject in subjects for block in blocking_keys(subject)))


def lookups_of(subjects: Iterable[Subject]) -> tuple[Lookup, ...]:
    """What each subject is looked up under: the blocks an in-memory `SubjectIndex` would read for it."""
    found = []
    for subject in subjects:
        identifiers, others = query_blocks(subject)
        found.append(Lookup(tuple(map(stored_key, identifiers)), tuple(map(stored_key, others))))
    return tuple(found)


def candidate_owners(
    conn: Connection, owner_types: Iterable[str], lookups: Iterable[Lookup], limit: int = MAX_CANDIDATES
) -> dict[str, tuple[str, ...]]:
    """The ids of the dossiers of `owner_types` worth comparing with the looked-up subjects, by index, per type.

    Two statements over the subject-key index whatever the register's size: the size of each block (counted up to
    just over `limit`: a larger block is not read), then the holders of every identifier block and, per subject, of
    its smallest other blocks up to `limit` holders (as `SubjectIndex.candidates` does). Reads no document and
    checks no need-to-know: the caller acts under its own rule (e.g. `service.store.evidence_link`) and reads only
    the dossiers named here.
    """
    secret = keyring_for(conn).subjects
    owner_types, lookups = tuple(owner_types), tuple(_sealed_lookup(secret, lookup) for lookup in lookups)
    others = _unique(key for lookup in lookups for key in lookup.others)
    sizes = _sizes(conn, owner_types, others, limit + 1) if owner_types else {}
    chosen = {key for lookup in lookups for key in lookup.identifiers}
    for lookup in lookups:
        taken = 0
        for key in sorted((k for k in lookup.others if k in sizes), key=lambda k: (sizes[k], k.kind, k.key)):
            if taken + sizes[key] > limit:
                break
            chosen.add(key)
            taken += sizes[key]
    found: dict[str, dict[str, None]] = {owner_type: {} for owner_type in owner_types}
    if chosen and owner_types:
        statement, parameters = _holders(owner_types, _unique(chosen))
        for row in conn.execute(statement, parameters):
            found[row.owner_type][row.owner_id] = None
    return {owner_type: tuple(sorted(ids)) for owner_type, ids in found.items()}


def _sizes(conn: Connection, owner_types: tuple[str, ...], keys: list[SubjectKey], cap: int) -> dict[SubjectKey, int]:
    """Each key's number of holders of `owner_types`, counted up to `cap`; keys nobody holds are left out.

    A block larger than the lookup's limit is never read, so its size beyond that does not matter: counting stops at
    `cap` (one more than the limit), and the work stays the same however large a common name's block grows. One
    statement per `SIZES_PER_STATEMENT` keys, a capped count per key.
    """
    sizes: dict[SubjectKey, int] = {}
    for start in range(0, len(keys), SIZES_PER_STATEMENT):
        chunk = keys[start : start + SIZES_PER_STATEMENT]
        width = next(width for width in _WIDTHS if width >= len(chunk))
        chunk += chunk[-1:] * (width - len(chunk))  # the last key again: a few statements serve any number of keys
        parameters: dict[str, Any] = {f"owner_type_{number}": name for number, name in enumerate(owner_types)}
        parameters["cap"] = cap
        for number, key in enumerate(chunk):
            parameters[f"kind_{number}"], parameters[f"key_{number}"] = key.kind, key.key
        for row in conn.execute(_capped_sizes(width, len(owner_types)), parameters):
            if row[1]:
                sizes[chunk[int(row[0])]] = int(row[1])
    return sizes


#: Keys whose sizes one statement counts at most (SQLite allows 500 terms in a compound SELECT), and the numbers of
#: keys statements are built for: fewer keys are padded to the next, so that only these few are ever compiled.
SIZES_PER_STATEMENT = 64
_WIDTHS = (1, 2, 4, 8, 12, 16, 24, 32, 48, SIZES_PER_STATEMENT)


@functools.lru_cache(maxsize=4 * len(_WIDTHS))
def _capped_sizes(keys: int, owner_types: int) -> sa.TextClause:
    """`SELECT n, count(*) FROM (SELECT owner_id … WHERE kind = :kind_n AND key = :key_n … LIMIT :cap)` per key n.

    Each count reads at most `cap` entries of the (kind, key, …) index; made once per number of keys and of owner
    types, whose names are plain parameters (an expanding IN list would be rewritten into the text per count, per
    use). Written as SQL text, the same on SQLite and PostgreSQL: compiling the same statement built as an expression
    cost a request about 6 ms per width, once per process.
    """
    held = " OR ".join(f"owner_type = :owner_type_{number}" for number in range(owner_types))
    counts = (
        f'SELECT {number}, count(*) FROM (SELECT owner_id FROM {subjects.name} WHERE kind = :kind_{number} AND "key" = '
        f":key_{number} AND ({held}) LIMIT :cap) AS block_{number}"
        for number in range(keys)
    )
    return sa.text(" UNION ALL ".join(counts))


def _holders(owner_types: tuple[str, ...], keys: Iterable[SubjectKey]) -> tuple[sa.Select[Any], dict[str, Any]]:
    """The statement reading who of `owner_types` holds any of `keys`, and its parameters.

    Per kind, `kind = ? AND key IN (…)`, each answered by the (kind, key, …) index. (A row-value IN list would be
    cheaper to build, but SQLite scans the index for it instead of searching.) The statement is built once per
    number of kinds (`_statement`) and bound to the keys here: building it anew per lookup cost more
    than running it.
    """
    by_kind: dict[str, list[str]] = {}
    for k in keys:
        by_kind.setdefault(k.kind, []).append(k.key)
    parameters: dict[str, Any] = {"owner_types": list(owner_types)}
    for number, (kind, values) in enumerate(by_kind.items()):
        parameters[f"kind_{number}"], parameters[f"keys_{number}"] = kind, values
    return _statement(len(by_kind)), parameters


@functools.lru_cache(maxsize=64)
def _statement(kinds: int) -> sa.Select[Any]:
    """Who holds any key, over `kinds` (kind, keys) parameters."""
    any_of = sa.or_(
        sa.false(),
        *(
            sa.and_(
                subjects.c.kind == sa.bindparam(f"kind_{number}"),
                subjects.c.key.in_(sa.bindparam(f"keys_{number}", expanding=True)),
            )
            for number in range(kinds)
        ),
    )
    held = subjects.c.owner_type.in_(sa.bindparam("owner_types", expanding=True))
    return sa.select(subjects.c.owner_type, subjects.c.owner_id).where(held, any_of)


def add_keys_of_new_owner(conn: Connection, owner_type: str, owner_id: str, keys: Iterable[SubjectKey]) -> None:
    """Write the keys of a dossier created in this same transaction (its creator may index it, e.g. an intake)."""
    _owner(owner_type)
    rows = _rows(conn, owner_type, owner_id, keys)
    if rows:
        conn.execute(subjects.insert(), rows)


def search_documents(
    conn: Connection, principal: Principal, lookups: Iterable[Lookup], reason: str = ""
) -> tuple[OwnerDocument, ...]:
    """The signals and cases the principal may read that are candidates for `lookups`, with their documents.

    Signals count only for who may also weigh them (the intake partner reads nothing back); a
    principal who may read neither gets `NotFoundError`. Each dossier found is audited.
    """
    readable = searchable(principal)
    audit.lock_chain(conn)
    candidates = candidate_owners(conn, readable, lookups)
    found: list[OwnerDocument] = []
    for owner_type in readable:
        table, resource = OWNERS[owner_type]
        visible = condition(principal, resource, Action.READ)
        ids = candidates[owner_type]
        query = sa.select(table.c.id, table.c.document).where(visible, table.c.id.in_(ids)).order_by(table.c.id)
        rows = conn.execute(query).all() if ids else []
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
    asked = {sealed_key(conn, k): k for k in keys}  # as held → the key as asked
    matches = _matching(conn, owner_type, keys).where(subjects.c.owner_id.in_(sa.select(table.c.id).where(visible)))
    rows = conn.execute(matches).all()
    owners = tuple(SubjectOwner(owner_type, row.owner_id, asked[SubjectKey(row.kind, row.key)]) for row in rows)
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
    sealed = (sealed_key(conn, k) for k in keys)
    pairs = [sa.and_(subjects.c.kind == k.kind, subjects.c.key == k.key) for k in sealed]
    query = sa.select(subjects.c.owner_id, subjects.c.kind, subjects.c.key)
    return query.where(subjects.c.owner_type == owner_type, sa.or_(sa.false(), *pairs))


def _owner(owner_type: str) -> tuple[sa.Table, Resource]:
    if owner_type not in OWNERS:
        message = "onbekend soort dossier; kies uit " + ", ".join(OWNERS)
        raise InvalidInputError([Problem("/ownerType", "ownerType.unknown", message)])
    return OWNERS[owner_type]


def _unique(keys: Iterable[SubjectKey]) -> list[SubjectKey]:
    return sorted(set(keys), key=lambda k: (k.kind, k.key))
