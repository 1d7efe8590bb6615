"""The published OpenAPI document: Litestar's, plus our problem details on every operation."""

from __future__ import annotations

import copy
import inspect
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from litestar import Litestar, Request
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi.plugins import JsonRenderPlugin

from service.store import audit, idempotency

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
    "get": ("400", "401", "404", "405", "503"),
    "post": ("400", "401", "404", "405", "409", "413", "415", "422", "503"),
    "put": ("400", "401", "404", "405", "409", "412", "413", "415", "428", "503"),
    "patch": ("400", "401", "404", "405", "409", "412", "413", "415", "428", "503"),
    "delete": ("401", "404", "405", "409", "412", "428", "503"),
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
    "503": "De opslag is tijdelijk niet beschikbaar; niets getoond of gewijzigd (Retry-After)",
}


class PreconditionFailed(HTTPException):
    """Documents 412 (stale If-Match) in the OpenAPI document."""

    status_code = 412


class PreconditionRequired(HTTPException):
    """Documents 428 (If-Match missing) in the OpenAPI document."""

    status_code = 428


class Conflict(HTTPException):
    """Documents 409 (a step the lifecycle refuses) in the OpenAPI document."""

    status_code = 409


class Unprocessable(HTTPException):
    """Documents 422 (an Idempotency-Key reused for another request) in the OpenAPI document."""

    status_code = 422


# what a handler names in `raises=`: the problems a read, a write, an update (both with Idempotency-Key) and a
# replacement (PUT with If-Match) can answer with
READ_ERRORS: list[type[HTTPException]] = [ValidationException, NotFoundException]
WRITE_ERRORS: list[type[HTTPException]] = [*READ_ERRORS, Conflict, Unprocessable]
UPDATE_ERRORS: list[type[HTTPException]] = [*WRITE_ERRORS, PreconditionFailed, PreconditionRequired]
REPLACE_ERRORS: list[type[HTTPException]] = [*READ_ERRORS, PreconditionFailed, PreconditionRequired]


# value shapes for the request bodies the handlers read themselves (the handlers check them in depth)
STRING: dict[str, Any] = {"type": "string"}
DATE: dict[str, Any] = {"type": "string", "format": "date"}
DATE_TIME: dict[str, Any] = {"type": "string", "format": "date-time"}
INTEGER: dict[str, Any] = {"type": "integer"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
OBJECT: dict[str, Any] = {"type": "object"}
ARRAY: dict[str, Any] = {"type": "array"}
STRINGS: dict[str, Any] = {"type": "array", "items": STRING}


def field_shapes(names: Iterable[str], **shapes: dict[str, Any]) -> dict[str, Any]:
    """The properties of a body whose accepted field `names` a handler checks: text unless `shapes` says otherwise."""
    properties = {name: shapes.pop(name, STRING) for name in names}
    if shapes:
        raise ValueError("vormen voor onbekende velden: " + ", ".join(shapes))
    return properties


def request_body(
    description: str,
    properties: Mapping[str, Any] | None = None,
    required: Sequence[str] = (),
    *,
    closed: bool = True,
    idempotent: bool = False,
) -> dict[str, Any]:
    """A handler's `opt` naming the JSON body it reads itself, for the OpenAPI document's `requestBody`.

    `closed`: no fields beyond `properties` (the handler answers 400 naming each unknown one).
    `idempotent`: the handler honours an `Idempotency-Key` (it goes through `service.http.idempotent`).
    """
    schema: dict[str, Any] = {"type": "object", "description": description}
    if properties is not None:
        schema["properties"] = dict(properties)
        if closed:
            schema["additionalProperties"] = False
    if required:
        schema["required"] = list(required)
    return {"body": schema, "idempotent": idempotent}


HEADERS: dict[str, dict[str, Any]] = {
    "If-Match": {
        "name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
        "description": "De ETag van de versie die de client het laatst zag (zonder: 428, verouderd: 412)",
    },
    "Idempotency-Key": {
        "name": "Idempotency-Key", "in": "header", "required": False,
        "schema": {"type": "string", "pattern": f"^{idempotency.KEY_PATTERN.pattern}$"},
        "description": "Dezelfde sleutel en body geven hetzelfde antwoord zonder tweede effect; 24 uur geldig",
    },
    "X-Audit-Reason": {
        "name": "X-Audit-Reason", "in": "header", "required": False,
        "schema": {"type": "string", "maxLength": audit.MAX_REASON},
        "description": (
            "Waarom de gebruiker dit dossier leest of wijzigt; staat ongewijzigd in het auditlogboek. UTF-8, ten "
            f"hoogste {audit.MAX_REASON} tekens, zonder stuurtekens: anders 400 (nooit ingekort). Verplicht bij het "
            "lezen van een casus vanaf het vertrouwelijkheidsniveau van BIBOB_REASON_REQUIRED_FROM."
        ),
    },
}  # fmt: skip
SECURITY_SCHEME = {"bearer": {"type": "http", "scheme": "bearer", "description": "Een API-token (bibob token create)"}}


def _handlers(app: Litestar) -> dict[tuple[str, str], Any]:
    """(path, method) → its route handler."""
    return {
        (route.path_format, method.lower()): handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        for method in handler.http_methods
    }


def _with_request(operation: dict[str, Any], handler: Any) -> None:
    """The body, the token and the headers the handler reads itself, which Litestar cannot see."""
    if "body" in handler.opt:
        content = {"application/json": {"schema": copy.deepcopy(handler.opt["body"])}}
        operation["requestBody"] = {"required": True, "content": content}
    if "principal" not in inspect.signature(handler.fn).parameters:
        return  # public: health, readiness, the questionnaires
    operation["security"] = [{"bearer": []}]
    names = ["X-Audit-Reason"]
    names += ["If-Match"] if "428" in operation.get("responses", {}) else []
    names += ["Idempotency-Key"] if handler.opt.get("idempotent") else []
    operation.setdefault("parameters", []).extend(copy.deepcopy(HEADERS[name]) for name in names)


def _with_problems(operation: dict[str, Any], method: str) -> None:
    responses = operation.setdefault("responses", {})
    for status in (*ERRORS.get(method, ()), *(code for code in responses if code in DESCRIPTIONS)):
        responses[status] = {
            "description": DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    responses.pop("500", None)  # a 500 is a bug, never a documented answer


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The OpenAPI 3.1 document with the problem responses of every operation filled in."""
    document: dict[str, Any] = copy.deepcopy(json.loads(json.dumps(app.openapi_schema.to_schema())))
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["securitySchemes"] = copy.deepcopy(SECURITY_SCHEME)
    handlers = _handlers(app)
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and method in ERRORS:
                _with_problems(operation, method)
                if (path, method) in handlers:
                    _with_request(operation, handlers[path, method])
    return document


class SameDocument(JsonRenderPlugin):
    """`/schema/openapi.json` (Litestar's own place) answers the one document of `/api/v1/openapi.json`, never a
    second, thinner one."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return self.render_json(request, openapi_document(request.app))
