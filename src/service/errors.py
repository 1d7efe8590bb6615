"""One mapping from the bibob exception tree (and framework errors) to RFC 9457 problem details."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from litestar import Request, Response
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.engine import Connection

from bibob.exceptions import BibobError, InvalidInputError, NotFoundError, Problem, TransitionError
from service.auth import Principal
from service.http import PreconditionRequiredError, UnsupportedMediaTypeError, in_transaction, reason_of
from service.store import audit
from service.store.errors import (
    CorruptAuditRowError,
    IdempotencyConflictError,
    IdempotencyMismatchError,
    IdTakenError,
    StaleVersionError,
    UnreadableDocumentError,
)
from service.store.limits import RateLimitedError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Niet mogelijk in de huidige toestand",
    412: "Voorwaarde niet vervuld",
    428: "Voorwaarde vereist",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    422: "Onverwerkbare invoer",
    500: "Interne fout",
    503: "Dienst tijdelijk niet beschikbaar",
}


def problem_response(
    request: Request[Any, Any, Any], status: int, code: str, detail: str, problems: tuple[Problem, ...] = ()
) -> Response[dict[str, Any]]:
    """A problem+json response; `problems` become `invalidParams`."""
    body: dict[str, Any] = {
        "type": f"https://bibob.example/problems/{code}",
        "title": _TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
    }
    if problems:
        body["invalidParams"] = [{"name": p.pointer, "code": p.code, "reason": p.message} for p in problems]
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


# one place for every expected error: exception class → (status, code, Dutch detail)
_MAPPING: tuple[tuple[type[BibobError], int, str, str], ...] = (
    (NotFoundError, 404, "notFound", "Niet gevonden."),
    (InvalidInputError, 400, "invalid", "De invoer bevat fouten."),
    (PreconditionRequiredError, 428, "ifMatchRequired", "Stuur If-Match met de ETag van de bron mee."),
    (StaleVersionError, 412, "stale", "De gegevens zijn intussen gewijzigd; haal ze opnieuw op."),
    (IdempotencyMismatchError, 422, "idempotencyKeyReused", "Deze Idempotency-Key hoort bij een ander verzoek."),
    (IdempotencyConflictError, 409, "idempotencyInProgress", "Een verzoek met deze Idempotency-Key loopt nog."),
    (TransitionError, 409, "transitionRefused", "Deze stap is nu niet toegestaan."),
    (CorruptAuditRowError, 409, "auditRowCorrupt", "Een auditregel is beschadigd."),
    (
        UnreadableDocumentError,
        409,
        "documentUnreadable",
        "Het opgeslagen document is te diep genest om te lezen; vervang het door een geldig document.",
    ),
    (
        UnsupportedMediaTypeError,
        415,
        "unsupportedMediaType",
        "Stuur de body als JSON (Content-Type: application/json).",
    ),
)


def bibob_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """Map a BibobError to problem details; never echoes input or personal data."""
    for kind, status, code, detail in _MAPPING:
        if isinstance(error, kind):
            problems = error.problems if isinstance(error, InvalidInputError) else ()
            if isinstance(error, TransitionError):
                detail = error.reason  # the unmet legal precondition, in Dutch; names no person
            if isinstance(error, CorruptAuditRowError):
                detail = str(error)  # its position, so the privacy officer can look into it
            return problem_response(request, status, code, detail, problems)
    return problem_response(request, 400, "bibobError", "Het verzoek kon niet worden verwerkt.")


def not_found(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """The 404 every caller gets, and once it is sent, an audit row of the refusal when a token was checked.

    Curious colleagues guessing ids show up in the audit log (R-LOG-1, R-LOG-6); the answer itself is the same
    for a hidden and an unknown dossier, and the row is written after it (no difference in time either).
    """
    response = bibob_error(request, error)
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and isinstance(error, NotFoundError):
        reason = kept_reason(request)

        def record(conn: Connection) -> None:
            audit.append_denial(conn, principal, error.kind, error.identifier, reason)

        response.background = BackgroundTask(_record_denial, request.app.state, record)
    return response


def id_taken(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """400 `id.taken`, the same whether the id is the caller's dossier or one hidden from them; once it is sent,
    an audit row of the attempt (guessing ids to learn which exist shows up in the log, as a refusal does)."""
    response = bibob_error(request, error)
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and isinstance(error, IdTakenError) and not error.recorded:
        response.background = BackgroundTask(
            _record_denial, request.app.state, refused_create_record(principal, error, kept_reason(request))
        )
    return response


def kept_reason(request: Request[Any, Any, Any]) -> str:
    """The request's reason for the audit row of a refusal; one that cannot be kept is left out (the row is not)."""
    reason, problems = reason_of(request)
    return "" if problems else reason


