"""Stored documents replayed once per version: a stored version never changes, so what it replays to is kept.

A lookup (the agenda, the known-subject check, a decision's link, a subject search) names the rows it needs by
(id, version) from an index; only the versions not replayed before are read (their documents decrypted) and
replayed. One process's memory, bounded (`MAX_KEPT`, emptied when full); a `kind` keeps apart what different
readers make of the same row (e.g. a case as the agenda replays it, and as the evidence link does).

A version read in a transaction is kept only once that transaction commits: a transaction can read its own
uncommitted version, and were it rolled back, the same (id, version) could later be written with other contents.
Until the commit it is kept on the connection (`conn.info`), where a rollback (or a savepoint's) drops it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

#: What a committed document replayed to, by (kind, id, version).
_KEPT: dict[tuple[str, str, int], object] = {}
MAX_KEPT = 100_000
_PENDING = "bibob.replays.pending"


def at_versions(
    conn: Connection,
    kind: str,
    versions: Iterable[tuple[str, int]],
    read: Callable[[list[str]], Mapping[str, Any]],
    replay: Callable[[Any], object],
) -> dict[str, object]:
    """What each (id, version) replays to, by id in the order given: kept ones as kept, the others read and replayed.

    `read(ids)` returns the documents of the ids it finds (by id); an id it does not return is left out (e.g. no
    longer visible, or deleted since it was listed). `replay(document)` is called once per version read; what it
    makes is kept once `conn`'s transaction commits.
    """
    versions = tuple(versions)
    pending: dict[tuple[str, str, int], object] = conn.info.setdefault(_PENDING, {})
    found = {i: _KEPT.get((kind, i, v), pending.get((kind, i, v), _MISSING)) for i, v in versions}
    missing = [i for i, kept in found.items() if kept is _MISSING]
    documents = read(missing) if missing else {}
    for identifier, version in versions:
        if identifier in documents:
            found[identifier] = pending[kind, identifier, version] = replay(documents[identifier])
    return {i: kept for i, kept in found.items() if kept is not _MISSING}


def _keep(conn: Connection) -> None:
    """The transaction committed: what it replayed is kept."""
    pending = conn.info.pop(_PENDING, None)
    if pending:
        if len(_KEPT) + len(pending) > MAX_KEPT:
            _KEPT.clear()
        _KEPT.update(pending)


def forget(conn: Connection, *_: object) -> None:
    """What `conn`'s transaction replayed so far is not kept: it began, or it (or a savepoint in it) rolled back.

    Called by the engine's events; a savepoint rolled back in plain SQL on the driver (the group commit's) calls it
    itself. An invalidated connection is left alone: its driver connection, and what it kept, is thrown away."""
    if not conn.invalidated:
        conn.info.pop(_PENDING, None)


sa.event.listen(sa.engine.Engine, "commit", _keep)
for _event in ("begin", "rollback", "rollback_savepoint"):
    sa.event.listen(sa.engine.Engine, _event, forget)


_MISSING = object()
