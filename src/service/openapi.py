"""The published OpenAPI document: Litestar's, plus our problem details on every operation."""

from __future__ import annotations

import copy
import json
from typing import Any

from litestar import Litestar

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; invalidParams lists every validation problem at once.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {"name": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
# which problems an operation can answer with, by method (401 only where a token is asked for)
ERRORS = {
    "get": ("400", "401", "404", "405"),
    "post": ("400", "401", "404", "405", "409", "413", "415", "422"),
    "put": ("400", "401", "404", "405", "409", "412", "413", "415", "428"),
    "patch": ("400", "401", "404", "405", "409", "412", "413", "415", "428"),
    "delete": ("401", "404", "405", "409", "412", "428"),
}
DESCRIPTIONS = {
    "400": "Ongeldig verzoek (alle problemen in invalidParams)",
    "401": "Geen of een ongeldig token",
    "404": "Niet gevonden, of niet zichtbaar voor deze gebruiker",
    "405": "Methode niet toegestaan",
    "409": "Conflict: de stap is nu niet toegestaan, of het verzoek loopt al",
    "412": "De ETag in If-Match is verouderd",
    "413": "Verzoek te groot",
    "415": "Mediatype niet ondersteund",
    "422": "Idempotency-Key hoort bij een ander verzoek",
    "428": "If-Match ontbreekt",
}


def _with_problems(operation: dict[str, Any], method: str) -> None:
    responses = operation.setdefault("responses", {})
    for status in ERRORS.get(method, ()):
        responses[status] = {
            "description": DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    responses.pop("500", None)  # a 500 is a bug, never a documented answer


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The OpenAPI 3.1 document with the problem responses of every operation filled in."""
    document: dict[str, Any] = copy.deepcopy(json.loads(json.dumps(app.openapi_schema.to_schema())))
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and method in ERRORS:
                _with_problems(operation, method)
    return document