def refused_create_record(principal: Principal, error: IdTakenError, reason: str) -> Callable[[Connection], None]:
    """The audit row of a create refused for a taken id, to write in a transaction of its own."""

    def record(conn: Connection) -> None:
        audit.append_refused_create(conn, principal, error.application_id, reason)

    return record


async def _record_denial(state: State, record: Callable[[Connection], None]) -> None:
    try:
        await in_transaction(state, record)
    except sa.exc.SQLAlchemyError:  # the 404 went out; the failure is told without the statement's values
        log.warning("weigering van toegang niet in het auditlogboek geschreven: de opslag faalde")


def rate_limited(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """429 with `Retry-After` (seconds): the limit that refused, in Dutch; never the address or the name."""
    if not isinstance(error, RateLimitedError):
        return bibob_error(request, error)
    minutes = -(-error.retry_after // 60)
    detail = f"{error.detail} Probeer het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw."
    response = problem_response(request, 429, f"rateLimited.{error.kind}", detail)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def http_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """Framework errors (404 route, 405, 413, 400 decode) as problem details without internals."""
    problems = _parameter_problems(error) if isinstance(error, ValidationException) else ()
    if problems:
        return bibob_error(request, InvalidInputError(problems))
    status = error.status_code if isinstance(error, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if status >= 500:
        _log_failure(request, status, error)
    detail = _TITLES.get(status, "Fout") + "."
    response = problem_response(request, status, f"http{status}", detail)
    if isinstance(error, HTTPException) and error.headers:
        response.headers.update(error.headers)
    return response


_LIMIT = re.compile(r"length <= (\d+)")


def _parameter_problems(error: ValidationException) -> tuple[Problem, ...]:
    """The query, path or header parameters Litestar refused, named as the client wrote them, in Dutch."""
    found = error.extra if isinstance(error.extra, list) else []
    return tuple(
        Problem(_camel(str(item.get("key", ""))), "invalidParameter", _reason(str(item.get("message", ""))))
        for item in found
        if isinstance(item, dict)
    )


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def _reason(message: str) -> str:
    limit = _LIMIT.search(message)
    if limit:
        return f"hoogstens {limit.group(1)} tekens"
    if "`int`" in message:
        return "verwacht: geheel getal"
    if "date" in message.lower():
        return "verwacht: datum JJJJ-MM-DD"
    return "ongeldige waarde"


def storage_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """The database refused or could not be reached (disk full, locked, connection lost): 503, nothing returned.

    Every read writes its audit row before its data leaves, so a store that cannot write fails closed (R-LOG-2).
    """
    _log_failure(request, 503, error)
    detail = "De opslag is tijdelijk niet beschikbaar; er is niets gewijzigd of getoond. Probeer het zo opnieuw."
    response = problem_response(request, 503, "storageUnavailable", detail)
    response.headers["Retry-After"] = "1"
    return response


def _log_failure(request: Request[Any, Any, Any], status: int, error: Exception) -> None:
    """One line per 500 or 503: the status, the cause's class and the route (the request id comes with every line).

    Never the exception's message or the path's values: a database error quotes the statement's parameters.
    """
    route = request.scope.get("path_template", "")  # the route's template (`/applications/{id}`), no values
    log.error(
        "verzoek mislukt",
        extra={
            "event": "request.failed",
            "status": status,
            "cause": type(error).__name__,
            "causeModule": type(error).__module__,
            "method": request.method,
            "route": str(route),
        },
    )


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    NotFoundError: not_found,
    IdTakenError: id_taken,
    RateLimitedError: rate_limited,
    BibobError: bibob_error,
    sa.exc.DBAPIError: storage_error,
    HTTPException: http_error,
    Exception: http_error,
    404: http_error,
    405: http_error,
}
