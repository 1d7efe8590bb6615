"""The HTTP conventions every resource shares: who is asking, transactions, paging, ETags, idempotency."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import sqlalchemy as sa
from litestar import Request, Response
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from service.auth import Principal
from service.errors import PreconditionRequiredError, bibob_error, read_json_body
from service.store import audit, idempotency
from service.store.group_commit import GroupCommit
from service.store.tokens import principal_for_token

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # beyond this an offset overflows the database's integers
AUDIT_REASON_LENGTH = 500
MAX_VERSION = 2**31 - 1  # versions are 32-bit integers in the database


PRINCIPAL_TTL = 5.0  # seconds a looked-up token is trusted in this process: a revocation takes effect within it
PRINCIPAL_CACHE_SIZE = 10_000


async def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """The principal of the bearer token; 401 without one, or with an unknown or revoked one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    principal = await _principal(request.app.state, token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise NotAuthorizedException(headers={"WWW-Authenticate": 'Bearer realm="bibob"'})
    request.state.principal = principal  # for the record of a refused access (`not_found`)
    return principal


def not_found(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """The 404 every caller gets, and once it is sent, an audit row of the refusal when a token was checked.

    Curious colleagues guessing ids show up in the audit log (R-LOG-1, R-LOG-6); the answer itself is the same
    for a hidden and an unknown dossier, and the row is written after it (no difference in time either).
    """
    response = bibob_error(request, error)
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and isinstance(error, NotFoundError):
        reason = audit_reason(request)

        def record(conn: Connection) -> None:
            audit.append_denial(conn, principal, error.kind, error.identifier, reason)

        response.background = BackgroundTask(_record_denial, request.app.state, record)
    return response


async def _record_denial(state: State, record: Callable[[Connection], None]) -> None:
    try:
        await in_transaction(state, record)
    except sa.exc.SQLAlchemyError:  # the 404 went out; the failure is told without the statement's values
        log.warning("weigering van toegang niet in het auditlogboek geschreven: de opslag faalde")


async def _principal(state: State, token: str) -> Principal | None:
    """The token's principal, from a short-lived per-process cache keyed by the token's hash."""
    cache: dict[str, tuple[float, Principal]] = state.principals
    key, now = hashlib.sha256(token.encode("utf-8")).hexdigest(), time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    principal = await in_transaction(state, lambda conn: principal_for_token(conn, token))
    if principal is not None:
        if len(cache) >= PRINCIPAL_CACHE_SIZE:
            cache.clear()
        cache[key] = (now + PRINCIPAL_TTL, principal)
    return principal


def audit_reason(request: Request[Any, Any, Any]) -> str:
    """Why the user reads or changes this dossier (X-Audit-Reason), stored in the audit log."""
    return request.headers.get("x-audit-reason", "")[:AUDIT_REASON_LENGTH]


async def in_transaction(state: State, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in a transaction, grouped with other requests' work (`GroupCommit`); its result once durable.

    `work` runs on the event loop and must not await: fetch from elsewhere before, render after.
    """
    committer: GroupCommit = state.committer
    return await committer.run(work)


def page_window(page: int, page_size: int) -> tuple[int, int]:
    """Validate `page` (1 to a million) and `pageSize` (1–500); returns (offset, limit)."""
    problems = []
    if not 1 <= page <= MAX_PAGE:
        problems.append(Problem("page", "outOfRange", f"page ligt tussen 1 en {MAX_PAGE}"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        problems.append(Problem("pageSize", "outOfRange", f"pageSize ligt tussen 1 en {MAX_PAGE_SIZE}"))
    if problems:
        raise InvalidInputError(problems)
    return (page - 1) * page_size, page_size


def paginated(
    request: Request[Any, Any, Any], results: Sequence[Any], count: int, page: int, page_size: int
) -> Response[dict[str, Any]]:
    """The list envelope {count, next, previous, results} with a Link header (NL API Design Rules)."""

    def url(number: int) -> str:
        query = {**dict(request.query_params), "page": str(number), "pageSize": str(page_size)}
        return f"{request.url.path}?{urlencode(query)}"

    last = max(1, -(-count // page_size))
    following = url(page + 1) if page < last else None
    preceding = url(page - 1) if page > 1 else None
    links = [f'<{u}>; rel="{rel}"' for u, rel in ((following, "next"), (preceding, "prev")) if u]
    body = {"count": count, "next": following, "previous": preceding, "results": list(results)}
    return Response(body, headers={"Link": ", ".join(links)} if links else {})


def etag(version: int) -> str:
    """The strong ETag of a resource version."""
    return f'"{version}"'


def expected_version(request: Request[Any, Any, Any]) -> int:
    """The version the client last saw, from If-Match; 428 without it, 412 when it is no ETag of ours."""
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequiredError("If-Match ontbreekt")
    value = header.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()):  # "²" is a digit to Python, not to int()
        raise InvalidInputError([Problem("If-Match", "invalidEtag", "If-Match is geen ETag van deze bron")])
    fits = len(value) <= len(str(MAX_VERSION)) and int(value) <= MAX_VERSION  # int() of 5,000 digits raises
    return int(value) if fits else 0  # no stored version is 0: a number beyond them all is stale (412)


async def idempotent(
    request: Request[Any, Any, Any], principal: Principal, produce: Callable[[Connection], tuple[int, dict[str, Any]]]
) -> Response[dict[str, Any]]:
    """Run `produce` in a transaction, once per Idempotency-Key: the same key and body replay the first response."""
    key = request.headers.get("idempotency-key")
    if key is None:
        status, body = await in_transaction(request.app.state, produce)
        return Response(body, status_code=status)
    fingerprint = idempotency.request_hash(request.method, request.url.path, await read_json_body(request))
    scope = request.url.path  # the store keeps a hash of it, with the role: paths can outgrow the column

    def once(conn: Connection) -> tuple[idempotency.StoredResponse, bool]:
        stored = idempotency.replay(conn, principal, scope, key, fingerprint)
        if stored is not None:
            return stored, True
        response = idempotency.StoredResponse(*produce(conn))
        idempotency.remember(conn, principal, scope, key, fingerprint, response)
        return response, False

    response, replayed = await in_transaction(request.app.state, once)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(response.body, status_code=response.status, headers=headers)
