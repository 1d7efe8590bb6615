"""The permit watch on the wire: reading a condition's and a check's body, and the coordinator's views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.terms import FIRST_YEAR, LAST_YEAR
from service.store.permit_watch import CHECK_RESULTS, StoredCondition, StoredPrompt

CONDITION_FIELDS = ("text", "dueOn", "owner")
CHECK_FIELDS = ("conditionId", "result", "on")
TRIGGERS = {
    "signalWeighed": "een gewogen signaal",
    "caseSubjects": "een casus met nieuwe betrokkenen",
    "bibobDecision": "een Bibob-besluit op een andere aanvraag",
    "registerHit": "een raadpleging van het Bibob-register met een treffer, bij een andere aanvraag",
    "dangerConclusion": "een conclusie over de mate van gevaar die bij een andere aanvraag in het Bibob-register is "
    "geregistreerd",
    "withdrawalRegistered": "een andere aanvraag die tijdens de Bibob-toets is ingetrokken (geregistreerd in het "
    "Bibob-register)",
    "lbbAdvice": "een LBB-advies op een andere aanvraag",
}
#: The prompt about a new application that an earlier LBB advice may serve (not about a granted permit).
REUSE = "lbbAdviceReuse"


@attrs.frozen
class NewCondition:
    text: str
    due_on: dt.date
    owner: str


@attrs.frozen
class Check:
    condition_id: str
    result: str
    on: dt.date | None


def condition_body(body: object) -> NewCondition:
    """{text, dueOn, owner}: every problem at once."""
    found = _object(body, CONDITION_FIELDS)
    problems: list[Problem] = []
    text = _text(found, "text", 4000, problems)
    owner = _text(found, "owner", 128, problems)
    due_on = _day(found, "dueOn", problems, required=True)
    if problems:
        raise InvalidInputError(problems)
    assert due_on is not None
    return NewCondition(text, due_on, owner)


def check_body(body: object) -> Check:
    """{conditionId, result: met|notMet, on?}: every problem at once."""
    found = _object(body, CHECK_FIELDS)
    problems: list[Problem] = []
    condition_id = _text(found, "conditionId", 36, problems)
    result = found.get("result")
    if result not in CHECK_RESULTS:
        problems.append(Problem("/result", "enum", "kies uit: " + ", ".join(CHECK_RESULTS)))
    on = _day(found, "on", problems, required=False)
    if problems:
        raise InvalidInputError(problems)
    return Check(condition_id, str(result), on)


def _object(body: object, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "schema.type", "verwacht: object")])
    unknown = [Problem(f"/{name}", "schema.unknownField", "onbekend veld") for name in body if name not in allowed]
    if unknown:
        raise InvalidInputError(unknown)
    return body


def _text(body: dict[str, Any], name: str, limit: int, problems: list[Problem]) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(f"/{name}", "schema.minLength", "verplicht; mag niet leeg zijn"))
        return ""
    if len(value) > limit:
        problems.append(Problem(f"/{name}", "schema.maxLength", f"mag hoogstens {limit} tekens zijn"))
    return value.strip()


def _day(body: dict[str, Any], name: str, problems: list[Problem], *, required: bool) -> dt.date | None:
    value = body.get(name)
    if value is None and not required:
        return None
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(
            Problem(f"/{name}", "format", f"verwacht: een datum JJJJ-MM-DD tussen {FIRST_YEAR} en {LAST_YEAR}")
        )
        return None
    return day


def prompt_view(prompt: StoredPrompt) -> dict[str, Any]:
    """A re-screen prompt: the permit, why, the subject's role and the fields that agreed (no other dossier)."""
    why = TRIGGERS.get(prompt.trigger, prompt.trigger)
    message = (
        "Over een betrokkene van deze aanvraag bracht het LBB in de afgelopen vijf jaar advies uit: overweeg of dat "
        "advies hier kan dienen. Dit is een aanleiding, geen bevinding."
        if prompt.trigger == REUSE
        else f"De {prompt.role} van deze verleende vergunning komt overeen met een betrokkene in {why}: overweeg een "
        "nieuwe Bibob-toets (art. 4 Wet Bibob). Dit is een aanleiding, geen bevinding."
    )
    return {
        "id": prompt.id,
        "applicationId": prompt.application_id,
        "trigger": prompt.trigger,
        "role": prompt.role,
        "matchExplanation": prompt.match_explanation,
        "message": message,
        "createdAt": prompt.created_at.isoformat(),
    }


def condition_view(condition: StoredCondition, today: dt.date) -> dict[str, Any]:
    """A condition (voorschrift) as a task."""
    return {
        "id": condition.id,
        "applicationId": condition.application_id,
        "text": condition.text,
        "dueOn": condition.due_on.isoformat(),
        "owner": condition.owner,
        "checkResult": condition.check_result,
        "checkedOn": condition.checked_on.isoformat() if condition.checked_on else None,
        "checkedBy": condition.checked_by,
        "overdue": condition.due_on < today and condition.check_result != "met",
    }
