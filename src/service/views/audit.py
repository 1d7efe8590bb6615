"""The audit log on the wire: its entries, a chain head read from a body, and the outcome of a check."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Role
from service.store.audit import AuditEntry, AuditFilter, ChainHead, VerifyResult
from service.store.subject_access import Holding
from service.views.inputs import json_object, moment

T = TypeVar("T")

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


_KEY = re.compile(r"[A-Za-z][A-Za-z0-9.]{0,63}")  # an action or object type as the log writes them
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a CSV cell starting so is a formula to a spreadsheet
CSV_COLUMNS = ("seq", "at", "user", "role", "action", "objectType", "objectId", "reason")


def audit_filter(
    *,
    user: str | None = None,
    role: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    denied: bool = False,
    up_to_seq: str | None = None,
) -> AuditFilter:
    """The privacy officer's filter from query values (empty means not filtered); every problem at once, named by
    its query parameter. `since` and `until` are days in Dutch time (JJJJ-MM-DD), both inclusive."""
    problems: list[Problem] = []

    def checked(read: Callable[[], T]) -> T | None:
        try:
            return read()
        except InvalidInputError as error:
            problems.extend(error.problems)
            return None

    user, role, object_type, object_id, action, since, until, up_to_seq = (
        (value.strip() or None) if value is not None else None
        for value in (user, role, object_type, object_id, action, since, until, up_to_seq)
    )
    if user is not None and (len(user) > 128 or not user.isprintable()):
        problems.append(Problem("user", "invalidUser", "een gebruikersnaam van 1 tot 128 tekens"))
    if role is not None and Role.parse(role) is None:
        problems.append(Problem("role", "unknownRole", "onbekende rol"))
    for name, value in (("objectType", object_type), ("action", action)):
        if value is not None and not _KEY.fullmatch(value):
            problems.append(Problem(name, "invalidKey", "letters, cijfers en punten, hoogstens 64 tekens"))
    if object_id is not None and (len(object_id) > 36 or not object_id.isprintable()):
        problems.append(Problem("objectId", "invalidId", "een kenmerk van hoogstens 36 tekens"))
    start = checked(lambda: moment(_iso_day(since), "from"))
    end = checked(lambda: moment(_iso_day(until), "to", end=True))
    if start is not None and end is not None and end <= start:
        problems.append(Problem("to", "periodReversed", "de einddatum ligt vóór de begindatum"))
    seq = None
    if up_to_seq is not None:
        seq = int(up_to_seq) if up_to_seq.isdigit() and len(up_to_seq) < 19 else None
        if seq is None:
            problems.append(Problem("upToSeq", "schema.type", f"verwacht: geheel getal van 0 tot {MAX_SEQ}"))
    if problems:
        raise InvalidInputError(problems)
    return AuditFilter(user, role, object_type, object_id, action, start, end, denied, seq)


def _iso_day(value: str | None) -> str | None:
    """A day as JJJJ-MM-DD; a Dutch DD-MM-JJJJ (as typed on a page) is turned around first."""
    found = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value or "")
    return f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}" if found else value


def as_csv(entries: Iterable[AuditEntry]) -> str:
    """The rows as CSV (RFC 4180, a header first); a cell a spreadsheet would run as a formula starts with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        view = entry_view(entry)
        writer.writerow([_cell(view[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def as_json_lines(entries: Iterable[AuditEntry]) -> str:
    """The rows as JSON Lines: one object per line, as `GET /audit-log` shows them."""
    return "".join(json.dumps(entry_view(entry), ensure_ascii=False) + "\n" for entry in entries)


def _cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value
