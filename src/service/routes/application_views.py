"""The applications resource on the wire: request bodies read into domain values, and the JSON views."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bibob.applications import (
    EVENTS_BY_TYPE,
    Application,
    ApplicationState,
    DecisionRecorded,
    Event,
    allowed_events,
    application_from_json,
    event_from_json,
    event_to_json,
)
from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import PermitType
from bibob.policy import Policy
from bibob.questionnaires import Catalogue, Completeness
from bibob.schemas import schema_problems
from bibob.screening import CLOSED_NOTICE, AssessmentRequest, request_from_json
from bibob.terms import FIRST_YEAR, LAST_YEAR, Deadline
from bibob.undermining import Theme
from service.openapi import INTEGER, STRING
from service.store.applications import StoredApplication
from service.store.assessments import Record
from service.store.common import new_id
from service.store.evidence_link import LinkOutcome
from service.views import completeness_view, deadline_view, problem_view

APPLICATION_SCHEMA = "application.schema.json"
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,36}")
CREATE_FIELDS = ("id", "permitType", "legalAct", "track", "received", "questionnaireId")
DECISION_FIELDS = ("on", "outcome", "decidedBy", "grounds", "levels", "proportionality", "conditions",
                   "deviationMotivation", "motivation", "theme")  # fmt: skip
ASSESSMENT_FIELDS = ("facts", "proportionality", "lbbAdvice", "repairTermLapsed", "referenceDate")
ATTACHMENT_FIELDS = {"fileName": str, "mediaType": str, "size": int, "sha256": str, "kind": str, "pointer": str}
ATTACHMENT_REQUIRED = ("fileName", "mediaType", "size")
ATTACHMENT: dict[str, Any] = {  # the OpenAPI document's picture of one attachment
    "type": "object",
    "properties": {name: INTEGER if kind is int else STRING for name, kind in ATTACHMENT_FIELDS.items()},
    "required": list(ATTACHMENT_REQUIRED),
    "additionalProperties": False,
}
MAX_ATTACHMENTS = 2000
MAX_TEXT = 255
SHA256 = re.compile(r"[0-9a-f]{64}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
INVESTIGATION_WORDS = frozenset({"ownInvestigationConcluded", "investigationClosed"})  # motivations: coordinator's
ADVISOR_INFORMED = "De adviseur veiligheid is geïnformeerd."
NOTHING_TO_LINK = "Dit besluit is geen Bibob-maatregel; er is niets doorgegeven aan de adviseur veiligheid."


# --- reading request bodies -------------------------------------------------------------------------------


def json_object(body: object, allowed: Collection[str]) -> dict[str, Any]:
    """The body as an object with only `allowed` fields; InvalidInputError names every other field."""
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "type", "verwacht een JSON-object")])
    unknown = [Problem(f"/{_escape(key)}", "unknownField", "onbekend veld") for key in body if key not in allowed]
    if unknown:
        raise InvalidInputError(unknown)
    return body


def new_application(body: object, catalogue: Catalogue, policy: Policy) -> tuple[Application, dict[str, str]]:
    """The application to create and its questionnaire reference (`{"id", "version"}`); every problem at once."""
    data = json_object(body, CREATE_FIELDS)
    identifier = data.get("id", new_id())
    problems = [] if isinstance(identifier, str) and ID_PATTERN.fullmatch(identifier) else [_id_problem()]
    document: dict[str, Any] = {
        key: data[key] for key in ("permitType", "legalAct", "track", "received") if key in data
    }
    document |= {"id": identifier if not problems else "x", "events": []}
    problems += schema_problems(APPLICATION_SCHEMA, document) or _date_range_problems(document, "")
    questionnaire_id = data.get("questionnaireId", _policy_questionnaire(policy, data.get("permitType")))
    if not isinstance(questionnaire_id, str) or questionnaire_id not in catalogue:
        problems.append(Problem("/questionnaireId", "unknownQuestionnaire", "onbekend of ontbrekend vragenformulier"))
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda p: p.pointer))
    questionnaire = catalogue[str(questionnaire_id)]
    return application_from_json(document), {"id": questionnaire.id, "version": questionnaire.version}


def answer_document(body: object, questionnaire_id: str) -> dict[str, Any]:
    """An answer document to store: any object, as long as it answers this application's questionnaire."""
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "type", "een antwoorddocument is een JSON-object")])
    reference = body.get("questionnaire")
    if not isinstance(reference, dict) or reference.get("id") != questionnaire_id:
        message = f"deze aanvraag gebruikt vragenformulier '{questionnaire_id}'"
        raise InvalidInputError([Problem("/questionnaire/id", "questionnaire.mismatch", message)])
    return body


