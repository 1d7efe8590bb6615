"""The dossier for objection and court (Awb 7:4, 8:42): a numbered index of documents with dates, and what was left
out with the reason (art. 28 Wet Bibob, Awb 8:29) — as values; the archive is written at the edge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.exceptions import InvalidInputError, Problem


@attrs.frozen
class DossierDocument:
    """One document of the dossier: a stable code to choose it by, its title, date and file."""

    code: str
    title: str
    date: dt.date | None
    filename: str
    content: bytes = attrs.field(repr=False)


@attrs.frozen
class DossierEntry:
    """A numbered line of the index: the document, or the record that it was left out and why."""

    number: int
    document: DossierDocument
    omitted_because: str = ""

    @property
    def path(self) -> str:
        """The document's path in the archive, numbered as in the index; empty when left out."""
        return "" if self.omitted_because else f"{self.number:02d}-{self.document.filename}"


@attrs.frozen
class Dossier:
    """The index of the dossier, who made it, when, for whom and why."""

    application_id: str
    entries: tuple[DossierEntry, ...]
    made_by: str
    made_at: dt.datetime
    recipient: str
    reason: str

    @property
    def omitted(self) -> tuple[DossierEntry, ...]:
        """The entries left out, with their reasons."""
        return tuple(entry for entry in self.entries if entry.omitted_because)


def compile_dossier(
    application_id: str, documents: tuple[DossierDocument, ...], omit: Mapping[str, str], *, made_by: str,
    made_at: dt.datetime, recipient: str, reason: str,
) -> Dossier:  # fmt: skip
    """Number `documents` by date (undated last, in the given order) and leave out those `omit` names with a reason.

    Raises `InvalidInputError` naming every code `omit` has that no document has, and every empty reason.
    """
    known = {document.code for document in documents}
    problems = [Problem(f"/omit/{code}", "dossier.unknownDocument", "geen stuk van dit dossier") for code in omit
                if code not in known]  # fmt: skip
    problems += [Problem(f"/omit/{code}", "dossier.noReason", "geef de reden om dit stuk weg te laten")
                 for code, why in omit.items() if code in known and not why.strip()]  # fmt: skip
    if problems:
        raise InvalidInputError(problems)
    last = dt.date.max
    ordered = sorted(documents, key=lambda d: d.date or last)  # stable: the given order within a day
    entries = tuple(DossierEntry(n, d, omit.get(d.code, "").strip()) for n, d in enumerate(ordered, 1))
    return Dossier(application_id, entries, made_by, made_at, recipient, reason)


def index_document(dossier: Dossier) -> dict[str, Any]:
    """The index as JSON: every numbered document with its date and file, or the reason it was left out."""
    return {
        "applicationId": dossier.application_id,
        "madeBy": dossier.made_by,
        "madeAt": dossier.made_at.isoformat(),
        "recipient": dossier.recipient,
        "reason": dossier.reason,
        "documents": [
            {
                "number": e.number,
                "code": e.document.code,
                "title": e.document.title,
                "date": e.document.date.isoformat() if e.document.date else None,
                "file": e.path or None,
                "omittedBecause": e.omitted_because or None,
            }
            for e in dossier.entries
        ],
    }


def omission_record(dossier: Dossier) -> dict[str, Any]:
    """The record of what was left out (Awb 8:29; art. 28 Wet Bibob), by whom and when."""
    return {
        "applicationId": dossier.application_id,
        "decidedBy": dossier.made_by,
        "decidedAt": dossier.made_at.isoformat(),
        "recipient": dossier.recipient,
        "omitted": [
            {"number": e.number, "code": e.document.code, "title": e.document.title, "reason": e.omitted_because}
            for e in dossier.omitted
        ],
    }


def index_text(dossier: Dossier) -> str:
    """The index as a court reads it: 'nr. — stuk — datum — bestand'."""
    lines = [f"Inventarislijst dossier {dossier.application_id}", f"Opgemaakt door {dossier.made_by} op "
             f"{dossier.made_at:%d-%m-%Y %H:%M}, voor {dossier.recipient}", ""]  # fmt: skip
    for entry in dossier.entries:
        date = f"{entry.document.date:%d-%m-%Y}" if entry.document.date else "zonder datum"
        where = entry.path or f"weggelaten: {entry.omitted_because}"
        lines.append(f"{entry.number}. {entry.document.title} — {date} — {where}")
    return "\n".join(lines) + "\n"
