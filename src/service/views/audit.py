"""The audit log on the wire: its entries, a chain head read from a body, and the outcome of a check."""

from __future__ import annotations

from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from service.store.audit import AuditEntry, ChainHead, VerifyResult
from service.store.subject_access import Holding
from service.views.inputs import json_object

MAX_SEQ = 2**63 - 1  # the largest sequence number a database integer holds


def entry_view(entry: AuditEntry) -> dict[str, Any]:
    """One row of the log: ids, actions and reasons only."""
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "user": entry.user,
        "role": entry.role,
        "action": entry.action,
        "objectType": entry.object_type,
        "objectId": entry.object_id,
        "reason": entry.reason,
    }


def verify_view(result: VerifyResult) -> dict[str, Any]:
    """Whether the chain is intact, how many rows were checked, and the first broken link in Dutch."""
    return {
        "ok": result.ok,
        "checked": result.checked,
        "firstBrokenSeq": result.first_broken_seq,
        "code": result.code or None,
        "message": result.message or "De keten van het auditlogboek is intact.",
    }


def subject_access_view(found: tuple[Holding, ...]) -> dict[str, Any]:
    """The subject access report: each dossier holding the person, with what is withheld and why."""
    return {
        "count": len(found),
        "dossiers": [
            {
                "type": holding.owner_type,
                "id": holding.owner_id,
                "status": holding.status,
                "since": holding.since.isoformat(),
                "destroyOn": holding.destroy_on.isoformat() if holding.destroy_on else None,
                "matchedOn": list(holding.matched),
                "categories": holding.categories,
                "withheld": holding.withheld,
            }
            for holding in found
        ],
    }


def anchor(body: object) -> ChainHead | None:
    """The exported chain head a verification starts from (`{"anchor": {seq, hash}}`), or None for `{}`."""
    fields = json_object(body, ("anchor",))
    if "anchor" not in fields:
        return None
    raw = json_object(fields["anchor"], ("seq", "hash"), ("seq", "hash"))
    seq, digest = raw["seq"], raw["hash"]
    problems = []
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq <= MAX_SEQ:
        problems.append(Problem("/anchor/seq", "schema.type", f"verwacht: geheel getal van 0 tot {MAX_SEQ}"))
    if not isinstance(digest, str) or len(digest) != 64:
        problems.append(Problem("/anchor/hash", "schema.format", "verwacht: sha256 in hex (64 tekens)"))
    if problems:
        raise InvalidInputError(problems)
    return ChainHead(seq, digest)
