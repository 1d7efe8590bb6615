"""The published OpenAPI document: Litestar's, plus our problem details on every operation."""

from __future__ import annotations

import copy
import functools
import inspect
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
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
    "403": "Het geheim in Authorization is onjuist",
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
ARRAY: dict[str, Any] = {"type": "array", "items": {}}
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
BASE_PATH = "/api/v1"  # the server URL carries the major version (ADR /core/uri-version); paths are relative to it
# placeholders in the project's own example domain: an installation names its own team here
CONTACT = {"name": "Team bibob", "url": "https://bibob.example", "email": "bibob@bibob.example"}
DESCRIPTION = (
    "De API van bibob: aanvragen onder de Wet Bibob, hun vragenlijsten, toetsen en besluiten, signalen en "
    "casussen van de ondermijningsaanpak, met het auditlogboek. Alle fouten zijn problem details (RFC 9457)."
)
# response headers, declared on every success (API-Version) or where the handler sets them (ADR /core/version-header)
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "API-Version": {"description": "De volledige versie van deze API (semver)", "schema": {"type": "string"}},
    "ETag": {"description": "De versie van de bron; stuur hem terug in If-Match", "schema": {"type": "string"}},
    "Link": {"description": "Links naar de volgende en vorige pagina (RFC 8288)", "schema": {"type": "string"}},
    "Location": {"description": "Waar de nieuwe bron staat", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {
        "description": "Elke herkomst mag dit document lezen",
        "schema": {"type": "string"},
    },
}
# the helper a handler calls (in its own body) → the header its responses then carry
HEADER_SETTERS = {
    "with_etag(": "ETag",
    "paginated(": "Link",
    "created_at(": "Location",
    '.headers["Location"]': "Location",
}
SECURITY_SCHEME = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "Een API-token (bibob token create)"},
    "zgwNotification": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "Het geheim van het abonnement bij de Notificaties API (BIBOB_ZGW_NOTIFICATION_SECRET)",
    },
}  # fmt: skip


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


@functools.cache
def response_shapes() -> dict[str, Any]:
    """The response bodies by operation ("GET /path") and their schemas, from `service/api/responses.json`."""
    text = resources.files("service.api").joinpath("responses.json").read_text(encoding="utf-8")
    shapes: dict[str, Any] = json.loads(text)
    return shapes


def response_schema(method: str, path: str) -> dict[str, Any] | None:
    """The declared schema of the success body of `method` on `path` (relative to `BASE_PATH`), refs resolved."""
    shapes = response_shapes()
    declared = shapes["operations"].get(f"{method.upper()} {path}")
    if declared is None or _media(declared):
        return None  # a file (CSV, PDF, a zip) is no JSON body to check
    schema = _body_schema(declared, "#/$defs/")
    return {**schema, "$defs": copy.deepcopy(shapes["schemas"])}


def _media(declared: str | dict[str, Any]) -> list[str]:
    """The media types of a file answer (`{"media": [...]}` in responses.json); empty for a JSON body."""
    return [] if isinstance(declared, str) else list(declared.get("media", []))


def _body_schema(declared: str | dict[str, Any], prefix: str) -> dict[str, Any]:
    if isinstance(declared, str):
        return {"$ref": prefix + declared}
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"]},
            "previous": {"type": ["string", "null"]},
            "results": {"type": "array", "items": {"$ref": prefix + declared["schema"]}},
        },
    }


def _headers_set_by(handler: Any) -> list[str]:
    """The headers a handler's responses can carry besides API-Version: those of the helpers its body calls,
    directly or through a function of its own module (`changed` of the case steps)."""
    source = _source_with_helpers(handler.fn)
    return [header for call, header in HEADER_SETTERS.items() if call in source]


