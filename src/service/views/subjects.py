"""Subject search and match review on the wire: the searched subject read from the body, matches as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bibob._json import object_from_json
from bibob.exceptions import InvalidInputError, Problem
from bibob.matching import Match, MatchLevel, Subject
from bibob.parties import Address, Organisation, Person
from service.store.reviews import MatchReview
from service.store.subjects import OwnerDocument
from service.views.inputs import converted, json_object, text, validated

KINDS: Mapping[str, tuple[str, type[Person] | type[Organisation] | type[Address]]] = {
    "person": ("persons", Person),
    "organisation": ("organisations", Organisation),
    "address": ("addresses", Address),
}
SEARCH_FIELDS = (*KINDS, "minimumLevel", "caseId")
_PLACEHOLDER = {"id": "search", "source": "other", "channel": "other", "received": "2000-01-01T00:00:00Z", "text": ""}
REVIEW_FIELDS = ("caseId", "leftKey", "rightKey", "decision", "reason")
DECISIONS = {"confirm": True, "dismiss": False}


def search_body(body: object) -> tuple[Subject, MatchLevel, str | None]:
    """The subject searched for, the lowest level to report, and the case searched for (whose verdicts count)."""
    fields = json_object(body, SEARCH_FIELDS)
    case_id = text(fields, "caseId", limit=36) or None
    given = [name for name in KINDS if name in fields]
    if len(given) != 1:
        raise InvalidInputError(
            [Problem("", "search.oneSubject", "geef precies één van: person, organisation, address")]
        )
    minimum = MatchLevel.parse(fields.get("minimumLevel", "possible"))
    if minimum is None or minimum is MatchLevel.NONE:
        message = "onbekende waarde, toegestaan: possible, probable, certain"
        raise InvalidInputError([Problem("/minimumLevel", "schema.enum", message)])
    name = given[0]
    plural, kind = KINDS[name]
    validated(
        "signal.schema.json",
        {**_PLACEHOLDER, "subjects": {plural: [fields[name]]}},
        {f"/subjects/{plural}/0": f"/{name}"},
    )
    subject: Subject = converted(lambda: object_from_json(kind, fields[name]), f"/{name}")
    return subject, minimum, case_id


def review_body(body: object) -> tuple[str, str, str, bool, str]:
    """(case id, left key, right key, confirmed, reason) of a reviewer's verdict on a pair in a case."""
    fields = json_object(body, REVIEW_FIELDS, REVIEW_FIELDS)
    case_id = text(fields, "caseId", required=True, limit=36)
    left, right = (text(fields, name, required=True, limit=256) for name in ("leftKey", "rightKey"))
    decision = fields["decision"]
    if not isinstance(decision, str) or decision not in DECISIONS:  # a list is no key of a dict: TypeError
        raise InvalidInputError([Problem("/decision", "schema.enum", "onbekende waarde, toegestaan: confirm, dismiss")])
    return case_id, left, right, DECISIONS[decision], text(fields, "reason", required=True)


def search_view(found: list[tuple[Match, OwnerDocument]]) -> dict[str, Any]:
    """The matches, best first, once per dossier holding the subject (a list without pages)."""
    results = [_result(match, owner) for match, owner in found]
    return {"count": len(results), "next": None, "previous": None, "results": results}


def _result(match: Match, owner: OwnerDocument) -> dict[str, Any]:
    return {
        "ownerType": owner.owner_type,
        "ownerId": owner.owner_id,
        "leftKey": match.left_key,
        "rightKey": match.right_key,
        "score": round(match.score, 4),
        "level": match.level.value,
        "levelLabel": match.level.label,
        "needsReview": match.needs_review,
        "explanation": match.explanation,
        "reasons": [{"field": r.field, "outcome": r.outcome.value, "text": r.text} for r in match.reasons],
    }


def review_view(review: MatchReview) -> dict[str, Any]:
    """A recorded verdict on a pair."""
    return {
        "id": review.id,
        "caseId": review.case_id,
        "leftKey": review.left_key,
        "rightKey": review.right_key,
        "decision": "confirm" if review.confirmed else "dismiss",
        "reviewer": review.reviewer,
        "reason": review.reason,
        "at": review.at.isoformat(),
    }
