"""Cases on the wire: request bodies into case events, and cases into camelCase views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob._json import object_from_json, object_to_json, to_json_value
from bibob.exceptions import InvalidInputError, Problem
from bibob.parties import RelationType
from bibob.screening import Finding
from bibob.undermining import (
    CASE_EVENTS_BY_TYPE,
    Agenda,
    Case,
    CaseEvent,
    CaseRegistered,
    CaseState,
    Confidentiality,
    Subjects,
    case_to_json,
    signal_from_json,
)
from service.auth import Principal, Role
from service.store.cases import StoredCase
from service.views.inputs import converted, happened, json_object, moment, text, validated

SCHEMA = "case.schema.json"
CREATE_FIELDS = ("title", "theme", "confidentiality", "signalIds", "members", "partners", "subjects", "legalBasis")
#: Evidence has its own sub-resource (links by hand need a reason; confirm and detach name the item).
EVIDENCE_TYPES = frozenset({"evidenceLinked", "evidenceConfirmed", "evidenceDetached"})
FINDING_FIELDS = ("code", "title", "explanation")
LINK_FIELDS = ("applicationId", "finding", "reason", "confidentiality")


def case_view(stored: StoredCase) -> dict[str, Any]:
    """A case for its members: the case document with what its history says, and the version for If-Match."""
    case = stored.case
    view: dict[str, Any] = {**case_to_json(case), "version": stored.version, "stateLabel": case.state.label}
    view |= {
        "signalIds": list(case.signal_ids),
        "subjects": object_to_json(case.subjects),
        "informationRequests": [object_to_json(request) for request in case.requests],
        "meetings": [object_to_json(meeting) for meeting in case.meetings],
    }
    if case.plan is not None:
        view["actionPlan"] = {**object_to_json(case.plan), "needsTriangle": case.plan.needs_triangle}
    if case.approval is not None:
        view["triangleApproval"] = object_to_json(case.approval)
    return view


def case_summary(stored: StoredCase) -> dict[str, Any]:
    """A case in a list: ids, title and where it stands — no subjects or contents."""
    document = stored.document
    state = CaseState.parse(stored.status)
    return {
        "id": stored.id,
        "title": document.get("title", ""),
        "theme": document.get("theme", ""),
        "state": stored.status,
        "stateLabel": state.label if state else stored.status,
        "lead": stored.lead,
        "confidentiality": stored.confidentiality,
        "version": stored.version,
        "updatedAt": to_json_value(stored.updated_at),
    }


def journal_page(stored: StoredCase, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """One page of the case journal (when, who, what) and its length."""
    journal = stored.case.journal
    return [object_to_json(entry) for entry in journal[offset : offset + limit]], len(journal)


def evidence_page(stored: StoredCase, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """One page of the case's evidence with its status, and how many items there are."""
    items = stored.case.evidence
    return [object_to_json(item) for item in items[offset : offset + limit]], len(items)


def agenda_view(agenda: Agenda) -> dict[str, Any]:
    """The agenda of the local meeting: its day and its items, each with the Dutch label of its kind."""
    items = [{**object_to_json(item), "kindLabel": item.kind.label} for item in agenda.items]
    return {"date": agenda.today.isoformat(), "count": len(items), "items": items}


def agenda_day(on: str | None) -> dt.date | None:
    """The day an agenda is asked for (`on`: a date, or a date-time with zone), or None for today."""
    day = moment(on, "on") if on is not None else None
    return day.date() if day is not None else None


def registration(body: object, case_id: str, principal: Principal, now: dt.datetime) -> CaseRegistered:
    """The registration a create body describes: the principal leads; defaults theme 'other', 'confidential'."""
    fields = json_object(body, CREATE_FIELDS, ("title",))
    event = {"theme": "other", "confidentiality": Confidentiality.CONFIDENTIAL.value, **fields}
    event |= {"type": CaseRegistered.TYPE, "at": now.isoformat(), "by": principal.user, "lead": principal.user}
    validated(SCHEMA, {"id": case_id, "events": [event]}, {"/events/0": ""})
    registered = converted(lambda: object_from_json(CaseRegistered, event))
    if not registered.title.strip():
        raise InvalidInputError([Problem("/title", "schema.minLength", "mag niet leeg zijn")])
    return registered


def with_signal_subjects(registered: CaseRegistered, documents: tuple[Mapping[str, Any], ...]) -> CaseRegistered:
    """The registration with the subjects of the linked signals merged in."""
    subjects = registered.subjects
    for document in documents:
        subjects = subjects.merged(signal_from_json(document).subjects)
    return attrs.evolve(registered, subjects=subjects)


def case_event(body: object, case: Case, principal: Principal, now: dt.datetime) -> CaseEvent:
    """The case event a body describes (case.schema.json event without `by`, which is the principal)."""
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "schema.type", "verwacht: object")])
    if "by" in body:
        raise InvalidInputError(
            [Problem("/by", "schema.unknownField", "onbekend veld: wie de stap zet volgt uit het token")]
        )
    if isinstance(body.get("type"), str) and body["type"] in EVIDENCE_TYPES:  # a list would raise TypeError
        message = "bewijsstukken gaan via /cases/{id}/evidence (koppelen, bevestigen, ontkoppelen)"
        raise InvalidInputError([Problem("/type", "event.useEvidence", message)])
    event = {**body, "by": principal.user, "at": body.get("at", now.isoformat())}
    if event.get("type") == "triangleApproved":
        event["mayor"] = _approving_mayor(body, principal)
    validated(SCHEMA, {"id": case.id, "events": [event]}, {"/events/0": ""})
    kind = CASE_EVENTS_BY_TYPE[event["type"]]
    recorded = converted(lambda: object_from_json(kind, event), "/at")
    happened(recorded.at, now, "/at")
    return recorded


def _approving_mayor(body: Mapping[str, Any], principal: Principal) -> str:
    """The approval in the driehoek is the mayor's own act: only a mayor's token records it, in their name."""
    if principal.role is not Role.MAYOR:
        message = "de goedkeuring in de driehoek legt de burgemeester zelf vast, met een eigen token"
        raise InvalidInputError([Problem("/type", "event.mayorOnly", message)])
    if body.get("mayor", principal.user) != principal.user:
        raise InvalidInputError([Problem("/mayor", "event.mayorIsToken", "de burgemeester is wie het token heeft")])
    return principal.user


def hand_link(body: object) -> tuple[str, Finding, str, Confidentiality]:
    """(application id, finding, reason, confidentiality) of a link by hand."""
    fields = json_object(body, LINK_FIELDS, ("applicationId", "finding", "reason"))
    application_id = text(fields, "applicationId", required=True, limit=80)
    reason = text(fields, "reason", required=True)
    level = Confidentiality.parse(fields.get("confidentiality", Confidentiality.CONFIDENTIAL.value))
    if level is None:
        allowed = ", ".join(c.value for c in Confidentiality)
        raise InvalidInputError(
            [Problem("/confidentiality", "schema.enum", f"onbekende waarde, toegestaan: {allowed}")]
        )
    raw = json_object(fields["finding"], FINDING_FIELDS, ("code", "title", "explanation"))
    code, title, explanation = (text(raw, name, required=True) for name in FINDING_FIELDS)
    finding = Finding(code, title, (), RelationType.SELF, 0.0, explanation, ())
    return application_id, finding, reason, level


def subjects_changed(event: CaseEvent) -> Subjects | None:
    """The subjects an event adds, if it adds any."""
    added = getattr(event, "subjects", None)
    return added if isinstance(added, Subjects) and added else None