def _source_with_helpers(fn: Any, depth: int = 2) -> str:
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return ""
    if depth == 0:
        return source
    module = "service.api"  # helpers of the handlers live beside them
    helpers = [
        value
        for name, value in getattr(fn, "__globals__", {}).items()
        if f"{name}(" in source
        and inspect.isfunction(value)
        and value.__module__.startswith(module)
        and value is not fn
    ]
    return source + "".join(_source_with_helpers(helper, depth - 1) for helper in helpers)


def _with_responses(operation: dict[str, Any], method: str, path: str, handler: Any) -> None:
    """Each success answer: its typed body and the headers sent with it."""
    declared = response_shapes()["operations"].get(f"{method.upper()} {path}")
    names = ["API-Version", *(_headers_set_by(handler) if handler is not None else [])]
    responses = operation.setdefault("responses", {})
    for status, description in (handler.opt.get("also_answers", {}) if handler is not None else {}).items():
        responses[status] = {"description": description}  # a second success, e.g. 200 for a repeated delivery
    for status, response in responses.items():
        if not status.startswith(("2", "3")):
            continue
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in names}
        if declared is not None and _media(declared):
            binary = {"type": "string", "format": "binary"}
            response["content"] = {media: {"schema": dict(binary)} for media in _media(declared)}
        elif declared is not None:
            schema = _body_schema(declared, "#/components/schemas/")
            response["content"] = {"application/json": {"schema": schema}}


def _openapi_json_operation() -> dict[str, Any]:
    """`GET /openapi.json`, this document itself (ADR /core/publish-openapi), readable from any origin."""
    # the 2.1.0 ruleset looks the CORS header up by its lower-case name
    headers = {name.lower() if name.startswith("Access") else name: {"$ref": f"#/components/headers/{name}"}
               for name in ("API-Version", "Access-Control-Allow-Origin")}  # fmt: skip
    return {
        "get": {
            "summary": "The OpenAPI 3.1 document of this API",
            "description": "Dit document; iedere herkomst mag het lezen (CORS).",
            "operationId": "OpenapiJsonGetOpenapiJson",
            "tags": ["health"],
            "responses": {
                "200": {
                    "description": "Het OpenAPI-document",
                    "headers": headers,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The OpenAPI 3.1 document: server URL with the major version, typed answers, headers and problem responses."""
    document: dict[str, Any] = copy.deepcopy(json.loads(json.dumps(app.openapi_schema.to_schema())))
    document["servers"] = [{"url": BASE_PATH, "description": "Deze bibob-installatie"}]
    document["info"] = {**document.get("info", {}), "description": DESCRIPTION, "contact": dict(CONTACT)}
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["schemas"].update(copy.deepcopy(response_shapes()["schemas"]))
    components["headers"] = copy.deepcopy(RESPONSE_HEADERS)
    components["securitySchemes"] = copy.deepcopy(SECURITY_SCHEME)
    handlers = _handlers(app)
    paths: dict[str, Any] = {}
    for full_path, path_item in document.get("paths", {}).items():
        path = full_path.removeprefix(BASE_PATH) or "/"
        for method, operation in path_item.items():
            if isinstance(operation, dict) and method in ERRORS:
                operation.setdefault("description", operation.get("summary", ""))
                handler = handlers.get((full_path, method))
                _with_problems(operation, method)
                if handler is not None and handler.opt.get("unversioned"):  # a PUT that reads no If-Match
                    for status in ("412", "428"):
                        operation["responses"].pop(status, None)
                _with_responses(operation, method, path, handler)
                if handler is not None:
                    _with_request(operation, handler)
        paths[path] = path_item
    paths["/openapi.json"] = _openapi_json_operation()
    document["paths"] = paths
    tags = sorted(
        {tag for item in paths.values() for op in item.values() if isinstance(op, dict) for tag in op.get("tags", [])}
    )
    document["tags"] = [{"name": tag} for tag in tags]
    return document


class SameDocument(JsonRenderPlugin):
    """`/schema/openapi.json` (Litestar's own place) answers the one document of `/api/v1/openapi.json`, never a
    second, thinner one."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return self.render_json(request, openapi_document(request.app))
