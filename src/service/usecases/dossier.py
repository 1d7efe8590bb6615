"""The dossier for objection and court: every document of the file numbered with its date, in one archive, with the
choice of what to leave out and the record of that choice (art. 28 Wet Bibob, Awb 7:4, 8:29, 8:42).

Only who reads the investigation (the coordinator, the mayor) compiles it; the export is audited and recorded as a
disclosure to the objection committee or the court, with what was left out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from bibob.letters import (
    Dossier,
    DossierDocument,
    LetterKind,
    compile_dossier,
    index_document,
    index_text,
    omission_record,
)
from bibob.policy import Policy
from bibob.terms import AtwCalendar
from bibob.undermining import Direction, Disclosure, DisclosureBasis
from service.store import audit, disclosures
from service.store import letters as stored_letters
from service.store.access import Action, Resource, require
from service.store.assessments import Record, list_assessments, list_decisions, list_investigations
from service.usecases.applications import timeline
from service.usecases.session import Session
from service.views.applications import timeline_view
from service.views.inputs import json_object

RECIPIENTS = {"objectionCommittee": "de commissie bezwaarschriften (Awb 7:13)", "court": "de rechtbank (Awb 8:42)"}
EXPORT_FIELDS = ("recipient", "omit", "reason")
MAX_TEXT = 2000


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _day(at: dt.datetime) -> dt.date:
    return at.date()


def _records(records: tuple[Record, ...], code: str, title: str, view: str | None = None) -> list[DossierDocument]:
    found = []
    for n, record in enumerate(records, 1):
        content = record.document.get(view, {}) if view else record.document
        suffix = f"-{n}" if len(records) > 1 else ""
        found.append(DossierDocument(f"{code}{suffix}", f"{title}{f' {n}' if suffix else ''}", _day(record.created_at),
                                     f"{code}{suffix}.json", _json(content)))  # fmt: skip
    return found


def _documents(session: Session, policy: Policy, calendar: AtwCalendar, application_id: str) -> list[DossierDocument]:
    conn, principal, reason = session.conn, session.principal, session.reason
    found = timeline(session, policy, calendar, application_id, None)
    stored = found.application
    view = timeline_view(stored, found.deadlines, found.on, found.basis, full=True)
    documents = [
        DossierDocument("application", "Aanvraag (gegevens en verloop)", stored.received, "aanvraag.json",
                        _json({"id": stored.id, "permitType": stored.permit_type, "legalAct": stored.legal_act,
                               "track": stored.track, "received": stored.received, "state": stored.state})),
        DossierDocument("answers", "Ingevuld Bibob-vragenformulier", stored.received, "vragenformulier.json",
                        _json(dict(stored.answers))),
    ]  # fmt: skip
    assessments = list_assessments(conn, principal, application_id, reason)
    documents += _records(assessments, "assessment-permit-officer", "Beoordeling zoals de vergunningverlener die ziet",
                          "permitOfficer")  # fmt: skip
    documents += _records(assessments, "assessment-coordinator", "Beoordeling zoals de Bibob-coördinator die ziet",
                          "full")  # fmt: skip
    documents += _records(list_investigations(conn, principal, application_id, reason), "investigation",
                          "Dossier eigen onderzoek")  # fmt: skip
    documents += _records(list_decisions(conn, principal, application_id, reason), "decision", "Besluit")
    for letter, pdf in stored_letters.all_files(conn, principal, application_id, reason):
        day = dt.date.fromisoformat(str(letter.document.get("date", _day(letter.created_at))))
        documents.append(
            DossierDocument(f"letter-{letter.id}", _letter_title(letter.kind), day, f"{letter.name}.pdf", pdf)
        )
    documents.append(DossierDocument("timeline", "Tijdlijn: gebeurtenissen en termijnen", found.on, "tijdlijn.json",
                                     _json(view)))  # fmt: skip
    reads = stored_letters.file_audit(conn, principal, application_id)
    rows = [{"seq": e.seq, "at": e.at.isoformat(), "user": e.user, "role": e.role, "action": e.action,
             "reason": e.reason} for e in reads]  # fmt: skip
    documents.append(DossierDocument("audit", "Wie het dossier heeft ingezien of gewijzigd (auditlog)", found.on,
                                     "auditlog.json", _json(rows)))  # fmt: skip
    return documents


def _letter_title(kind: str) -> str:
    found = LetterKind.parse(kind)
    return f"Brief: {found.label}" if found else f"Brief: {kind}"


def _choices(body: object) -> tuple[str, dict[str, str], str]:
    data = json_object(body, EXPORT_FIELDS, ("recipient",))
    problems = []
    if not isinstance(data["recipient"], str) or data["recipient"] not in RECIPIENTS:
        problems.append(Problem("/recipient", "enum", "kies uit: " + ", ".join(RECIPIENTS)))
    omit = data.get("omit", {})
    if not isinstance(omit, dict) or not all(isinstance(v, str) for v in omit.values()):
        problems.append(Problem("/omit", "schema.type", "verwacht: object van stuk-code naar reden (tekst)"))
        omit = {}
    if not isinstance(data.get("reason", ""), str) or len(data.get("reason", "")) > MAX_TEXT:
        problems.append(Problem("/reason", "schema.type", f"verwacht: tekst van hoogstens {MAX_TEXT} tekens"))
    problems += [Problem(f"/omit/{code}", "schema.maxLength", f"hoogstens {MAX_TEXT} tekens")
                 for code, why in omit.items() if len(code) > 200 or len(why) > MAX_TEXT]  # fmt: skip
    if problems:
        raise InvalidInputError(problems)
    return RECIPIENTS[data["recipient"]], omit, data.get("reason", "")


def _expanded(omit: dict[str, str], documents: tuple[DossierDocument, ...]) -> dict[str, str]:
    """`omit` with a code of several numbered documents ('assessment-coordinator') standing for each of them."""
    expanded: dict[str, str] = {}
    for key, why in omit.items():
        matched = [d.code for d in documents if d.code == key or re.fullmatch(re.escape(key) + r"-\d+", d.code)]
        expanded |= dict.fromkeys(matched or [key], why)
    return expanded


def export_dossier(
    session: Session, policy: Policy, calendar: AtwCalendar, application_id: str, body: object
) -> tuple[Dossier, bytes]:
    """The dossier as a zip: the index (JSON and text), every document not left out, and the record of omissions."""
    require(session.principal, Resource.INVESTIGATION, Action.READ, application_id)
    recipient, omit, why = _choices(body)
    documents = tuple(_documents(session, policy, calendar, application_id))
    chosen = _expanded(omit, documents)
    dossier = compile_dossier(application_id, documents, chosen, made_by=session.principal.user, made_at=session.now,
                              recipient=recipient, reason=why)  # fmt: skip
    left_out = ", ".join(e.document.code for e in dossier.omitted) or "niets"
    # the audit row carries the caller's reason; what went where, and what was left out, is in the disclosure record
    audit.append(session.conn, session.principal, "dossier.export", "application", application_id, session.reason)
    content = "dossier met inventarislijst; weggelaten: " + left_out
    made = Disclosure(application_id, Direction.OUT, recipient, DisclosureBasis.PROCEEDINGS, why or "bezwaar of beroep",
                      content[:1000])  # fmt: skip
    disclosures.record(session.conn, session.principal.user, made)
    return dossier, archive(dossier)


def archive(dossier: Dossier) -> bytes:
    """The zip of `dossier`: 00-inventarislijst.txt/.json, 00-weggelaten.json, and the numbered documents."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("00-inventarislijst.txt", index_text(dossier))
        zipped.writestr("00-inventarislijst.json", _json(index_document(dossier)))
        zipped.writestr("00-weggelaten.json", _json(omission_record(dossier)))
        for entry in dossier.entries:
            if entry.path:
                zipped.writestr(entry.path, entry.document.content)
    return out.getvalue()
