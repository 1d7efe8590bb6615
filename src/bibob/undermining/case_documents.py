"""Case files as JSON (`schemas/case.schema.json`): validate, replay the events, and write back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bibob._json import object_from_json, object_to_json, to_json_value
from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.schemas import schema_problems
from bibob.undermining.case_events import CASE_EVENTS_BY_TYPE, CaseEvent, CaseRegistered
from bibob.undermining.case_lifecycle import apply_case_event
from bibob.undermining.cases import Case, register_case
from bibob.undermining.signal_documents import check_stated
from bibob.undermining.subjects import Subjects

SCHEMA = "case.schema.json"
#: Fields a document may state besides its events; each must agree with the replayed case.
DERIVED = ("title", "theme", "lead", "members", "partners", "confidentiality", "state", "journal", "evidence")


def case_from_json(data: object, source: str = "") -> Case:
    """The case a JSON document describes, after replaying its events through the lifecycle.

    The first event registers the case. Raises `InvalidInputError` listing every schema problem; or
    at `/events/<index>` for the first event the lifecycle refuses; or per derived field (state,
    journal, evidence, …) that the document states otherwise than the replay gives.
    """
    problems = schema_problems(SCHEMA, data, source)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(data, Mapping)  # the schema demands an object
    events = [object_from_json(CASE_EVENTS_BY_TYPE[e["type"]], e) for e in data["events"]]
    case = _registered(data["id"], events[0], source)
    for index, event in enumerate(events[1:], start=1):
        try:
            case = apply_case_event(case, event)
        except TransitionError as error:
            message = f"{error.event} niet mogelijk in status '{error.state}': {error.reason}"
            raise InvalidInputError((Problem(f"/events/{index}", "transition.refused", message, source),)) from None
    check_stated(data, case_to_json(case), DERIVED, source)
    return case


def case_to_json(case: Case) -> dict[str, Any]:
    """The JSON document of `case` (camelCase): its events, and for reading the derived state, journal, evidence."""
    return {
        "id": case.id,
        "title": case.title,
        "theme": case.theme.value,
        "lead": case.lead,
        "members": list(case.members),
        "partners": [partner.value for partner in case.partners],
        "confidentiality": case.confidentiality.value,
        "state": case.state.value,
        "events": [event_to_json(event) for event in case.history],
        "journal": [object_to_json(entry) for entry in case.journal],
        "evidence": [object_to_json(item) for item in case.evidence],
        **({"reviewOn": to_json_value(case.review_on)} if case.review_on else {}),
        **({"result": case.result} if case.result else {}),
    }


def event_to_json(event: CaseEvent) -> dict[str, Any]:
    """One event as `{"type": ..., "at": ..., "by": ..., ...}`; empty optional fields are left out."""
    return {"type": event.TYPE, **object_to_json(event)}


def _registered(case_id: str, first: CaseEvent, source: str) -> Case:
    if not isinstance(first, CaseRegistered):
        message = "de eerste gebeurtenis registreert de casus (caseRegistered)"
        raise InvalidInputError((Problem("/events/0/type", "case.firstEvent", message, source),))
    try:
        return register_case(case_id, first)
    except InvalidInputError as error:
        pointers = {"/id": "/id", "/members": "/events/0/members"}
        raise InvalidInputError(
            tuple(
                Problem(pointers.get(p.pointer, f"/events/0{p.pointer}"), p.code, p.message, source)
                for p in error.problems
            )
        ) from None


def stored_subjects(document: Mapping[str, Any], *, case: bool) -> Subjects:
    """The subjects a stored signal or (`case`) case document names, read without validating or replaying it.

    For lookups: a signal keeps them under `subjects`; a case in its registration and every `subjectsAdded` event.
    A part that does not read as subjects is left out (the document itself was checked when it was stored).
    """
    found = Subjects()
    events = document.get("events", []) if case else []
    parts = [] if case else [document.get("subjects")]
    parts += [e.get("subjects") for e in events if isinstance(e, Mapping) and e.get("type") in _WITH_SUBJECTS]
    for part in parts:
        if isinstance(part, Mapping):
            try:
                found = found.merged(object_from_json(Subjects, part))
            except (TypeError, ValueError, KeyError, AttributeError):
                continue
    return found


_WITH_SUBJECTS = frozenset({"caseRegistered", "subjectsAdded"})