def attachment_list(body: object) -> list[dict[str, Any]]:
    """Attachment metadata (`{"attachments": [...]}`): file name, media type, size; optionally hash, kind, pointer."""
    data = json_object(body, ("attachments",))
    items = data.get("attachments")
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        message = f"verwacht een lijst van hooguit {MAX_ATTACHMENTS} bijlagen"
        raise InvalidInputError([Problem("/attachments", "type", message)])
    problems = [problem for index, item in enumerate(items) for problem in _attachment_problems(index, item)]
    if problems:
        raise InvalidInputError(problems)
    return items


def assessment_request(
    body: object, stored: StoredApplication, catalogue: Catalogue, today: dt.date
) -> AssessmentRequest:
    """The assessment request: the body's facts and records with the stored answers, permit type and track."""
    data = json_object(body, ASSESSMENT_FIELDS)
    document = {**data, "referenceDate": data.get("referenceDate", today.isoformat())}
    document |= {"permitType": stored.permit_type, "track": stored.track, "answers": dict(stored.answers)}
    return request_from_json(document, catalogue)


def lifecycle_event(body: object, stored: StoredApplication) -> Event:
    """One event in the JSON form of `application.schema.json`, checked against the schema where it would stand."""
    if isinstance(body, dict) and body.get("type") == DecisionRecorded.TYPE:
        message = "leg een besluit vast met POST …/decisions, dan volgt ook de koppeling met de adviseur veiligheid"
        raise InvalidInputError([Problem("/type", "useDecisions", message)])
    return _checked_event(body, stored)


def decision_event(body: object, stored: StoredApplication) -> tuple[DecisionRecorded, Theme]:
    """The decision (the `decisionRecorded` event without its type) and the theme for the advisor."""
    data = json_object(body, DECISION_FIELDS)
    theme = Theme.parse(data.get("theme", Theme.OTHER.value))
    problems = [] if theme else [Problem("/theme", "enum", "kies een thema uit: " + ", ".join(t.value for t in Theme))]
    event_body = {"type": DecisionRecorded.TYPE, **{key: value for key, value in data.items() if key != "theme"}}
    try:
        event = _checked_event(event_body, stored)
    except InvalidInputError as error:
        raise InvalidInputError((*error.problems, *problems)) from None
    if theme is None:
        raise InvalidInputError(problems)
    assert isinstance(event, DecisionRecorded)  # the type was set above
    return event, theme


def _checked_event(body: object, stored: StoredApplication) -> Event:
    index = len(stored.history)
    prefix = f"/events/{index}"
    candidate = {**stored.document, "events": [*stored.history, body]}
    candidate.pop("state", None)
    problems = [
        Problem(p.pointer.removeprefix(prefix), p.code, p.message)
        for p in schema_problems(APPLICATION_SCHEMA, candidate)
        if p.pointer == prefix or p.pointer.startswith(prefix + "/")
    ]
    problems = problems or _date_range_problems(body, "")
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(body, dict)  # the schema demands an object
    return event_from_json(body)


def _date_range_problems(value: object, pointer: str) -> list[Problem]:
    """Days outside 1950–2200: schema-valid, but no Bibob file spans them and the deadline arithmetic overflows."""
    if isinstance(value, dict):
        return [p for key, inner in value.items() for p in _date_range_problems(inner, f"{pointer}/{_escape(key)}")]
    if isinstance(value, list):
        return [p for index, inner in enumerate(value) for p in _date_range_problems(inner, f"{pointer}/{index}")]
    if isinstance(value, str) and DAY.fullmatch(value) and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        return [Problem(pointer, "dateOutOfRange", f"een datum ligt tussen {FIRST_YEAR} en {LAST_YEAR}")]
    return []


def _attachment_problems(index: int, item: object) -> list[Problem]:
    pointer = f"/attachments/{index}"
    if not isinstance(item, dict):
        return [Problem(pointer, "type", "een bijlage is een JSON-object")]
    problems = [Problem(f"{pointer}/{name}", "required", "verplicht veld") for name in ATTACHMENT_REQUIRED]
    problems = [p for p in problems if p.pointer.rsplit("/", 1)[1] not in item]
    for key, value in item.items():
        kind = ATTACHMENT_FIELDS.get(key)
        if kind is None:
            problems.append(Problem(f"{pointer}/{_escape(key)}", "unknownField", "onbekend veld"))
        elif not _fits(value, kind) or (key == "sha256" and not SHA256.fullmatch(value)):
            problems.append(Problem(f"{pointer}/{key}", "invalid", _attachment_message(key)))
    return problems


def _fits(value: object, kind: type) -> bool:
    if kind is int:
        return type(value) is int and 0 <= value <= 2**53
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT


def _attachment_message(key: str) -> str:
    if key == "size":
        return "de grootte is een geheel aantal bytes"
    if key == "sha256":
        return "sha256 is een hash van 64 hexadecimale tekens (kleine letters)"
    return f"een tekst van 1 tot {MAX_TEXT} tekens"


