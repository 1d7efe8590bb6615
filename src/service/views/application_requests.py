"""The applications' request bodies read into domain values, every problem at once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from bibob.applications import (
    Application,
    ApplicationState,
    DecisionRecorded,
    Event,
    application_from_json,
    event_from_json,
)
from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import PermitType
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.schemas import schema_problems
from bibob.screening import AssessmentRequest, request_from_json
from bibob.terms import FIRST_YEAR, LAST_YEAR
from bibob.undermining import Theme
from service.store.applications import StoredApplication
from service.store.common import new_id
from service.usecases.worklist import SORTS, Query
from service.views.inputs import escaped, json_object

APPLICATION_SCHEMA = "application.schema.json"
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,36}")
CREATE_FIELDS = ("id", "permitType", "legalAct", "track", "received", "questionnaireId")
DECISION_FIELDS = ("on", "outcome", "decidedBy", "grounds", "levels", "proportionality", "conditions",
                   "deviationMotivation", "motivation", "theme")  # fmt: skip
SEARCH_FIELDS = ("name", "kvkNumber", "address", "state", "permitType", "sort")
MAX_SEARCH = 200
ASSESSMENT_FIELDS = ("facts", "proportionality", "lbbAdvice", "repairTermLapsed", "referenceDate")
ATTACHMENT_FIELDS = {
    "fileName": str, "mediaType": str, "size": int, "sha256": str, "kind": str, "pointer": str, "year": int,
}  # fmt: skip
YEARS = (1900, 2200)  # the book year an attachment belongs to (annual accounts), as in the answer schema
ATTACHMENT_REQUIRED = ("fileName", "mediaType", "size")
MAX_ATTACHMENTS = 2000
DECIDED_BY_NOT_YOU = (
    "het besluit wordt vastgelegd op naam van wie het neemt (het aangemelde account of token); "
    "laat decidedBy weg of vul uw eigen naam in"
)
MAX_TEXT = 255
SHA256 = re.compile(r"[0-9a-f]{64}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A media type as RFC 6838 names it (type/subtype, restricted names), without parameters.
MEDIA_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")
#: What a file name may not hold: a path separator, or a control character (a line break ends a header).
UNSAFE_FILE_NAME = re.compile(r"[/\\\x00-\x1f\x7f-\x9f\u2028\u2029]")


def application_filters(state: str | None, permit_type: str | None) -> None:
    """Every problem with the list filters `state` and `permitType` (wire values of the lifecycle and permit types)."""
    problems = []
    if state is not None and ApplicationState.parse(state) is None:
        problems.append(Problem("state", "enum", "onbekende status van een aanvraag"))
    if permit_type is not None and PermitType.parse(permit_type) is None:
        problems.append(Problem("permitType", "enum", "onbekend soort vergunning"))
    if problems:
        raise InvalidInputError(problems)


def search_query(body: object, *, limit: int, offset: int) -> Query:
    """The search of `POST /applications/_search`: name, kvkNumber, address (each given must match), the list
    filters state and permitType, and sort (newest, deadline, applicant); every problem at once."""
    data = json_object(body, SEARCH_FIELDS)
    problems = [
        Problem(f"/{key}", "type", f"een tekst van hooguit {MAX_SEARCH} tekens")
        for key in ("name", "kvkNumber", "address", "state", "permitType", "sort")
        if key in data and not (isinstance(data[key], str) and len(data[key]) <= MAX_SEARCH)
    ]
    texts = {key: value for key, value in data.items() if isinstance(value, str) and len(value) <= MAX_SEARCH}
    sort = texts.get("sort", "newest")
    if "sort" in texts and sort not in SORTS:
        problems.append(Problem("/sort", "enum", "sorteer op: " + ", ".join(SORTS)))
    try:
        application_filters(texts.get("state"), texts.get("permitType"))
    except InvalidInputError as error:
        problems += [Problem(f"/{p.pointer}", p.code, p.message) for p in error.problems]
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda p: p.pointer))
    return Query(
        state=texts.get("state"),
        permit_type=texts.get("permitType"),
        name=texts.get("name", ""),
        kvk_number=texts.get("kvkNumber", ""),
        address=texts.get("address", ""),
        sort="deadline" if sort == "deadline" else "applicant" if sort == "applicant" else "newest",
        limit=limit,
        offset=offset,
    )


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
    request = request_from_json(document, catalogue)
    return attrs.evolve(request, registered_attachments=tuple(stored.attachments))


def lifecycle_event(body: object, stored: StoredApplication) -> Event:
    """One event in the JSON form of `application.schema.json`, checked against the schema where it would stand."""
    if isinstance(body, dict) and body.get("type") == DecisionRecorded.TYPE:
        message = "leg een besluit vast met POST …/decisions, dan volgt ook de koppeling met de adviseur veiligheid"
        raise InvalidInputError([Problem("/type", "useDecisions", message)])
    return _checked_event(body, stored)


def decision_event(body: object, stored: StoredApplication, decided_by: str) -> tuple[DecisionRecorded, Theme]:
    """The decision (the `decisionRecorded` event without its type) and the theme for the advisor.

    `decided_by` is the acting account: the decision is recorded in its name. A body may still name `decidedBy`
    (older clients), but only that same account; another name is refused, since nobody records a decision in
    another person's name.
    """
    data = json_object(body, DECISION_FIELDS)
    theme = Theme.parse(data.get("theme", Theme.OTHER.value))
    problems = [] if theme else [Problem("/theme", "enum", "kies een thema uit: " + ", ".join(t.value for t in Theme))]
    if data.get("decidedBy", decided_by) != decided_by:
        problems.append(Problem("/decidedBy", "decidedBy.notYou", DECIDED_BY_NOT_YOU))
    kept = {key: value for key, value in data.items() if key not in ("theme", "decidedBy")}
    event_body = {"type": DecisionRecorded.TYPE, **kept, "decidedBy": decided_by}
    try:
        event = _checked_event(event_body, stored)
    except InvalidInputError as error:
        raise InvalidInputError((*error.problems, *problems)) from None
    if problems or theme is None:
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
        return [p for key, inner in value.items() for p in _date_range_problems(inner, f"{pointer}/{escaped(key)}")]
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
            problems.append(Problem(f"{pointer}/{escaped(key)}", "unknownField", "onbekend veld"))
        elif (
            not _fits(value, kind)
            or (key == "sha256" and not SHA256.fullmatch(value))
            or (key == "fileName" and (UNSAFE_FILE_NAME.search(value) or value.strip(". ") == ""))
            or (key == "mediaType" and (not MEDIA_TYPE.fullmatch(value) or ".." in value))
            or (key == "year" and not YEARS[0] <= value <= YEARS[1])
        ):
            problems.append(Problem(f"{pointer}/{key}", "invalid", _attachment_message(key)))
    return problems


def _fits(value: object, kind: type) -> bool:
    if kind is int:
        return type(value) is int and 0 <= value <= 2**53
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT


def _attachment_message(key: str) -> str:
    if key == "size":
        return "de grootte is een geheel aantal bytes"
    if key == "year":
        return f"het boekjaar is een jaartal van {YEARS[0]} tot en met {YEARS[1]}"
    if key == "sha256":
        return "sha256 is een hash van 64 hexadecimale tekens (kleine letters)"
    if key == "fileName":
        return f"een bestandsnaam van 1 tot {MAX_TEXT} tekens, zonder / of \\, regeleinden of andere stuurtekens"
    if key == "mediaType":
        return "een mediatype als type/subtype (RFC 6838), zonder parameters of regeleinden"
    return f"een tekst van 1 tot {MAX_TEXT} tekens"


def _policy_questionnaire(policy: Policy, permit_type: object) -> str | None:
    member = PermitType.parse(permit_type)
    rule = policy.screening.get(member) if member is not None else None
    return rule.questionnaire if rule is not None else None


def _id_problem() -> Problem:
    return Problem("/id", "pattern", "een kenmerk is 1 tot 36 tekens: letters, cijfers, '.', '_' of '-'")
