"""Subject search across signals and cases (POST, so no BSN or KvK number travels in a URL) and match review."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import attrs
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from sqlalchemy.engine import Connection

from bibob._json import object_from_json
from bibob.exceptions import InvalidInputError, Problem
from bibob.matching import Match, MatchLevel, ReviewDecision, ReviewLedger, Subject, SubjectIndex, match_against
from bibob.matching import subject_key as subject_key
from bibob.parties import Address, Organisation, Person
from bibob.undermining import Subjects, case_from_json, known_key, signal_from_json
from service.auth import Principal
from service.errors import read_json_body
from service.http import audit_reason, idempotent, in_transaction
from service.openapi import OBJECT, field_shapes, request_body
from service.routes.inputs import READ_ERRORS, WRITE_ERRORS, converted, json_object, text, validated
from service.store import reviews
from service.store.access import Action, Resource, require, scope
from service.store.subjects import OwnerDocument, SubjectKey, keys_of, search_documents, searchable

KINDS: Mapping[str, tuple[str, type[Person] | type[Organisation] | type[Address]]] = {
    "person": ("persons", Person),
    "organisation": ("organisations", Organisation),
    "address": ("addresses", Address),
}
SEARCH_FIELDS = (*KINDS, "minimumLevel")
_PLACEHOLDER = {"id": "search", "source": "other", "channel": "other", "received": "2000-01-01T00:00:00Z", "text": ""}


@post(
    "/subjects/_search",
    opt=request_body(
        "Exactly one of person, organisation, address; optionally the lowest level to report.",
        field_shapes(SEARCH_FIELDS, person=OBJECT, organisation=OBJECT, address=OBJECT),
    ),
    summary="Search a person, organisation or address in the signals and cases you may see",
    description=(
        "Body: exactly one of person, organisation or address (fields as in signal.schema.json), and optionally "
        "minimumLevel (possible, probable, certain). Each result names the signal or case, the score, the level and "
        "the Dutch explanation; leftKey and rightKey identify the pair for a match review. Identifiers are never "
        "part of the URL and never shown in an explanation."
    ),
    tags=["subjects"],
    status_code=200,
    raises=READ_ERRORS,
)
async def search_subjects(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    searchable(principal)
    subject, minimum = search_body(await read_json_body(request))
    reason, may_review = audit_reason(request), scope(principal, Resource.MATCH_REVIEW, Action.READ) is not None

    def candidates(conn: Connection) -> tuple[Any, Any]:
        documents = search_documents(conn, principal, _query_keys(subject), reason)
        return documents, reviews.reviews_involving(conn, principal, [subject_key(subject)]) if may_review else ()

    documents, verdicts = await in_transaction(request.app.state, candidates)
    ledger = ReviewLedger(
        tuple(ReviewDecision(v.left_key, v.right_key, v.confirmed, v.reviewer, v.reason) for v in verdicts)
    )
    results = matches(subject, documents, ledger, minimum)
    return {"count": len(results), "next": None, "previous": None, "results": results}


def search_body(body: object) -> tuple[Subject, MatchLevel]:
    """The subject searched for and the lowest level to report."""
    fields = json_object(body, SEARCH_FIELDS)
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
    return subject, minimum


def _query_keys(subject: Subject) -> tuple[SubjectKey, ...]:
    """The blocks to look in; a person without first names is looked up under every initial."""
    if isinstance(subject, Person) and not subject.first_names.strip():
        variants = [attrs.evolve(subject, first_names=letter) for letter in string.ascii_lowercase]
        return keys_of([subject, *variants])
    return keys_of([subject])


def matches(
    subject: Subject, documents: tuple[OwnerDocument, ...], ledger: ReviewLedger, minimum: MatchLevel
) -> list[dict[str, Any]]:
    """Every match of `subject` among the dossiers' subjects, best first, once per dossier holding it."""
    entries: dict[str, Subject] = {}
    owners: dict[str, list[OwnerDocument]] = {}
    for document in documents:
        for found in _subjects(document).matchable:
            key = known_key(found)
            entries[key] = found
            owners.setdefault(key, []).append(document)
    index = SubjectIndex.build(entries.items())
    found_matches = match_against(index, subject, ledger, key=subject_key(subject), minimum=minimum)
    return [_result(match, owner) for match in found_matches for owner in owners[match.right_key]]


def _subjects(document: OwnerDocument) -> Subjects:
    if document.owner_type == "signal":
        return signal_from_json(document.document).subjects
    return case_from_json(document.document).subjects


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


REVIEW_FIELDS = ("leftKey", "rightKey", "decision", "reason")
DECISIONS = {"confirm": True, "dismiss": False}


@post(
    "/match-reviews",
    opt=request_body("A reviewer's verdict on a pair.", field_shapes(REVIEW_FIELDS), REVIEW_FIELDS, idempotent=True),
    summary="Confirm or dismiss a proposed match",
    description=(
        "Body: leftKey and rightKey (from a search result), decision (confirm or dismiss) and reason. The latest "
        "verdict on a pair counts in every later match: confirmed becomes certain, dismissed drops out."
    ),
    tags=["subjects"],
    status_code=201,
    raises=WRITE_ERRORS,
)
async def review_match(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[Any]:
    require(principal, Resource.MATCH_REVIEW, Action.CREATE)
    body = await read_json_body(request)

    def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
        fields = json_object(body, REVIEW_FIELDS, REVIEW_FIELDS)
        left, right = (text(fields, name, required=True, limit=256) for name in ("leftKey", "rightKey"))
        decision = fields["decision"]
        if not isinstance(decision, str) or decision not in DECISIONS:  # a list is no key of a dict: TypeError
            raise InvalidInputError(
                [Problem("/decision", "schema.enum", "onbekende waarde, toegestaan: confirm, dismiss")]
            )
        reason = text(fields, "reason", required=True)
        review = reviews.record_review(conn, principal, left, right, confirmed=DECISIONS[decision], reason=reason)
        return 201, {
            "id": review.id,
            "leftKey": review.left_key,
            "rightKey": review.right_key,
            "decision": "confirm" if review.confirmed else "dismiss",
            "reviewer": review.reviewer,
            "reason": review.reason,
            "at": review.at.isoformat(),
        }

    return await idempotent(request, principal, produce)


SUBJECT_HANDLERS: list[HTTPRouteHandler | type] = [search_subjects, review_match]