def _policy_questionnaire(policy: Policy, permit_type: object) -> str | None:
    member = PermitType.parse(permit_type)
    rule = policy.screening.get(member) if member is not None else None
    return rule.questionnaire if rule is not None else None


def _id_problem() -> Problem:
    return Problem("/id", "pattern", "een kenmerk is 1 tot 36 tekens: letters, cijfers, '.', '_' of '-'")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# --- views ------------------------------------------------------------------------------------------------


def questionnaire_reference(stored: StoredApplication) -> str:
    """The id of the questionnaire the application was created with (kept in its answer document)."""
    return "" if stored.questionnaire_id is None else str(stored.questionnaire_id)


def application_view(stored: StoredApplication, *, full: bool) -> dict[str, Any]:
    """An application file: kind, state, history, what may happen next, and its attachments metadata.

    `full`: for who may see the Bibob investigation's own words (coordinator, mayor); see `events_view`.
    """
    state = ApplicationState.parse(stored.state)
    return {
        "id": stored.id,
        "permitType": stored.permit_type,
        "legalAct": stored.legal_act,
        "track": stored.track,
        "received": stored.received.isoformat(),
        "questionnaireId": questionnaire_reference(stored),
        "state": stored.state,
        "stateLabel": state.label if state else stored.state,
        "allowedEvents": [kind.TYPE for kind in allowed_events(state)] if state else [],
        "events": events_view(stored.history, full=full),
        "attachments": list(stored.attachments),
        "version": stored.version,
        "owner": stored.owner,
        "createdAt": stored.created_at.isoformat(),
        "updatedAt": stored.updated_at.isoformat(),
    }


def application_summary(stored: StoredApplication) -> dict[str, Any]:
    """The list entry of an application."""
    view = application_view(stored, full=False)
    return {key: view[key] for key in ("id", "permitType", "track", "received", "state", "stateLabel", "version")}


def events_view(history: Sequence[Mapping[str, Any]], *, full: bool) -> list[dict[str, Any]]:
    """The events as stored, each with its Dutch label; without `full`, the investigation's motivations are replaced.

    What the coordinator wrote on concluding or closing the own investigation can name antecedents (criminal-law
    data, AVG art. 10): a permit officer reads that there is such information and whom to ask (R-AC-5).
    """
    return [_event_view(event, full) for event in history]


def _event_view(event: Mapping[str, Any], full: bool) -> dict[str, Any]:
    view = {**event, "label": _event_label(event.get("type"))}
    if not full and event.get("type") in INVESTIGATION_WORDS and "motivation" in view:
        view["motivation"] = CLOSED_NOTICE
    return view


def answers_view(stored: StoredApplication, problems: Sequence[Problem], completeness: Completeness) -> dict[str, Any]:
    """The stored answers with every problem and the completeness."""
    return {
        "applicationId": stored.id,
        "version": stored.version,
        "document": dict(stored.answers),
        "problems": [problem_view(problem) for problem in problems],
        "completeness": completeness_view(completeness),
    }


def assessment_record_view(record: Record, full: bool) -> dict[str, Any]:
    """A stored assessment: the full one for who may see closed sources, else the permit officer's."""
    document = record.document
    view = document.get("full" if full else "permitOfficer", {})
    return {
        "id": record.id,
        "applicationId": record.application_id,
        "referenceDate": document.get("referenceDate"),
        "createdBy": record.created_by,
        "createdAt": record.created_at.isoformat(),
        "redacted": not full,
        "registerCheck": document.get("registerCheck", ""),
        **view,
    }


def decision_view(record: Record, stored: StoredApplication, link: LinkOutcome) -> dict[str, Any]:
    """The recorded decision, the application's new state, and whether the advisor was told (never how many cases
    the decision reached, nor whether it became a new signal: that would tell who is known in a case)."""
    return {
        "id": record.id,
        "applicationId": stored.id,
        "decision": dict(record.document),
        "state": stored.state,
        "version": stored.version,
        "evidenceLink": {
            "advisorInformed": link.advisor_informed,
            "message": ADVISOR_INFORMED if link.advisor_informed else NOTHING_TO_LINK,
        },
    }


def timeline_view(
    stored: StoredApplication, deadlines: Sequence[Deadline], reference_date: dt.date, basis: str, *, full: bool
) -> dict[str, Any]:
    """The events and every running or passed deadline on the reference date."""
    return {
        "applicationId": stored.id,
        "state": stored.state,
        "referenceDate": reference_date.isoformat(),
        "decisionTermBasis": basis,
        "events": events_view(stored.history, full=full),
        "deadlines": [deadline_view(deadline) for deadline in deadlines],
    }


def event_document(event: Event) -> dict[str, Any]:
    """An event as the wire and the decisions table hold it."""
    return event_to_json(event)


def _event_label(kind: object) -> str:
    event_type = EVENTS_BY_TYPE.get(kind) if isinstance(kind, str) else None
    return event_type.LABEL if event_type is not None else ""
