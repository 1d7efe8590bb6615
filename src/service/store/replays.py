"""Stored documents replayed once per version: a stored version never changes, so what it replays to is kept.

A lookup (the agenda, the known-subject check, a decision's link, a subject search) names the rows it needs by
(id, version) from an index; only the versions not replayed before are read (their documents decrypted) and
replayed. One process's memory, bounded (`MAX_KEPT`, emptied when full); a `kind` keeps apart what different
readers make of the same row (e.g. a case as the agenda replays it, and as the evidence link does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: What a document replayed to, by (kind, id, version).
_KEPT: dict[tuple[str, str, int], object] = {}
MAX_KEPT = 100_000


def at_versions(
    kind: str,
    versions: Iterable[tuple[str, int]],
    read: Callable[[list[str]], Mapping[str, Any]],
    replay: Callable[[Any], object],
) -> dict[str, object]:
    """What each (id, version) replays to, by id in the order given: kept ones as kept, the others read and replayed.

    `read(ids)` returns the documents of the ids it finds (by id); an id it does not return is left out (e.g. no
    longer visible, or deleted since it was listed). `replay(document)` is called once per version read.
    """
    versions = tuple(versions)
    found = {i: _KEPT.get((kind, i, v), _MISSING) for i, v in versions}
    missing = [i for i, kept in found.items() if kept is _MISSING]
    documents = read(missing) if missing else {}
    if len(_KEPT) + len(documents) > MAX_KEPT:
        _KEPT.clear()
    for identifier, version in versions:
        if identifier in documents:
            found[identifier] = _KEPT[kind, identifier, version] = replay(documents[identifier])
    return {i: kept for i, kept in found.items() if kept is not _MISSING}


_MISSING = object()
